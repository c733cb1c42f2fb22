/**
 * The committed timing baseline and the regression comparison against it.
 *
 * Each timed iteration is normalised by the calibration product (the calibration case's
 * work) run just before it, so a baseline taken on one machine stays meaningful on a faster
 * or slower one. Pairing each iteration with its own calibration matters on a shared 2-core
 * machine: there the calibration's time was seen to vary 2.2-fold between runs a minute
 * apart, so one calibration at the start of a run normalised later cases badly. The median
 * over iterations and over several runs damps what noise is left.
 *
 * A change meant to alter the speed of a case needs a new baseline:
 * `deno task bench:baseline --ci`.
 *
 * NOTE: while other test runs shared the 2-core machine, a case's paired ratio still varied
 * by up to about 45 % between single runs, so the median of 3 runs can exceed the 25 %
 * margin without a regression. A rerun on an idle machine settles it.
 *
 * @module
 */
import type { BackendInfo } from "../train/records.ts";
import { CALIBRATION_GROUP, caseKey } from "./cases.ts";
import { type MachineInfo, median, type RecordedOptions, type SuiteRun } from "./results.ts";

/** One case of a baseline. */
export interface BaselineCase {
  group: string;
  name: string;
  /** Median over the runs of the case's paired calibration ratio (see {@linkcode medianNormalisedTimes}). */
  normalisedTime: number;
  /** Median milliseconds per step, for reading only; the check compares `normalisedTime`. */
  msPerStep: number;
}

/** Contents of `bench/baseline.json`. */
export interface Baseline {
  /** When the baseline was taken, ISO 8601. */
  createdAt: string;
  machine: MachineInfo;
  backend: BackendInfo;
  /** The options the suite ran with; the check runs the suite with the same ones. */
  options: RecordedOptions;
  /** Runs combined by the median. */
  runs: number;
  cases: BaselineCase[];
}

/** A case's normalised time in the baseline and now. */
export interface ComparisonRow {
  key: string;
  baseline: number;
  current: number;
  /** Relative change, `current / baseline − 1`: 0.3 is 30 % slower. */
  change: number;
  /** Whether the change is above the margin. */
  regressed: boolean;
}

/** The outcome of a regression check. */
export interface Comparison {
  rows: ComparisonRow[];
  /** Baseline cases that the current runs did not measure. */
  missing: string[];
  /** Measured cases that the baseline does not have. */
  unknown: string[];
}

/**
 * Returns each case's median over the runs of its paired calibration ratio: the step's time
 * over the time of the calibration product run just before it, keyed by
 * {@linkcode caseKey}. The calibration case itself is left out. Throws when a run was made
 * without paired calibration.
 */
export function medianNormalisedTimes(runs: readonly SuiteRun[]): Map<string, number> {
  const samples = new Map<string, number[]>();
  for (const run of runs) {
    for (const benchCase of run.cases) {
      if (benchCase.group === CALIBRATION_GROUP) continue;
      const key = caseKey(benchCase);
      if (benchCase.calibrationRatio === null) {
        throw new Error(
          `Benchmark case "${key}" has no paired calibration time: run the suite with JIGSAW_BENCH_PAIRED_CALIBRATION=1`,
        );
      }
      samples.set(key, [...(samples.get(key) ?? []), benchCase.calibrationRatio]);
    }
  }
  return new Map([...samples].map(([key, values]) => [key, median(values)]));
}

/** Builds a baseline from runs of the same options. */
export function buildBaseline(runs: readonly SuiteRun[], createdAt: Date): Baseline {
  if (runs.length === 0) throw new RangeError("Cannot build a baseline from zero benchmark runs");
  const normalised = medianNormalisedTimes(runs);

  const cases = runs[0].cases.filter((c) => normalised.has(caseKey(c))).map((c) => {
    const key = caseKey(c);
    const times = runs.flatMap((run) =>
      run.cases.filter((other) => caseKey(other) === key).map((x) => x.msPerStep)
    );
    return { group: c.group, name: c.name, normalisedTime: normalised.get(key)!, msPerStep: median(times) };
  });
  return {
    createdAt: createdAt.toISOString(),
    machine: runs[0].machine,
    backend: runs[0].backend,
    options: runs[0].options,
    runs: runs.length,
    cases,
  };
}

/**
 * Compares normalised times with the baseline. A case regressed when it is slower than its
 * baseline by more than `margin` (0.25 is 25 %).
 */
export function compareWithBaseline(
  baseline: Baseline,
  current: ReadonlyMap<string, number>,
  margin: number,
): Comparison {
  if (!(margin >= 0)) {
    throw new RangeError(`Invalid margin ${margin}: expected a number of at least 0, such as 0.25`);
  }

  const rows: ComparisonRow[] = [];
  const missing: string[] = [];
  for (const entry of baseline.cases) {
    const key = caseKey(entry);
    const now = current.get(key);
    if (now === undefined) {
      missing.push(key);
      continue;
    }
    const change = now / entry.normalisedTime - 1;
    rows.push({ key, baseline: entry.normalisedTime, current: now, change, regressed: change > margin });
  }

  const known = new Set(baseline.cases.map(caseKey));
  const unknown = [...current.keys()].filter((key) => !known.has(key));
  return { rows, missing, unknown };
}

/** Formats comparison rows as a Markdown table of normalised times and changes. */
export function formatComparison(rows: readonly ComparisonRow[]): string {
  const header = ["case", "baseline (× calibration)", "now (× calibration)", "change"];
  const cells = rows.map((row) => [
    row.key,
    row.baseline.toFixed(3),
    row.current.toFixed(3),
    `${row.change >= 0 ? "+" : ""}${(100 * row.change).toFixed(1)}%`,
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((line) => line[i].length)));
  const line = (values: string[]) =>
    `| ${
      values.map((value, i) => i === 0 ? value.padEnd(widths[i]) : value.padStart(widths[i])).join(" | ")
    } |`;
  const rule = `|${
    widths.map((width, i) => i === 0 ? "-".repeat(width + 2) : `${"-".repeat(width + 1)}:`).join("|")
  }|`;
  return [line(header), rule, ...cells.map(line)].join("\n");
}

/** Reads and validates a baseline file. Throws NotFound or SyntaxError naming the file. */
export async function readBaseline(path: string): Promise<Baseline> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Deno.errors.NotFound(
        `Baseline ${path} not found: write one with "deno task bench:baseline" (add --ci for the CI case set)`,
      );
    }
    throw error;
  }

  const baseline = JSON.parse(text) as Baseline;
  const valid = Array.isArray(baseline.cases) && baseline.options && Array.isArray(baseline.options.grids) &&
    baseline.cases.every((c) => typeof c.normalisedTime === "number" && c.normalisedTime > 0);
  if (!valid) {
    throw new SyntaxError(
      `Baseline ${path} is not a benchmark baseline: rewrite it with "deno task bench:baseline"`,
    );
  }
  return baseline;
}

/** Writes a baseline as indented JSON with a final newline. */
export async function writeBaseline(path: string, baseline: Baseline): Promise<void> {
  await Deno.writeTextFile(path, `${JSON.stringify(baseline, null, 2)}\n`);
}
