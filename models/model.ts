/**
 * The contract every jigsaw model fulfils, so training, benchmarks and reports
 * treat EOT-L and TRM-s alike.
 *
 * Tensor layouts (NHWC throughout, because tfjs convolutions are NHWC on every backend):
 * - tiles: float32 `[B, S, T, T, 3]`, values in [0, 1], shuffled order (position k holds
 *   original tile perm[k]).
 * - offsets: int32 `[B, S − 1]`, the Fisher–Yates labels.
 * - logits: float32 `[B, S − 1, S]`, entries at or beyond `S − i` for position i masked
 *   to a large negative value so softmax and argmax ignore them.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { ModelConfig } from "./config.ts";
import type { Adam } from "./adam.ts";

/** Output of one training batch. */
export interface TrainBatchResult {
  /** Loss of the last optimizer step (TRM: the last macro-step), a scalar. */
  loss: tf.Scalar;
  /** Logits of the last optimizer step's forward pass, `[B, S − 1, S]`. */
  logits: tf.Tensor3D;
}

/** A trainable jigsaw model with its parameters held as tfjs variables. */
export interface JigsawModel {
  /** The configuration the model was built from. */
  readonly config: ModelConfig;
  /** Learned parameters by stable name, in a fixed order. */
  readonly trainable: ReadonlyMap<string, tf.Variable>;
  /** State that is saved but not learned: batch-norm running statistics, TRM initial states. */
  readonly buffers: ReadonlyMap<string, tf.Variable>;

  /**
   * Trains on one batch in training mode: one Adam step (EOT) or `s` macro-steps with
   * one Adam step each (TRM). `dropoutSeed` fixes every dropout mask of the batch.
   * Makes no host read-back; the caller owns and disposes the returned tensors.
   */
  trainBatch(tiles: tf.Tensor, offsets: tf.Tensor, optimizer: Adam, dropoutSeed: number): TrainBatchResult;

  /**
   * Predicts in evaluation mode. Returns one logits tensor per macro-step (one for an
   * EOT); the last is the prediction. The caller disposes them.
   */
  predict(tiles: tf.Tensor): tf.Tensor3D[];

  /** Releases every variable of the model. */
  dispose(): void;
}
