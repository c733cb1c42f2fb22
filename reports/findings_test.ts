import assert from "node:assert/strict";
import { type CellTransitions, evaluateFindings, type FindingInput } from "./findings.ts";
import { publishedAccuracy, type StudyModelId } from "./published.ts";
import { publishedFindingInput } from "./verdict.ts";

/** Builds a finding input from the published accuracies, with some cells replaced. */
function input(
  overrides: Partial<Record<string, number | null>> = {},
  transitions: (modelId: StudyModelId, grid: number) => CellTransitions | null = () => null,
): FindingInput {
  return {
    accuracy: (modelId, grid) => {
      const key = `${modelId} ${grid}`;
      return key in overrides ? overrides[key] ?? null : publishedAccuracy(modelId, grid);
    },
    transitions,
  };
}

/** TRM transitions whose epoch grows with the grid. */
function laterOnLargerGrids(modelId: StudyModelId, grid: number): CellTransitions | null {
  if (!modelId.startsWith("trm-")) return null;
  return grid === 2 ? { detected: false, epoch: null } : { detected: true, epoch: grid };
}

Deno.test("evaluateFindings holds the first three on the published table", () => {
  const findings = evaluateFindings(publishedFindingInput(), 3);

  assert.equal(findings.length, 4);
  assert.equal(findings[0].outcome, "holds", findings[0].evidence);
  assert.equal(findings[1].outcome, "holds", findings[1].evidence);
  assert.equal(findings[2].outcome, "holds", findings[2].evidence);
});

Deno.test("evaluateFindings cannot check transitions without curves", () => {
  const findings = evaluateFindings(publishedFindingInput(), 3);

  assert.equal(findings[3].outcome, "cannot be checked");
});

Deno.test("evaluateFindings marks a missing cell as cannot be checked", () => {
  const findings = evaluateFindings(input({ "trm-12 5": null }, laterOnLargerGrids), 3);

  assert.equal(findings[2].outcome, "cannot be checked");
  assert.match(findings[2].evidence, /trm-12 5×5/);
  assert.equal(findings[0].outcome, "holds");
});

Deno.test("evaluateFindings fails small grids below the threshold", () => {
  // Every TRM below 92 % on 3×3.
  const findings = evaluateFindings(input({ "trm-8 3": 91.9, "trm-12 3": 91.5 }), 3);

  assert.equal(findings[0].outcome, "fails");
});

Deno.test("evaluateFindings fails EOT-12 above chance on 5×5", () => {
  const findings = evaluateFindings(input({ "eot-12 5": 40 }), 3);

  assert.equal(findings[1].outcome, "fails");
  assert.match(findings[1].evidence, /\(c\) no/);
});

Deno.test("evaluateFindings fails an EOT that rescues 6×6", () => {
  const findings = evaluateFindings(input({ "eot-8 6": 93 }), 3);

  assert.equal(findings[1].outcome, "fails");
  assert.match(findings[1].evidence, /\(a\) no/);
});

Deno.test("evaluateFindings fails TRM below 91 on 5×5", () => {
  const findings = evaluateFindings(input({ "trm-12 5": 90.9 }), 3);

  assert.equal(findings[2].outcome, "fails");
});

Deno.test("evaluateFindings holds transitions that come later on larger grids", () => {
  const findings = evaluateFindings(input({}, laterOnLargerGrids), 3);

  assert.equal(findings[3].outcome, "holds", findings[3].evidence);
});

Deno.test("evaluateFindings fails transitions that come earlier on larger grids", () => {
  const earlier = (modelId: StudyModelId, grid: number) =>
    modelId.startsWith("trm-") ? { detected: true, epoch: 10 - grid } : null;

  const findings = evaluateFindings(input({}, earlier), 3);

  assert.equal(findings[3].outcome, "fails");
});

Deno.test("evaluateFindings fails a TRM model without transitions", () => {
  const noneForTrm8 = (modelId: StudyModelId, grid: number) =>
    modelId === "trm-8" ? { detected: false, epoch: null } : laterOnLargerGrids(modelId, grid);

  const findings = evaluateFindings(input({}, noneForTrm8), 3);

  assert.equal(findings[3].outcome, "fails");
  assert.match(findings[3].evidence, /trm-8: no transition/);
});

Deno.test("evaluateFindings states each rule with its threshold", () => {
  const findings = evaluateFindings(publishedFindingInput(), 2.5);

  assert.match(findings[0].rule, /92\.50 %/);
  assert.match(findings[2].rule, /91\.50 %/);
  assert.match(findings[1].rule, /within 2\.50 points of chance/);
});
