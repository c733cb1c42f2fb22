/**
 * Batch normalisation over NHWC feature maps with PyTorch's semantics: batch statistics
 * in training mode, running statistics in evaluation mode, running variance updated
 * from the unbiased batch variance.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { scalarConstant } from "./constants.ts";
import { channelSum } from "./reductions.ts";
import type { ParameterBuilder } from "./parameters.ts";

/** Variance epsilon, PyTorch's default. */
export const BATCH_NORM_EPSILON = 1e-5;
/** Weight of the new batch statistic in the running averages, PyTorch's default. */
export const BATCH_NORM_MOMENTUM = 0.1;

/** A batch-norm layer over the last (channel) axis. */
export class BatchNorm {
  readonly scale: tf.Variable<tf.Rank.R1>;
  readonly shift: tf.Variable<tf.Rank.R1>;
  readonly runningMean: tf.Variable<tf.Rank.R1>;
  readonly runningVariance: tf.Variable<tf.Rank.R1>;

  /** Creates `<prefix>.scale` (1), `<prefix>.shift` (0) and the running-statistics buffers. */
  constructor(builder: ParameterBuilder, prefix: string, channels: number) {
    this.scale = builder.constant(`${prefix}.scale`, [channels], 1) as tf.Variable<tf.Rank.R1>;
    this.shift = builder.constant(`${prefix}.shift`, [channels], 0) as tf.Variable<tf.Rank.R1>;
    this.runningMean = builder.buffer(`${prefix}.runningMean`, [channels], 0) as tf.Variable<tf.Rank.R1>;
    this.runningVariance = builder.buffer(`${prefix}.runningVariance`, [channels], 1) as tf.Variable<
      tf.Rank.R1
    >;
  }

  /**
   * Normalises `x` `[N, H, W, C]`. In training mode it uses the batch mean and biased
   * variance over (N, H, W) and updates the running statistics; otherwise it uses them.
   */
  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    if (!training) {
      return tf.batchNorm4d(
        x,
        this.runningMean,
        this.runningVariance,
        this.shift,
        this.scale,
        BATCH_NORM_EPSILON,
      );
    }

    const count = x.size / x.shape[3];
    // The gradient is written out: tfjs's own gradients of moments and batchNorm tile
    // per-channel tensors to the full feature-map shape, which dominated a WASM step.
    const normalise = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [input, scale, shift, save] = args as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
      const perValue = scalarConstant(1 / count);
      const mean = tf.mul(channelSum(input), perValue); // [C]
      const centred = tf.sub(input, mean) as tf.Tensor4D; // [N, H, W, C]
      const variance = tf.mul(channelSum(tf.square(centred)), perValue); // biased, [C]
      this.#updateRunningStatistics(mean, variance, count);

      const inverseDeviation = tf.rsqrt(tf.add(variance, scalarConstant(BATCH_NORM_EPSILON))); // [C]
      const normalised = tf.mul(centred, inverseDeviation) as tf.Tensor4D; // x̂, [N, H, W, C]
      save([normalised, inverseDeviation, scale]);
      const value = tf.add(tf.mul(normalised, scale), shift) as tf.Tensor4D;

      const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedNormalised, savedInverse, savedScale] = saved;
        const shiftGradient = channelSum(dy as tf.Tensor4D); // Σ dy, [C]
        const scaleGradient = channelSum(tf.mul(dy, savedNormalised) as tf.Tensor4D); // Σ dy·x̂, [C]
        // dx = γ·rstd/M · (M·dy − Σdy − x̂·Σ(dy·x̂)), with M = N·H·W.
        const centred = tf.sub(
          tf.sub(tf.mul(dy, scalarConstant(count)), shiftGradient),
          tf.mul(savedNormalised, scaleGradient),
        );
        const factor = tf.mul(tf.mul(savedScale, savedInverse), scalarConstant(1 / count)); // [C]
        return [tf.mul(centred, factor), scaleGradient, shiftGradient];
      };
      return { value, gradFunc };
    });
    return normalise(x, this.scale, this.shift) as tf.Tensor4D;
  }

  #updateRunningStatistics(mean: tf.Tensor, variance: tf.Tensor, count: number): void {
    // PyTorch feeds the unbiased variance into the running average but normalises with
    // the biased one. A single value has no unbiased variance, so it is left at the
    // biased one (PyTorch raises instead).
    const unbiasedFactor = count > 1 ? count / (count - 1) : 1;
    const keep = scalarConstant(1 - BATCH_NORM_MOMENTUM);
    const momentum = scalarConstant(BATCH_NORM_MOMENTUM);
    const varianceWeight = scalarConstant(BATCH_NORM_MOMENTUM * unbiasedFactor);

    // These ops never lead to the loss, so backprop prunes them even when they are taped.
    const newMean = tf.tidy(() =>
      tf.add<tf.Tensor1D>(tf.mul(this.runningMean, keep), tf.mul(mean, momentum))
    );
    const newVariance = tf.tidy(() =>
      tf.add<tf.Tensor1D>(tf.mul(this.runningVariance, keep), tf.mul(variance, varianceWeight))
    );
    this.runningMean.assign(newMean);
    this.runningVariance.assign(newVariance);
    newMean.dispose();
    newVariance.dispose();
  }
}
