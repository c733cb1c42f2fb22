import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { DropoutPool } from "./dropout.ts";

await tf.setBackend("cpu");

function maskOf(pool: DropoutPool, shape: number[], rate: number): Float32Array {
  return tf.tidy(() => pool.apply(tf.ones(shape), rate).dataSync() as Float32Array);
}

Deno.test("DropoutPool zeroes about rate of the values and scales the rest", () => {
  const pool = new DropoutPool(1);
  pool.begin(7);

  const values = maskOf(pool, [50, 40, 10], 0.1);

  const keptValues = values.filter((v) => v !== 0);
  assert.ok(
    keptValues.every((v) => Math.abs(v - 1 / 0.9) < 1e-6),
    "kept values are scaled by 1 / (1 − rate)",
  );
  const dropped = 1 - keptValues.length / values.length;
  assert.ok(Math.abs(dropped - 0.1) < 0.01, `dropped fraction ${dropped}`);
  pool.dispose();
});

Deno.test("DropoutPool repeats masks for the same dropout seed", () => {
  const first = new DropoutPool(1);
  const second = new DropoutPool(1);
  first.begin(5);
  second.begin(5);

  assert.deepEqual(maskOf(first, [4, 8, 8], 0.1), maskOf(second, [4, 8, 8], 0.1));
  assert.deepEqual(maskOf(first, [4, 8, 8], 0.1), maskOf(second, [4, 8, 8], 0.1));
  first.begin(5);
  const again = maskOf(first, [4, 8, 8], 0.1);
  second.begin(5);
  assert.deepEqual(again, maskOf(second, [4, 8, 8], 0.1));
  first.dispose();
  second.dispose();
});

Deno.test("DropoutPool draws different masks per call and per dropout seed", () => {
  const pool = new DropoutPool(1);
  pool.begin(5);
  const firstCall = maskOf(pool, [4, 8, 8], 0.1);
  const secondCall = maskOf(pool, [4, 8, 8], 0.1);
  pool.begin(6);
  const otherSeed = maskOf(pool, [4, 8, 8], 0.1);

  assert.notDeepEqual(firstCall, secondCall);
  assert.notDeepEqual(firstCall, otherSeed);
  pool.dispose();
});

Deno.test("DropoutPool returns the input unchanged at rate 0", () => {
  const pool = new DropoutPool(1);
  const x = tf.ones([3]);

  assert.equal(pool.apply(x, 0), x);
  assert.throws(() => pool.apply(x, 1), { name: "RangeError", message: /rate 1/ });
  x.dispose();
  pool.dispose();
});

Deno.test("DropoutPool grows the pool for larger masks and leaks nothing", () => {
  const pool = new DropoutPool(1);
  pool.begin(0);
  tf.dispose(tf.tidy(() => pool.apply(tf.ones([10]), 0.5)));
  const before = tf.memory().numTensors;

  const values = maskOf(pool, [300, 300], 0.5);

  assert.equal(values.length, 90_000);
  assert.equal(tf.memory().numTensors, before, "the larger pool replaces the smaller one");
  pool.dispose();
  assert.equal(tf.memory().numTensors, before - 1);
});
