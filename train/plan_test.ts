import assert from "node:assert/strict";
import { modelConfig, parameterCount } from "../models/config.ts";
import { type DataChoice, plannedDifferences, planRuns } from "./plan.ts";
import { PROFILES } from "./profiles.ts";
import type { RunConfig } from "./records.ts";

const data: DataChoice = {
  kind: "synthetic",
  root: null,
  name: "synthetic",
  synthetic: { trainImages: 8, testImages: 4 },
};

function plan(epochs = 2) {
  return planRuns({
    models: ["eot-2", "trm-8"],
    grids: [2, 3],
    seeds: [0, 1],
    profile: "smoke",
    training: () => ({ ...PROFILES.smoke.training, epochs }),
    modelOverrides: {},
    data,
    runsDir: "/runs",
  });
}

function storedConfig(job: ReturnType<typeof plan>[number]): RunConfig {
  return {
    runName: job.runName,
    modelId: job.modelId,
    seed: job.seed,
    profile: job.profile,
    model: job.model,
    training: job.training,
    dataset: { name: "synthetic", kind: "synthetic", root: null, trainImages: 8, testImages: 4, skipped: [] },
    backend: { name: "wasm", adapter: null, isSoftware: false, threads: 1 },
    versions: { deno: "2.9.6", tfjs: "4.22.0", commit: null },
    parameterCount: parameterCount(job.model),
  };
}

Deno.test("planRuns orders runs by model, grid and seed", () => {
  const jobs = plan();
  assert.equal(jobs.length, 8);
  assert.deepEqual(jobs.map((job) => `${job.modelId}/${job.grid}/${job.seed}`).slice(0, 4), [
    "eot-2/2/0",
    "eot-2/2/1",
    "eot-2/3/0",
    "eot-2/3/1",
  ]);
  assert.equal(jobs[0].runDir, "/runs/vanilla-P2-T16-D128-F512-H8-L2-synthetic-seed0");
  assert.deepEqual(jobs[4].model, modelConfig("trm-8", 2));
});

Deno.test("plannedDifferences is empty for the same plan", () => {
  const [job] = plan();
  assert.deepEqual(plannedDifferences(storedConfig(job), job), []);
});

Deno.test("plannedDifferences names changed hyperparameters of a finished run", () => {
  const [stored] = plan(2);
  const [requested] = plan(3);
  const differences = plannedDifferences(storedConfig(stored), requested);
  assert.deepEqual(differences, ["training.epochs: 2 → 3"]);

  const edited = { ...storedConfig(stored), training: { ...stored.training, learningRate: 0.001 } };
  assert.deepEqual(plannedDifferences(edited, stored), ["training.learningRate: 0.001 → 0.0003"]);
});
