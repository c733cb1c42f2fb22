/**
 * Per-step cost benchmarks of the study's models on one tfjs backend, one `deno bench`
 * group per grid with EOT-2 as the group's baseline, and a calibration case (a large
 * matrix product) that normalises timings across machines.
 *
 * ```sh
 * deno task bench                                        # every case, defaults below
 * JIGSAW_BENCH_GRIDS=2,3 JIGSAW_BENCH_BATCH=8 deno task bench
 * JIGSAW_BENCH_CASES="eot-2,trm-12" deno task bench      # EOT-2 step, TRM-12 macro-step and batch
 * deno task bench:table                                  # JSON for the report and the cost table
 * ```
 *
 * Environment variables (`deno bench` passes no arguments to bench files):
 * - `JIGSAW_BENCH_BACKEND`: `wasm` (default), `cpu`, `webgpu` or `auto` (WebGPU on a
 *   hardware adapter, else WASM, else CPU).
 * - `JIGSAW_BENCH_BATCH`: puzzles per batch, default 1.
 * - `JIGSAW_BENCH_GRIDS`: comma-separated grid sizes, default `2,3,4,5,6`.
 * - `JIGSAW_BENCH_CASES`: comma-separated case names or name prefixes, such as
 *   `eot-2 step,trm-8,tile encoder`; default every case. The calibration case always runs.
 * - `JIGSAW_BENCH_ITERATIONS`: measured iterations per case after one warm-up, default 2
 *   (at least 6 for the calibration case). `deno bench` runs one more than this when an
 *   iteration takes over 10 ms.
 * - `JIGSAW_BENCH_RECORD`: file to write the run record to (backend, machine, options,
 *   cost columns, per-iteration times); set by `bench/check.ts` and `bench/table.ts`. When
 *   it is set, the cost table is not printed, so stdout holds only the `--json` report.
 * - `JIGSAW_BENCH_PAIRED_CALIBRATION`: `1` runs the calibration product, untimed, before
 *   every timed iteration of the other cases and records its time beside the iteration's.
 *   The regression check sets it and normalises by that time. Default `0`.
 * - `JIGSAW_BENCH_SLOWDOWN`: `case name=repeats` items that repeat a case's timed work,
 *   making it artificially slower; a testing aid for the regression check.
 *
 * Each case builds its model and inputs from a fixed seed in its first call, which is
 * `deno bench`'s warm-up and so not measured, and releases the previous case's tensors
 * first. Every timed iteration ends with an awaited read-back of the step's outputs
 * (`bench/timing.ts`), so the time includes the device's work on WebGPU too. After the
 * last case the suite prints the cost table: parameters, encoder-layer applications and
 * analytical FLOPs per step, achieved FLOP/s and its share of the calibration's.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { selectBackend } from "../train/backend.ts";
import { type BenchCase, benchCases, calibrationCase, caseKey } from "./cases.ts";
import { benchOptionsFromEnv } from "./options.ts";
import {
  formatCostTable,
  pairedCalibrationRatio,
  type RunRecord,
  type StepTime,
  withTimings,
} from "./results.ts";
import { timeOnDevice } from "./timing.ts";
import { createWorkload, type Workload } from "./workloads.ts";

/** Fewest measured iterations of the calibration case. */
const MIN_CALIBRATION_ITERATIONS = 6;

const options = benchOptionsFromEnv(Deno.env.toObject());
const backend = await selectBackend(options.backend);
const cases = benchCases(options);
if (!options.recordPath) console.log(backend.message);

/** Milliseconds of every timed call per case, and of the calibration product paired with it. */
const timings = new Map<string, { stepMs: number[]; calibrationMs: number[] }>();

/** The calibration product run before every timed iteration, with paired calibration on. */
const pairedCalibration = options.pairedCalibration ? createWorkload(calibrationCase()) : null;

/** A stopwatch for untimed work. */
const UNTIMED = { start() {}, end() {} };

/** The case whose model and inputs are alive; only one is at a time. */
let active: { benchCase: BenchCase; workload: Workload; iteration: number } | null = null;

/**
 * Returns the workload of `benchCase` and the number of this call, from 0. The first call
 * releases the previous case's tensors, so no case runs beside another's leftovers.
 */
function activate(benchCase: BenchCase): { workload: Workload; iteration: number } {
  if (active?.benchCase === benchCase) {
    active.iteration++;
  } else {
    active?.workload.dispose();
    active = null;
    active = { benchCase, workload: createWorkload(benchCase), iteration: 0 };
  }
  return active;
}

for (const benchCase of cases) {
  const repeats = options.slowdown.get(benchCase.name) ?? 1;
  // Every other case is normalised by the calibration, and it is cheap, so it gets more iterations.
  const iterations = benchCase.kind === "calibration"
    ? Math.max(options.iterations, MIN_CALIBRATION_ITERATIONS)
    : options.iterations;
  Deno.bench({
    name: benchCase.name,
    group: benchCase.group,
    baseline: benchCase.baseline,
    warmup: 1,
    n: iterations,
    async fn(b) {
      const { workload, iteration } = activate(benchCase);

      // The first call builds the workload and runs its warm-up, untimed. deno bench 2.9.6 always
      // counts its first call as warm-up, because its warm-up loop runs until 10 ms have passed.
      if (iteration === 0) {
        const outputs = workload.warmUp();
        await Promise.all(outputs.map((tensor) => tensor.data()));
        tf.dispose(outputs);
        return;
      }

      const times = timings.get(caseKey(benchCase)) ?? { stepMs: [], calibrationMs: [] };
      timings.set(caseKey(benchCase), times);
      if (pairedCalibration && benchCase.kind !== "calibration") {
        times.calibrationMs.push(await timeOnDevice(UNTIMED, () => pairedCalibration.step(0)));
      }
      times.stepMs.push(await timeOnDevice(b, () => workload.step(iteration), repeats));
    },
  });
}

globalThis.addEventListener("unload", () => {
  active?.workload.dispose();
  pairedCalibration?.dispose();
  pairedCalibration?.dispose();

  if (options.recordPath) {
    const record: RunRecord = {
      machine: {
        os: Deno.build.os,
        arch: Deno.build.arch,
        cores: navigator.hardwareConcurrency,
        memoryBytes: Deno.systemMemoryInfo().total,
      },
      backend: backend.info,
      options: {
        backend: options.backend,
        batchSize: options.batchSize,
        grids: options.grids,
        cases: options.cases,
        iterations: options.iterations,
      },
      cases,
      measurements: Object.fromEntries(timings),
    };
    // unload handlers cannot await, so the write is synchronous.
    Deno.writeTextFileSync(options.recordPath, JSON.stringify(record, null, 2));
    return;
  }

  const times = new Map<string, StepTime>();
  for (const [key, measurement] of timings) {
    const { stepMs } = measurement;
    const mean = stepMs.reduce((sum, ms) => sum + ms, 0) / stepMs.length;
    times.set(key, { mean, min: Math.min(...stepMs), calibrationRatio: pairedCalibrationRatio(measurement) });
  }
  console.log(
    `\nCost per step on ${tf.getBackend()}, batch ${options.batchSize} (mean of the measured iterations):\n`,
  );
  console.log(formatCostTable(withTimings(cases, times)));
});
