import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { BATCH_NORM_EPSILON, BatchNorm } from "./batch_norm.ts";
import { ParameterBuilder } from "./parameters.ts";

await tf.setBackend("cpu");

// One channel over N = 2, H = 1, W = 2: mean 3, biased variance 3.5, unbiased 14 / 3.
const VALUES = [1, 2, 3, 6];

function assertClose(actual: ArrayLike<number>, expected: number[], label: string): void {
  for (let i = 0; i < expected.length; i++) {
    assert.ok(
      Math.abs(actual[i] - expected[i]) < 1e-5,
      `${label}[${i}]: expected ${expected[i]}, got ${actual[i]}`,
    );
  }
}

Deno.test("BatchNorm training mode normalises with batch statistics", () => {
  const builder = new ParameterBuilder(0);
  const norm = new BatchNorm(builder, "norm", 1);
  const x = tf.tensor4d(VALUES, [2, 1, 2, 1]);

  const y = norm.apply(x, true);

  const scale = Math.sqrt(3.5 + BATCH_NORM_EPSILON);
  assertClose(y.dataSync(), VALUES.map((v) => (v - 3) / scale), "output");
  tf.dispose([x, y]);
  builder.dispose();
});

Deno.test("BatchNorm training mode updates running statistics with unbiased variance", () => {
  const builder = new ParameterBuilder(0);
  const norm = new BatchNorm(builder, "norm", 1);
  const x = tf.tensor4d(VALUES, [2, 1, 2, 1]);

  tf.dispose(norm.apply(x, true));
  assertClose(norm.runningMean.dataSync(), [0.9 * 0 + 0.1 * 3], "running mean after 1 step");
  assertClose(norm.runningVariance.dataSync(), [0.9 * 1 + 0.1 * (14 / 3)], "running variance after 1 step");

  tf.dispose(norm.apply(x, true));
  assertClose(norm.runningMean.dataSync(), [0.9 * 0.3 + 0.1 * 3], "running mean after 2 steps");
  assertClose(
    norm.runningVariance.dataSync(),
    [0.9 * (0.9 + 0.1 * (14 / 3)) + 0.1 * (14 / 3)],
    "running variance after 2 steps",
  );

  x.dispose();
  builder.dispose();
});

Deno.test("BatchNorm evaluation mode uses running statistics and leaves them unchanged", () => {
  const builder = new ParameterBuilder(0);
  const norm = new BatchNorm(builder, "norm", 1);
  const x = tf.tensor4d(VALUES, [2, 1, 2, 1]);
  tf.dispose(norm.apply(x, true));

  const y = norm.apply(x, false);

  const runningVariance = 0.9 + 0.1 * (14 / 3);
  assertClose(
    y.dataSync(),
    VALUES.map((v) => (v - 0.3) / Math.sqrt(runningVariance + BATCH_NORM_EPSILON)),
    "output",
  );
  assertClose(norm.runningMean.dataSync(), [0.3], "running mean");
  assertClose(norm.runningVariance.dataSync(), [runningVariance], "running variance");
  tf.dispose([x, y]);
  builder.dispose();
});

Deno.test("BatchNorm keeps channels apart and applies scale and shift", () => {
  const builder = new ParameterBuilder(0);
  const norm = new BatchNorm(builder, "norm", 2);
  norm.scale.assign(tf.tensor1d([2, 1]));
  norm.shift.assign(tf.tensor1d([0.5, -1]));
  // Channel 0 contains VALUES, channel 1 contains 10 · VALUES.
  const x = tf.tensor4d(VALUES.flatMap((v) => [v, 10 * v]), [2, 1, 2, 2]);

  const y = norm.apply(x, true).dataSync();

  const scale = Math.sqrt(3.5 + BATCH_NORM_EPSILON);
  const scale10 = Math.sqrt(350 + BATCH_NORM_EPSILON);
  assertClose(y.filter((_, i) => i % 2 === 0), VALUES.map((v) => 2 * (v - 3) / scale + 0.5), "channel 0");
  assertClose(y.filter((_, i) => i % 2 === 1), VALUES.map((v) => (10 * v - 30) / scale10 - 1), "channel 1");
  assertClose(norm.runningMean.dataSync(), [0.3, 3], "running means");
  x.dispose();
  builder.dispose();
});

Deno.test("BatchNorm creates its parameters and buffers under stable names", () => {
  const builder = new ParameterBuilder(0);
  new BatchNorm(builder, "encoder.norm1", 4);

  assert.deepEqual([...builder.trainable.keys()], ["encoder.norm1.scale", "encoder.norm1.shift"]);
  assert.deepEqual([...builder.buffers.keys()], [
    "encoder.norm1.runningMean",
    "encoder.norm1.runningVariance",
  ]);
  assert.deepEqual(builder.trainable.get("encoder.norm1.scale")!.dataSync(), new Float32Array([1, 1, 1, 1]));
  assert.deepEqual(builder.trainable.get("encoder.norm1.shift")!.dataSync(), new Float32Array([0, 0, 0, 0]));
  assert.deepEqual(
    builder.buffers.get("encoder.norm1.runningVariance")!.dataSync(),
    new Float32Array([1, 1, 1, 1]),
  );
  builder.dispose();
});

Deno.test("BatchNorm training gradients match the explicit formula", () => {
  const builder = new ParameterBuilder(0);
  const norm = new BatchNorm(builder, "norm", 3);
  norm.scale.assign(tf.tensor1d([1.5, -0.5, 2]));
  const x = tf.randomNormal([4, 3, 3, 3], 0, 2, "float32", 7) as tf.Tensor4D;
  const weights = tf.randomNormal([4, 3, 3, 3], 0, 1, "float32", 8);

  const explicit = (input: tf.Tensor, scale: tf.Tensor, shift: tf.Tensor) => {
    const mean = tf.mean(input, [0, 1, 2]);
    const variance = tf.mean(tf.square(tf.sub(input, mean)), [0, 1, 2]);
    const normalised = tf.div(tf.sub(input, mean), tf.sqrt(tf.add(variance, BATCH_NORM_EPSILON)));
    return tf.sum(tf.mul(tf.add(tf.mul(normalised, scale), shift), weights));
  };
  const layer = (input: tf.Tensor) => tf.sum(tf.mul(norm.apply(input as tf.Tensor4D, true), weights));

  const expected = tf.grads(explicit)([x, norm.scale, norm.shift]);
  const { grads } = tf.variableGrads(() => layer(x) as tf.Scalar, [norm.scale, norm.shift]);
  const inputGradient = tf.grad(layer)(x);

  const check = (actual: tf.Tensor, reference: tf.Tensor, what: string) => {
    const difference = tf.tidy(() => tf.max(tf.abs(tf.sub(actual, reference))).dataSync()[0]);
    assert.ok(difference < 1e-4, `${what} gradient differs by ${difference}`);
  };
  check(inputGradient, expected[0], "input");
  check(grads[norm.scale.name], expected[1], "scale");
  check(grads[norm.shift.name], expected[2], "shift");

  tf.dispose([x, weights, inputGradient, ...expected, ...Object.values(grads)]);
  builder.dispose();
});
