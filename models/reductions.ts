/**
 * Per-channel sums and the 2×2 max-pool with a written-out gradient: the two places
 * where tfjs's own kernels cost a WASM training step most, measured with `tf.profile`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { cachedConstant } from "./constants.ts";

/**
 * Sums a feature map `[N, H, W, C]` over N, H and W, returning `[C]`.
 *
 * The sum is a product with a column of ones, `xᵀ·1`. WASM reduces over leading axes by
 * transposing the whole map first. Its matrix product also repacks a new right-hand
 * operand on every call, so `1ᵀ·x` is slow too. For a fresh `[800, 16, 16, 32]` map,
 * `tf.sum` took 91 ms, `1ᵀ·x` 106 ms and `xᵀ·1` 20 ms. The order of additions differs
 * from `tf.sum`, so results can differ in the last bits.
 */
export function channelSum(x: tf.Tensor4D): tf.Tensor1D {
  const channels = x.shape[3];
  const rows = x.size / channels;
  const ones = cachedConstant(`ones/${rows}`, () => tf.ones([rows, 1]));
  // [N·H·W, C]ᵀ × [N·H·W, 1] → [C, 1]
  return tf.reshape(tf.matMul(tf.reshape(x, [rows, channels]), ones, true, false), [channels]);
}

/**
 * Max-pools `[N, H, W, C]` by 2×2 windows with stride 2 (H and W even).
 *
 * The gradient goes to every position that equals its window's maximum: the mask is
 * the input compared with the nearest-neighbour upsampled output. tfjs's MaxPoolGrad
 * took 356 ms on WASM for `[800, 16, 16, 32]`, this 187 ms. Only exact ties in a window
 * differ from tfjs, which sends the gradient to one of them. After a ReLU such ties are
 * zeros, and the ReLU drops their gradient anyway.
 */
export function maxPool2x2(x: tf.Tensor4D): tf.Tensor4D {
  const pool = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor4D, tf.GradSaveFunc];
    const value = tf.maxPool(input, 2, 2, "valid");
    save([input, value]);

    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [savedInput, savedValue] = saved as tf.Tensor4D[];
      const size: [number, number] = [savedInput.shape[1], savedInput.shape[2]];
      const isMaximum = tf.equal(savedInput, tf.image.resizeNearestNeighbor(savedValue, size));
      const spread = tf.image.resizeNearestNeighbor(dy as tf.Tensor4D, size); // [N, H, W, C]
      return [tf.mul(tf.cast(isMaximum, "float32"), spread)];
    };
    return { value, gradFunc };
  });
  return pool(x) as tf.Tensor4D;
}
