/**
 * The work each benchmark case times, built on the project's models. It is a training step
 * of an EOT, a macro-step or a whole batch of a TRM, a training pass of the tile encoder or
 * of one encoder block, or the calibration's matrix product. Inputs are made once per case
 * from a fixed seed, outside the timed section.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { mixKeys, Rng, Stream } from "../data/rng.ts";
import {
  Adam,
  createEncoderBlock,
  createModel,
  createTileEncoder,
  type JigsawModel,
  type ModelConfig,
  modelConfig,
  type ModelPart,
  type RecursionState,
  tileCount,
  TinyRecursiveModel,
} from "../models/mod.ts";
import { type BenchCase, CALIBRATION_SIZE } from "./cases.ts";

/** The timed work of one case, with the inputs and model it owns. */
export interface Workload {
  /**
   * Queues one step and returns the tensors whose read-back ends it; the caller reads
   * them back and disposes them. Tensors the step makes but does not return, it disposes.
   */
  step(iteration: number): tf.Tensor[];
  /**
   * Queues the untimed warm-up, which runs every kernel of a step once and returns its
   * outputs as `step` does. It is usually a step itself, but one macro-step for a whole TRM batch.
   */
  warmUp(): tf.Tensor[];
  /** Releases the model, optimizer and inputs. */
  dispose(): void;
}

/** Seed of every model, input and dropout mask of the suite, so runs are reproducible. */
export const BENCH_SEED = 0;

