import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { Rng, Stream } from "../data/rng.ts";
import {
  ParameterBuilder,
  parameterGradients,
  TRUNCATED_NORMAL_STD_CORRECTION,
  truncatedNormal,
} from "./parameters.ts";

await tf.setBackend("cpu");

Deno.test("ParameterBuilder draws the same values for the same seed and index", () => {
  const first = new ParameterBuilder(11);
  const second = new ParameterBuilder(11);

  const a = first.uniform("a", [3, 4], -1, 1);
  const b = second.uniform("a", [3, 4], -1, 1);

  assert.deepEqual(a.dataSync(), b.dataSync());
  first.dispose();
  second.dispose();
});

Deno.test("ParameterBuilder keys each parameter by seed and creation index", () => {
  const reference = new ParameterBuilder(11);
  reference.uniform("first", [2], 0, 1);
  const secondOfReference = reference.uniform("second", [5], 0, 1).dataSync();

  // A different first parameter leaves the second one's values unchanged.
  const reshaped = new ParameterBuilder(11);
  reshaped.constant("first", [7], 3);
  assert.deepEqual(reshaped.uniform("second", [5], 0, 1).dataSync(), secondOfReference);

  const otherSeed = new ParameterBuilder(12);
  otherSeed.uniform("first", [2], 0, 1);
  assert.notDeepEqual(otherSeed.uniform("second", [5], 0, 1).dataSync(), secondOfReference);

  for (const builder of [reference, reshaped, otherSeed]) builder.dispose();
});

Deno.test("ParameterBuilder initialisers respect their bounds", () => {
  const builder = new ParameterBuilder(1);
  const fanIn = builder.fanInUniform("fanIn", [4000], 25).dataSync();
  const xavier = builder.xavierUniform("xavier", [4000], 10, 30).dataSync();
  const unit = builder.uniform("unit", [4000], 0, 1).dataSync();

  assert.ok(
    fanIn.every((v) => Math.abs(v) <= 0.2) && fanIn.some((v) => v < -0.19) && fanIn.some((v) => v > 0.19),
  );
  const xavierBound = Math.sqrt(6 / 40);
  assert.ok(
    xavier.every((v) => Math.abs(v) <= xavierBound) && xavier.some((v) => Math.abs(v) > 0.95 * xavierBound),
  );
  assert.ok(unit.every((v) => v >= 0 && v <= 1));
  builder.dispose();
});

Deno.test("ParameterBuilder separates trainable parameters from buffers", () => {
  const builder = new ParameterBuilder(1);
  builder.constant("scale", [2], 1);
  builder.buffer("mean", [2], 0);
  builder.buffer("state", [2], new Float32Array([4, 5]));

  assert.deepEqual([...builder.trainable.keys()], ["scale"]);
  assert.deepEqual([...builder.buffers.keys()], ["mean", "state"]);
  assert.equal(builder.trainable.get("scale")!.trainable, true);
  assert.equal(builder.buffers.get("mean")!.trainable, false);
  assert.deepEqual(builder.buffers.get("state")!.dataSync(), new Float32Array([4, 5]));
  builder.dispose();
});

Deno.test("ParameterBuilder rejects duplicate names and invalid seeds", () => {
  const builder = new ParameterBuilder(1);
  builder.constant("w", [1], 0);

  assert.throws(() => builder.uniform("w", [1], 0, 1), { name: "Error", message: /"w" is already defined/ });
  assert.throws(() => builder.buffer("w", [1], 0), { name: "Error", message: /"w" is already defined/ });
  assert.throws(() => new ParameterBuilder(0.5), { name: "RangeError", message: /seed 0.5/ });
  builder.dispose();
});

Deno.test("ParameterBuilder dispose releases every variable", () => {
  const before = tf.memory().numTensors;
  const builder = new ParameterBuilder(1);
  builder.uniform("a", [3], 0, 1);
  builder.buffer("b", [3], 0);

  builder.dispose();

  assert.equal(tf.memory().numTensors, before);
});

Deno.test("truncatedNormal stays within ±2 · correction with standard deviation 1", () => {
  const values = truncatedNormal(Rng.forKeys(3, Stream.trmState, 0), 20_000);

  const bound = 2 * TRUNCATED_NORMAL_STD_CORRECTION;
  assert.ok(values.every((v) => Math.abs(v) <= bound + 1e-6));
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const std = Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length);
  assert.ok(Math.abs(mean) < 0.03, `mean ${mean}`);
  assert.ok(Math.abs(std - 1) < 0.02, `standard deviation ${std}`);
});

Deno.test("parameterGradients keys gradients by parameter name", () => {
  const builder = new ParameterBuilder(1);
  const w = builder.constant("layer.weight", [2], 3);
  builder.constant("unused", [1], 0);

  const { value, grads } = parameterGradients(() => tf.sum(tf.square(w)), builder.trainable);

  assert.equal(value.dataSync()[0], 18);
  assert.deepEqual(Object.keys(grads), ["layer.weight"]);
  assert.deepEqual(grads["layer.weight"].dataSync(), new Float32Array([6, 6]));
  tf.dispose([value, ...Object.values(grads)]);
  builder.dispose();
});
