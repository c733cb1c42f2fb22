import assert from "node:assert/strict";
import {
  DEFAULT_BATCH_SIZES,
  DEFAULT_GRIDS,
  DEFAULT_IMAGES,
  parseDataThroughputArgs,
} from "./data_throughput_options.ts";
import {
  comparisonLines,
  fastestStepsFromReport,
  formatRate,
  formatRatio,
  formatThroughputTable,
  loadingRatio,
  type LoadMeasurement,
  loadsWithSteps,
  ratePerSecond,
  stepForGrid,
  stepFromFlag,
} from "./data_throughput_report.ts";
import { main } from "./data_throughput.ts";

Deno.test("parseDataThroughputArgs fills defaults", () => {
  const options = parseDataThroughputArgs([], 4);

  assert.equal(options.images, DEFAULT_IMAGES);
  assert.deepEqual(options.grids, DEFAULT_GRIDS);
  assert.deepEqual(options.batchSizes, DEFAULT_BATCH_SIZES);
  assert.equal(options.workers, 4);
  assert.equal(options.output, null);
  assert.equal(options.stepMs, null);
  assert.equal(options.stepBatch, 1);
  assert.equal(options.help, false);
});

Deno.test("parseDataThroughputArgs reads every flag", () => {
  const options = parseDataThroughputArgs([
    "--images",
    "64",
    "--grid",
    "2, 6,2",
    "--batch=16,8",
    "--workers",
    "3",
    "--output",
    "out/data.json",
    "--step-ms",
    "70.5",
    "--step-batch",
    "4",
    "--help",
  ], 2);

  assert.equal(options.images, 64);
  assert.deepEqual(options.grids, [2, 6]);
  assert.deepEqual(options.batchSizes, [16, 8]);
  assert.equal(options.workers, 3);
  assert.equal(options.output, "out/data.json");
  assert.equal(options.stepMs, 70.5);
  assert.equal(options.stepBatch, 4);
  assert.equal(options.help, true);
});

Deno.test("parseDataThroughputArgs rejects invalid values", () => {
  const cases: [string[], RegExp][] = [
    [["--images", "0"], /Invalid --images "0"/],
    [["--images", "1.5"], /Invalid --images "1.5"/],
    [["--grid", "1"], /Invalid --grid "1": "1" is not an integer from 2 to 16/],
    [["--grid", "17"], /Invalid --grid "17"/],
    [["--grid", ","], /Invalid --grid ",": expected one or more integers/],
    [["--batch", "0"], /Invalid --batch "0": "0" is not a positive integer/],
    [["--workers", "two"], /Invalid --workers "two"/],
    [["--step-ms=-3"], /Invalid --step-ms "-3"/],
    [["--step-ms", "fast"], /Invalid --step-ms "fast"/],
    [["--step-batch", "0"], /Invalid --step-batch "0"/],
    [["--output", ""], /Invalid --output ""/],
    [["--images", "100", "--batch", "128"], /Invalid --images 100: a batch of 128 needs at least 128 images/],
  ];
  for (const [args, message] of cases) {
    assert.throws(() => parseDataThroughputArgs(args, 2), { name: "RangeError", message }, args.join(" "));
  }
});

Deno.test("parseDataThroughputArgs rejects unknown flags and positionals", () => {
  assert.throws(() => parseDataThroughputArgs(["--imgs", "4"], 2), TypeError);
  assert.throws(() => parseDataThroughputArgs(["extra"], 2), TypeError);
  assert.throws(() => parseDataThroughputArgs(["--grid"], 2), TypeError);
});

Deno.test("main returns 2 with one error line for a bad flag", async () => {
  const lines: string[] = [];
  const originalError = console.error;
  console.error = (...parts: unknown[]) => lines.push(parts.join(" "));
  try {
    assert.equal(await main(["--grid", "x"]), 2);
    assert.equal(await main(["--unknown"]), 2);
  } finally {
    console.error = originalError;
  }

  assert.equal(lines.length, 2);
  assert.match(lines[0], /^error: Invalid --grid "x": "x" is not an integer from 2 to 16\. Run with --help/);
  assert.match(lines[1], /^error: .*--unknown.*\. Run with --help for the flags\.$/);
});

