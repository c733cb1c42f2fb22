/**
 * Results of a benchmark run: the run record the suite writes, `deno bench --json`
 * output joined with it into per-case timings and cost columns, the TRM/EOT cost ratios,
 * and the report JSON and Markdown tables built from them.
 *
 * @module
 */
import type { BackendInfo } from "../train/records.ts";
import { type BenchCase, CALIBRATION_GROUP, caseKey } from "./cases.ts";
import type { BenchOptions } from "./options.ts";

/** The options a run was taken with, as recorded in run records and baselines. */
export type RecordedOptions = Pick<BenchOptions, "backend" | "batchSize" | "grids" | "cases" | "iterations">;

/** The machine a run was taken on. */
export interface MachineInfo {
  /** CPU model as `deno bench` reports it. */
  cpu: string;
  /** Runtime as `deno bench` reports it, such as `Deno/2.9.6 x86_64-unknown-linux-gnu`. */
  runtime: string;
  /** Operating system (`Deno.build.os`). */
  os: string;
  /** Processor architecture (`Deno.build.arch`). */
  arch: string;
  /** Logical cores (`navigator.hardwareConcurrency`). */
  cores: number;
  /** Total memory in bytes. */
  memoryBytes: number;
}

/** Run record that the suite writes to `JIGSAW_BENCH_RECORD`, with the facts `deno bench --json` leaves out. */
export interface RunRecord {
  /** The machine, less the fields that `deno bench --json` reports itself. */
  machine: Omit<MachineInfo, "cpu" | "runtime">;
  /** The backend the cases ran on. */
  backend: BackendInfo;
  options: RecordedOptions;
  /** The registered cases, in the order they ran. */
  cases: BenchCase[];
  /**
   * The suite's own milliseconds of each timed call, keyed by {@linkcode caseKey}, and with
   * paired calibration the milliseconds of the calibration product run just before it.
   * A case that iterates in under 10 ms can have a few more calls here than `deno bench`
   * measured, because its warm-up repeats until 10 ms have passed.
   */
  measurements: Record<string, { stepMs: number[]; calibrationMs: number[] }>;
}

/** Measured milliseconds per step of one case. */
export interface StepTime {
  /** Mean over the measured iterations. */
  mean: number;
  /** Fastest measured iteration. */
  min: number;
  /** Median over the iterations of step time / paired calibration time, or null without pairing. */
  calibrationRatio: number | null;
}

/** A case with its measured time and achieved throughput. */
export interface CaseResult extends BenchCase {
  /** Mean milliseconds per step over the measured iterations. */
  msPerStep: number;
  /** Milliseconds of the fastest measured iteration. */
  minMsPerStep: number;
  /**
   * Median over the iterations of the step's time over the time of the calibration product
   * run just before it, or null unless the suite ran with paired calibration.
   */
  calibrationRatio: number | null;
  /** Achieved FLOP/s: analytical FLOPs per step over the measured time. */
  flopsPerSecond: number;
  /** Achieved FLOP/s as a share of the calibration case's, or null when it did not run. */
  shareOfCalibration: number | null;
}

/** One whole run of the suite. */
export interface SuiteRun {
  machine: MachineInfo;
  backend: BackendInfo;
  options: RecordedOptions;
  cases: CaseResult[];
}

/** The cost of one whole TRM batch relative to one EOT step on the same grid. */
export interface CostRatio {
  grid: number;
  /** TRM model identifier, such as `trm-12`. */
  trmModel: string;
  /** EOT model identifier, such as `eot-12`. */
  eotModel: string;
  /** Time of one TRM batch (all macro-steps) over the time of one EOT training step. */
  ratio: number;
}

/** The JSON file `deno task bench:table` writes for the report generator. */
export interface BenchReport {
  /** When the run finished, ISO 8601. */
  createdAt: string;
  machine: MachineInfo;
  backend: BackendInfo;
  options: RecordedOptions;
  cases: {
    group: string;
    name: string;
    kind: BenchCase["kind"];
    model: string | null;
    grid: number | null;
    batchSize: number | null;
    msPerStep: number;
    flopsPerStep: number;
    parameterCount: number;
    layerApplications: number;
    flopsPerSecond: number;
    shareOfCalibration: number | null;
  }[];
  ratios: CostRatio[];
}

/** The part of `deno bench --json` output this module reads. */
interface DenoBenchOutput {
  runtime: string;
  cpu: string;
  benches: {
    group: string | null;
    name: string;
    results: { ok?: { avg: number; min: number; n: number }; failed?: unknown }[];
  }[];
}

