/**
 * Options of `generateReport`, their defaults, and the function that validates them.
 *
 * @module
 */
import type { ReconstructionSources } from "./reconstruction_driver.ts";
import { STUDY_CELL_COUNT } from "./published.ts";

/** Everything that selects and shapes a report. */
export interface ReportOptions {
  /** Folder holding one directory per run. @default "runs" */
  runsDir?: string;
  /** Folder the report and its figures are written to. @default "out/reports" */
  outDir?: string;
  /** Largest distance from the published accuracy that counts as reproduced, in percentage points. @default 3 */
  tolerance?: number;
  /** Cells within tolerance that `--check` requires, 0 to 35. @default 35 */
  minCells?: number;
  /** Bench JSON for the cost section, or null for the newest `out/bench*.json` if any. @default null */
  benchFile?: string | null;
  /** Folder searched for the newest `bench*.json` when `benchFile` is null. @default "out" */
  benchFolder?: string;
  /** Test images shown per grid in the reconstructions; 0 leaves them out. @default 2 */
  reconstructionImages?: number;
  /**
   * Loaders of trained models and test images for the reconstructions, or null to leave
   * them out. @default the project's checkpoint and dataset loaders
   */
  sources?: ReconstructionSources | null;
  /** Date of the report, used in file names and the environment section. @default the current time */
  date?: Date;
  /** Receives one line per step and per warning. @default console.error */
  log?: (line: string) => void;
}

/** {@linkcode ReportOptions} with every default filled in, except `sources` (resolved when needed). */
export type ResolvedReportOptions = Required<Omit<ReportOptions, "sources">> & Pick<ReportOptions, "sources">;

/** Folder searched for bench JSON by default, relative to the working directory. */
export const DEFAULT_BENCH_FOLDER = "out";

/** Default tolerance in percentage points. */
export const DEFAULT_TOLERANCE = 3;

/** Default test images per grid in the reconstructions. */
export const DEFAULT_RECONSTRUCTION_IMAGES = 2;

/**
 * Fills the defaults of `options` and validates them. Throws a `RangeError` naming
 * the option and the value when one is out of range.
 */
export function resolveReportOptions(options: ReportOptions = {}): ResolvedReportOptions {
  const resolved: ResolvedReportOptions = {
    runsDir: options.runsDir ?? "runs",
    outDir: options.outDir ?? "out/reports",
    tolerance: options.tolerance ?? DEFAULT_TOLERANCE,
    minCells: options.minCells ?? STUDY_CELL_COUNT,
    benchFile: options.benchFile ?? null,
    benchFolder: options.benchFolder ?? DEFAULT_BENCH_FOLDER,
    reconstructionImages: options.reconstructionImages ?? DEFAULT_RECONSTRUCTION_IMAGES,
    sources: options.sources,
    date: options.date ?? new Date(),
    log: options.log ?? ((line) => console.error(line)),
  };

  if (!(Number.isFinite(resolved.tolerance) && resolved.tolerance >= 0)) {
    throw new RangeError(
      `Invalid tolerance ${resolved.tolerance}: expected a number of percentage points, 0 or more`,
    );
  }
  if (
    !(Number.isInteger(resolved.minCells) && resolved.minCells >= 0 && resolved.minCells <= STUDY_CELL_COUNT)
  ) {
    throw new RangeError(
      `Invalid minimum cell count ${resolved.minCells}: expected an integer from 0 to ${STUDY_CELL_COUNT}`,
    );
  }
  if (!(Number.isInteger(resolved.reconstructionImages) && resolved.reconstructionImages >= 0)) {
    throw new RangeError(
      `Invalid reconstruction image count ${resolved.reconstructionImages}: expected an integer, 0 or more`,
    );
  }
  if (Number.isNaN(resolved.date.getTime())) {
    throw new RangeError("Invalid report date: expected a valid Date");
  }
  return resolved;
}
