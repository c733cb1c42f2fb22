import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { openDataset } from "../data/dataset.ts";
import { modelConfig, parameterCount, runName } from "../models/config.ts";
import { decodeCheckpoint } from "./checkpoint.ts";
import { PROFILES } from "./profiles.ts";
import type { RunConfig } from "./records.ts";
import { prepareRunDirectory, readEpochRecords } from "./run_directory.ts";
import { trainRun } from "./trainer.ts";

await tf.setBackend("cpu");

async function smokeRun(root: string, modelId: string, name: string) {
  const model = modelConfig(modelId, 2);
  const training = { ...PROFILES.smoke.training, epochs: 3 };
  const dataset = await openDataset({
    kind: "synthetic",
    root: null,
    grid: 2,
    tileSize: 16,
    cacheDir: join(root, "cache"),
    workers: 1,
    trainImages: 8,
    testImages: 4,
  });
  const config: RunConfig = {
    runName: runName(model, "synthetic"),
    modelId,
    seed: 5,
    profile: "smoke",
    model,
    training,
    dataset: { ...dataset.info, name: "synthetic" },
    backend: { name: "cpu", adapter: null, isSoftware: false, threads: null },
    versions: { deno: Deno.version.deno, tfjs: tf.version_core, commit: null },
    parameterCount: parameterCount(model),
  };
  const runDir = join(root, name);
  await prepareRunDirectory(runDir, config);
  return { runDir, config, dataset };
}

for (const modelId of ["eot-2", "trm-2"]) {
  Deno.test(`trainRun of ${modelId} resumed after an interruption matches an uninterrupted run`, async () => {
    const root = await Deno.makeTempDir();
    const log = () => {};
    try {
      const straight = await smokeRun(root, modelId, "straight");
      const expected = await trainRun({ ...straight, log, progress: false });

      const resumed = await smokeRun(root, modelId, "resumed");
      const first = await trainRun({ ...resumed, log, progress: false, stopAfterEpochs: 1 });
      assert.equal(first.length, 1);
      const lines: string[] = [];
      const actual = await trainRun({ ...resumed, log: (line) => lines.push(line), progress: false });
      assert.ok(lines[0].startsWith("resuming"), lines[0]);

      const numbers = (records: typeof expected) =>
        records.map(({ trainLoss, testLoss, train, test, optimizerSteps }) => ({
          trainLoss,
          testLoss,
          train,
          test,
          optimizerSteps,
        }));
      assert.deepEqual(numbers(actual), numbers(expected));
      assert.deepEqual(numbers(await readEpochRecords(resumed.runDir)), numbers(expected));

      const weights = async (runDir: string) => {
        const checkpoint = await decodeCheckpoint(
          await Deno.readFile(join(runDir, "checkpoint.bin")),
          runDir,
        );
        return [...checkpoint.tensors].map(([name, entry]) => [name, [...entry.values]]);
      };
      assert.deepEqual(await weights(resumed.runDir), await weights(straight.runDir));
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  });
}

Deno.test("trainRun leaves no tensors behind across epochs", async () => {
  const root = await Deno.makeTempDir();
  try {
    const run = await smokeRun(root, "trm-2", "leak");
    const before = tf.memory().numTensors;
    await trainRun({ ...run, log: () => {}, progress: false, stopAfterEpochs: 1 });
    const afterOne = tf.memory().numTensors;
    await trainRun({ ...run, log: () => {}, progress: false });
    assert.equal(tf.memory().numTensors, before);
    assert.equal(afterOne, before);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("trainRun rejects a batch larger than the data", async () => {
  const root = await Deno.makeTempDir();
  try {
    const run = await smokeRun(root, "eot-2", "big");
    const config = { ...run.config, training: { ...run.config.training, batchSize: 64 } };
    await assert.rejects(
      () => trainRun({ ...run, config, log: () => {}, progress: false }),
      /Batch size 64 exceeds the images available/,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