/**
 * Adds measured times (keyed by {@linkcode caseKey}) to cases, with the achieved FLOP/s
 * and its share of the calibration case's, both from the mean time. Cases without a time
 * are left out.
 */
export function withTimings(cases: readonly BenchCase[], times: ReadonlyMap<string, StepTime>): CaseResult[] {
  const calibration = cases.find((c) => c.group === CALIBRATION_GROUP);
  const calibrationTime = calibration ? times.get(caseKey(calibration)) : undefined;
  const calibrationFlopsPerSecond = calibration && calibrationTime
    ? calibration.flopsPerStep / (calibrationTime.mean / 1000)
    : null;

  const results: CaseResult[] = [];
  for (const benchCase of cases) {
    const time = times.get(caseKey(benchCase));
    if (time === undefined) continue;
    const flopsPerSecond = benchCase.flopsPerStep / (time.mean / 1000);
    const shareOfCalibration = calibrationFlopsPerSecond ? flopsPerSecond / calibrationFlopsPerSecond : null;
    results.push({
      ...benchCase,
      msPerStep: time.mean,
      minMsPerStep: time.min,
      calibrationRatio: time.calibrationRatio,
      flopsPerSecond,
      shareOfCalibration,
    });
  }
  return results;
}

/**
 * Joins the stdout of `deno bench --json` with the suite's run record. Throws an Error
 * naming the case when a case failed or is missing from the output.
 */
export function parseSuiteRun(denoBenchJson: string, record: RunRecord): SuiteRun {
  const output = parseDenoBenchOutput(denoBenchJson);

  const times = new Map<string, StepTime>();
  for (const bench of output.benches) {
    const key = caseKey({ group: bench.group ?? "", name: bench.name });
    const result = bench.results[0];
    if (!result?.ok) {
      throw new Error(`Benchmark case "${key}" failed: ${JSON.stringify(result?.failed ?? result)}`);
    }
    // deno bench reports nanoseconds.
    times.set(key, {
      mean: result.ok.avg / 1e6,
      min: result.ok.min / 1e6,
      calibrationRatio: pairedCalibrationRatio(record.measurements?.[key]),
    });
  }
  for (const benchCase of record.cases) {
    if (!times.has(caseKey(benchCase))) {
      throw new Error(`Benchmark case "${caseKey(benchCase)}" is missing from the deno bench output`);
    }
  }

  return {
    machine: { cpu: output.cpu, runtime: output.runtime, ...record.machine },
    backend: record.backend,
    options: record.options,
    cases: withTimings(record.cases, times),
  };
}

/**
 * Returns the median of step time / calibration time over the paired iterations, or null
 * when the calibration was not paired with the steps.
 */
export function pairedCalibrationRatio(
  measurement: { stepMs: number[]; calibrationMs: number[] } | undefined,
): number | null {
  if (!measurement || measurement.calibrationMs.length === 0) return null;
  if (measurement.calibrationMs.length !== measurement.stepMs.length) {
    throw new RangeError(
      `Run record pairs ${measurement.stepMs.length} steps with ${measurement.calibrationMs.length} calibrations`,
    );
  }
  return median(measurement.stepMs.map((ms, i) => ms / measurement.calibrationMs[i]));
}

