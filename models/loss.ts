/**
 * The training loss: cross-entropy of the S − 1 Fisher–Yates decisions, each over the
 * S − i logits that position i can take, averaged over positions and batch.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { cachedConstant, scalarConstant } from "./constants.ts";
import { MASKED_LOGIT } from "./head.ts";

/**
 * Returns the cached boolean mask `[S − 1, S]` that is true where position i's logit j
 * is real (j < S − i). The caller must not dispose it.
 */
export function validLogitMask(tiles: number): tf.Tensor2D {
  return cachedConstant(`validLogitMask/${tiles}`, () => {
    const values: boolean[] = [];
    for (let i = 0; i < tiles - 1; i++) {
      for (let j = 0; j < tiles; j++) values.push(j < tiles - i);
    }
    return tf.tensor2d(values, [tiles - 1, tiles], "bool");
  });
}

/**
 * Computes the mean cross-entropy of `logits` `[B, S − 1, S]` against the Fisher–Yates
 * `offsets` (int32 `[B, S − 1]`), over positions and batch.
 *
 * Entries at or beyond S − i are excluded whatever their value: they are replaced by
 * {@linkcode MASKED_LOGIT} (finite, so no arithmetic meets −Infinity) after each row is
 * shifted by its maximum real logit, so their exponentials are exactly 0 in float32.
 * The gradient is written out, softmax minus one-hot, which makes it exactly zero on
 * masked entries. Loss and gradient are finite whenever the real logits of each row
 * differ by less than the float32 maximum (about 3.4e38). An offset beyond its position's
 * range gives a loss near 1e9 rather than an error, because checking it would need a
 * read-back.
 */
export function fisherYatesLoss(logits: tf.Tensor3D, offsets: tf.Tensor2D): tf.Scalar {
  const [batch, positions, tiles] = logits.shape;
  if (logits.rank !== 3 || positions !== tiles - 1) {
    throw new RangeError(`Invalid logits shape [${logits.shape}]: expected [B, S − 1, S]`);
  }
  if (
    offsets.dtype !== "int32" || offsets.rank !== 2 || offsets.shape[0] !== batch ||
    offsets.shape[1] !== positions
  ) {
    throw new RangeError(
      `Invalid offsets ${offsets.dtype} [${offsets.shape}]: expected int32 [${batch}, ${positions}] to match the logits`,
    );
  }
  const count = batch * positions;

  const lossWithGradient = tf.customGrad((input, save) => {
    const x = input as tf.Tensor3D;
    const valid = validLogitMask(tiles);

    // Shift each row by its maximum real logit. Putting the row minimum into the masked
    // entries keeps them from being that maximum.
    const rowMinimum = tf.min(x, -1, true); // [B, S − 1, 1]
    const rowMaximum = tf.max(tf.where(valid, x, rowMinimum), -1, true); // [B, S − 1, 1]
    const shifted = tf.where(valid, tf.sub(x, rowMaximum), scalarConstant(MASKED_LOGIT));

    // The row maximum contributes exp(0) = 1, so the sum is at least 1 and its log finite.
    const exponentials = tf.exp(shifted);
    const sumExponentials = tf.sum(exponentials, -1, true); // [B, S − 1, 1]
    // An int32 one-hot cast to float32: tfjs-backend-wasm 4.22 writes integer bits into a float32 one-hot.
    const target = tf.cast(tf.oneHot(offsets, tiles), "float32"); // [B, S − 1, S]
    const targetLogit = tf.sum(tf.mul(target, shifted), -1, true);
    const value = tf.mean(tf.sub(tf.log(sumExponentials), targetLogit)) as tf.Scalar;

    (save as tf.GradSaveFunc)([tf.div(exponentials, sumExponentials), target]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [probabilities, savedTarget] = saved;
      return tf.mul(tf.sub(probabilities, savedTarget), tf.mul(dy, scalarConstant(1 / count)));
    };
    return { value, gradFunc };
  });

  return lossWithGradient(logits);
}
