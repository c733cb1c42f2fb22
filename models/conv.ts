/**
 * A stride-1 "same" 2-D convolution with bias whose filter gradient is itself a
 * forward convolution. Every tfjs 4.22 backend has a fast `Conv2D`, but the WASM backend
 * lacks the `Conv2DBackpropFilter` kernel. The CPU backend runs it as plain JavaScript
 * loops, which took over a minute of one EOT-2 step at batch 4 on a 3×3 grid (2-core
 * machine).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { channelSum } from "./reductions.ts";

/**
 * Computes the filter gradient of a stride-1 convolution with symmetric padding `pad`:
 * `dW[a, b, ci, co] = Σ_n Σ_ij xpad[n, i + a, j + b, ci] · dy[n, i, j, co]`, computed as a
 * convolution of x with channels and batch swapped, and dy as the filter.
 */
export function convFilterGradient(x: tf.Tensor4D, dy: tf.Tensor4D, pad: number): tf.Tensor4D {
  return tf.tidy(() => {
    // x: [N, H, W, Ci] → [Ci, H, W, N], batch and channels swapped.
    const input = tf.transpose(x, [3, 1, 2, 0]);
    // dy: [N, H, W, Co] → [H, W, N, Co], a filter of the image's size.
    const filter = tf.transpose(dy, [1, 2, 0, 3]);
    // [Ci, kh, kw, Co], with kh = H + 2·pad − H + 1.
    const gradient = tf.conv2d(input as tf.Tensor4D, filter as tf.Tensor4D, 1, pad);
    return tf.transpose(gradient, [1, 2, 0, 3]);
  });
}

/**
 * Input gradient of a stride-1 "same" convolution, as a forward convolution of `dy`
 * with the filter rotated by 180° and its channel axes swapped. tfjs-backend-wasm 4.22's
 * `Conv2DBackpropInput` is a plain loop, about 9× slower than its `Conv2D` here.
 */
export function convInputGradient(dy: tf.Tensor4D, filter: tf.Tensor4D, pad: number): tf.Tensor4D {
  return tf.tidy(() => {
    // [k, k, Ci, Co] → flipped in both spatial axes → [k, k, Co, Ci].
    const rotated = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
    return tf.conv2d(dy, rotated, 1, pad);
  });
}

/**
 * Convolves `x` `[N, H, W, Ci]` with `filter` `[k, k, Ci, Co]` (odd k, stride 1, "same"
 * padding) and adds `bias` `[Co]`; gradients flow to all three. With `inputGradient`
 * false the gradient of `x` is returned as zeros without computing it, for a first
 * layer whose input is data.
 */
export function conv2dSame(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor1D,
  inputGradient = true,
): tf.Tensor4D {
  const size = filter.shape[0];
  if (size % 2 !== 1 || filter.shape[1] !== size) {
    throw new RangeError(
      `Invalid filter shape [${filter.shape}]: conv2dSame expects an odd square filter [k, k, in, out]`,
    );
  }
  const pad = (size - 1) / 2;

  // customGrad passes the inputs, then the save function, in one argument list.
  const convolve = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, weights, offset, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D, tf.GradSaveFunc];
    const inputTensor = input;
    const weightTensor = weights;
    save([inputTensor, weightTensor]);
    const value = tf.add(tf.conv2d(inputTensor, weightTensor, 1, pad), offset) as tf.Tensor4D;

    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [savedInput, savedWeights] = saved as tf.Tensor4D[];
      const dy4 = dy as tf.Tensor4D;
      const dx = inputGradient ? convInputGradient(dy4, savedWeights, pad) : tf.zerosLike(savedInput);
      // NOTE: this convolution reduces over N·H·W for few outputs; its speed on WebGPU is unmeasured.
      const weightGradient = convFilterGradient(savedInput, dy4, pad);
      const biasGradient = channelSum(dy4);
      return [dx, weightGradient, biasGradient];
    };
    return { value, gradFunc };
  });

  return convolve(x, filter, bias) as tf.Tensor4D;
}