function parseDenoBenchOutput(text: string): DenoBenchOutput {
  // The JSON report is the last thing deno bench prints; anything before it is stray output.
  const start = text.search(/^\{$/m);
  let output: DenoBenchOutput;
  try {
    output = JSON.parse(start >= 0 ? text.slice(start) : text);
  } catch (error) {
    throw new SyntaxError(
      `deno bench --json printed no valid JSON (${(error as Error).message}); its output began: ${
        text.slice(0, 200)
      }`,
    );
  }
  if (!Array.isArray(output.benches)) {
    throw new SyntaxError(`deno bench --json output has no "benches" list; it began: ${text.slice(0, 200)}`);
  }
  return output;
}

/**
 * Combines several runs of the same cases into one: the median over the runs of each
 * case's mean and fastest time and calibration ratio, with FLOP/s and shares recomputed. Machine, backend and
 * options come from the first run.
 */
export function medianRun(runs: readonly SuiteRun[]): SuiteRun {
  if (runs.length === 0) throw new RangeError("Cannot take the median of zero benchmark runs");

  const times = new Map<string, StepTime>();
  for (const benchCase of runs[0].cases) {
    const key = caseKey(benchCase);
    const samples = runs.flatMap((run) => run.cases.filter((c) => caseKey(c) === key));
    const ratios = samples.map((c) => c.calibrationRatio).filter((ratio): ratio is number => ratio !== null);
    times.set(key, {
      mean: median(samples.map((c) => c.msPerStep)),
      min: median(samples.map((c) => c.minMsPerStep)),
      calibrationRatio: ratios.length > 0 ? median(ratios) : null,
    });
  }
  return { ...runs[0], cases: withTimings(runs[0].cases, times) };
}

/** Returns the median of a non-empty list (the mean of the middle two for an even length). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("Cannot take the median of an empty list");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Computes, per grid, the time of each TRM batch over the time of each EOT step. */
export function costRatios(results: readonly CaseResult[]): CostRatio[] {
  const ratios: CostRatio[] = [];
  const trmBatches = results.filter((c) => c.kind === "trm-batch");
  const eotSteps = results.filter((c) => c.kind === "eot-step");

  for (const trm of trmBatches) {
    for (const eot of eotSteps.filter((c) => c.grid === trm.grid)) {
      ratios.push({
        grid: trm.grid!,
        trmModel: trm.model!,
        eotModel: eot.model!,
        ratio: trm.msPerStep / eot.msPerStep,
      });
    }
  }
  return ratios;
}

/** Builds the report JSON from a run. */
export function benchReport(run: SuiteRun, createdAt: Date): BenchReport {
  return {
    createdAt: createdAt.toISOString(),
    machine: run.machine,
    backend: run.backend,
    options: run.options,
    cases: run.cases.map((c) => ({
      group: c.group,
      name: c.name,
      kind: c.kind,
      model: c.model,
      grid: c.grid,
      batchSize: c.batchSize,
      msPerStep: c.msPerStep,
      flopsPerStep: c.flopsPerStep,
      parameterCount: c.parameterCount,
      layerApplications: c.layerApplications,
      flopsPerSecond: c.flopsPerSecond,
      shareOfCalibration: c.shareOfCalibration,
    })),
    ratios: costRatios(run.cases),
  };
}

/** Formats the cost columns of each case as a Markdown table. */
export function formatCostTable(results: readonly CaseResult[]): string {
  const header = [
    "group",
    "case",
    "ms/step",
    "parameters",
    "layers/step",
    "GFLOP/step",
    "GFLOP/s",
    "share of calibration",
  ];
  const rows = results.map((c) => [
    c.group,
    c.name,
    c.msPerStep.toFixed(1),
    c.parameterCount.toLocaleString("en-US"),
    String(c.layerApplications),
    (c.flopsPerStep / 1e9).toFixed(3),
    (c.flopsPerSecond / 1e9).toFixed(2),
    c.shareOfCalibration === null ? "n/a" : `${(100 * c.shareOfCalibration).toFixed(1)}%`,
  ]);
  return markdownTable(header, rows, [false, false, true, true, true, true, true, true]);
}

/** Formats TRM batch / EOT step ratios as a Markdown table, one row per TRM model and grid. */
export function formatRatioTable(ratios: readonly CostRatio[]): string {
  const eotModels = [...new Set(ratios.map((r) => r.eotModel))];
  const rowKeys = [...new Set(ratios.map((r) => `${r.trmModel}@${r.grid}`))];

  const header = ["TRM batch", "grid", ...eotModels.map((model) => `/ ${model} step`)];
  const rows = rowKeys.map((key) => {
    const [trmModel, grid] = key.split("@");
    const cells = eotModels.map((eotModel) => {
      const ratio = ratios.find((r) =>
        r.trmModel === trmModel && r.grid === Number(grid) && r.eotModel === eotModel
      );
      return ratio ? `${ratio.ratio.toFixed(1)}×` : "";
    });
    return [trmModel, `${grid}×${grid}`, ...cells];
  });
  return markdownTable(header, rows, header.map((_, i) => i >= 2));
}

/** Formats rows as a Markdown table with padded columns, right-aligning the columns flagged in `rightAligned`. */
export function markdownTable(header: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    `| ${
      cells.map((cell, i) => rightAligned[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i])).join(" | ")
    } |`;
  const rule = `|${
    widths.map((width, i) => rightAligned[i] ? `${"-".repeat(width + 1)}:` : "-".repeat(width + 2)).join("|")
  }|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}
