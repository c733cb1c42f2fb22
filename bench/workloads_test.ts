import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { decodeOffsets } from "../data/fisher_yates.ts";
import { disposeConstants, modelConfig } from "../models/mod.ts";
import { type BenchCase, benchCases, CALIBRATION_SIZE, calibrationCase } from "./cases.ts";
import { createWorkload, matMulWorkload, syntheticBatch, type Workload } from "./workloads.ts";

tf.env().set("PROD", true);

Deno.test("syntheticBatch makes valid offsets and tiles in [0, 1)", async () => {
  await tf.setBackend("cpu");
  const { tiles, offsets } = syntheticBatch(modelConfig("eot-2", 3), 4);
  try {
    assert.deepEqual(tiles.shape, [4, 9, 16, 16, 3]);
    assert.deepEqual(offsets.shape, [4, 8]);
    assert.equal(offsets.dtype, "int32");

    const values = await tiles.data();
    assert.ok(values.every((value) => value >= 0 && value < 1));
    const rows = await offsets.array();
    // decodeOffsets throws on an offset outside 0..S − 1 − i.
    for (const row of rows) assert.equal(decodeOffsets(row).length, 9);
  } finally {
    tf.dispose([tiles, offsets]);
  }
});

Deno.test("syntheticBatch is the same for the same grid and batch", async () => {
  await tf.setBackend("cpu");
  const first = syntheticBatch(modelConfig("eot-2", 2), 2);
  const second = syntheticBatch(modelConfig("trm-8", 2), 2);
  try {
    assert.deepEqual(await first.offsets.array(), await second.offsets.array());
    assert.deepEqual(await first.tiles.data(), await second.tiles.data());
  } finally {
    tf.dispose([first.tiles, first.offsets, second.tiles, second.offsets]);
  }
});

// One case of each kind on a 2×2 grid with one puzzle keeps the file fast on the CPU backend.
// For the same reason the TRM batch has 2 macro-steps instead of 8 or 12.
const MODEL_CASES: BenchCase[] = benchCases({
  batchSize: 1,
  grids: [2],
  cases: ["eot-2 step", "trm-8", "tile encoder", "encoder block"],
})
  .filter((c) => c.kind !== "calibration")
  .map((c) => c.kind === "trm-batch" ? { ...c, name: "trm-2 batch", model: "trm-2" } : c);

/** Runs the warm-up and one step, checks their outputs, and checks that disposal frees every tensor. */
async function assertRunsAndReleases(name: string, create: () => Workload): Promise<void> {
  await tf.setBackend("cpu");
  // The models cache constants on first use, so the count starts and ends without any.
  disposeConstants();
  const before = tf.memory().numTensors;

  const workload = create();
  for (const outputs of [workload.warmUp(), workload.step(1)]) {
    assert.ok(outputs.length > 0);
    for (const values of await Promise.all(outputs.map((tensor) => tensor.data()))) {
      assert.ok(values.every((value) => Number.isFinite(value)), `${name} output is finite`);
    }
    tf.dispose(outputs);
  }
  workload.dispose();
  disposeConstants();

  assert.equal(tf.memory().numTensors, before, `${name} leaves no tensors behind`);
}

for (const benchCase of MODEL_CASES) {
  Deno.test(`createWorkload runs and releases the ${benchCase.name} case`, async () => {
    await assertRunsAndReleases(benchCase.name, () => createWorkload(benchCase));
  });
}

Deno.test("matMulWorkload multiplies and releases its matrices", async () => {
  await assertRunsAndReleases("matmul", () => matMulWorkload(64));

  const workload = matMulWorkload(8);
  const [product] = workload.step(0);
  assert.deepEqual(product.shape, [8, 8]);
  tf.dispose(product);
  workload.dispose();
});

Deno.test("createWorkload sizes the calibration matrices", async () => {
  await tf.setBackend("cpu");
  const before = tf.memory().numBytes;

  // Only the inputs are made here: the product itself takes seconds on the CPU backend.
  const workload = createWorkload(calibrationCase());

  assert.equal(tf.memory().numBytes - before, 2 * CALIBRATION_SIZE * CALIBRATION_SIZE * 4);
  workload.dispose();
  assert.equal(tf.memory().numBytes, before);
});

Deno.test("createWorkload rejects a model case without a grid", () => {
  const broken: BenchCase = {
    ...benchCases({ batchSize: 1, grids: [2], cases: ["eot-2 step"] })[1],
    grid: null,
  };

  assert.throws(() => createWorkload(broken), /needs a grid and a batch size/);
});
