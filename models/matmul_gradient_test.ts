import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "./matmul_gradient.ts";

await tf.setBackend("cpu");

/** Gradients of sum(w ⊙ op(a)·op(b)) computed from the definition with explicit products. */
function referenceGradients(
  a: tf.Tensor,
  b: tf.Tensor,
  w: tf.Tensor,
  transposeA: boolean,
  transposeB: boolean,
) {
  // d/dA of sum(W ⊙ A'B') with A' = op(A): dA' = W·B'ᵀ, dB' = A'ᵀ·W; transpose back if needed.
  const swap = (x: tf.Tensor) =>
    tf.transpose(
      x,
      [...x.shape.keys()].map((k, _, all) => k < all.length - 2 ? k : k === all.length - 2 ? k + 1 : k - 1),
    );
  const opA = transposeA ? swap(a) : a;
  const opB = transposeB ? swap(b) : b;
  const dOpA = tf.matMul(w, swap(opB));
  const dOpB = tf.matMul(swap(opA), w);
  return [transposeA ? swap(dOpA) : dOpA, transposeB ? swap(dOpB) : dOpB];
}

for (const [transposeA, transposeB] of [[false, false], [false, true], [true, false], [true, true]]) {
  Deno.test(`BatchMatMul gradient with transposeA ${transposeA}, transposeB ${transposeB} matches the definition`, () => {
    tf.tidy(() => {
      const a = tf.randomNormal(transposeA ? [2, 4, 3] : [2, 3, 4], 0, 1, "float32", 1);
      const b = tf.randomNormal(transposeB ? [2, 5, 4] : [2, 4, 5], 0, 1, "float32", 2);
      const w = tf.randomNormal([2, 3, 5], 0, 1, "float32", 3);
      const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
        tf.sum(tf.mul(tf.matMul(x, y, transposeA, transposeB), w))
      )([a, b]);
      const [ra, rb] = referenceGradients(a, b, w, transposeA, transposeB);
      assert.deepEqual(da.shape, a.shape);
      assert.deepEqual(db.shape, b.shape);
      assert.ok(tf.max(tf.abs(tf.sub(da, ra))).dataSync()[0] < 1e-4);
      assert.ok(tf.max(tf.abs(tf.sub(db, rb))).dataSync()[0] < 1e-4);
    });
  });
}

Deno.test("BatchMatMul gradient sums over a broadcast batch axis", () => {
  tf.tidy(() => {
    const a = tf.randomNormal([3, 2, 4], 0, 1, "float32", 4);
    const b = tf.randomNormal([4, 5], 0, 1, "float32", 5);
    const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.matMul(x, y)))([a, b]);
    assert.deepEqual(da.shape, [3, 2, 4]);
    assert.deepEqual(db.shape, [4, 5]);
    // d/dB of sum(A·B) is Σ over batch and rows of A, repeated over B's columns.
    const expected = tf.tile(tf.reshape(tf.sum(a, [0, 1]), [4, 1]), [1, 5]);
    assert.ok(tf.max(tf.abs(tf.sub(db, expected))).dataSync()[0] < 1e-4);
  });
});
