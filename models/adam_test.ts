import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { Adam } from "./adam.ts";

await tf.setBackend("cpu");

const OPTIONS = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

function assertClose(actual: ArrayLike<number>, expected: number[], tolerance: number, label: string): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= tolerance,
      `${label}[${i}]: expected ${expected[i]}, got ${actual[i]}`,
    );
  }
}

Deno.test("Adam matches PyTorch's update over two steps", () => {
  const param = tf.variable(tf.tensor1d([1, -2, 0.5]));
  const optimizer = new Adam(new Map([["w", param]]), OPTIONS);

  const first = tf.tensor1d([0.1, -0.2, 0.3]);
  optimizer.applyGradients({ w: first });
  // Expected values follow torch.optim.Adam's formula, evaluated in float64.
  assertClose(param.dataSync(), [0.990000001, -1.9900000005, 0.4900000003333333], 1e-6, "step 1");

  const second = tf.tensor1d([-0.05, 0.4, 0]);
  optimizer.applyGradients({ w: second });
  assertClose(
    param.dataSync(),
    [0.9873366309403391, -1.9936610356546038, 0.48329941810791543],
    1e-6,
    "step 2",
  );

  const moments = optimizer.moments();
  assertClose(moments.get("adam.m.w")!.dataSync(), [0.004, 0.022, 0.027], 1e-7, "first moment");
  assertClose(moments.get("adam.v.w")!.dataSync(), [1.249e-5, 1.9996e-4, 8.991e-5], 1e-9, "second moment");
  assert.equal(optimizer.step, 2);

  tf.dispose([param, first, second]);
  optimizer.dispose();
});

Deno.test("Adam resumes from restored moments and step", () => {
  const gradients = [tf.tensor1d([0.1, -0.2, 0.3]), tf.tensor1d([-0.05, 0.4, 0])];

  const straight = tf.variable(tf.tensor1d([1, -2, 0.5]));
  const straightOptimizer = new Adam(new Map([["w", straight]]), OPTIONS);
  straightOptimizer.applyGradients({ w: gradients[0] });
  straightOptimizer.applyGradients({ w: gradients[1] });

  const resumed = tf.variable(tf.tensor1d([1, -2, 0.5]));
  const first = new Adam(new Map([["w", resumed]]), OPTIONS);
  first.applyGradients({ w: gradients[0] });
  const second = new Adam(new Map([["w", resumed]]), OPTIONS);
  for (const [name, moment] of first.moments()) second.moments().get(name)!.assign(moment);
  second.step = first.step;
  second.applyGradients({ w: gradients[1] });

  assert.deepEqual(resumed.dataSync(), straight.dataSync());
  assert.equal(second.step, 2);

  tf.dispose([...gradients, straight, resumed]);
  for (const optimizer of [straightOptimizer, first, second]) optimizer.dispose();
});

Deno.test("Adam leaves a parameter without gradient unchanged", () => {
  const updated = tf.variable(tf.tensor1d([1]));
  const untouched = tf.variable(tf.tensor1d([5]));
  const optimizer = new Adam(new Map([["a", updated], ["b", untouched]]), OPTIONS);
  const grad = tf.tensor1d([1]);

  optimizer.applyGradients({ a: grad });

  assert.notEqual(updated.dataSync()[0], 1);
  assert.equal(untouched.dataSync()[0], 5);
  assert.deepEqual(optimizer.moments().get("adam.m.b")!.dataSync(), new Float32Array([0]));

  tf.dispose([updated, untouched, grad]);
  optimizer.dispose();
});

Deno.test("Adam rejects gradients of unknown parameters", () => {
  const param = tf.variable(tf.tensor1d([1]));
  const optimizer = new Adam(new Map([["w", param]]), OPTIONS);
  const grad = tf.tensor1d([1]);

  assert.throws(() => optimizer.applyGradients({ other: grad }), {
    name: "RangeError",
    message: /unknown parameter "other"/,
  });
  assert.equal(optimizer.step, 0);

  tf.dispose([param, grad]);
  optimizer.dispose();
});

Deno.test("Adam rejects invalid options and steps", () => {
  const params = new Map<string, tf.Variable>();
  assert.throws(() => new Adam(params, { ...OPTIONS, beta1: 1 }), { name: "RangeError", message: /beta1 1/ });
  assert.throws(() => new Adam(params, { ...OPTIONS, learningRate: NaN }), { name: "RangeError" });

  const optimizer = new Adam(params, OPTIONS);
  assert.throws(() => {
    optimizer.step = -1;
  }, { name: "RangeError", message: /step -1/ });
  optimizer.dispose();
});

Deno.test("Adam releases every tensor it created", () => {
  const param = tf.variable(tf.tensor1d([1, 2]));
  const grad = tf.tensor1d([0.5, 0.5]);
  const before = tf.memory().numTensors;

  const optimizer = new Adam(new Map([["w", param]]), OPTIONS);
  optimizer.applyGradients({ w: grad });
  optimizer.applyGradients({ w: grad });
  optimizer.dispose();

  assert.equal(tf.memory().numTensors, before);
  tf.dispose([param, grad]);
});
