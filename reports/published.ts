/**
 * The study's published results as data: test patch-level accuracy of every model
 * on every grid, and the chance level of that metric. Every other part of the
 * report reads the published numbers from here.
 *
 * Source: the results table of "Depth vs Recursion: Outperforming Transformers in
 * Jigsaw Reconstruction" (ICLR 2026 workshop on Recursive Self-Improvement).
 *
 * @module
 */
import { STUDY_GRIDS, STUDY_MODELS } from "../models/config.ts";

/** A model identifier of the study's table, such as `eot-6` or `trm-12`. */
export type StudyModelId = typeof STUDY_MODELS[number];

/**
 * Published test patch-level accuracy in percent, per model, for the grids
 * 2×2, 3×3, 4×4, 5×5 and 6×6 in that order.
 */
export const PUBLISHED_ACCURACY: Readonly<Record<StudyModelId, readonly number[]>> = {
  "eot-2": [96.18, 81.49, 56.54, 44.92, 32.27],
  "eot-4": [96.38, 92.95, 75.93, 55.34, 47.25],
  "eot-6": [96.34, 94.45, 80.40, 57.14, 52.74],
  "eot-8": [96.08, 94.60, 62.76, 57.61, 52.95],
  "eot-12": [96.14, 94.74, 62.82, 11.94, 9.09],
  "trm-8": [94.46, 96.11, 94.88, 89.43, 56.78],
  "trm-12": [94.10, 95.47, 95.32, 94.15, 76.14],
};

/** Number of cells in the published table: 7 models × 5 grids. */
export const STUDY_CELL_COUNT = STUDY_MODELS.length * STUDY_GRIDS.length;

/** Returns whether `modelId` is one of the study's seven models. */
export function isStudyModel(modelId: string): modelId is StudyModelId {
  return (STUDY_MODELS as readonly string[]).includes(modelId);
}

/** Returns whether `grid` is one of the study's grid sizes (2 to 6). */
export function isStudyGrid(grid: number): boolean {
  return (STUDY_GRIDS as readonly number[]).includes(grid);
}

/** Returns the published accuracy in percent of `modelId` on a P×P grid. */
export function publishedAccuracy(modelId: StudyModelId, grid: number): number {
  const index = (STUDY_GRIDS as readonly number[]).indexOf(grid);
  if (index < 0) {
    throw new RangeError(
      `Grid ${grid} is not in the published table: expected one of ${STUDY_GRIDS.join(", ")}`,
    );
  }
  return PUBLISHED_ACCURACY[modelId][index];
}

/**
 * Returns the chance level of patch-level accuracy on a P×P grid, in percent:
 * `(H_S − 1) / (S − 1)` with `S = P²` tiles and `H_S` the S-th harmonic number.
 * Position i has `S − i` possible offsets, so a uniform guess is right with
 * probability `1 / (S − i)`, averaged over the `S − 1` positions.
 */
export function chanceLevel(grid: number): number {
  if (!Number.isInteger(grid) || grid < 2) {
    throw new RangeError(`Invalid grid ${grid}: expected an integer of at least 2`);
  }
  const tiles = grid * grid;

  let harmonic = 0;
  for (let k = 1; k <= tiles; k++) harmonic += 1 / k;
  return (100 * (harmonic - 1)) / (tiles - 1);
}
