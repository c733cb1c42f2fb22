import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { Adam } from "./adam.ts";
import { EncoderOnlyTransformer } from "./eot.ts";
import { MASKED_LOGIT } from "./head.ts";
import { fisherYatesLoss } from "./loss.ts";
import { disposeResult, maxDifference, randomBatch, snapshot, tinyConfig } from "./_test_helpers.ts";

await tf.setBackend("cpu");

const CONFIG = tinyConfig("eot");
const ADAM = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

function evaluationLoss(model: EncoderOnlyTransformer, tiles: tf.Tensor, offsets: tf.Tensor2D): number {
  return tf.tidy(() => {
    const [logits] = model.predict(tiles);
    return fisherYatesLoss(logits, offsets).dataSync()[0];
  });
}

Deno.test("EOT trainBatch returns a scalar loss and masked logits [B, S − 1, S]", () => {
  const model = new EncoderOnlyTransformer(CONFIG, 1);
  const optimizer = new Adam(model.trainable, ADAM);
  const { tiles, offsets } = randomBatch(CONFIG, 3, 2);

  const { loss, logits } = model.trainBatch(tiles, offsets, optimizer, 0);

  assert.deepEqual(loss.shape, []);
  assert.ok(Number.isFinite(loss.dataSync()[0]));
  assert.deepEqual(logits.shape, [3, 3, 4]);
  const values = logits.arraySync();
  assert.equal(values[0][1][3], MASKED_LOGIT);
  assert.equal(values[2][2][2], MASKED_LOGIT);
  assert.notEqual(values[2][2][1], MASKED_LOGIT);
  assert.equal(optimizer.step, 1);
  tf.dispose([tiles, offsets, loss, logits]);
  optimizer.dispose();
  model.dispose();
});

Deno.test("EOT predict returns one logits tensor without changing any state", () => {
  const model = new EncoderOnlyTransformer(CONFIG, 1);
  const { tiles, offsets } = randomBatch(CONFIG, 2, 2);
  const before = snapshot(model.buffers);

  const predictions = model.predict(tiles);
  const again = model.predict(tiles);

  assert.equal(predictions.length, 1);
  assert.deepEqual(predictions[0].shape, [2, 3, 4]);
  assert.equal(maxDifference(predictions[0], again[0]), 0);
  assert.deepEqual(snapshot(model.buffers), before);
  tf.dispose([tiles, offsets, ...predictions, ...again]);
  model.dispose();
});

Deno.test("EOT trainBatch updates every parameter and the running statistics", () => {
  const model = new EncoderOnlyTransformer(CONFIG, 1);
  const optimizer = new Adam(model.trainable, ADAM);
  const { tiles, offsets } = randomBatch(CONFIG, 2, 2);
  const weights = snapshot(model.trainable);
  const buffers = snapshot(model.buffers);

  disposeResult(model.trainBatch(tiles, offsets, optimizer, 0));

  for (const [name, values] of snapshot(model.trainable)) {
    assert.notDeepEqual(values, weights.get(name), `${name} did not change`);
  }
  for (const [name, values] of snapshot(model.buffers)) {
    assert.notDeepEqual(values, buffers.get(name), `${name} did not change`);
  }
  tf.dispose([tiles, offsets]);
  optimizer.dispose();
  model.dispose();
});

Deno.test("EOT training lowers the loss on a repeated batch", () => {
  const model = new EncoderOnlyTransformer(CONFIG, 1);
  const optimizer = new Adam(model.trainable, ADAM);
  const { tiles, offsets } = randomBatch(CONFIG, 4, 2);
  const before = evaluationLoss(model, tiles, offsets);

  for (let step = 0; step < 8; step++) disposeResult(model.trainBatch(tiles, offsets, optimizer, step));

  const after = evaluationLoss(model, tiles, offsets);
  assert.ok(after < before - 0.1, `loss went from ${before} to ${after}`);
  tf.dispose([tiles, offsets]);
  optimizer.dispose();
  model.dispose();
});

Deno.test("EOT trainBatch keeps the tensor count stable", () => {
  const model = new EncoderOnlyTransformer(CONFIG, 1);
  const optimizer = new Adam(model.trainable, ADAM);
  const { tiles, offsets } = randomBatch(CONFIG, 2, 2);
  disposeResult(model.trainBatch(tiles, offsets, optimizer, 0));
  tf.dispose(model.predict(tiles));
  const before = tf.memory().numTensors;

  for (let step = 1; step < 4; step++) {
    disposeResult(model.trainBatch(tiles, offsets, optimizer, step));
    tf.dispose(model.predict(tiles));
    assert.equal(tf.memory().numTensors, before, `after step ${step}`);
  }
  tf.dispose([tiles, offsets]);
  optimizer.dispose();
  model.dispose();
});

Deno.test("EOT dropout masks follow the dropout seed", () => {
  const losses = (dropoutSeed: number) => {
    const model = new EncoderOnlyTransformer(CONFIG, 1);
    const optimizer = new Adam(model.trainable, ADAM);
    const { tiles, offsets } = randomBatch(CONFIG, 2, 2);
    const { loss, logits } = model.trainBatch(tiles, offsets, optimizer, dropoutSeed);
    const value = loss.dataSync()[0];
    tf.dispose([tiles, offsets, loss, logits]);
    optimizer.dispose();
    model.dispose();
    return value;
  };

  assert.equal(losses(5), losses(5));
  assert.notEqual(losses(5), losses(6));
});

Deno.test("EOT rejects inputs of the wrong shape or type", () => {
  const model = new EncoderOnlyTransformer(CONFIG, 1);
  const optimizer = new Adam(model.trainable, ADAM);
  const { tiles, offsets } = randomBatch(CONFIG, 2, 2);
  const wrongTiles = tf.zeros([2, 4, 16, 16, 3]);
  const floatOffsets = tf.cast(offsets, "float32");

  assert.throws(() => model.trainBatch(wrongTiles, offsets, optimizer, 0), {
    name: "RangeError",
    message: /Invalid tiles float32 \[2,4,16,16,3\]: expected float32 \[B, 4, 4, 4, 3\]/,
  });
  assert.throws(() => model.trainBatch(tiles, floatOffsets, optimizer, 0), {
    name: "RangeError",
    message: /expected int32 \[2, 3\]/,
  });
  assert.throws(() => model.predict(wrongTiles), { name: "RangeError" });
  assert.throws(() => new EncoderOnlyTransformer(tinyConfig("trm"), 0), {
    name: "RangeError",
    message: /"trm"/,
  });
  assert.equal(optimizer.step, 0);
  tf.dispose([tiles, offsets, wrongTiles, floatOffsets]);
  optimizer.dispose();
  model.dispose();
});