/** The study's Adam hyperparameters. */
const ADAM_OPTIONS = { learningRate: 3e-4, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/** Builds the workload of a case. Throws a RangeError for a case without a grid or batch size. */
export function createWorkload(benchCase: BenchCase): Workload {
  if (benchCase.kind === "calibration") return matMulWorkload(CALIBRATION_SIZE);

  const { grid, batchSize } = benchCase;
  if (grid === null || batchSize === null) {
    throw new RangeError(
      `Benchmark case "${benchCase.name}" of kind ${benchCase.kind} needs a grid and a batch size`,
    );
  }
  const config = modelConfig(benchCase.model ?? "eot-2", grid);

  switch (benchCase.kind) {
    case "eot-step":
    case "trm-batch":
      return trainBatchWorkload(config, batchSize);
    case "trm-macro-step":
      return macroStepWorkload(config, batchSize);
    case "tile-encoder":
      return tileEncoderWorkload(config, batchSize);
    case "encoder-block":
      return encoderBlockWorkload(config, batchSize);
  }
}

/**
 * Makes a batch of synthetic puzzles: uniform tiles `[B, S, T, T, 3]` and random valid
 * Fisher–Yates offsets `[B, S − 1]` (offset i in 0..S − 1 − i). Timing does not depend on
 * the values, only on the shapes.
 */
export function syntheticBatch(
  config: ModelConfig,
  batchSize: number,
): { tiles: tf.Tensor; offsets: tf.Tensor2D } {
  const tiles = tileCount(config);
  const rng = Rng.forKeys(BENCH_SEED, Stream.synthetic, config.grid, batchSize);

  const pixels = new Float32Array(batchSize * tiles * config.tileSize * config.tileSize * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = rng.float();
  const offsets = new Int32Array(batchSize * (tiles - 1));
  for (let i = 0; i < offsets.length; i++) offsets[i] = rng.int(0, tiles - 1 - (i % (tiles - 1)));

  return {
    tiles: tf.tensor(pixels, [batchSize, tiles, config.tileSize, config.tileSize, 3]),
    offsets: tf.tensor2d(offsets, [batchSize, tiles - 1], "int32"),
  };
}

/**
 * Builds the workload of one `trainBatch`: an EOT training step, or all macro-steps of a
 * TRM batch. A TRM batch warms up with one macro-step, which runs the same kernels at an
 * eighth or a twelfth of the cost.
 */
function trainBatchWorkload(config: ModelConfig, batchSize: number): Workload {
  const model = createModel(config, BENCH_SEED);
  const optimizer = new Adam(model.trainable, ADAM_OPTIONS);
  const { tiles, offsets } = syntheticBatch(config, batchSize);

  const step = (iteration: number) => {
    const { loss, logits } = model.trainBatch(tiles, offsets, optimizer, mixKeys([BENCH_SEED, iteration]));
    return [loss, logits];
  };
  const warmUp = () => {
    if (!(model instanceof TinyRecursiveModel)) return step(0);
    const state = model.initialState(batchSize);
    const result = model.trainMacroStep(tiles, offsets, state, optimizer, mixKeys([BENCH_SEED, 0]));
    tf.dispose([state.answer, state.latent]);
    return [result.loss, result.logits, result.state.answer, result.state.latent];
  };

  return { step, warmUp, dispose: () => disposeAll(model, optimizer, [tiles, offsets]) };
}

/** Builds the workload of one TRM macro-step, always from the initial state y₀, z₀. */
function macroStepWorkload(config: ModelConfig, batchSize: number): Workload {
  const model = createModel(config, BENCH_SEED);
  if (!(model instanceof TinyRecursiveModel)) {
    model.dispose();
    throw new TypeError(
      `Macro-step case needs a TRM configuration, got architecture "${config.architecture}"`,
    );
  }
  const optimizer = new Adam(model.trainable, ADAM_OPTIONS);
  const { tiles, offsets } = syntheticBatch(config, batchSize);
  // Every macro-step costs the same, so each iteration starts from the same state.
  const state: RecursionState = model.initialState(batchSize);

  const step = (iteration: number) => {
    const result = model.trainMacroStep(tiles, offsets, state, optimizer, mixKeys([BENCH_SEED, iteration]));
    return [result.loss, result.logits, result.state.answer, result.state.latent];
  };
  return {
    step,
    warmUp: () => step(0),
    dispose: () => disposeAll(model, optimizer, [tiles, offsets, state.answer, state.latent]),
  };
}

/** Builds the workload of a forward and backward pass of the tile encoder alone over the batch's B·S tiles. */
function tileEncoderWorkload(config: ModelConfig, batchSize: number): Workload {
  const encoder = createTileEncoder(config, BENCH_SEED);
  const { tiles: puzzles, offsets } = syntheticBatch(config, batchSize);
  const tiles = tf.reshape(puzzles, [batchSize * tileCount(config), config.tileSize, config.tileSize, 3]); // [B·S, T, T, 3]
  tf.dispose([puzzles, offsets]);

  const step = () => trainingPass(encoder, tiles);
  return { step, warmUp: step, dispose: () => disposeAll(encoder, null, [tiles]) };
}

/** Builds the workload of a forward and backward pass of one encoder block alone over B sequences of S tokens. */
function encoderBlockWorkload(config: ModelConfig, batchSize: number): Workload {
  const block = createEncoderBlock(config, BENCH_SEED);
  const tokens = tf.randomNormal([batchSize, tileCount(config), config.hidden], 0, 1, "float32", BENCH_SEED);

  const step = () => trainingPass(block, tokens);
  return { step, warmUp: step, dispose: () => disposeAll(block, null, [tokens]) };
}

/**
 * Computes the gradients of the sum of a part's training-mode output with respect to its
 * parameters, and returns the sum for the read-back. The gradients are disposed at once.
 * Their kernels are queued before the read-back, so the read-back waits for them too.
 */
function trainingPass(part: ModelPart, input: tf.Tensor): tf.Tensor[] {
  const { value, grads } = tf.variableGrads(
    () => tf.sum(part.forward(input, true)) as tf.Scalar,
    [...part.trainable.values()],
  );
  tf.dispose(Object.values(grads));
  return [value];
}

/** Builds the calibration's workload: one product of two `size × size` matrices. */
export function matMulWorkload(size: number): Workload {
  const a = tf.randomUniform([size, size], -1, 1, "float32", BENCH_SEED);
  const b = tf.randomUniform([size, size], -1, 1, "float32", BENCH_SEED + 1);

  const step = () => [tf.matMul(a, b)];
  return { step, warmUp: step, dispose: () => tf.dispose([a, b]) };
}

function disposeAll(model: JigsawModel | ModelPart, optimizer: Adam | null, tensors: tf.Tensor[]): void {
  tf.dispose(tensors);
  optimizer?.dispose();
  model.dispose();
}