/** Returns a report shaped like the JSON of `deno task bench:table`, reduced to the fields read. */
function benchReport() {
  return {
    cases: [
      { kind: "calibration", name: "matmul 1024x1024", grid: null, batchSize: null, msPerStep: 140 },
      { kind: "eot-step", name: "eot-2 step", grid: 2, batchSize: 1, msPerStep: 70 },
      { kind: "eot-step", name: "eot-4 step", grid: 2, batchSize: 1, msPerStep: 110 },
      // Faster per image than eot-2 (4 images in 200 ms), so it wins grid 2.
      { kind: "trm-batch", name: "trm-8 batch", grid: 2, batchSize: 4, msPerStep: 200 },
      // A macro-step reuses its batch, so it never counts, however fast.
      { kind: "trm-macro-step", name: "trm-8 macro-step", grid: 5, batchSize: 1, msPerStep: 1 },
      { kind: "tile-encoder", name: "tile encoder", grid: 5, batchSize: 1, msPerStep: 2 },
      { kind: "eot-step", name: "eot-2 step", grid: 5, batchSize: 1, msPerStep: 125 },
    ],
  };
}

function load(source: LoadMeasurement["source"], grid: number, batchSize: number, imagesPerSecond: number) {
  return {
    source,
    grid,
    batchSize,
    batches: 10,
    seconds: 10 * batchSize / imagesPerSecond,
    batchesPerSecond: imagesPerSecond / batchSize,
    imagesPerSecond,
  };
}

Deno.test("fastestStepsFromReport picks the fastest batch consumer per grid", () => {
  const steps = fastestStepsFromReport(benchReport(), "bench.json");

  assert.equal(steps.length, 2);
  assert.equal(steps[0].grid, 2);
  assert.equal(steps[0].name, "trm-8 batch");
  assert.equal(steps[0].imagesPerSecond, 20);
  assert.equal(steps[0].source, "bench.json");
  assert.equal(steps[1].grid, 5);
  assert.equal(steps[1].name, "eot-2 step");
  assert.equal(steps[1].msPerStep, 125);
  assert.equal(steps[1].imagesPerSecond, 8);
});

Deno.test("fastestStepsFromReport rejects malformed reports", () => {
  assert.throws(() => fastestStepsFromReport({}, "a.json"), {
    name: "SyntaxError",
    message: /a\.json has no "cases"/,
  });
  assert.throws(() => fastestStepsFromReport(null, "a.json"), SyntaxError);
  assert.throws(
    () =>
      fastestStepsFromReport(
        { cases: [{ kind: "eot-step", name: "eot-2 step", grid: 2, batchSize: 1 }] },
        "b.json",
      ),
    { name: "SyntaxError", message: /b\.json has case "eot-2 step" without a positive/ },
  );
});

Deno.test("stepForGrid prefers the grid's own step over a flag step", () => {
  const fromReport = fastestStepsFromReport(benchReport(), "bench.json");
  const fromFlag = stepFromFlag(50, 2);

  assert.equal(stepForGrid(fromReport, 5)?.name, "eot-2 step");
  assert.equal(stepForGrid(fromReport, 3), null);
  assert.equal(stepForGrid([fromFlag], 3), fromFlag);
  assert.equal(fromFlag.imagesPerSecond, 40);
  assert.equal(fromFlag.grid, null);
});

Deno.test("loadingRatio compares images per second", () => {
  const step = stepFromFlag(100, 4);

  assert.equal(loadingRatio(load("image cache", 5, 128, 400), step), 10);
  assert.equal(loadingRatio(load("image cache", 5, 32, 20), step), 0.5);
});

