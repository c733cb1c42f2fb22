import assert from "node:assert/strict";
import { SYNTHETIC_GENERATOR } from "../data/synthetic.ts";
import { storedConfig } from "./_test_runs.ts";
import { modelConfig } from "../models/config.ts";
import { type DataChoice, plannedDifferences, planRuns } from "./plan.ts";
import { PROFILES } from "./profiles.ts";

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

Deno.test("plannedDifferences flags a run made with another version of the built-in images", () => {
  const [job] = plan();
  const stored = storedConfig(job);
  const older = { ...stored, dataset: { ...stored.dataset, generator: undefined } };

  assert.deepEqual(plannedDifferences(older, job), [`dataset.generator: null → ${SYNTHETIC_GENERATOR}`]);
});
