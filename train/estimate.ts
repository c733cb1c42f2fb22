/**
 * Time estimates for `reproduce --list`: a short calibration measures one EOT-2
 * training step per grid on the active backend, and the analytical FLOP model scales
 * it to every planned run.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { eotStepFlops, trmBatchFlops } from "../bench/costs.ts";
import { Rng } from "../data/rng.ts";
import { Adam } from "../models/adam.ts";
import { type ModelConfig, modelConfig, tileCount } from "../models/config.ts";
import { createModel } from "../models/factory.ts";
import type { RunJob } from "./plan.ts";

/** FLOPs of one training batch: one step of an EOT, all macro-steps of a TRM. */
function batchFlops(config: ModelConfig, batchSize: number): number {
  return config.architecture === "eot" ? eotStepFlops(config, batchSize) : trmBatchFlops(config, batchSize);
}

/** Measures the seconds of one EOT-2 training batch on a P×P grid (one warm-up step, then the mean of two). */
export async function measureReferenceStep(grid: number, batchSize: number, tileSize = 16): Promise<number> {
  const config = { ...modelConfig("eot-2", grid), tileSize };
  const model = createModel(config, 0);
  const optimizer = new Adam(model.trainable, {
    learningRate: 3e-4,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-8,
  });
  const tiles = tileCount(config);
  const rng = Rng.forKeys(0, 98, grid);
  const tileTensor = tf.tensor(
    Float32Array.from({ length: batchSize * tiles * tileSize * tileSize * 3 }, () => rng.float()),
    [batchSize, tiles, tileSize, tileSize, 3],
  );
  const offsets = tf.tensor2d(
    Int32Array.from({ length: batchSize * (tiles - 1) }, (_, k) => rng.int(0, tiles - 1 - (k % (tiles - 1)))),
    [batchSize, tiles - 1],
    "int32",
  );

  try {
    const step = async () => {
      const result = model.trainBatch(tileTensor, offsets, optimizer, 0);
      // The read-back waits for the device, so the clock includes its work.
      await result.loss.data();
      result.loss.dispose();
      result.logits.dispose();
    };
    await step();
    const started = performance.now();
    await step();
    await step();
    return (performance.now() - started) / 2 / 1000;
  } finally {
    tileTensor.dispose();
    offsets.dispose();
    optimizer.dispose();
    model.dispose();
  }
}

/**
 * Estimates the seconds of each planned run: its training batches and evaluation
 * passes, scaled from a measured EOT-2 step by the ratio of analytical FLOPs.
 * NOTE: the image counts of folder datasets are not known before their cache is built,
 * so runs on them are estimated with the profile's image limits or, without limits, the
 * built-in set's size.
 */
export async function estimateRuns(jobs: RunJob[]): Promise<number[]> {
  const reference = new Map<string, number>();
  const estimates: number[] = [];

  for (const job of jobs) {
    const { batchSize, epochs } = job.training;
    const key = `${job.grid}/${batchSize}/${job.model.tileSize}`;
    if (!reference.has(key)) {
      reference.set(key, await measureReferenceStep(job.grid, batchSize, job.model.tileSize));
    }

    const referenceFlops = batchFlops(
      { ...modelConfig("eot-2", job.grid), tileSize: job.model.tileSize },
      batchSize,
    );
    const secondsPerBatch = reference.get(key)! * batchFlops(job.model, batchSize) / referenceFlops;

    const trainImages = job.training.trainImages ?? job.data.synthetic.trainImages;
    const testImages = job.training.testImages ?? job.data.synthetic.testImages;
    // Evaluation is a forward pass, about a third of a training pass.
    const batchesPerEpoch = Math.floor(trainImages / batchSize) + Math.floor(testImages / batchSize) / 3;
    estimates.push(secondsPerBatch * batchesPerEpoch * epochs);
  }
  return estimates;
}