Deno.test("ratePerSecond returns zero without elapsed time", () => {
  assert.equal(ratePerSecond(10, 0), 0);
  assert.equal(ratePerSecond(10, 4), 2.5);
});

Deno.test("formatRate and formatRatio keep about three digits", () => {
  assert.equal(formatRate(12345.6), "12,346");
  assert.equal(formatRate(123.4), "123");
  assert.equal(formatRate(12.34), "12.3");
  assert.equal(formatRate(1.234), "1.23");
  assert.equal(formatRatio(4036.1), "4,036×");
  assert.equal(formatRatio(0.8), "0.80×");
});

Deno.test("formatThroughputTable lists builds, loads and ratios", () => {
  const builds = [{ grid: 5, side: 80, workers: 2, images: 256, seconds: 4, imagesPerSecond: 64 }];
  const loads = [load("image cache", 5, 128, 8000), load("synthetic, first epoch", 3, 32, 400)];
  const steps = fastestStepsFromReport(benchReport(), "bench.json");

  const lines = formatThroughputTable(builds, loads, steps).split("\n");

  assert.equal(lines.length, 5);
  assert.match(
    lines[0],
    /^\| stage +\| source +\| grid \| batch \| workers \| images\/s \| batches\/s \| loading \/ step \|$/,
  );
  assert.match(lines[1], /^\|-+\|-+\|-+:\|/);
  assert.match(lines[2], /^\| build cache +\| 256 files +\| +5×5 \| +\| +2 \| +64\.0 \| +\| +\|$/);
  assert.match(
    lines[3],
    /^\| load batches \| image cache +\| +5×5 \| +128 \| +\| +8,000 \| +62\.5 \| +1,000× \|$/,
  );
  assert.match(lines[4], /\| synthetic, first epoch \| +3×3 \| +32 \| .* +n\/a \|$/);
  assert.ok(lines.every((line) => line.length === lines[0].length), "rows have equal width");
});

Deno.test("comparisonLines reports the smallest margin when loading keeps up", () => {
  const steps = [stepFromFlag(100, 1)];
  const lines = comparisonLines(
    [load("image cache", 5, 128, 800), load("synthetic, memoized", 5, 32, 50)],
    steps,
  );

  assert.equal(lines.length, 2);
  assert.match(
    lines[0],
    /^Grid 5×5: fastest step --step-ms, 100\.0 ms per batch of 1 \(10\.0 images\/s, given with --step-ms\)\.$/,
  );
  assert.match(
    lines[1],
    /every row; the smallest margin is 5\.00× \(synthetic, memoized, grid 5×5, batch 32\)\.$/,
  );
});

Deno.test("comparisonLines names the rows slower than the step", () => {
  const steps = [stepFromFlag(100, 1)];
  const lines = comparisonLines(
    [load("image cache", 5, 128, 800), load("synthetic, first epoch", 5, 32, 8)],
    steps,
  );

  assert.match(
    lines[1],
    /^Loading is NOT faster than the fastest step in 1 row\(s\): synthetic, first epoch, grid 5×5, batch 32 at 0\.80×\.$/,
  );
});

Deno.test("comparisonLines says what to do without a step time", () => {
  const lines = comparisonLines([load("image cache", 4, 128, 800)], []);

  assert.deepEqual(lines, [
    "Grid 4×4: no step time to compare with; run deno task bench:table or pass --step-ms.",
  ]);
});

Deno.test("loadsWithSteps adds the step and ratio of each load", () => {
  const steps = fastestStepsFromReport(benchReport(), "bench.json");
  const loads = loadsWithSteps([load("image cache", 5, 128, 80), load("image cache", 6, 128, 80)], steps);

  assert.equal(loads[0].step?.name, "eot-2 step");
  assert.equal(loads[0].ratioToStep, 10);
  assert.equal(loads[1].step, null);
  assert.equal(loads[1].ratioToStep, null);
});
