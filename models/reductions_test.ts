import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs";
import { channelSum, maxPool2x2 } from "./reductions.ts";
import { createTileEncoder } from "./tile_encoder.ts";
import { maxDifference, tinyConfig } from "./_test_helpers.ts";

await tf.setBackend("cpu");

Deno.test("channelSum equals tf.sum", () => {
  const x = tf.randomNormal([3, 4, 5, 6], 0, 1, "float32", 1) as tf.Tensor4D;

  const sums = channelSum(x);
  const expected = tf.sum(x, [0, 1, 2]);

  assert.deepEqual(sums.shape, [6]);
  assert.ok(maxDifference(sums, expected) < 1e-5);
  tf.dispose([x, sums, expected]);
});

Deno.test("maxPool2x2 matches tfjs value and gradient", () => {
  const x = tf.randomNormal([2, 6, 4, 3], 0, 1, "float32", 2) as tf.Tensor4D;
  const upstream = tf.randomNormal([2, 3, 2, 3], 0, 1, "float32", 3);

  const value = maxPool2x2(x);
  const expected = tf.maxPool(x, 2, 2, "valid");
  // The encoder pools before its ReLU; tfjs's reference order is ReLU first. Both give the same gradient.
  const gradient = tf.grad((input) => tf.sum(tf.mul(tf.relu(maxPool2x2(input as tf.Tensor4D)), upstream)))(x);
  const expectedGradient = tf.grad((input) =>
    tf.sum(tf.mul(tf.maxPool(tf.relu(input as tf.Tensor4D), 2, 2, "valid"), upstream))
  )(x);

  assert.equal(maxDifference(value, expected), 0);
  assert.ok(maxDifference(gradient, expectedGradient) < 1e-6);
  assert.ok(tf.tidy(() => tf.max(tf.abs(gradient)).dataSync()[0]) > 0, "the gradient is not all zeros");
  tf.dispose([x, upstream, value, expected, gradient, expectedGradient]);
});

/**
 * Computes the tile encoder with tfjs's own kernels and gradients (conv2d, moments,
 * ReLU then maxPool), reading the weights in `weights`. It is the encoder before the
 * step was optimised, kept as the reference for numerics.
 */
function referenceEncoder(weights: ReadonlyMap<string, tf.Variable>, tiles: tf.Tensor4D): tf.Tensor2D {
  const get = (name: string) => weights.get(`tileEncoder.${name}`)!;
  const normalise = (x: tf.Tensor4D, prefix: string) => {
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    return tf.batchNorm4d(
      x,
      mean as tf.Tensor1D,
      variance as tf.Tensor1D,
      get(`${prefix}.shift`) as tf.Tensor1D,
      get(`${prefix}.scale`) as tf.Tensor1D,
      1e-5,
    );
  };

  let h = tf.add(
    tf.conv2d(tiles, get("conv1.weight") as tf.Tensor4D, 1, 1),
    get("conv1.bias"),
  ) as tf.Tensor4D;
  h = tf.maxPool(tf.relu(normalise(h, "norm1")), 2, 2, "valid");
  h = tf.add(tf.conv2d(h, get("conv2.weight") as tf.Tensor4D, 1, 2), get("conv2.bias")) as tf.Tensor4D;
  h = tf.maxPool(tf.relu(normalise(h, "norm2")), 2, 2, "valid");
  const flat = tf.reshape(h, [h.shape[0], -1]);
  return tf.add(
    tf.matMul(flat, get("projection.weight") as tf.Tensor2D),
    get("projection.bias"),
  ) as tf.Tensor2D;
}

Deno.test("tile encoder matches tfjs kernels to 1e-4", () => {
  const config = tinyConfig("eot");
  const encoder = createTileEncoder(config, 5);
  const tiles = tf.randomUniform([6, config.tileSize, config.tileSize, 3], 0, 1, "float32", 6) as tf.Tensor4D;
  const upstream = tf.randomNormal([6, config.hidden], 0, 1, "float32", 7);
  const variables = [...encoder.trainable.values()];
  const loss = (embeddings: tf.Tensor) => tf.sum(tf.square(tf.sub(embeddings, upstream))) as tf.Scalar;

  const optimised = tf.variableGrads(() => loss(encoder.forward(tiles, true)), variables);
  const reference = tf.variableGrads(() => loss(referenceEncoder(encoder.trainable, tiles)), variables);

  const lossValue = optimised.value.dataSync()[0];
  const referenceLoss = reference.value.dataSync()[0];
  assert.ok(
    Math.abs(lossValue - referenceLoss) <= 1e-4 * Math.abs(referenceLoss),
    `${lossValue} vs ${referenceLoss}`,
  );
  const scales = new Map(
    [...encoder.trainable].map((
      [name, v],
    ) => [name, tf.tidy(() => tf.max(tf.abs(reference.grads[v.name])).dataSync()[0])]),
  );
  const largest = Math.max(...scales.values());
  for (const [name, variable] of encoder.trainable) {
    const difference = maxDifference(optimised.grads[variable.name], reference.grads[variable.name]);
    // A conv bias before batch norm has a true gradient of zero, so only rounding noise is left
    // to compare. That noise must stay below a millionth of the largest gradient.
    const tolerance = Math.max(1e-4 * scales.get(name)!, 1e-6 * largest);
    assert.ok(
      difference <= tolerance,
      `${name}: gradient differs by ${difference} (largest ${scales.get(name)})`,
    );
  }
  tf.dispose([tiles, upstream, optimised.value, reference.value]);
  tf.dispose([...Object.values(optimised.grads), ...Object.values(reference.grads)]);
  encoder.dispose();
});
