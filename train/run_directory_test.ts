import assert from "node:assert/strict";
import { join } from "node:path";
import { modelConfig } from "../models/config.ts";
import { PROFILES } from "./profiles.ts";
import type { EpochRecord, RunConfig } from "./records.ts";
import {
  CONFIG_FILE,
  identityDigest,
  isRunFinished,
  prepareRunDirectory,
  readRunConfig,
  writeEpochRecords,
} from "./run_directory.ts";

function runConfig(overrides: Partial<RunConfig> = {}): RunConfig {
  return {
    runName: "vanilla-P2-T16-D128-F512-H8-L2-synthetic",
    modelId: "eot-2",
    seed: 0,
    profile: "smoke",
    model: modelConfig("eot-2", 2),
    training: PROFILES.smoke.training,
    dataset: { name: "synthetic", kind: "synthetic", root: null, trainImages: 8, testImages: 4, skipped: [] },
    backend: { name: "cpu", adapter: null, isSoftware: false, threads: null },
    versions: { deno: "2.0.0", tfjs: "4.22.0", commit: null },
    parameterCount: 709_513,
    ...overrides,
  };
}

Deno.test("identityDigest ignores backend and versions but not hyperparameters", async () => {
  const base = await identityDigest(runConfig());
  const otherBackend = runConfig({ backend: { name: "wasm", adapter: null, isSoftware: false, threads: 1 } });
  assert.equal(await identityDigest(otherBackend), base);

  const otherEpochs = runConfig({ training: { ...PROFILES.smoke.training, epochs: 3 } });
  assert.notEqual(await identityDigest(otherEpochs), base);
});

Deno.test("prepareRunDirectory rejects a directory of another configuration", async () => {
  const runDir = join(await Deno.makeTempDir(), "run");
  try {
    await prepareRunDirectory(runDir, runConfig());
    await writeEpochRecords(runDir, [{ epoch: 1 } as EpochRecord]);
    const before = await Deno.readTextFile(join(runDir, CONFIG_FILE));

    await assert.rejects(
      () => prepareRunDirectory(runDir, runConfig({ seed: 1 })),
      (error: Error) => error.message.includes(runDir) && error.message.includes("seed: 0 → 1"),
    );
    assert.equal(await Deno.readTextFile(join(runDir, CONFIG_FILE)), before);

    await prepareRunDirectory(
      runDir,
      runConfig({ versions: { deno: "2.9.6", tfjs: "4.22.0", commit: "x" } }),
    );
  } finally {
    await Deno.remove(join(runDir, ".."), { recursive: true });
  }
});

Deno.test("prepareRunDirectory replaces a config without training", async () => {
  const runDir = join(await Deno.makeTempDir(), "run");
  try {
    await prepareRunDirectory(runDir, runConfig());

    await prepareRunDirectory(runDir, runConfig({ seed: 1 }));

    assert.equal((await readRunConfig(runDir))!.seed, 1);
  } finally {
    await Deno.remove(join(runDir, ".."), { recursive: true });
  }
});

Deno.test("readRunConfig names a config without its fields", async () => {
  const runDir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(runDir, CONFIG_FILE), "{}");
    await assert.rejects(
      () => readRunConfig(runDir),
      (error: Error) =>
        error.message.includes(join(runDir, CONFIG_FILE)) && error.message.includes("runName"),
    );
  } finally {
    await Deno.remove(runDir, { recursive: true });
  }
});

Deno.test("readRunConfig names a config that is not JSON", async () => {
  const runDir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(runDir, CONFIG_FILE), "{ half");
    await assert.rejects(
      () => readRunConfig(runDir),
      (error: Error) => error.message.includes(join(runDir, CONFIG_FILE)),
    );
  } finally {
    await Deno.remove(runDir, { recursive: true });
  }
});

Deno.test("isRunFinished is true only with every epoch recorded", async () => {
  const runDir = join(await Deno.makeTempDir(), "run");
  try {
    assert.equal(await isRunFinished(runDir), false);
    await prepareRunDirectory(runDir, runConfig());
    const record = {
      epoch: 1,
      trainLoss: 1,
      testLoss: 1,
      train: { patch: 0.5, position: 0.5, puzzle: 0 },
      test: { patch: 0.5, position: 0.5, puzzle: 0 },
      seconds: 1,
      stepsPerSecond: 1,
      optimizerSteps: 2,
    };
    await writeEpochRecords(runDir, [record]);
    assert.equal(await isRunFinished(runDir), false);
    await writeEpochRecords(runDir, [record, { ...record, epoch: 2 }]);
    assert.equal(await isRunFinished(runDir), true);
  } finally {
    await Deno.remove(join(runDir, ".."), { recursive: true });
  }
});
