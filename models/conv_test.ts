import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
// The reference tf.conv2d needs tfjs's registered gradients, which tfjs-core alone lacks.
import "@tensorflow/tfjs";
import { conv2dSame } from "./conv.ts";

await tf.setBackend("cpu");

function maxDifference(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

for (const size of [3, 5]) {
  Deno.test(`conv2dSame ${size}×${size} matches tf.conv2d in value and every gradient`, () => {
    tf.tidy(() => {
      const x = tf.randomNormal([3, 8, 8, 4], 0, 1, "float32", 1) as tf.Tensor4D;
      const w = tf.randomNormal([size, size, 4, 6], 0, 1, "float32", 2) as tf.Tensor4D;
      const b = tf.randomNormal([6], 0, 1, "float32", 3) as tf.Tensor1D;
      const weights = tf.randomNormal([3, 8, 8, 6], 0, 1, "float32", 4);

      const reference = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) =>
        tf.sum(tf.mul(tf.add(tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, 1, "same"), bi), weights));
      const custom = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) =>
        tf.sum(tf.mul(conv2dSame(xi as tf.Tensor4D, wi as tf.Tensor4D, bi as tf.Tensor1D), weights));

      assert.ok(maxDifference(reference(x, w, b), custom(x, w, b)) < 1e-3);
      const expected = tf.grads(reference)([x, w, b]);
      const actual = tf.grads(custom)([x, w, b]);
      for (let i = 0; i < 3; i++) {
        assert.deepEqual(actual[i].shape, expected[i].shape);
        assert.ok(maxDifference(actual[i], expected[i]) < 1e-3, `gradient ${i} differs`);
      }
    });
  });
}

Deno.test("conv2dSame rejects an even filter", () => {
  tf.tidy(() => {
    assert.throws(
      () => conv2dSame(tf.zeros([1, 4, 4, 1]), tf.zeros([2, 2, 1, 1]), tf.zeros([1])),
      { name: "RangeError", message: /Invalid filter shape \[2,2,1,1\]/ },
    );
  });
});

Deno.test("conv2dSame without input gradient returns zeros for x and the same filter gradient", () => {
  tf.tidy(() => {
    const x = tf.randomNormal([2, 6, 6, 3], 0, 1, "float32", 5) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 3, 4], 0, 1, "float32", 6) as tf.Tensor4D;
    const b = tf.zeros([4]) as tf.Tensor1D;
    const loss = (input: boolean) => (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) =>
      tf.sum(tf.square(conv2dSame(xi as tf.Tensor4D, wi as tf.Tensor4D, bi as tf.Tensor1D, input)));

    const full = tf.grads(loss(true))([x, w, b]);
    const partial = tf.grads(loss(false))([x, w, b]);
    assert.equal(tf.max(tf.abs(partial[0])).dataSync()[0], 0);
    assert.ok(maxDifference(partial[1], full[1]) < 1e-4);
    assert.ok(tf.max(tf.abs(full[0])).dataSync()[0] > 0);
  });
});
