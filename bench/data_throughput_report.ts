/**
 * Results of the data throughput benchmark and the pure computations on them: the
 * fastest training step per grid from a benchmark report, the ratio of a loading rate
 * to that step's rate, the Markdown table and the JSON report.
 *
 * Rates are compared per image, because the suite's steps are usually timed at a
 * smaller batch than the batches loaded here.
 *
 * @module
 */
import type { CaseKind } from "./cases.ts";
import { markdownTable } from "./results.ts";

/** Timing of one cache build. */
export interface BuildMeasurement {
  grid: number;
  /** Side of the cached images in pixels, P·T. */
  side: number;
  /** Module workers of the build. */
  workers: number;
  /** Images in the built cache. */
  images: number;
  /** Wall-clock seconds of `openImageCache`: listing, decoding, resizing and writing. */
  seconds: number;
  imagesPerSecond: number;
}

/** Source of the images of a loading measurement. */
export type LoadSource = "image cache" | "synthetic, first epoch" | "synthetic, memoized";

/** Timing of cutting training batches with `makeBatch`, including their permutations. */
export interface LoadMeasurement {
  source: LoadSource;
  grid: number;
  batchSize: number;
  /** Batches timed. */
  batches: number;
  seconds: number;
  batchesPerSecond: number;
  imagesPerSecond: number;
}

/** The training step that loading must keep up with. */
export interface StepReference {
  /** Grid the step was timed on, or null when it applies to every grid (`--step-ms`). */
  grid: number | null;
  /** Case name, such as `eot-2 step`, or `--step-ms` for a time given on the command line. */
  name: string;
  /** Milliseconds per step. */
  msPerStep: number;
  /** Puzzles per batch of the step. */
  batchSize: number;
  /** Images the step consumes per second: batch size over step time. */
  imagesPerSecond: number;
  /** File the time was read from, or `--step-ms`. */
  source: string;
}

/** The JSON that `--output` writes. */
export interface DataThroughputReport {
  /** When the run finished, ISO 8601. */
  createdAt: string;
  machine: { cpu: string; cores: number; os: string; arch: string; runtime: string };
  sourceImages: { count: number; jpeg: number; png: number; bytes: number };
  builds: BuildMeasurement[];
  loads: (LoadMeasurement & { step: StepReference | null; ratioToStep: number | null })[];
}

/**
 * Case kinds that consume one batch per timed step: an EOT step trains on one batch,
 * and a TRM batch runs all macro-steps of one batch. A TRM macro-step reuses its batch.
 */
const BATCH_CONSUMING_KINDS: readonly CaseKind[] = ["eot-step", "trm-batch"];

/** Returns `count / seconds`, or 0 when no time passed. */
export function ratePerSecond(count: number, seconds: number): number {
  return seconds > 0 ? count / seconds : 0;
}

/** Builds the step reference of a time given with `--step-ms`, which applies to every grid. */
export function stepFromFlag(stepMs: number, batchSize: number): StepReference {
  return {
    grid: null,
    name: "--step-ms",
    msPerStep: stepMs,
    batchSize,
    imagesPerSecond: ratePerSecond(batchSize, stepMs / 1000),
    source: "--step-ms",
  };
}

/**
 * Picks, per grid, the batch-consuming case of a benchmark report (the JSON of
 * `deno task bench:table`) that consumes the most images per second.
 *
 * @param report the parsed JSON; only its `cases` list is read.
 * @param source the file name, for error messages and the reference's `source`.
 * @throws {SyntaxError} if the JSON has no `cases` list or a case lacks a number it needs.
 */
export function fastestStepsFromReport(report: unknown, source: string): StepReference[] {
  const cases = (report as { cases?: unknown } | null)?.cases;
  if (!Array.isArray(cases)) {
    throw new SyntaxError(`Benchmark report ${source} has no "cases" list; rerun deno task bench:table`);
  }

  const fastest = new Map<number, StepReference>();
  for (const entry of cases) {
    if (!BATCH_CONSUMING_KINDS.includes(entry?.kind)) continue;
    const { grid, batchSize, msPerStep, name } = entry;
    if (![grid, batchSize, msPerStep].every((value) => typeof value === "number" && value > 0)) {
      throw new SyntaxError(
        `Benchmark report ${source} has case "${name}" without a positive grid, batchSize and msPerStep`,
      );
    }

    const step: StepReference = {
      grid,
      name: String(name),
      msPerStep,
      batchSize,
      imagesPerSecond: ratePerSecond(batchSize, msPerStep / 1000),
      source,
    };
    const best = fastest.get(grid);
    if (!best || step.imagesPerSecond > best.imagesPerSecond) fastest.set(grid, step);
  }
  return [...fastest.values()].sort((a, b) => a.grid! - b.grid!);
}

