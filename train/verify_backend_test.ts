import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { modelConfig } from "../models/config.ts";
import { selectBackend } from "./backend.ts";
import { verifyBackend } from "./verify_backend.ts";

Deno.test("verifyBackend finds WASM equal to the CPU backend on one training step", async () => {
  await selectBackend("wasm");
  try {
    const verification = await verifyBackend(modelConfig("trm-2", 2));
    assert.equal(verification.backend, "wasm");
    assert.ok(verification.kernels.includes("Conv2D"));
    // Gradient kernels are listed too, not only forward ones.
    assert.ok(verification.kernels.includes("ResizeNearestNeighbor"));
    assert.ok(Math.abs(verification.lossBackend - verification.lossCpu) < 1e-3);
    assert.ok(verification.mismatchedShare <= 0.01);
    assert.equal(tf.getBackend(), "wasm");
  } finally {
    await tf.setBackend("cpu");
  }
});

Deno.test("verifyBackend names a kernel the backend lacks", async () => {
  await selectBackend("wasm");
  const kernel = tf.getKernel("ResizeNearestNeighbor", "wasm")!;
  tf.unregisterKernel("ResizeNearestNeighbor", "wasm");
  try {
    await assert.rejects(
      () => verifyBackend(modelConfig("eot-2", 2)),
      /Backend wasm lacks kernels the models need: ResizeNearestNeighbor/,
    );
  } finally {
    tf.registerKernel(kernel);
    await tf.setBackend("cpu");
  }
});
