/**
 * Benchmark regression check: runs the suite several times with `deno bench --json`,
 * normalises each case's time by the calibration product, takes the median over the runs
 * and compares it with the committed baseline.
 *
 * ```sh
 * deno task bench:check                 # the baseline's cases, 3 runs, 25 % margin
 * deno task bench:check --margin 0.4    # allow 40 % before failing
 * deno task bench:check --ci            # the reduced CI case set (the committed baseline's)
 * deno task bench:baseline --ci         # rewrite bench/baseline.json with the CI case set
 * deno task bench:baseline              # rewrite it with the JIGSAW_BENCH_* selection
 * ```
 *
 * The check runs the suite with the options recorded in the baseline, so the two
 * measure the same cases, and with paired calibration: every timed iteration is
 * normalised by the calibration product run just before it (see `bench/baseline.ts`). It exits with 1 and prints a table of the offenders when a
 * case is slower than its baseline by more than the margin, or when a baseline case
 * was not measured.
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  type Baseline,
  buildBaseline,
  compareWithBaseline,
  formatComparison,
  medianNormalisedTimes,
  readBaseline,
  writeBaseline,
} from "./baseline.ts";
import { benchOptionsFromEnv } from "./options.ts";
import type { RecordedOptions } from "./results.ts";
import { optionsToEnv, runSuite, runSuiteRepeatedly, type SuiteRunner } from "./suite.ts";

/** The baseline committed with the project. */
export const DEFAULT_BASELINE_PATH = new URL("./baseline.json", import.meta.url).pathname;

/**
 * The reduced case set of the CI check: on two grids with a batch of 2, the EOT-2 and
 * EOT-12 steps, a TRM-8 macro-step, the tile encoder and one encoder block. The TRM batches
 * are left out because each costs as much as `s` macro-steps.
 */
export const CI_OPTIONS: RecordedOptions = {
  backend: "wasm",
  batchSize: 2,
  grids: [2, 4],
  cases: ["eot-2 step", "eot-12 step", "trm-8 macro-step", "tile encoder", "encoder block"],
  iterations: 3,
};

const USAGE = `Usage: deno task bench:check [--margin 0.25] [--runs 3] [--baseline FILE] [--ci]
       deno task bench:baseline [--runs 3] [--baseline FILE] [--ci]`;

/** Parsed command-line flags. */
interface CheckFlags {
  writeBaseline: boolean;
  margin: number;
  runs: number;
  baselinePath: string;
  ci: boolean;
}

/**
 * Runs the check, or writes the baseline with `--write-baseline`, and returns the exit
 * code: 0 when every case is within the margin, 1 otherwise. `env` is added to the
 * suite's environment. `runner` runs the suite once; tests replace it.
 */
