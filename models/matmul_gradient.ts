/**
 * Replaces tfjs's gradient of `BatchMatMul` with one that transposes operands
 * explicitly and multiplies without transpose flags. On tfjs-backend-wasm 4.22 a
 * product with `transposeA` ran about 30× slower than the same product after a
 * separate `transpose` (measured on a 2-core x86-64 machine), and every weight gradient
 * of a linear layer is such a product. Importing this module installs the gradient
 * for every backend; the values are the same up to rounding.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
// The stock gradients must be registered first, so this registration replaces them.
import "@tensorflow/tfjs";

/** Swaps the last two axes of `x` (rank 2 or more). */
function swapLastAxes(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, axis) => axis);
  const last = perm.length - 1;
  [perm[last - 1], perm[last]] = [perm[last], perm[last - 1]];
  return tf.transpose(x, perm);
}

/** Sums `gradient` over the leading axes that broadcasting added or stretched, back to `shape`. */
function reduceToShape(gradient: tf.Tensor, shape: number[]): tf.Tensor {
  if (gradient.shape.join(",") === shape.join(",")) return gradient;
  const rankGap = gradient.rank - shape.length;
  const axes: number[] = [];
  for (let axis = 0; axis < gradient.rank - 2; axis++) {
    if (axis < rankGap || shape[axis - rankGap] === 1) axes.push(axis);
  }
  return tf.reshape(axes.length > 0 ? tf.sum(gradient, axes) : gradient, shape);
}

tf.registerGradient({
  kernelName: tf.BatchMatMul,
  inputsToSave: ["a", "b"],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const [a, b] = saved;
    const dyTensor = dy as tf.Tensor;
    const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
    const product = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y);

    // With C = op(A)·op(B): dA and dB follow from dC by the usual identities, written
    // with explicit transposes.
    let gradientA: () => tf.Tensor;
    let gradientB: () => tf.Tensor;
    if (!transposeA && !transposeB) {
      gradientA = () => product(dyTensor, swapLastAxes(b));
      gradientB = () => product(swapLastAxes(a), dyTensor);
    } else if (!transposeA && transposeB) {
      gradientA = () => product(dyTensor, b);
      gradientB = () => product(swapLastAxes(dyTensor), a);
    } else if (transposeA && !transposeB) {
      gradientA = () => product(b, swapLastAxes(dyTensor));
      gradientB = () => product(a, dyTensor);
    } else {
      gradientA = () => product(swapLastAxes(b), swapLastAxes(dyTensor));
      gradientB = () => product(swapLastAxes(dyTensor), swapLastAxes(a));
    }
    return {
      a: () => reduceToShape(gradientA(), a.shape),
      b: () => reduceToShape(gradientB(), b.shape),
    };
  },
});
