import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { probeWebGpu, selectBackend } from "../train/backend.ts";
import { type Stopwatch, timeOnDevice } from "./timing.ts";

// PROD skips tfjs debug checks and its "install tfjs-node" banner.
tf.env().set("PROD", true);

/** Returns a stopwatch that logs its calls into `events`. */
function loggingStopwatch(events: string[]): Stopwatch {
  return { start: () => events.push("start"), end: () => events.push("end") };
}

Deno.test("timeOnDevice stops the clock after the read-back", async () => {
  await tf.setBackend("cpu");
  const events: string[] = [];

  await timeOnDevice(loggingStopwatch(events), () => {
    events.push("work");
    const output = tf.scalar(1);
    const read = output.data.bind(output);
    output.data = (async () => {
      const values = await read();
      // A macrotask delay imitates a device that finishes after the call returns.
      await new Promise((resolve) => setTimeout(resolve, 1));
      events.push("read-back");
      return values;
    }) as typeof output.data;
    return [output];
  });

  assert.deepEqual(events, ["start", "work", "read-back", "end"]);
});

Deno.test("timeOnDevice repeats the work and disposes its outputs", async () => {
  await tf.setBackend("cpu");
  const events: string[] = [];
  const before = tf.memory().numTensors;

  await timeOnDevice(loggingStopwatch(events), () => {
    events.push("work");
    return [tf.ones([4, 4]), tf.zeros([2])];
  }, 3);

  assert.deepEqual(events, ["start", "work", "work", "work", "end"]);
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("timeOnDevice disposes outputs when the work throws", async () => {
  await tf.setBackend("cpu");
  const before = tf.memory().numTensors;
  let calls = 0;

  await assert.rejects(
    timeOnDevice(loggingStopwatch([]), () => {
      calls++;
      if (calls === 2) throw new Error("step failed");
      return [tf.ones([3])];
    }, 2),
    /step failed/,
  );

  assert.equal(tf.memory().numTensors, before);
});

Deno.test("timeOnDevice rejects a repeat count below one", async () => {
  await assert.rejects(timeOnDevice(loggingStopwatch([]), () => [], 0), RangeError);
});

// WebGPU kernels return once queued, so only the read-back makes the clock include the GPU
// work. On the CPU and WASM backends a kernel call returns when done and both figures agree.
const adapter = await probeWebGpu();

Deno.test({
  name: "timeOnDevice includes WebGPU work that a bare call misses",
  ignore: adapter.description === null,
  async fn() {
    await selectBackend("webgpu");
    const a = tf.randomUniform([384, 384]);
    const b = tf.randomUniform([384, 384]);
    try {
      // Warm-up: compiles the shader.
      await timeOnDevice({ start() {}, end() {} }, () => [tf.matMul(a, b)]);

      const started = performance.now();
      const product = tf.matMul(a, b);
      const bareMs = performance.now() - started;
      await product.data();
      product.dispose();

      const benchMs = await timeOnDevice({ start() {}, end() {} }, () => [tf.matMul(a, b)]);

      // 384³ multiply–adds take tens of milliseconds even on a hardware GPU, far more than queueing one kernel.
      assert.ok(
        bareMs * 10 < benchMs,
        `bare call ${bareMs.toFixed(2)} ms, bench figure ${benchMs.toFixed(2)} ms`,
      );
    } finally {
      tf.dispose([a, b]);
      await tf.setBackend("cpu");
    }
  },
});
