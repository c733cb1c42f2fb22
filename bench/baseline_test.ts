import assert from "node:assert/strict";
import {
  type Baseline,
  buildBaseline,
  compareWithBaseline,
  formatComparison,
  medianNormalisedTimes,
  readBaseline,
  writeBaseline,
} from "./baseline.ts";
import { benchCases } from "./cases.ts";
import { type StepTime, type SuiteRun, withTimings } from "./results.ts";

const OPTIONS = {
  backend: "wasm" as const,
  batchSize: 2,
  grids: [2],
  cases: ["eot-2 step", "tile encoder"],
  iterations: 2,
};
const CASES = benchCases(OPTIONS);

/**
 * Builds a run whose steps take the given milliseconds each (means 10 ms more), with the
 * paired calibration product taking `calibrationMs` beside every step.
 */
function run(stepMs: Record<string, number>, calibrationMs = 100): SuiteRun {
  const times = new Map<string, StepTime>(
    CASES.map((c) => {
      const ms = c.kind === "calibration" ? calibrationMs : stepMs[c.name];
      const calibrationRatio = c.kind === "calibration" ? null : ms / calibrationMs;
      return [`${c.group}/${c.name}`, { mean: ms + 10, min: ms, calibrationRatio }];
    }),
  );
  return {
    machine: { cpu: "Test CPU", runtime: "Deno", os: "linux", arch: "x86_64", cores: 2, memoryBytes: 1 },
    backend: { name: "wasm", adapter: null, isSoftware: false, threads: 1 },
    options: OPTIONS,
    cases: withTimings(CASES, times),
  };
}

Deno.test("medianNormalisedTimes takes the median of paired ratios over runs", () => {
  const runs = [
    run({ "eot-2 step": 50, "tile encoder": 20 }),
    // A moment twice as slow: the same normalised times.
    run({ "eot-2 step": 100, "tile encoder": 40 }, 200),
    run({ "eot-2 step": 90, "tile encoder": 20 }),
  ];

  const times = medianNormalisedTimes(runs);

  assert.deepEqual([...times], [["grid 2×2/eot-2 step", 0.5], ["grid 2×2/tile encoder", 0.2]]);
});

Deno.test("medianNormalisedTimes throws without paired calibration", () => {
  const unpaired = run({ "eot-2 step": 50, "tile encoder": 20 });
  unpaired.cases[1].calibrationRatio = null;

  assert.throws(
    () => medianNormalisedTimes([unpaired]),
    /"grid 2×2\/eot-2 step" has no paired calibration time: run the suite with JIGSAW_BENCH_PAIRED_CALIBRATION=1/,
  );
});

Deno.test("buildBaseline records machine, backend, options and medians", () => {
  const runs = [
    run({ "eot-2 step": 50, "tile encoder": 20 }),
    run({ "eot-2 step": 70, "tile encoder": 30 }),
    run({ "eot-2 step": 60, "tile encoder": 25 }),
  ];

  const baseline = buildBaseline(runs, new Date("2026-01-01T00:00:00Z"));

  assert.equal(baseline.createdAt, "2026-01-01T00:00:00.000Z");
  assert.equal(baseline.machine.cpu, "Test CPU");
  assert.equal(baseline.backend.name, "wasm");
  assert.deepEqual(baseline.options, OPTIONS);
  assert.equal(baseline.runs, 3);
  assert.deepEqual(baseline.cases, [
    { group: "grid 2×2", name: "eot-2 step", normalisedTime: 0.6, msPerStep: 70 },
    { group: "grid 2×2", name: "tile encoder", normalisedTime: 0.25, msPerStep: 35 },
  ]);
});

const BASELINE: Baseline = buildBaseline(
  [run({ "eot-2 step": 50, "tile encoder": 20 })],
  new Date("2026-01-01T00:00:00Z"),
);

Deno.test("compareWithBaseline passes cases within the margin", () => {
  const current = new Map([["grid 2×2/eot-2 step", 0.6], ["grid 2×2/tile encoder", 0.1]]);

  const comparison = compareWithBaseline(BASELINE, current, 0.25);

  assert.deepEqual(comparison.rows.map((row) => row.regressed), [false, false]);
  assert.ok(Math.abs(comparison.rows[0].change - 0.2) < 1e-12);
  assert.deepEqual(comparison.missing, []);
  assert.deepEqual(comparison.unknown, []);
});

Deno.test("compareWithBaseline flags a case slower than the margin", () => {
  const current = new Map([["grid 2×2/eot-2 step", 0.65], ["grid 2×2/tile encoder", 0.2]]);

  const comparison = compareWithBaseline(BASELINE, current, 0.25);

  assert.deepEqual(comparison.rows.filter((row) => row.regressed).map((row) => row.key), [
    "grid 2×2/eot-2 step",
  ]);
  assert.equal(compareWithBaseline(BASELINE, current, 0.5).rows.some((row) => row.regressed), false);
});

Deno.test("compareWithBaseline lists missing and unknown cases", () => {
  const current = new Map([["grid 2×2/eot-2 step", 0.5], ["grid 3×3/eot-2 step", 0.7]]);

  const comparison = compareWithBaseline(BASELINE, current, 0.25);

  assert.deepEqual(comparison.missing, ["grid 2×2/tile encoder"]);
  assert.deepEqual(comparison.unknown, ["grid 3×3/eot-2 step"]);
});

Deno.test("compareWithBaseline rejects a negative margin", () => {
  assert.throws(() => compareWithBaseline(BASELINE, new Map(), -0.1), RangeError);
});

Deno.test("formatComparison prints signed percentages", () => {
  const current = new Map([["grid 2×2/eot-2 step", 0.75], ["grid 2×2/tile encoder", 0.1]]);

  const table = formatComparison(compareWithBaseline(BASELINE, current, 0.25).rows);

  assert.match(table, /\| grid 2×2\/eot-2 step +\| +0\.500 \| +0\.750 \| +\+50\.0% \|/);
  assert.match(table, /\| grid 2×2\/tile encoder +\| +0\.200 \| +0\.100 \| +-50\.0% \|/);
});

Deno.test("readBaseline reads what writeBaseline wrote", async () => {
  const path = await Deno.makeTempFile({ suffix: ".json" });
  try {
    await writeBaseline(path, BASELINE);

    assert.deepEqual(await readBaseline(path), BASELINE);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("readBaseline names a missing file and the fix", async () => {
  await assert.rejects(readBaseline("/nonexistent/baseline.json"), (error: unknown) => {
    assert.ok(error instanceof Deno.errors.NotFound);
    assert.match(
      error.message,
      /\/nonexistent\/baseline\.json not found: write one with "deno task bench:baseline"/,
    );
    return true;
  });
});

Deno.test("readBaseline rejects a file of another shape", async () => {
  const path = await Deno.makeTempFile({ suffix: ".json" });
  try {
    await Deno.writeTextFile(path, JSON.stringify({ cases: [{ name: "x" }] }));

    await assert.rejects(readBaseline(path), SyntaxError);
  } finally {
    await Deno.remove(path);
  }
});
