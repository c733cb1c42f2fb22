import assert from "node:assert/strict";
import { fakeRun } from "./_fake_runs.ts";
import { buildCells } from "./cells.ts";
import { publishedAccuracy } from "./published.ts";
import { cellTransitions, checkPasses, computeVerdict } from "./verdict.ts";
import { findCell } from "./cells.ts";

Deno.test("computeVerdict counts cells within tolerance", () => {
  const runs = [
    fakeRun("eot-2", 2, [50, publishedAccuracy("eot-2", 2) - 2.9]),
    fakeRun("eot-2", 3, [50, publishedAccuracy("eot-2", 3) + 3.1]),
    fakeRun("trm-8", 4, [50], { epochs: 10 }),
  ];

  const verdict = computeVerdict(buildCells(runs, 3), 3);

  assert.equal(verdict.cellsTotal, 35);
  assert.equal(verdict.cellsWithin, 1);
  assert.equal(verdict.cellsFinished, 2);
  assert.equal(verdict.cellsUnfinished, 1);
  assert.equal(verdict.cellsMissing, 32);
  assert.equal(verdict.findings.length, 4);
  for (const finding of verdict.findings) assert.equal(finding.outcome, "cannot be checked");
});

Deno.test("checkPasses compares cells within tolerance with the minimum", () => {
  const runs = [
    fakeRun("eot-2", 2, [publishedAccuracy("eot-2", 2)]),
    fakeRun("eot-4", 2, [publishedAccuracy("eot-4", 2)]),
  ];
  const verdict = computeVerdict(buildCells(runs, 3), 3);

  assert.equal(checkPasses(verdict, 35), false);
  assert.equal(checkPasses(verdict, 3), false);
  assert.equal(checkPasses(verdict, 2), true);
  assert.equal(checkPasses(verdict, 0), true);
});

Deno.test("cellTransitions averages the largest jump's epoch over seeds", () => {
  const runs = [
    fakeRun("trm-8", 5, [12, 12, 12, 70, 72], { seed: 1 }),
    fakeRun("trm-8", 5, [12, 12, 12, 12, 70], { seed: 2 }),
    fakeRun("trm-8", 5, [20, 30, 40, 50, 60], { seed: 3 }),
  ];
  const cell = findCell(buildCells(runs, 3), "trm-8", 5)!;

  assert.deepEqual(cellTransitions(cell), { detected: true, epoch: 4.5 });
});

Deno.test("cellTransitions returns null without a finished run", () => {
  const cell = findCell(buildCells([fakeRun("trm-8", 5, [12], { epochs: 3 })], 3), "trm-8", 5)!;

  assert.equal(cellTransitions(cell), null);
});

Deno.test("cellTransitions reports none on a smooth curve", () => {
  const cell = findCell(buildCells([fakeRun("trm-8", 5, [20, 30, 40, 50, 60])], 3), "trm-8", 5)!;

  assert.deepEqual(cellTransitions(cell), { detected: false, epoch: null });
});
