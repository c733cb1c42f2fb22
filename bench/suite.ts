/**
 * Runs the benchmark suite in a child `deno bench --json` process and reads back its
 * results, for the regression check and the report table.
 *
 * @module
 */
import { parseSuiteRun, type RecordedOptions, type RunRecord, type SuiteRun } from "./results.ts";

/** The bench entry that `deno bench` runs. */
export const BENCH_ENTRY = new URL("./jigsaw_bench.ts", import.meta.url);

/** The project root, where `deno.json` and its import map are. */
const PROJECT_ROOT = new URL("../", import.meta.url);

/** Runs the suite once; a stand-in can replace it in tests. */
export type SuiteRunner = (env: Readonly<Record<string, string>>) => Promise<SuiteRun>;

/** Returns the `JIGSAW_BENCH_*` variables that select exactly `options`. */
export function optionsToEnv(options: RecordedOptions): Record<string, string> {
  return {
    JIGSAW_BENCH_BACKEND: options.backend,
    JIGSAW_BENCH_BATCH: String(options.batchSize),
    JIGSAW_BENCH_GRIDS: options.grids.join(","),
    JIGSAW_BENCH_CASES: options.cases.join(","),
    JIGSAW_BENCH_ITERATIONS: String(options.iterations),
  };
}

/**
 * Runs `deno bench --json` on the suite with the current environment plus `env`, and
 * joins its report with the run record the suite writes. The child's stderr passes
 * through, so type-check messages and failures stay visible.
 * Throws an Error with the exit code when the child fails.
 */
export async function runSuite(env: Readonly<Record<string, string>>): Promise<SuiteRun> {
  const recordPath = await Deno.makeTempFile({ prefix: "jigsaw-bench-", suffix: ".json" });
  try {
    const command = new Deno.Command(Deno.execPath(), {
      args: ["bench", "--allow-all", "--json", BENCH_ENTRY.pathname],
      cwd: PROJECT_ROOT.pathname,
      env: { ...env, JIGSAW_BENCH_RECORD: recordPath },
      stdout: "piped",
      stderr: "inherit",
    });
    const { code, stdout } = await command.output();
    const text = new TextDecoder().decode(stdout);
    if (code !== 0) {
      throw new Error(`deno bench exited with code ${code}; its output ended: ${text.slice(-2000)}`);
    }

    const record = JSON.parse(await Deno.readTextFile(recordPath)) as RunRecord;
    return parseSuiteRun(text, record);
  } finally {
    await Deno.remove(recordPath).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
  }
}

/** Runs the suite `runs` times in a row, logging each run to stderr. */
export async function runSuiteRepeatedly(
  env: Readonly<Record<string, string>>,
  runs: number,
  runner: SuiteRunner = runSuite,
): Promise<SuiteRun[]> {
  const results: SuiteRun[] = [];
  for (let run = 1; run <= runs; run++) {
    const started = performance.now();
    console.error(`bench: run ${run} of ${runs}`);
    results.push(await runner(env));
    console.error(
      `bench: run ${run} of ${runs} finished in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  return results;
}
