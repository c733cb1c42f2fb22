/**
 * The project's loaders behind the reconstruction figures: trained models from run
 * checkpoints, and test images from the dataset a run trained on.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { makeBatch } from "../data/batches.ts";
import { openDataset } from "../data/dataset.ts";
import { CHECKPOINT_FILE, loadRunModel, PREVIOUS_CHECKPOINT_FILE } from "../train/checkpoint.ts";
import type { RunConfig } from "../train/records.ts";
import type { ReconstructionSources } from "./reconstruction_driver.ts";

/**
 * Returns loaders that read checkpoints with `loadRunModel` and test images through
 * the image caches in `<runsDir>/.cache`, where training left them.
 */
export function projectReconstructionSources(runsDir: string): ReconstructionSources {
  const cacheDir = join(resolve(runsDir), ".cache");
  return {
    hasCheckpoint: async (runDir) => {
      for (const name of [CHECKPOINT_FILE, PREVIOUS_CHECKPOINT_FILE]) {
        try {
          if ((await Deno.stat(join(runDir, name))).isFile) return true;
        } catch (error) {
          if (!(error instanceof Deno.errors.NotFound)) throw error;
        }
      }
      return false;
    },
    loadModel: (runDir) => loadRunModel(runDir),
    testTiles: (config, indices, permutations) => testTiles(config, cacheDir, indices, permutations),
  };
}

async function testTiles(
  config: RunConfig,
  cacheDir: string,
  indices: Int32Array,
  permutations: Int32Array[],
): Promise<Float32Array> {
  const { dataset, training, model } = config;
  const synthetic = dataset.kind === "synthetic";

  // The test split keeps the run's own image limit, so training's cache file is reused.
  // The training split is limited to one image because the figures show only test images.
  const opened = await openDataset({
    kind: dataset.kind,
    root: dataset.root,
    grid: model.grid,
    tileSize: model.tileSize,
    cacheDir,
    workers: 1,
    trainImages: synthetic ? dataset.trainImages : 1,
    testImages: synthetic ? dataset.testImages : training.testImages,
    progress: false,
  });
  try {
    if (indices.some((index) => index >= opened.test.count)) {
      throw new RangeError(
        `The test split of ${dataset.name} has ${opened.test.count} images; pass --images ${opened.test.count} or fewer`,
      );
    }
    return makeBatch(opened.test, indices, permutations, model.grid, model.tileSize).tiles;
  } finally {
    opened.close();
  }
}
