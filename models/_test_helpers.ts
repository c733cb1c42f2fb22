/**
 * Test helpers: scaled-down configurations that run in milliseconds on the CPU backend,
 * and deterministic random batches.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { Rng, Stream } from "../data/rng.ts";
import { encodePermutation } from "../data/fisher_yates.ts";
import { type ModelConfig, tileCount } from "./config.ts";

/**
 * Returns a small configuration (2×2 grid, 4-pixel tiles, D = 16, F = 32, H = 2) of
 * `architecture`: an EOT of 2 blocks, or a TRM of 2 blocks with 2 macro-steps.
 */
export function tinyConfig(architecture: "eot" | "trm", overrides: Partial<ModelConfig> = {}): ModelConfig {
  return {
    architecture,
    grid: 2,
    tileSize: 4,
    hidden: 16,
    feedForward: 32,
    heads: 2,
    layers: 2,
    macroSteps: architecture === "trm" ? 2 : 1,
    cycles: 2,
    latentSteps: 3,
    attentionDropout: 0.1,
    ...overrides,
  };
}

/** Returns random tiles `[B, S, T, T, 3]` and valid Fisher–Yates offsets `[B, S − 1]` from `seed`. */
export function randomBatch(
  config: ModelConfig,
  batch: number,
  seed: number,
): { tiles: tf.Tensor; offsets: tf.Tensor2D } {
  const tiles = tileCount(config);
  const rng = Rng.forKeys(seed, Stream.synthetic);

  const values = new Float32Array(batch * tiles * config.tileSize * config.tileSize * 3);
  for (let i = 0; i < values.length; i++) values[i] = rng.float();
  const offsets = new Int32Array(batch * (tiles - 1));
  for (let b = 0; b < batch; b++) offsets.set(encodePermutation(rng.permutation(tiles)), b * (tiles - 1));

  return {
    tiles: tf.tensor(values, [batch, tiles, config.tileSize, config.tileSize, 3]),
    offsets: tf.tensor2d(offsets, [batch, tiles - 1], "int32"),
  };
}

/** Returns the largest absolute difference between two tensors of the same shape. */
export function maxDifference(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

/** Returns a copy of every variable's values by name. */
export function snapshot(variables: ReadonlyMap<string, tf.Variable>): Map<string, Float32Array> {
  return new Map([...variables].map(([name, variable]) => [name, new Float32Array(variable.dataSync())]));
}

/** Disposes the loss and logits of a training result. */
export function disposeResult(result: { loss: tf.Tensor; logits: tf.Tensor }): void {
  tf.dispose([result.loss, result.logits]);
}
