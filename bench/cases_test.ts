import assert from "node:assert/strict";
import { modelConfig, parameterCount } from "../models/config.ts";
import { benchCases, CALIBRATION_GROUP, caseKey, gridGroup, matchesCaseFilter } from "./cases.ts";
import { eotStepFlops, trmBatchFlops, trmMacroStepFlops } from "./costs.ts";

Deno.test("benchCases lists every case of each grid", () => {
  const cases = benchCases({ batchSize: 4, grids: [2, 6], cases: [] });

  assert.equal(cases[0].group, CALIBRATION_GROUP);
  assert.deepEqual(
    cases.filter((c) => c.group === gridGroup(2)).map((c) => c.name),
    [
      "eot-2 step",
      "eot-4 step",
      "eot-6 step",
      "eot-8 step",
      "eot-12 step",
      "trm-8 macro-step",
      "trm-8 batch",
      "trm-12 macro-step",
      "trm-12 batch",
      "tile encoder",
      "encoder block",
    ],
  );
  assert.equal(cases.length, 1 + 2 * 11);
  assert.equal(new Set(cases.map(caseKey)).size, cases.length);
});

Deno.test("benchCases marks EOT-2 as each grid's baseline", () => {
  const cases = benchCases({ batchSize: 4, grids: [3, 4], cases: [] });

  const baselines = cases.filter((c) => c.baseline && c.group !== CALIBRATION_GROUP);
  assert.deepEqual(baselines.map(caseKey), ["grid 3×3/eot-2 step", "grid 4×4/eot-2 step"]);
});

Deno.test("benchCases fills the cost columns", () => {
  const cases = benchCases({ batchSize: 8, grids: [5], cases: [] });
  const byName = new Map(cases.map((c) => [c.name, c]));

  const eot = byName.get("eot-6 step")!;
  assert.equal(eot.parameterCount, 1_801_412);
  assert.equal(eot.layerApplications, 6);
  assert.equal(eot.flopsPerStep, eotStepFlops(modelConfig("eot-6", 5), 8));
  assert.equal(eot.batchSize, 8);
  assert.equal(eot.grid, 5);

  const macroStep = byName.get("trm-12 macro-step")!;
  assert.equal(macroStep.parameterCount, parameterCount(modelConfig("trm-12", 5)));
  assert.equal(macroStep.layerApplications, 16);
  assert.equal(macroStep.flopsPerStep, trmMacroStepFlops(modelConfig("trm-12", 5), 8));

  const batch = byName.get("trm-12 batch")!;
  assert.equal(batch.layerApplications, 192);
  assert.equal(batch.flopsPerStep, trmBatchFlops(modelConfig("trm-12", 5), 8));

  assert.equal(byName.get("tile encoder")!.layerApplications, 0);
  assert.equal(byName.get("tile encoder")!.model, null);
  assert.equal(byName.get("encoder block")!.layerApplications, 1);
  assert.equal(byName.get("matmul 1024x1024")!.flopsPerStep, 2 * 1024 ** 3);
});

Deno.test("benchCases keeps the calibration case under any filter", () => {
  const cases = benchCases({ batchSize: 2, grids: [2], cases: ["trm-8", "encoder block"] });

  assert.deepEqual(cases.map((c) => c.name), [
    "matmul 1024x1024",
    "trm-8 macro-step",
    "trm-8 batch",
    "encoder block",
  ]);
});

Deno.test("matchesCaseFilter matches whole names and name prefixes", () => {
  assert.equal(matchesCaseFilter("trm-8 batch", []), true);
  assert.equal(matchesCaseFilter("trm-8 batch", ["trm-8"]), true);
  assert.equal(matchesCaseFilter("trm-8 batch", ["trm-8 batch"]), true);
  assert.equal(matchesCaseFilter("eot-12 step", ["eot-1"]), false);
  assert.equal(matchesCaseFilter("eot-12 step", ["eot-2"]), false);
});
