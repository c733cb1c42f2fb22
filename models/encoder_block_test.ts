import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { createEncoderBlock, RMS_NORM_EPSILON, rmsNorm } from "./encoder_block.ts";
import { maxDifference, tinyConfig } from "./_test_helpers.ts";

await tf.setBackend("cpu");

const CONFIG = tinyConfig("eot", { hidden: 8, heads: 2, feedForward: 12, grid: 3 });

/** Computes the block head by head with slices and an explicit softmax, without dropout. */
function referenceBlock(x: tf.Tensor3D, weights: ReadonlyMap<string, tf.Tensor>): tf.Tensor {
  const [batch, tiles, hidden] = x.shape;
  const heads = CONFIG.heads;
  const headSize = hidden / heads;
  const queryKeyValue = weights.get("block.attention.queryKeyValue")!;
  const norm = (t: tf.Tensor) =>
    tf.div(t, tf.sqrt(tf.add(tf.mean(tf.square(t), -1, true), RMS_NORM_EPSILON)));

  const perHead: tf.Tensor[] = [];
  for (let h = 0; h < heads; h++) {
    const project = (part: number) =>
      tf.matMul(
        tf.reshape(x, [batch * tiles, hidden]),
        tf.slice(queryKeyValue, [0, part * hidden + h * headSize], [hidden, headSize]) as tf.Tensor2D,
      ).reshape([batch, tiles, headSize]);
    const [q, k, v] = [project(0), project(1), project(2)];
    const scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(headSize));
    perHead.push(tf.matMul(tf.softmax(scores), v));
  }
  const context = tf.reshape(tf.concat(perHead, -1), [batch * tiles, hidden]);
  const attention = tf.matMul(context, weights.get("block.attention.output")! as tf.Tensor2D);
  const attended = norm(tf.add(tf.reshape(x, [batch * tiles, hidden]), attention));

  const up = tf.matMul(attended as tf.Tensor2D, weights.get("block.swiglu.up")! as tf.Tensor2D);
  const [a, b] = tf.split(up, 2, 1);
  const swiglu = tf.matMul(
    tf.mul(tf.mul(a, tf.sigmoid(a)), b),
    weights.get("block.swiglu.down")! as tf.Tensor2D,
  );
  return tf.reshape(norm(tf.add(attended, swiglu)), [batch, tiles, hidden]);
}

Deno.test("encoder block matches a per-head reference in evaluation mode", () => {
  const block = createEncoderBlock(CONFIG, 1);
  const x = tf.randomNormal([2, 9, CONFIG.hidden], 0, 1, "float32", 2) as tf.Tensor3D;

  const actual = block.forward(x, false);
  const expected = referenceBlock(x, block.trainable);

  assert.deepEqual(actual.shape, [2, 9, CONFIG.hidden]);
  assert.ok(maxDifference(actual, expected) < 1e-5);
  tf.dispose([x, actual, expected]);
  block.dispose();
});

Deno.test("encoder block gradients match the per-head reference", () => {
  const block = createEncoderBlock(CONFIG, 3);
  const x = tf.randomNormal([2, 9, CONFIG.hidden], 0, 1, "float32", 4) as tf.Tensor3D;
  const upstream = tf.randomNormal([2, 9, CONFIG.hidden], 0, 1, "float32", 5);
  const variables = [...block.trainable.values()];

  const actual = tf.variableGrads(() => tf.sum(tf.mul(block.forward(x, false), upstream)), variables).grads;
  const expected =
    tf.variableGrads(() => tf.sum(tf.mul(referenceBlock(x, block.trainable), upstream)), variables).grads;

  for (const [name, variable] of block.trainable) {
    assert.ok(
      maxDifference(actual[variable.name], expected[variable.name]) < 1e-4,
      `${name} gradient differs`,
    );
  }
  tf.dispose([x, upstream, ...Object.values(actual), ...Object.values(expected)]);
  block.dispose();
});

Deno.test("encoder block applies attention dropout in training mode only", () => {
  const block = createEncoderBlock(CONFIG, 1);
  const noDropout = createEncoderBlock({ ...CONFIG, attentionDropout: 0 }, 1);
  const x = tf.randomNormal([2, 9, CONFIG.hidden], 0, 1, "float32", 2) as tf.Tensor3D;

  const evaluation = block.forward(x, false);
  const training = block.forward(x, true);
  const trainingWithoutDropout = noDropout.forward(x, true);

  assert.ok(maxDifference(evaluation, training) > 1e-3, "training output should differ");
  assert.ok(maxDifference(evaluation, trainingWithoutDropout) < 1e-6, "rate 0 should change nothing");
  tf.dispose([x, evaluation, training, trainingWithoutDropout]);
  block.dispose();
  noDropout.dispose();
});

Deno.test("encoder block has 4·D² + 3·D·F parameters under stable names", () => {
  const block = createEncoderBlock(CONFIG, 1);

  assert.deepEqual([...block.trainable.keys()], [
    "block.attention.queryKeyValue",
    "block.attention.output",
    "block.swiglu.up",
    "block.swiglu.down",
  ]);
  const count = [...block.trainable.values()].reduce((sum, v) => sum + v.size, 0);
  assert.equal(count, 4 * 8 * 8 + 3 * 8 * 12);
  assert.equal(block.buffers.size, 0);
  block.dispose();
});

Deno.test("encoder block initialises projections within PyTorch's bounds", () => {
  const block = createEncoderBlock(tinyConfig("eot", { hidden: 32, heads: 4, feedForward: 64 }), 5);
  const bounds: Record<string, number> = {
    "block.attention.queryKeyValue": Math.sqrt(6 / (32 + 96)),
    "block.attention.output": 1 / Math.sqrt(32),
    "block.swiglu.up": 1 / Math.sqrt(32),
    "block.swiglu.down": 1 / Math.sqrt(64),
  };
  for (const [name, bound] of Object.entries(bounds)) {
    const largest = tf.tidy(() => tf.max(tf.abs(block.trainable.get(name)!)).dataSync()[0]);
    assert.ok(largest <= bound, `${name}: ${largest} > ${bound}`);
    assert.ok(largest > 0.9 * bound, `${name}: ${largest} fills too little of ±${bound}`);
  }
  block.dispose();
});

Deno.test("encoder block rejects a hidden size not divisible by the heads", () => {
  assert.throws(() => createEncoderBlock(tinyConfig("eot", { hidden: 10, heads: 4 }), 0), {
    name: "RangeError",
    message: /Invalid heads 4/,
  });
});

Deno.test("rmsNorm scales every row to root mean square 1", () => {
  const x = tf.tensor2d([[3, 4], [-1, 0], [100, -100]]);

  const rms = tf.sqrt(tf.mean(tf.square(rmsNorm(x)), -1)).dataSync();

  for (const value of rms) assert.ok(Math.abs(value - 1) < 1e-4, `row RMS ${value}`);
  x.dispose();
});
