/**
 * Runs the benchmark suite with `deno bench --json`, writes the results for the report
 * generator to `out/bench-<date>.json` and prints the cost table and the TRM batch / EOT
 * step ratios. The suite takes its selection from the `JIGSAW_BENCH_*` variables.
 *
 * ```sh
 * deno task bench:table                          # one run of every case
 * deno task bench:table --runs 3                 # median of three runs
 * JIGSAW_BENCH_GRIDS=2 deno task bench:table --output out/bench-2x2.json
 * ```
 *
 * @module
 */
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { benchReport, formatCostTable, formatRatioTable, medianRun } from "./results.ts";
import { runSuite, runSuiteRepeatedly, type SuiteRunner } from "./suite.ts";

const USAGE = "Usage: deno task bench:table [--runs 1] [--output out/bench-YYYY-MM-DD.json]";

/** Returns the default output path for a run finished at `date`: `out/bench-YYYY-MM-DD.json` under the project root. */
export function defaultOutputPath(date: Date): string {
  return new URL(`../out/bench-${date.toISOString().slice(0, 10)}.json`, import.meta.url).pathname;
}

/**
 * Runs the suite, writes the report JSON and prints the tables; returns the exit code.
 * `runner` runs the suite once; tests replace it.
 */
export async function main(args: string[], runner: SuiteRunner = runSuite): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { runs: { type: "string", default: "1" }, output: { type: "string" } },
    strict: true,
    allowPositionals: false,
  });
  const runCount = Number(values.runs);
  if (!/^\d+$/.test(values.runs) || runCount < 1) {
    throw new RangeError(`Invalid --runs "${values.runs}": expected a positive integer such as 3\n${USAGE}`);
  }

  const runs = await runSuiteRepeatedly({}, runCount, runner);
  const run = medianRun(runs);
  const finished = new Date();
  const report = benchReport(run, finished);

  const output = values.output ?? defaultOutputPath(finished);
  await Deno.mkdir(dirname(output), { recursive: true });
  await Deno.writeTextFile(output, `${JSON.stringify(report, null, 2)}\n`);

  const { machine, backend, options } = run;
  console.log(
    `${machine.cpu}, ${machine.cores} cores, ${machine.runtime}; backend ${backend.name}` +
      `${backend.adapter ? ` on ${backend.adapter}` : ""}; batch ${options.batchSize}; ` +
      `median of ${runCount} run(s)\n`,
  );
  console.log(formatCostTable(run.cases));
  if (report.ratios.length > 0) {
    console.log("\nTime of one TRM batch (all macro-steps) over one EOT training step:\n");
    console.log(formatRatioTable(report.ratios));
  }
  console.log(`\nWrote ${output}`);
  return 0;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
