/**
 * Makes the report's reconstruction figures: for a few test images per grid, every
 * model with a checkpoint solves the same shuffled puzzle, and each model's strip
 * (see `reconstructions.ts`) becomes one row of the grid's PNG.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { join } from "node:path";
import { decodeOffsets } from "../data/fisher_yates.ts";
import { Rng, Stream } from "../data/rng.ts";
import { STUDY_GRIDS } from "../models/config.ts";
import type { JigsawModel } from "../models/model.ts";
import type { RunConfig } from "../train/records.ts";
import { writeFileAtomic } from "../util/atomic.ts";
import { runLabel, type RunResult } from "./runs.ts";
import type { Image } from "imagescript";
import { drawReconstructionStrip, encodePng, stackImages } from "./reconstructions.ts";

/** Loaders of trained models and test images; the report passes the project's (see `project_sources.ts`). */
export interface ReconstructionSources {
  /** Returns whether a run directory contains a checkpoint to load. */
  hasCheckpoint(runDir: string): Promise<boolean>;
  /** Loads a run's trained model; the caller disposes it. */
  loadModel(runDir: string): Promise<{ config: RunConfig; model: JigsawModel }>;
  /**
   * Returns test images `indices` of a run's dataset cut into tiles and shuffled by
   * `permutations` (position k holds original tile `permutations[b][k]`), as float32
   * `[B, S, T, T, 3]`.
   */
  testTiles(config: RunConfig, indices: Int32Array, permutations: Int32Array[]): Promise<Float32Array>;
}

/** One PNG of the report: one test image of one grid, a row per model. */
export interface ReconstructionFigure {
  grid: number;
  /** Index of the image in the test split. */
  image: number;
  /** File name, relative to the report. */
  file: string;
  /** Run label of each row, top to bottom. */
  rows: string[];
}

/** Figures written by the driver, and the reasons for any that are absent. */
export interface ReconstructionResult {
  figures: ReconstructionFigure[];
  /** One line per grid or run passed over, with the reason. */
  notes: string[];
}

/** Seed of the puzzles the report shows; fixed, so every model of a grid and every report shows the same ones. */
export const RECONSTRUCTION_SEED = 2026;

/**
 * Writes the reconstruction PNGs of `runs` into `outDir`, named
 * `<fileBase>-reconstruction-<P>x<P>-<image>.png`, for the first `images` test images.
 * Each model contributes its lowest seed that has a checkpoint.
 */
export async function writeReconstructions(
  runs: readonly RunResult[],
  sources: ReconstructionSources,
  options: { outDir: string; fileBase: string; images: number },
): Promise<ReconstructionResult> {
  const figures: ReconstructionFigure[] = [];
  const notes: string[] = [];

  for (const grid of STUDY_GRIDS) {
    const gridRuns = runs.filter((run) => run.config.model.grid === grid);
    if (gridRuns.length === 0) continue;

    const chosen: RunResult[] = [];
    for (const run of gridRuns) {
      if (chosen.some((other) => other.config.modelId === run.config.modelId)) continue;
      if (await sources.hasCheckpoint(run.directory)) chosen.push(run);
    }
    if (chosen.length === 0) {
      notes.push(`${grid}×${grid}: no run has a checkpoint`);
      continue;
    }

    const made = await gridFigures(grid, chosen, sources, options, notes);
    figures.push(...made);
  }
  return { figures, notes };
}

async function gridFigures(
  grid: number,
  runs: RunResult[],
  sources: ReconstructionSources,
  options: { outDir: string; fileBase: string; images: number },
  notes: string[],
): Promise<ReconstructionFigure[]> {
  const tileCount = grid * grid;
  const indices = Int32Array.from({ length: options.images }, (_, i) => i);
  const permutations = Array.from(
    indices,
    (index) => Rng.forKeys(RECONSTRUCTION_SEED, Stream.testPermutation, grid, index).permutation(tileCount),
  );

  // rows[i] collects one strip per model for test image i.
  const rows = Array.from(indices, () => [] as { label: string; strip: Image }[]);
  for (const run of runs) {
    try {
      const tiles = await sources.testTiles(run.config, indices, permutations);
      const predictions = await predictPermutations(sources, run, tiles, indices.length);
      for (const [i, permutation] of permutations.entries()) {
        const tileFloats = tiles.length / indices.length;
        const strip = drawReconstructionStrip({
          tiles: tiles.subarray(i * tileFloats, (i + 1) * tileFloats),
          grid,
          permutation,
          predictions: predictions.map((step) => ({ permutation: step[i] })),
        });
        rows[i].push({ label: rowLabel(run), strip });
      }
    } catch (error) {
      notes.push(`${runLabel(run)}: reconstruction failed (${(error as Error).message})`);
    }
  }

  const figures: ReconstructionFigure[] = [];
  for (const [i, imageRows] of rows.entries()) {
    if (imageRows.length === 0) continue;
    const file = `${options.fileBase}-reconstruction-${grid}x${grid}-${indices[i]}.png`;
    await writeFileAtomic(
      join(options.outDir, file),
      await encodePng(stackImages(imageRows.map((row) => row.strip))),
    );
    figures.push({ grid, image: indices[i], file, rows: imageRows.map((row) => row.label) });
  }
  return figures;
}

/** Labels a row with its run, and with its progress when the checkpoint is not the final one. */
function rowLabel(run: RunResult): string {
  if (run.finished) return runLabel(run);
  return `${runLabel(run)} (unfinished, ${run.records.length} of ${run.config.training.epochs} epochs)`;
}

/** Loads a run's model and returns its predicted permutations, `[macro-step][puzzle]`. */
async function predictPermutations(
  sources: ReconstructionSources,
  run: RunResult,
  tiles: Float32Array,
  count: number,
): Promise<Int32Array[][]> {
  const { model } = await sources.loadModel(run.directory);
  try {
    const { grid, tileSize } = run.config.model;
    const tileCount = grid * grid;
    // One offsets tensor [B, S − 1] per macro-step, from logits [B, S − 1, S]; masked entries never win the argmax.
    const offsets = tf.tidy(() => {
      const logits = model.predict(tf.tensor(tiles, [count, tileCount, tileSize, tileSize, 3]));
      return logits.map((stepLogits) => tf.argMax(stepLogits, 2));
    });
    try {
      const steps: Int32Array[][] = [];
      for (const stepOffsets of offsets) {
        const values = await stepOffsets.data() as Int32Array;
        steps.push(
          Array.from(
            { length: count },
            (_, b) =>
              decodeOffsets(values.subarray(b * (tileCount - 1), (b + 1) * (tileCount - 1)), tileCount),
          ),
        );
      }
      return steps;
    } finally {
      tf.dispose(offsets);
    }
  } finally {
    model.dispose();
  }
}
