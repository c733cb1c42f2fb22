import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { TileEmbedding } from "./embedding.ts";
import { ParameterBuilder } from "./parameters.ts";
import { maxDifference, tinyConfig } from "./_test_helpers.ts";

await tf.setBackend("cpu");

const CONFIG = tinyConfig("eot");

Deno.test("TileEmbedding adds each position's embedding to its tile's encoding", () => {
  const builder = new ParameterBuilder(1);
  const embedding = new TileEmbedding(builder, CONFIG);
  const position = builder.trainable.get("position")!;
  // The same tile at every position of a one-puzzle batch.
  const tile = tf.randomUniform([1, 1, CONFIG.tileSize, CONFIG.tileSize, 3], 0, 1, "float32", 2);
  const tiles = tf.tile(tile, [1, 4, 1, 1, 1]);

  const embedded = embedding.forward(tiles, false);

  assert.deepEqual(embedded.shape, [1, 4, CONFIG.hidden]);
  const first = tf.slice(embedded, [0, 0, 0], [1, 1, -1]);
  const third = tf.slice(embedded, [0, 2, 0], [1, 1, -1]);
  const positionDifference = tf.sub(tf.slice(position, [2, 0], [1, -1]), tf.slice(position, [0, 0], [1, -1]));
  assert.ok(maxDifference(tf.sub(third, first).reshape([1, -1]), positionDifference) < 1e-5);
  tf.dispose([tile, tiles, embedded, first, third, positionDifference]);
  builder.dispose();
});

Deno.test("TileEmbedding draws the position embedding from U[0, 1)", () => {
  const builder = new ParameterBuilder(1);
  new TileEmbedding(builder, tinyConfig("eot", { grid: 6, hidden: 64 }));

  const position = builder.trainable.get("position")!;

  assert.deepEqual(position.shape, [36, 64]);
  const values = position.dataSync();
  assert.ok(values.every((v) => v >= 0 && v < 1));
  assert.ok(values.some((v) => v < 0.01) && values.some((v) => v > 0.99));
  builder.dispose();
});

Deno.test("TileEmbedding creates the tile encoder before the position embedding", () => {
  const builder = new ParameterBuilder(1);
  new TileEmbedding(builder, CONFIG);

  const names = [...builder.trainable.keys()];
  assert.equal(names[0], "tileEncoder.conv1.weight");
  assert.equal(names[names.length - 1], "position");
  builder.dispose();
});
