import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { createModel } from "./factory.ts";
import { createTileEncoder } from "./tile_encoder.ts";
import { maxDifference, tinyConfig } from "./_test_helpers.ts";

await tf.setBackend("cpu");

const CONFIG = tinyConfig("eot");

Deno.test("tile encoder maps [N, T, T, 3] to [N, D]", () => {
  const encoder = createTileEncoder(CONFIG, 1);
  const tiles = tf.randomUniform([5, CONFIG.tileSize, CONFIG.tileSize, 3], 0, 1, "float32", 2);

  const embeddings = encoder.forward(tiles, true);

  assert.deepEqual(embeddings.shape, [5, CONFIG.hidden]);
  tf.dispose([tiles, embeddings]);
  encoder.dispose();
});

Deno.test("tile encoder uses batch statistics only in training mode", () => {
  const encoder = createTileEncoder(CONFIG, 1);
  const tiles = tf.randomUniform([6, CONFIG.tileSize, CONFIG.tileSize, 3], 0, 1, "float32", 2);
  const before = tf.tidy(() => encoder.forward(tiles, false));

  const training = encoder.forward(tiles, true);
  const evaluationAfter = encoder.forward(tiles, false);

  assert.ok(maxDifference(training, before) > 1e-3, "batch statistics differ from fresh running statistics");
  assert.ok(
    maxDifference(evaluationAfter, before) > 1e-6,
    "the training call updated the running statistics",
  );
  const runningMean = encoder.buffers.get("tileEncoder.norm1.runningMean")!.dataSync();
  assert.ok(runningMean.some((v) => v !== 0));
  tf.dispose([tiles, before, training, evaluationAfter]);
  encoder.dispose();
});

Deno.test("tile encoder creates PyTorch-style parameters under stable names", () => {
  const encoder = createTileEncoder(tinyConfig("eot", { tileSize: 16, hidden: 128 }), 1);

  const shapes = Object.fromEntries([...encoder.trainable].map(([name, v]) => [name, v.shape]));
  assert.deepEqual(shapes, {
    "tileEncoder.conv1.weight": [3, 3, 3, 32],
    "tileEncoder.conv1.bias": [32],
    "tileEncoder.norm1.scale": [32],
    "tileEncoder.norm1.shift": [32],
    "tileEncoder.conv2.weight": [5, 5, 32, 64],
    "tileEncoder.conv2.bias": [64],
    "tileEncoder.norm2.scale": [64],
    "tileEncoder.norm2.shift": [64],
    "tileEncoder.projection.weight": [1024, 128],
    "tileEncoder.projection.bias": [128],
  });
  const bounds: Record<string, number> = {
    "tileEncoder.conv1.weight": 1 / Math.sqrt(27),
    "tileEncoder.conv2.bias": 1 / Math.sqrt(800),
    "tileEncoder.projection.weight": 1 / Math.sqrt(1024),
  };
  for (const [name, bound] of Object.entries(bounds)) {
    const largest = tf.tidy(() => tf.max(tf.abs(encoder.trainable.get(name)!)).dataSync()[0]);
    assert.ok(largest <= bound, `${name}: largest ${largest} exceeds the bound ${bound}`);
    assert.ok(largest > 0.8 * bound, `${name}: largest ${largest} fills too little of ±${bound}`);
  }
  encoder.dispose();
});

Deno.test("tile encoder starts from the weights of a model with the same seed", () => {
  const encoder = createTileEncoder(CONFIG, 9);
  const model = createModel(CONFIG, 9);

  for (const [name, variable] of encoder.trainable) {
    assert.deepEqual(variable.dataSync(), model.trainable.get(name)!.dataSync(), name);
  }
  encoder.dispose();
  model.dispose();
});

Deno.test("tile encoder passes gradients to every parameter", () => {
  const encoder = createTileEncoder(CONFIG, 1);
  const tiles = tf.randomUniform([4, CONFIG.tileSize, CONFIG.tileSize, 3], 0, 1, "float32", 3);
  const upstream = tf.randomNormal([4, CONFIG.hidden], 0, 1, "float32", 4);

  const { grads } = tf.variableGrads(
    () => tf.sum(tf.mul(encoder.forward(tiles, true), upstream)),
    [...encoder.trainable.values()],
  );

  for (const [name, variable] of encoder.trainable) {
    const largest = tf.tidy(() => tf.max(tf.abs(grads[variable.name])).dataSync()[0]);
    assert.ok(largest > 0, `${name} has a zero gradient`);
  }
  tf.dispose([tiles, upstream, ...Object.values(grads)]);
  encoder.dispose();
});

Deno.test("tile encoder rejects a tile size not divisible by 4", () => {
  assert.throws(() => createTileEncoder(tinyConfig("eot", { tileSize: 10 }), 0), {
    name: "RangeError",
    message: /tile size 10/,
  });
});
