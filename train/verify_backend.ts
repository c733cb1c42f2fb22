/**
 * Checks a backend before training on it: every kernel that a training step runs
 * (forward and gradient) must be registered there, and one training step must give
 * the CPU backend's loss and updated weights. WebGPU shaders have been seen to return
 * zeros under Deno's wgpu where browsers run them fine, so this runs before each run.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { Rng } from "../data/rng.ts";
import { Adam } from "../models/adam.ts";
import { type ModelConfig, tileCount } from "../models/config.ts";
import { createModel } from "../models/factory.ts";
import { dirname } from "node:path";
import { writeJsonAtomic } from "../util/atomic.ts";

/** Tolerances of the comparison with the CPU backend. */
export const PARITY_TOLERANCE = {
  /** Largest relative difference of the loss. */
  loss: 1e-3,
  /**
   * Largest share of weights whose update differs by more than half the learning rate.
   * Adam's first step moves each weight by about ±lr, so a gradient whose sign differs
   * through rounding moves it the other way; a broken kernel moves many weights wrongly.
   */
  mismatchedUpdates: 0.01,
};

/** Outcome of {@linkcode verifyBackend}. */
export interface BackendVerification {
  backend: string;
  /** Kernels one training step ran on the CPU backend. */
  kernels: string[];
  lossCpu: number;
  lossBackend: number;
  /** Share of weights whose update differs by more than lr / 2. */
  mismatchedShare: number;
}

interface StepOutcome {
  loss: number;
  /** Every learned parameter's update (after − before), concatenated. */
  updates: Float32Array;
  kernels: string[];
}

const LEARNING_RATE = 3e-4;

async function trainOneStep(config: ModelConfig, seed: number, batchSize: number): Promise<StepOutcome> {
  const model = createModel(config, seed);
  const optimizer = new Adam(model.trainable, {
    learningRate: LEARNING_RATE,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-8,
  });
  try {
    const before = await Promise.all([...model.trainable.values()].map((v) => v.data()));

    // A fixed random batch: tile values from the seed, offsets in range for each position.
    const tiles = tileCount(config);
    const rng = Rng.forKeys(seed, 99);
    const tileValues = Float32Array.from(
      { length: batchSize * tiles * config.tileSize ** 2 * 3 },
      () => rng.float(),
    );
    const offsets = Int32Array.from(
      { length: batchSize * (tiles - 1) },
      (_, k) => rng.int(0, tiles - 1 - (k % (tiles - 1))),
    );

    let loss = NaN;
    const profile = await tf.profile(async () => {
      const [lossTensor, logits] = tf.tidy((): [tf.Scalar, tf.Tensor3D] => {
        const tilesTensor = tf.tensor(tileValues, [batchSize, tiles, config.tileSize, config.tileSize, 3]);
        const offsetsTensor = tf.tensor2d(offsets, [batchSize, tiles - 1], "int32");
        const result = model.trainBatch(tilesTensor, offsetsTensor, optimizer, seed);
        return [result.loss, result.logits];
      });
      loss = (await lossTensor.data())[0];
      lossTensor.dispose();
      logits.dispose();
    });

    const after = await Promise.all([...model.trainable.values()].map((v) => v.data()));
    const total = after.reduce((sum, values) => sum + values.length, 0);
    const updates = new Float32Array(total);
    let offset = 0;
    for (let p = 0; p < after.length; p++) {
      for (let i = 0; i < after[p].length; i++) updates[offset + i] = after[p][i] - before[p][i];
      offset += after[p].length;
    }

    // The profile also lists op scopes ("fusedMatMul__op"); a name with a CPU kernel is a kernel.
    const kernels = [...new Set(profile.kernels.map((kernel) => kernel.name))]
      .filter((name) => tf.getKernel(name, "cpu") !== undefined)
      .sort();
    return { loss, updates, kernels };
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

/**
 * Verifies the active backend against the CPU backend on one training step of `model`
 * (batch of 2, at most two TRM macro-steps), then leaves the active backend as it was. Throws naming the missing
 * kernels or the differing numbers.
 */
export async function verifyBackend(model: ModelConfig, seed = 0): Promise<BackendVerification> {
  const backend = tf.getBackend();
  const batchSize = 2;
  // Two macro-steps run every kernel that more do, at a fraction of the CPU backend's time.
  const config = { ...model, macroSteps: Math.min(model.macroSteps, 2) };

  await tf.setBackend("cpu");
  const reference = await trainOneStep(config, seed, batchSize);
  await tf.setBackend(backend);

  const missing = reference.kernels.filter((name) => tf.getKernel(name, backend) === undefined);
  if (missing.length > 0) {
    throw new Error(
      `Backend ${backend} lacks kernels the models need: ${
        missing.join(", ")
      }; use another --backend (cpu has every kernel)`,
    );
  }
  if (backend === "cpu") {
    return {
      backend,
      kernels: reference.kernels,
      lossCpu: reference.loss,
      lossBackend: reference.loss,
      mismatchedShare: 0,
    };
  }

  const outcome = await trainOneStep(config, seed, batchSize);
  let mismatched = 0;
  for (let i = 0; i < outcome.updates.length; i++) {
    if (!(Math.abs(outcome.updates[i] - reference.updates[i]) <= LEARNING_RATE / 2)) mismatched++;
  }
  const mismatchedShare = mismatched / outcome.updates.length;
  const lossError = Math.abs(outcome.loss - reference.loss) / Math.max(1, Math.abs(reference.loss));

  const verification = {
    backend,
    kernels: reference.kernels,
    lossCpu: reference.loss,
    lossBackend: outcome.loss,
    mismatchedShare,
  };
  if (!(lossError <= PARITY_TOLERANCE.loss) || !(mismatchedShare <= PARITY_TOLERANCE.mismatchedUpdates)) {
    throw new Error(
      `Backend ${backend} disagrees with the CPU backend on one training step: loss ${outcome.loss} vs ${reference.loss}, ` +
        `${(mismatchedShare * 100).toFixed(2)}% of weight updates differ by more than lr/2 ` +
        `(tolerances: loss ${PARITY_TOLERANCE.loss} relative, ${
          PARITY_TOLERANCE.mismatchedUpdates * 100
        }% of updates); ` +
        `use another --backend (cpu has every kernel)`,
    );
  }
  return verification;
}

/**
 * Runs {@linkcode verifyBackend} unless `recordFile` shows that the same backend, adapter,
 * tfjs version and model shape already passed, and records a pass there. Kernels and
 * shapes do not depend on the EOT depth or the TRM macro-step count, so one check covers
 * every model of an architecture and grid. Returns null when a recorded pass was reused.
 */
export async function verifyBackendOnce(
  model: ModelConfig,
  recordFile: string,
  adapter: string | null,
): Promise<BackendVerification | null> {
  const { architecture, grid, tileSize, hidden, feedForward, heads, cycles, latentSteps } = model;
  const key = JSON.stringify({
    backend: tf.getBackend(),
    adapter,
    tfjs: tf.version_core,
    model: { architecture, grid, tileSize, hidden, feedForward, heads, cycles, latentSteps },
  });

  let passed: string[] = [];
  try {
    passed = JSON.parse(await Deno.readTextFile(recordFile)) as string[];
  } catch {
    // No record yet, or an unreadable one: check again and rewrite it.
  }
  if (passed.includes(key)) return null;

  const verification = await verifyBackend(model);
  await Deno.mkdir(dirname(recordFile), { recursive: true });
  await writeJsonAtomic(recordFile, [...passed, key]);
  return verification;
}