export async function main(
  args: string[],
  env: Readonly<Record<string, string>> = {},
  runner: SuiteRunner = runSuite,
): Promise<number> {
  const flags = parseFlags(args);

  if (flags.writeBaseline) {
    const options = flags.ci
      ? CI_OPTIONS
      : recordedOptions(benchOptionsFromEnv({ ...Deno.env.toObject(), ...env }));
    const runs = await runSuiteRepeatedly(suiteEnv(env, options), flags.runs, runner);
    const baseline = buildBaseline(runs, new Date());
    await writeBaseline(flags.baselinePath, baseline);
    console.log(`Wrote ${flags.baselinePath}: ${baseline.cases.length} cases, median of ${flags.runs} runs`);
    console.log(describeBaseline(baseline));
    return 0;
  }

  const baseline = await readBaseline(flags.baselinePath);
  if (flags.ci && !sameOptions(baseline.options, CI_OPTIONS)) {
    console.error(
      `Baseline ${flags.baselinePath} was not taken with the CI case set: rewrite it with "deno task bench:baseline --ci"`,
    );
    return 1;
  }

  const runs = await runSuiteRepeatedly(suiteEnv(env, baseline.options), flags.runs, runner);
  const current = medianNormalisedTimes(runs);
  const comparison = compareWithBaseline(baseline, current, flags.margin);

  console.log(describeBaseline(baseline));
  if (runs[0].backend.name !== baseline.backend.name) {
    console.log(
      `Warning: this run used backend ${runs[0].backend.name}, the baseline ${baseline.backend.name}`,
    );
  }
  if (runs[0].machine.cpu !== baseline.machine.cpu || runs[0].machine.cores !== baseline.machine.cores) {
    console.log(
      `Warning: this machine (${runs[0].machine.cpu}, ${
        runs[0].machine.cores
      } cores) differs from the baseline's; ` +
        "times are normalised by the calibration case, but kernels scale differently across machines",
    );
  }
  console.log("");
  console.log(formatComparison(comparison.rows));
  console.log("");
  for (const key of comparison.unknown) {
    console.log(`Note: ${key} has no baseline; rewrite the baseline to include it`);
  }

  const offenders = comparison.rows.filter((row) => row.regressed);
  if (comparison.missing.length > 0) {
    console.log(`Failed: baseline cases not measured: ${comparison.missing.join(", ")}`);
  }
  if (offenders.length > 0) {
    console.log(
      `Failed: ${offenders.length} case(s) slower than the baseline by more than ${pct(flags.margin)}:`,
    );
    console.log(formatComparison(offenders));
  }
  if (offenders.length > 0 || comparison.missing.length > 0) return 1;

  console.log(`Passed: ${comparison.rows.length} cases within ${pct(flags.margin)} of the baseline`);
  return 0;
}

function parseFlags(args: string[]): CheckFlags {
  const { values } = parseArgs({
    args,
    options: {
      "write-baseline": { type: "boolean", default: false },
      margin: { type: "string", default: "0.25" },
      runs: { type: "string", default: "3" },
      baseline: { type: "string", default: DEFAULT_BASELINE_PATH },
      ci: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });

  const margin = Number(values.margin);
  if (!/^\d*\.?\d+$/.test(values.margin)) {
    throw new RangeError(
      `Invalid --margin "${values.margin}": expected a fraction such as 0.25 for 25 %\n${USAGE}`,
    );
  }
  const runs = Number(values.runs);
  if (!/^\d+$/.test(values.runs) || runs < 1) {
    throw new RangeError(`Invalid --runs "${values.runs}": expected a positive integer such as 3\n${USAGE}`);
  }
  return {
    writeBaseline: values["write-baseline"],
    margin,
    runs,
    baselinePath: values.baseline,
    ci: values.ci,
  };
}

/** Returns the suite's environment for a check or baseline: `options`, with paired calibration on. */
function suiteEnv(env: Readonly<Record<string, string>>, options: RecordedOptions): Record<string, string> {
  return { ...env, ...optionsToEnv(options), JIGSAW_BENCH_PAIRED_CALIBRATION: "1" };
}

function recordedOptions(options: RecordedOptions): RecordedOptions {
  const { backend, batchSize, grids, cases, iterations } = options;
  return { backend, batchSize, grids, cases, iterations };
}

function sameOptions(a: RecordedOptions, b: RecordedOptions): boolean {
  return JSON.stringify(recordedOptions(a)) === JSON.stringify(recordedOptions(b));
}

function describeBaseline(baseline: Baseline): string {
  const { machine, backend, options } = baseline;
  return `Baseline of ${baseline.createdAt}: ${machine.cpu}, ${machine.cores} cores, ${machine.runtime}; ` +
    `backend ${backend.name}${backend.adapter ? ` on ${backend.adapter}` : ""}; ` +
    `batch ${options.batchSize}, grids ${options.grids.join(",")}, ${baseline.cases.length} cases, ` +
    `median of ${baseline.runs} runs`;
}

function pct(fraction: number): string {
  return `${(100 * fraction).toFixed(0)}%`;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
