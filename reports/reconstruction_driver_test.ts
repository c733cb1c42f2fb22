import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { Image } from "imagescript";
import { join } from "node:path";
import { encodePermutation } from "../data/fisher_yates.ts";
import type { JigsawModel } from "../models/model.ts";
import { fakeRun } from "./_fake_runs.ts";
import { type ReconstructionSources, writeReconstructions } from "./reconstruction_driver.ts";
import { defaultScale, stripSize } from "./reconstructions.ts";
import type { RunResult } from "./runs.ts";

await tf.setBackend("cpu");

/**
 * Builds a model that predicts offset 0 everywhere at the first macro-step and the true
 * offsets of `permutations` at the last, as one-hot logits `[B, S − 1, S]`.
 */
function scriptedModel(
  run: RunResult,
  permutations: Int32Array[],
  steps: number,
  disposed: string[],
): JigsawModel {
  const tiles = run.config.model.grid ** 2;
  const oneHot = (offsets: Int32Array[]) =>
    tf.tidy(() => {
      const labels = tf.tensor2d(
        offsets.flatMap((row) => Array.from(row)),
        [offsets.length, tiles - 1],
        "int32",
      );
      return tf.cast(tf.oneHot(labels, tiles), "float32") as tf.Tensor3D;
    });
  return {
    config: run.config.model,
    trainable: new Map(),
    buffers: new Map(),
    trainBatch: () => {
      throw new Error("not used");
    },
    predict: (input) => {
      const batch = input.shape[0];
      const zeros = Array.from({ length: batch }, () => new Int32Array(tiles - 1));
      const truth = permutations.slice(0, batch).map(encodePermutation);
      return Array.from({ length: steps }, (_, step) => oneHot(step === steps - 1 ? truth : zeros));
    },
    dispose: () => disposed.push(run.config.modelId),
  };
}

Deno.test("writeReconstructions writes one PNG per image with a row per model", async () => {
  const outDir = await Deno.makeTempDir();
  try {
    const runs = [
      fakeRun("eot-2", 3, [50, 60]),
      fakeRun("trm-8", 3, [50, 90], { seed: 1 }),
      fakeRun("trm-8", 3, [50, 91], { seed: 2 }),
      fakeRun("eot-4", 3, [50, 60]),
    ];
    const disposed: string[] = [];
    let seenPermutations: Int32Array[] = [];
    const sources: ReconstructionSources = {
      hasCheckpoint: (runDir) => Promise.resolve(!runDir.includes("L4")),
      loadModel: (runDir) => {
        const run = runs.find((candidate) => candidate.directory === runDir)!;
        const steps = run.config.model.macroSteps;
        return Promise.resolve({
          config: run.config,
          model: scriptedModel(run, seenPermutations, steps, disposed),
        });
      },
      testTiles: (_config, indices, permutations) => {
        seenPermutations = permutations;
        return Promise.resolve(new Float32Array(indices.length * 9 * 16 * 16 * 3).fill(0.5));
      },
    };

    const tensorsBefore = tf.memory().numTensors;
    const result = await writeReconstructions(runs, sources, {
      outDir,
      fileBase: "2026-03-01-smoke",
      images: 2,
    });

    assert.equal(tf.memory().numTensors, tensorsBefore, "tensors leaked");
    assert.deepEqual(result.notes, []);
    assert.deepEqual(result.figures.map((figure) => figure.file), [
      "2026-03-01-smoke-reconstruction-3x3-0.png",
      "2026-03-01-smoke-reconstruction-3x3-1.png",
    ]);
    // The EOT-4 run has no checkpoint and the second TRM-8 seed is not needed.
    assert.deepEqual(result.figures[0].rows, ["eot-2 3×3 seed 1", "trm-8 3×3 seed 1"]);
    assert.deepEqual(disposed, ["eot-2", "trm-8"]);

    const image = await Image.decode(await Deno.readFile(join(outDir, result.figures[0].file)));
    const side = 3 * 16 * defaultScale(3, 16);
    // Rows: EOT-2 with 3 panels, TRM-8 with 8 macro-steps + 2 = 10 panels; the PNG is as wide as the widest.
    assert.equal(image.width, stripSize(10, side).width);
    assert.equal(image.height, 2 * stripSize(3, side).height);
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
});

Deno.test("writeReconstructions notes grids without checkpoints", async () => {
  const sources: ReconstructionSources = {
    hasCheckpoint: () => Promise.resolve(false),
    loadModel: () => Promise.reject(new Error("not used")),
    testTiles: () => Promise.reject(new Error("not used")),
  };

  const result = await writeReconstructions([fakeRun("eot-2", 4, [50])], sources, {
    outDir: "/nonexistent",
    fileBase: "x",
    images: 1,
  });

  assert.deepEqual(result.figures, []);
  assert.deepEqual(result.notes, ["4×4: no run has a checkpoint"]);
});

Deno.test("writeReconstructions notes a run that fails to load", async () => {
  const sources: ReconstructionSources = {
    hasCheckpoint: () => Promise.resolve(true),
    loadModel: () => Promise.reject(new Error("checkpoint is corrupt")),
    testTiles: (_config, indices) => Promise.resolve(new Float32Array(indices.length * 4 * 16 * 16 * 3)),
  };

  const result = await writeReconstructions([fakeRun("eot-2", 2, [50])], sources, {
    outDir: "/nonexistent",
    fileBase: "x",
    images: 1,
  });

  assert.deepEqual(result.figures, []);
  assert.deepEqual(result.notes, ["eot-2 2×2 seed 1: reconstruction failed (checkpoint is corrupt)"]);
});
