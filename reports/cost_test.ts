import assert from "node:assert/strict";
import { join } from "node:path";
import { fakeRun } from "./_fake_runs.ts";
import { buildCells } from "./cells.ts";
import { type BenchResults, costRows, findNewestBench, readBench } from "./cost.ts";

function benchCase(name: string, model: string, grid: number, msPerStep: number, flopsPerStep: number) {
  return {
    group: `grid ${grid}×${grid}`,
    name,
    model,
    grid,
    batchSize: 4,
    msPerStep,
    flopsPerStep,
    parameterCount: 1,
    layerApplications: 1,
  };
}

const BENCH: BenchResults = {
  machine: "test machine",
  backend: "cpu",
  cases: [
    { ...benchCase("matmul 1024x1024", "x", 0, 5, 2e9), model: null, grid: null, batchSize: null },
    benchCase("eot-8 step", "eot-8", 5, 10, 4e9),
    benchCase("trm-8 macro-step", "trm-8", 5, 12, 5e9),
    benchCase("trm-8 batch", "trm-8", 5, 96, 40e9),
    benchCase("encoder block", "eot-2", 5, 1, 1e8),
  ],
};

Deno.test("costRows pairs TRM batches with the EOT of the same number", () => {
  const cells = buildCells([fakeRun("trm-8", 5, [40, 88])], 3);

  const rows = costRows(BENCH, cells);

  assert.deepEqual(rows.map((row) => row.modelId), ["eot-8", "trm-8"]);
  const [eot, trm] = rows;
  assert.equal(eot.timeRatio, null);
  assert.equal(eot.reproducedPerGflop, null, "the EOT-8 cell has no finished run");
  assert.equal(trm.msPerBatch, 96);
  assert.equal(trm.flopsPerPuzzle, 10e9);
  assert.equal(trm.timeRatio, 9.6);
  assert.equal(trm.flopsRatio, 10);
  assert.equal(trm.reproducedPerGflop, 8.8);
  assert.equal(trm.publishedPerGflop?.toFixed(3), "8.943");
});

Deno.test("readBench rejects a file without cases", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const path = join(folder, "bench.json");
    await Deno.writeTextFile(path, JSON.stringify({ machine: "m" }));

    await assert.rejects(() => readBench(path), { name: "SyntaxError", message: /has no "cases" array/ });
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("readBench names a missing file", async () => {
  await assert.rejects(() => readBench("/nonexistent/bench.json"), {
    name: "NotFound",
    message: /Bench file \/nonexistent\/bench.json not found/,
  });
});

Deno.test("findNewestBench picks the latest bench JSON", async () => {
  const folder = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(folder, "bench-old.json"), "{}");
    await Deno.utime(join(folder, "bench-old.json"), 1000, 1000);
    await Deno.writeTextFile(join(folder, "bench-new.json"), "{}");
    await Deno.writeTextFile(join(folder, "other.json"), "{}");

    assert.equal(await findNewestBench(folder), join(folder, "bench-new.json"));
    assert.equal(await findNewestBench(join(folder, "missing")), null);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("costRows selects cases by kind when present", () => {
  const bench: BenchResults = {
    machine: null,
    backend: null,
    cases: [
      { ...benchCase("eot-12 step", "eot-12", 6, 10, 4e9), kind: "eot-step" },
      { ...benchCase("trm-12 macro-step", "trm-12", 6, 20, 5e9), kind: "trm-macro-step" },
      { ...benchCase("trm-12 whole batch", "trm-12", 6, 240, 60e9), kind: "trm-batch" },
    ],
  };

  const rows = costRows(bench, buildCells([], 3));

  assert.deepEqual(rows.map((row) => [row.modelId, row.msPerBatch]), [["eot-12", 10], ["trm-12", 240]]);
  assert.equal(rows[1].flopsRatio, 15);
});
