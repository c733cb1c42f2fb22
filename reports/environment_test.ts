import assert from "node:assert/strict";
import { fakeRun } from "./_fake_runs.ts";
import { describeEnvironment, studyDifferences } from "./environment.ts";

Deno.test("studyDifferences finds none in a paper run on COCO", () => {
  const run = fakeRun("trm-12", 5, Array(10).fill(90));

  assert.deepEqual(studyDifferences(run), []);
});

Deno.test("studyDifferences lists every setting of a quick run", () => {
  const run = fakeRun("eot-4", 3, [50, 60, 70, 80], { profile: "quick", dataset: "synthetic" });
  // Fixed here so that retuning the quick profile does not change this test.
  run.config.training = {
    ...run.config.training,
    epochs: 4,
    batchSize: 32,
    learningRate: 0.001,
    trainImages: 512,
    testImages: 128,
  };

  assert.deepEqual(studyDifferences(run), [
    "epochs: 4 (study: 10)",
    "batchSize: 32 (study: 128)",
    "learningRate: 0.001 (study: 0.0003)",
    "dataset: synthetic (study: COCO 2017)",
    "training images: 512 (study: 118,287)",
    "test images: 128 (study: 40,670)",
  ]);
});

Deno.test("studyDifferences lists a changed model setting", () => {
  const run = fakeRun("trm-8", 3, Array(10).fill(90));
  run.config.model = { ...run.config.model, hidden: 64 };

  assert.deepEqual(studyDifferences(run), ["trm-8 hidden: 64 (study: 128)"]);
});

Deno.test("describeEnvironment counts distinct values over runs", async () => {
  const runs = [
    fakeRun("eot-2", 2, [90], { profile: "smoke", dataset: "synthetic", seed: 1 }),
    fakeRun("eot-2", 2, [90], { profile: "smoke", dataset: "synthetic", seed: 2 }),
  ];
  runs[1].config.backend = { name: "webgpu", adapter: "NVIDIA H200", isSoftware: false, threads: null };

  const environment = await describeEnvironment(runs, new Date("2026-03-01T00:00:00Z"));

  assert.deepEqual([...environment.backends], [["cpu", 1], ["webgpu on NVIDIA H200", 1]]);
  assert.deepEqual([...environment.profiles], [["smoke", 2]]);
  assert.deepEqual([...environment.datasets], [["synthetic (synthetic, 512 train / 128 test images)", 2]]);
  assert.equal(environment.differences.get("epochs: 1 (study: 10)"), 2);
  assert.equal(environment.reportVersions.deno, Deno.version.deno);
});
