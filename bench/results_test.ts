import assert from "node:assert/strict";
import { benchCases, caseKey } from "./cases.ts";
import {
  benchReport,
  costRatios,
  formatCostTable,
  formatRatioTable,
  median,
  medianRun,
  pairedCalibrationRatio,
  parseSuiteRun,
  type RunRecord,
  type StepTime,
  type SuiteRun,
  withTimings,
} from "./results.ts";

const OPTIONS = {
  backend: "wasm" as const,
  batchSize: 2,
  grids: [2],
  cases: ["eot-2 step", "eot-12 step", "trm-12"],
};
const CASES = benchCases(OPTIONS);

const RECORD: RunRecord = {
  machine: { os: "linux", arch: "x86_64", cores: 2, memoryBytes: 1 },
  backend: { name: "wasm", adapter: null, isSoftware: false, threads: 1 },
  options: { ...OPTIONS, iterations: 2 },
  cases: CASES,
  measurements: { "grid 2×2/eot-2 step": { stepMs: [95, 90, 115], calibrationMs: [190, 200, 230] } },
};

/** `deno bench --json` output with the given mean and fastest milliseconds per case name. */
function denoBenchJson(times: Record<string, [number, number]>): string {
  return JSON.stringify(
    {
      version: 1,
      runtime: "Deno/2.9.6 x86_64-unknown-linux-gnu",
      cpu: "Test CPU",
      benches: CASES.map((c) => ({
        origin: "file:///bench/jigsaw_bench.ts",
        group: c.group,
        name: c.name,
        baseline: c.baseline,
        results: [{ ok: { n: 3, avg: times[c.name][0] * 1e6, min: times[c.name][1] * 1e6 } }],
      })),
    },
    null,
    2,
  );
}

const TIMES: Record<string, [number, number]> = {
  "matmul 1024x1024": [200, 190],
  "eot-2 step": [100, 90],
  "eot-12 step": [400, 380],
  "trm-12 macro-step": [150, 140],
  "trm-12 batch": [1800, 1700],
};

Deno.test("parseSuiteRun joins deno bench output with the record", () => {
  const run = parseSuiteRun(denoBenchJson(TIMES), RECORD);

  assert.equal(run.machine.cpu, "Test CPU");
  assert.equal(run.machine.cores, 2);
  assert.equal(run.backend.name, "wasm");
  assert.deepEqual(run.cases.map((c) => c.name), Object.keys(TIMES));

  const eot = run.cases.find((c) => c.name === "eot-2 step")!;
  assert.equal(eot.msPerStep, 100);
  assert.equal(eot.minMsPerStep, 90);
  assert.equal(eot.calibrationRatio, 0.5);
  assert.equal(run.cases.find((c) => c.name === "eot-12 step")!.calibrationRatio, null);
  assert.equal(eot.flopsPerSecond, eot.flopsPerStep / 0.1);

  const calibration = run.cases[0];
  assert.equal(calibration.shareOfCalibration, 1);
  assert.equal(eot.shareOfCalibration, eot.flopsPerSecond / calibration.flopsPerSecond);
});

Deno.test("parseSuiteRun skips stray output before the JSON", () => {
  const run = parseSuiteRun(`backend wasm\n${denoBenchJson(TIMES)}`, RECORD);

  assert.equal(run.cases.length, CASES.length);
});

