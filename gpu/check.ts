/**
 * GPU check: prints the WebGPU adapter and compares one training step of an EOT and a TRM
 * on WebGPU with the CPU backend. Then it runs the benchmark suite on WebGPU one grid at a
 * time and prints each grid's cost table and the TRM batch / EOT step ratios. It exits with 1
 * when no adapter is found, a comparison fails or the benchmark fails, and with 2 on invalid options.
 *
 * ```sh
 * bash gpu/check.sh                                   # unpacks gpu/pack/ if needed, then runs this
 * deno run --allow-all gpu/check.ts --grids 2 --batch 1 --verify-models eot-2 --verify-grid 2
 * deno task gpu:check --skip-bench --output out/gpu-bench.json
 * ```
 *
 * The comparison runs first because a backend that returns wrong numbers makes its timings
 * meaningless, so the benchmark is skipped when it fails.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { dirname } from "node:path";
import { modelConfig } from "../models/config.ts";
import { probeWebGpu, selectBackend } from "../train/backend.ts";
import { verifyBackend } from "../train/verify_backend.ts";
import { CALIBRATION_GROUP } from "../bench/cases.ts";
import {
  benchReport,
  costRatios,
  formatCostTable,
  formatRatioTable,
  type SuiteRun,
} from "../bench/results.ts";
import { optionsToEnv, runSuite, type SuiteRunner } from "../bench/suite.ts";
import { type CheckOptions, parseCheckArgs } from "./options.ts";
import { checkVerdict, type ComparisonOutcome, formatAdapterLine, formatComparisonLine } from "./summary.ts";

/** Runs the check with `args` and returns the exit code. `runner` runs the benchmark suite once for one grid. */
export async function main(args: string[], runner: SuiteRunner = runSuite): Promise<number> {
  let options: CheckOptions;
  try {
    options = parseCheckArgs(args);
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    return 2;
  }
  const started = performance.now();
  console.log(`Deno ${Deno.version.deno}, tfjs-core ${tf.version_core}, ${Deno.build.target}`);

  // 1. Adapter.
  const probe = await probeWebGpu();
  console.log(formatAdapterLine(probe));
  if (!probe.description) {
    console.log(checkVerdict(probe, []).line);
    return 1;
  }

  // 2. One training step per model on WebGPU against the CPU backend.
  const selection = await selectBackend("webgpu");
  console.log(selection.message);
  const outcomes: ComparisonOutcome[] = [];
  for (const model of options.verifyModels) {
    outcomes.push(await compareWithCpu(model, options.verifyGrid));
    console.log(formatComparisonLine(outcomes[outcomes.length - 1]));
  }
  const verdict = checkVerdict(probe, outcomes);
  console.log(verdict.line);
  if (!verdict.passed) return 1;

  // 3. Benchmark, one suite run per grid so that a run stopped by a time limit still printed the smaller grids.
  if (!options.skipBench) {
    try {
      await runBenchmark(options, runner);
    } catch (error) {
      console.log(`GPU benchmark FAILED: ${(error as Error).message}`);
      return 1;
    }
  }

  console.log(`\nGPU check finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

async function compareWithCpu(model: string, grid: number): Promise<ComparisonOutcome> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    const verification = await verifyBackend(modelConfig(model, grid));
    return { model, grid, verification, failure: null, seconds: seconds() };
  } catch (error) {
    return { model, grid, verification: null, failure: (error as Error).message, seconds: seconds() };
  }
}

async function runBenchmark(options: CheckOptions, runner: SuiteRunner): Promise<void> {
  const runs: SuiteRun[] = [];
  for (const grid of options.grids) {
    const started = performance.now();
    console.log(`\nbenchmark: grid ${grid}×${grid}, batch ${options.batchSize}, webgpu`);
    const run = await runner(optionsToEnv({
      backend: "webgpu",
      batchSize: options.batchSize,
      grids: [grid],
      cases: options.cases,
      iterations: options.iterations,
    }));
    runs.push(run);

    if (runs.length === 1) {
      const { machine, backend } = run;
      console.log(
        `${machine.cpu}, ${machine.cores} cores, ${machine.runtime}; backend ${backend.name} on ${backend.adapter}`,
      );
    }
    console.log(formatCostTable(run.cases));
    console.log(`grid ${grid}×${grid} took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }

  const merged = mergeRuns(runs, options.grids);
  const ratios = costRatios(merged.cases);
  if (ratios.length > 0) {
    console.log("\nTime of one TRM batch (all macro-steps) over one EOT training step:\n");
    console.log(formatRatioTable(ratios));
  }
  if (options.output) {
    await Deno.mkdir(dirname(options.output), { recursive: true });
    await Deno.writeTextFile(options.output, `${JSON.stringify(benchReport(merged, new Date()), null, 2)}\n`);
    console.log(`Wrote ${options.output}`);
  }
}

/** Joins per-grid runs into one run of all grids, keeping the first run's calibration case. */
function mergeRuns(runs: readonly SuiteRun[], grids: number[]): SuiteRun {
  const calibration = runs[0].cases.filter((c) => c.group === CALIBRATION_GROUP);
  const gridCases = runs.flatMap((run) => run.cases.filter((c) => c.group !== CALIBRATION_GROUP));
  return { ...runs[0], options: { ...runs[0].options, grids }, cases: [...calibration, ...gridCases] };
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
