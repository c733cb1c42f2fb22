/**
 * The cells of the results table: one per model and grid, combining every seed of
 * that configuration and comparing the result with the published value.
 *
 * @module
 */
import { STUDY_GRIDS, STUDY_MODELS } from "../models/config.ts";
import { chanceLevel, publishedAccuracy, type StudyModelId } from "./published.ts";
import { type RunResult, testCurve } from "./runs.ts";

/**
 * State of a cell: `finished` when at least one seed ran every epoch, `unfinished`
 * when runs exist but none has finished, `missing` when no run exists.
 */
export type CellStatus = "finished" | "unfinished" | "missing";

/** Mean and sample standard deviation over seeds. */
export interface SeedSummary {
  mean: number;
  /** Sample standard deviation (n − 1 in the denominator); 0 for a single seed. */
  std: number;
  /** Number of seeds. */
  count: number;
}

/** One model on one grid. */
export interface Cell {
  modelId: StudyModelId;
  grid: number;
  /** Published accuracy in percent. */
  published: number;
  /** Chance level of patch-level accuracy in percent. */
  chance: number;
  status: CellStatus;
  /** Every run of the cell, one per seed, finished or not. */
  runs: RunResult[];
  /** Test accuracy after the last epoch over finished seeds, in percent; null unless finished. */
  final: SeedSummary | null;
  /** Best epoch's test accuracy over finished seeds, in percent; null unless finished. */
  best: SeedSummary | null;
  /** Epoch of the best test accuracy, per finished seed. */
  bestEpochs: number[];
  /** `final.mean − published` in percentage points; null unless finished. */
  difference: number | null;
  /** Whether `|difference|` is at most the tolerance; null unless finished. */
  withinTolerance: boolean | null;
}

// Accuracies are stored as fractions and scaled to percent, which leaves rounding
// noise of about 1e-13; without this margin a cell exactly at the tolerance could fail.
const TOLERANCE_MARGIN = 1e-9;

/**
 * Builds the 35 cells of the study's table from `runs`, in table order (model, then
 * grid). `tolerance` is in percentage points. Runs of other models or grids are ignored.
 */
export function buildCells(runs: readonly RunResult[], tolerance: number): Cell[] {
  const cells: Cell[] = [];
  for (const modelId of STUDY_MODELS) {
    for (const grid of STUDY_GRIDS) {
      const cellRuns = runs.filter((run) => run.config.modelId === modelId && run.config.model.grid === grid);
      cells.push(buildCell(modelId, grid, cellRuns, tolerance));
    }
  }
  return cells;
}

/** Combines the runs (seeds) of one model on one grid into a cell. */
export function buildCell(modelId: StudyModelId, grid: number, runs: RunResult[], tolerance: number): Cell {
  const published = publishedAccuracy(modelId, grid);
  const finished = runs.filter((run) => run.finished && run.records.length > 0);
  let status: CellStatus = "missing";
  if (finished.length > 0) status = "finished";
  else if (runs.length > 0) status = "unfinished";

  const curves = finished.map(testCurve);
  const lastValues = curves.map((curve) => curve[curve.length - 1].accuracy);
  const bestPoints = curves.map((curve) =>
    curve.reduce((best, point) => point.accuracy > best.accuracy ? point : best)
  );
  const final = finished.length > 0 ? summarizeSeeds(lastValues) : null;
  const difference = final ? final.mean - published : null;

  return {
    modelId,
    grid,
    published,
    chance: chanceLevel(grid),
    status,
    runs,
    final,
    best: finished.length > 0 ? summarizeSeeds(bestPoints.map((point) => point.accuracy)) : null,
    bestEpochs: bestPoints.map((point) => point.epoch),
    difference,
    withinTolerance: difference === null ? null : Math.abs(difference) <= tolerance + TOLERANCE_MARGIN,
  };
}

/** Returns the mean and sample standard deviation of `values` (one per seed). */
export function summarizeSeeds(values: readonly number[]): SeedSummary {
  if (values.length === 0) throw new RangeError("Cannot summarise an empty list of seed values");
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  if (values.length === 1) return { mean, std: 0, count: 1 };

  const squares = values.reduce((sum, value) => sum + (value - mean) ** 2, 0);
  return { mean, std: Math.sqrt(squares / (values.length - 1)), count: values.length };
}

/** Returns the cell of `modelId` on a P×P grid. */
export function findCell(cells: readonly Cell[], modelId: string, grid: number): Cell | undefined {
  return cells.find((cell) => cell.modelId === modelId && cell.grid === grid);
}