Deno.test("parseSuiteRun throws on a failed case", () => {
  const output = JSON.parse(denoBenchJson(TIMES));
  output.benches[1].results = [{ failed: "Kernel not registered" }];

  assert.throws(() => parseSuiteRun(JSON.stringify(output), RECORD), /grid 2×2\/eot-2 step" failed/);
});

Deno.test("parseSuiteRun throws on a missing case", () => {
  const output = JSON.parse(denoBenchJson(TIMES));
  output.benches.pop();

  assert.throws(() => parseSuiteRun(JSON.stringify(output), RECORD), /trm-12 batch" is missing/);
});

Deno.test("parseSuiteRun rejects output without JSON", () => {
  assert.throws(() => parseSuiteRun("error: Module not found", RECORD), SyntaxError);
});

Deno.test("withTimings leaves out cases without a time", () => {
  const times = new Map<string, StepTime>([[caseKey(CASES[1]), {
    mean: 10,
    min: 9,
    calibrationRatio: null,
  }]]);

  const results = withTimings(CASES, times);

  assert.equal(results.length, 1);
  assert.equal(results[0].shareOfCalibration, null);
});

Deno.test("pairedCalibrationRatio takes the median of per-iteration ratios", () => {
  assert.equal(pairedCalibrationRatio({ stepMs: [10, 30, 20], calibrationMs: [100, 100, 50] }), 0.3);
  assert.equal(pairedCalibrationRatio({ stepMs: [10], calibrationMs: [] }), null);
  assert.equal(pairedCalibrationRatio(undefined), null);
  assert.throws(() => pairedCalibrationRatio({ stepMs: [10, 20], calibrationMs: [100] }), RangeError);
});

Deno.test("median handles odd and even lengths", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.throws(() => median([]), RangeError);
});

Deno.test("medianRun takes each case's median over runs", () => {
  const scaled = (factor: number): SuiteRun => {
    const times = Object.fromEntries(
      Object.entries(TIMES).map((
        [name, [mean, min]],
      ) => [name, [mean * factor, min * factor] as [number, number]]),
    );
    return parseSuiteRun(denoBenchJson(times), RECORD);
  };

  const run = medianRun([scaled(1), scaled(3), scaled(2)]);

  assert.equal(run.cases.find((c) => c.name === "eot-2 step")!.msPerStep, 200);
  assert.equal(run.cases.find((c) => c.name === "eot-2 step")!.minMsPerStep, 180);
  assert.throws(() => medianRun([]), RangeError);
});

Deno.test("costRatios divides TRM batches by EOT steps per grid", () => {
  const run = parseSuiteRun(denoBenchJson(TIMES), RECORD);

  assert.deepEqual(costRatios(run.cases), [
    { grid: 2, trmModel: "trm-12", eotModel: "eot-2", ratio: 18 },
    { grid: 2, trmModel: "trm-12", eotModel: "eot-12", ratio: 4.5 },
  ]);
});

Deno.test("benchReport has the fields the report generator reads", () => {
  const run = parseSuiteRun(denoBenchJson(TIMES), RECORD);

  const report = benchReport(run, new Date("2026-01-02T03:04:05Z"));

  assert.equal(report.createdAt, "2026-01-02T03:04:05.000Z");
  assert.equal(report.backend.name, "wasm");
  assert.equal(report.machine.cpu, "Test CPU");
  assert.deepEqual(Object.keys(report.cases[1]), [
    "group",
    "name",
    "kind",
    "model",
    "grid",
    "batchSize",
    "msPerStep",
    "flopsPerStep",
    "parameterCount",
    "layerApplications",
    "flopsPerSecond",
    "shareOfCalibration",
  ]);
  assert.equal(report.ratios.length, 2);
});

Deno.test("formatCostTable prints one row per case", () => {
  const run = parseSuiteRun(denoBenchJson(TIMES), RECORD);

  const lines = formatCostTable(run.cases).split("\n");

  assert.equal(lines.length, 2 + CASES.length);
  assert.match(lines[0], /\| group +\| case +\| ms\/step \| parameters \|/);
  assert.match(lines[3], /\| grid 2×2 +\| eot-2 step +\| +100\.0 \| +709,513 \| +2 \|/);
});

Deno.test("formatRatioTable puts EOT models in columns", () => {
  const table = formatRatioTable([
    { grid: 2, trmModel: "trm-12", eotModel: "eot-2", ratio: 18 },
    { grid: 2, trmModel: "trm-12", eotModel: "eot-12", ratio: 4.5 },
  ]);

  const lines = table.split("\n");
  assert.match(lines[0], /TRM batch \| grid \| \/ eot-2 step \| \/ eot-12 step/);
  assert.match(lines[2], /trm-12 +\| 2×2 +\| +18\.0× \| +4\.5× \|/);
});
