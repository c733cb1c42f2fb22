import assert from "node:assert/strict";
import { fakeRun } from "./_fake_runs.ts";
import { buildCell, buildCells, findCell, summarizeSeeds } from "./cells.ts";

Deno.test("buildCell counts 2.9 points off as within 3", () => {
  // EOT-2 on 2×2 is published at 96.18.
  const cell = buildCell("eot-2", 2, [fakeRun("eot-2", 2, [80, 93.28])], 3);

  assert.equal(cell.status, "finished");
  assert.equal(cell.difference?.toFixed(2), "-2.90");
  assert.equal(cell.withinTolerance, true);
});

Deno.test("buildCell counts 3.1 points off as outside 3", () => {
  const below = buildCell("eot-2", 2, [fakeRun("eot-2", 2, [80, 93.08])], 3);
  const above = buildCell("eot-2", 2, [fakeRun("eot-2", 2, [80, 99.28])], 3);

  assert.equal(below.withinTolerance, false);
  assert.equal(above.withinTolerance, false);
});

Deno.test("buildCell counts exactly the tolerance as within", () => {
  const cell = buildCell("eot-2", 2, [fakeRun("eot-2", 2, [93.18])], 3);

  assert.equal(cell.withinTolerance, true);
});

Deno.test("buildCell reports a cell without runs as missing", () => {
  const cell = buildCell("trm-8", 4, [], 3);

  assert.equal(cell.status, "missing");
  assert.equal(cell.final, null);
  assert.equal(cell.difference, null);
  assert.equal(cell.withinTolerance, null);
});

Deno.test("buildCell reports a run short of its epochs as unfinished", () => {
  const cell = buildCell("trm-8", 4, [fakeRun("trm-8", 4, [30, 50], { epochs: 10 })], 3);

  assert.equal(cell.status, "unfinished");
  assert.equal(cell.final, null);
  assert.equal(cell.best, null);
  assert.equal(cell.withinTolerance, null);
});

Deno.test("buildCell averages finished seeds and skips unfinished ones", () => {
  const runs = [
    fakeRun("eot-4", 3, [50, 90], { seed: 1 }),
    fakeRun("eot-4", 3, [50, 94], { seed: 2 }),
    fakeRun("eot-4", 3, [50, 92], { seed: 3 }),
    fakeRun("eot-4", 3, [10], { seed: 4, epochs: 2 }),
  ];

  const cell = buildCell("eot-4", 3, runs, 3);

  assert.equal(cell.final?.count, 3);
  assert.equal(cell.final?.mean.toFixed(6), "92.000000");
  assert.equal(cell.final?.std.toFixed(6), "2.000000");
  assert.equal(cell.runs.length, 4);
});

Deno.test("buildCell takes the best epoch per seed", () => {
  const cell = buildCell("trm-12", 5, [fakeRun("trm-12", 5, [40, 95, 93])], 3);

  assert.equal(cell.best?.mean.toFixed(2), "95.00");
  assert.deepEqual(cell.bestEpochs, [2]);
  assert.equal(cell.final?.mean.toFixed(2), "93.00");
});

Deno.test("buildCells builds 35 cells in table order", () => {
  const cells = buildCells([fakeRun("trm-8", 6, [50])], 3);

  assert.equal(cells.length, 35);
  assert.equal(cells[0].modelId, "eot-2");
  assert.equal(cells[0].grid, 2);
  assert.equal(cells[34].modelId, "trm-12");
  assert.equal(findCell(cells, "trm-8", 6)?.status, "finished");
  assert.equal(findCell(cells, "trm-8", 5)?.status, "missing");
});

Deno.test("summarizeSeeds gives zero spread for one seed", () => {
  assert.deepEqual(summarizeSeeds([42]), { mean: 42, std: 0, count: 1 });
});

Deno.test("summarizeSeeds rejects an empty list", () => {
  assert.throws(() => summarizeSeeds([]), RangeError);
});
