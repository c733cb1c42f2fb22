import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { cachedConstant, disposeConstants, scalarConstant } from "./constants.ts";

await tf.setBackend("cpu");

Deno.test("cachedConstant builds once and survives tidy", () => {
  let builds = 0;
  const build = () => {
    builds++;
    return tf.tensor1d([1, 2, 3]);
  };

  const first = tf.tidy(() => cachedConstant("test/vector", build));
  const second = cachedConstant("test/vector", build);

  assert.equal(first, second);
  assert.equal(builds, 1);
  assert.ok(!first.isDisposed);
  assert.deepEqual(first.dataSync(), new Float32Array([1, 2, 3]));
});

Deno.test("scalarConstant keys scalars by value and type", () => {
  assert.equal(scalarConstant(0.5), scalarConstant(0.5));
  assert.notEqual(scalarConstant(0.5), scalarConstant(0.25));
  assert.equal(scalarConstant(2, "int32").dtype, "int32");
  assert.equal(scalarConstant(2).dtype, "float32");
});

Deno.test("disposeConstants releases the cache and later calls rebuild", () => {
  const before = scalarConstant(3);

  disposeConstants();

  assert.ok(before.isDisposed);
  const after = scalarConstant(3);
  assert.ok(!after.isDisposed);
  assert.equal(after.dataSync()[0], 3);
});