/** Returns the step for `grid`: one timed on that grid, else one for every grid, else null. */
export function stepForGrid(steps: readonly StepReference[], grid: number): StepReference | null {
  return steps.find((step) => step.grid === grid) ?? steps.find((step) => step.grid === null) ?? null;
}

/** Returns how many times faster loading supplies images than the step consumes them. */
export function loadingRatio(load: LoadMeasurement, step: StepReference): number {
  return load.imagesPerSecond / step.imagesPerSecond;
}

/** Formats a rate with about three significant digits, and thousands separators above 1000. */
export function formatRate(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString("en-US");
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** Formats a ratio like {@linkcode formatRate}, followed by `×`. */
export function formatRatio(value: number): string {
  return `${formatRate(value)}×`;
}

/**
 * Formats builds and loads as one Markdown table. The last column is the loading rate
 * over the rate of the grid's fastest step, in images per second, or `n/a` without a step.
 */
export function formatThroughputTable(
  builds: readonly BuildMeasurement[],
  loads: readonly LoadMeasurement[],
  steps: readonly StepReference[],
): string {
  const header = ["stage", "source", "grid", "batch", "workers", "images/s", "batches/s", "loading / step"];
  const rows: string[][] = [];
  for (const build of builds) {
    rows.push([
      "build cache",
      `${build.images} files`,
      `${build.grid}×${build.grid}`,
      "",
      String(build.workers),
      formatRate(build.imagesPerSecond),
      "",
      "",
    ]);
  }
  for (const load of loads) {
    const step = stepForGrid(steps, load.grid);
    rows.push([
      "load batches",
      load.source,
      `${load.grid}×${load.grid}`,
      String(load.batchSize),
      "",
      formatRate(load.imagesPerSecond),
      formatRate(load.batchesPerSecond),
      step ? formatRatio(loadingRatio(load, step)) : "n/a",
    ]);
  }
  return markdownTable(header, rows, header.map((_, i) => i >= 2));
}

/**
 * Describes the comparison with the fastest step: which step, and whether every
 * loading rate exceeds it, naming the slowest ratio or the rows that fall short.
 */
export function comparisonLines(
  loads: readonly LoadMeasurement[],
  steps: readonly StepReference[],
): string[] {
  const lines: string[] = [];
  const grids = [...new Set(loads.map((load) => load.grid))];
  for (const grid of grids) {
    const step = stepForGrid(steps, grid);
    if (!step) {
      lines.push(
        `Grid ${grid}×${grid}: no step time to compare with; run deno task bench:table or pass --step-ms.`,
      );
      continue;
    }
    const where = step.grid === null ? "given with --step-ms" : `from ${step.source}`;
    lines.push(
      `Grid ${grid}×${grid}: fastest step ${step.name}, ${step.msPerStep.toFixed(1)} ms per batch of ` +
        `${step.batchSize} (${formatRate(step.imagesPerSecond)} images/s, ${where}).`,
    );
  }

  const compared = loads.flatMap((load) => {
    const step = stepForGrid(steps, load.grid);
    return step ? [{ load, ratio: loadingRatio(load, step) }] : [];
  });
  if (compared.length === 0) return lines;

  const slower = compared.filter(({ ratio }) => ratio <= 1);
  if (slower.length === 0) {
    const slowest = compared.reduce((a, b) => (b.ratio < a.ratio ? b : a));
    lines.push(
      `Loading is faster than the fastest step in every row; the smallest margin is ` +
        `${formatRatio(slowest.ratio)} (${describeLoad(slowest.load)}).`,
    );
  } else {
    const names = slower.map(({ load, ratio }) => `${describeLoad(load)} at ${formatRatio(ratio)}`);
    lines.push(
      `Loading is NOT faster than the fastest step in ${slower.length} row(s): ${names.join("; ")}.`,
    );
  }
  return lines;
}

function describeLoad(load: LoadMeasurement): string {
  return `${load.source}, grid ${load.grid}×${load.grid}, batch ${load.batchSize}`;
}

/** Adds each load's step and ratio, giving the `loads` list of {@linkcode DataThroughputReport}. */
export function loadsWithSteps(
  loads: readonly LoadMeasurement[],
  steps: readonly StepReference[],
): DataThroughputReport["loads"] {
  return loads.map((load) => {
    const step = stepForGrid(steps, load.grid);
    return { ...load, step, ratioToStep: step ? loadingRatio(load, step) : null };
  });
}
