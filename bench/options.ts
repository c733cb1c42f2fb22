/**
 * Options of the benchmark suite, read from `JIGSAW_BENCH_*` environment variables
 * because `deno bench` passes no arguments to bench files. The variables are listed
 * in the module comment of `bench/jigsaw_bench.ts`.
 *
 * @module
 */
import type { BackendChoice } from "../train/backend.ts";
import { STUDY_GRIDS } from "../models/config.ts";

/** Backends the suite accepts, the default first. */
export const BENCH_BACKENDS: readonly BackendChoice[] = ["wasm", "cpu", "webgpu", "auto"];

/** Everything that selects and sizes the benchmark cases. */
export interface BenchOptions {
  /** tfjs backend the cases run on (`JIGSAW_BENCH_BACKEND`). @default "wasm" */
  backend: BackendChoice;
  /** Puzzles per batch (`JIGSAW_BENCH_BATCH`). @default 1 */
  batchSize: number;
  /** Grid sizes P (`JIGSAW_BENCH_GRIDS`). @default [2, 3, 4, 5, 6] */
  grids: number[];
  /** Case-name filters (`JIGSAW_BENCH_CASES`); empty selects every case. @default [] */
  cases: string[];
  /** Measured iterations per case, after the warm-up (`JIGSAW_BENCH_ITERATIONS`). @default 2 */
  iterations: number;
  /** File the suite writes its run record to instead of printing the cost table (`JIGSAW_BENCH_RECORD`). @default null */
  recordPath: string | null;
  /**
   * Whether every timed iteration is preceded by an untimed run of the calibration product,
   * whose time normalises that iteration (`JIGSAW_BENCH_PAIRED_CALIBRATION`). The regression
   * check turns it on. @default false
   */
  pairedCalibration: boolean;
  /**
   * Repeat count of the timed work per case name (`JIGSAW_BENCH_SLOWDOWN`), which makes
   * a case artificially slower to test the regression check. @default empty
   */
  slowdown: Map<string, number>;
}

/**
 * Default puzzles per batch. The suite's cost grows about linearly with it. At 1 the
 * default suite took 3 min 56 s on WASM on a 2-core AMD EPYC machine (Deno 2.9.6) that
 * other processes shared. Most of that time goes to the TRM batches of the larger grids.
 */
export const DEFAULT_BATCH_SIZE = 1;

/** Default measured iterations per case. */
export const DEFAULT_ITERATIONS = 2;

/**
 * Reads the suite's options from environment variables, filling defaults.
 * Throws a RangeError naming the variable when a value is invalid.
 *
 * @example
 * ```ts
 * const options = benchOptionsFromEnv({ JIGSAW_BENCH_GRIDS: "2,3", JIGSAW_BENCH_BATCH: "2" });
 * console.log(options.grids, options.batchSize); // [2, 3] 2
 * ```
 */
export function benchOptionsFromEnv(env: Readonly<Record<string, string | undefined>>): BenchOptions {
  const backend = readBackend(env.JIGSAW_BENCH_BACKEND);
  const batchSize = readPositiveInteger("JIGSAW_BENCH_BATCH", env.JIGSAW_BENCH_BATCH, DEFAULT_BATCH_SIZE);
  const grids = readGrids(env.JIGSAW_BENCH_GRIDS);
  const cases = readList(env.JIGSAW_BENCH_CASES);
  const iterations = readPositiveInteger(
    "JIGSAW_BENCH_ITERATIONS",
    env.JIGSAW_BENCH_ITERATIONS,
    DEFAULT_ITERATIONS,
  );
  const recordPath = env.JIGSAW_BENCH_RECORD?.trim() || null;
  const pairedCalibration = readBoolean(
    "JIGSAW_BENCH_PAIRED_CALIBRATION",
    env.JIGSAW_BENCH_PAIRED_CALIBRATION,
  );
  const slowdown = readSlowdown(env.JIGSAW_BENCH_SLOWDOWN);
  return { backend, batchSize, grids, cases, iterations, recordPath, pairedCalibration, slowdown };
}

function readBackend(value: string | undefined): BackendChoice {
  const text = value?.trim();
  if (!text) return BENCH_BACKENDS[0];
  const backend = BENCH_BACKENDS.find((choice) => choice === text);
  if (!backend) {
    throw new RangeError(
      `Invalid JIGSAW_BENCH_BACKEND "${value}": expected one of ${BENCH_BACKENDS.join(", ")}`,
    );
  }
  return backend;
}

function readPositiveInteger(name: string, value: string | undefined, fallback: number): number {
  const text = value?.trim();
  if (!text) return fallback;
  const number = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(number) || number < 1) {
    throw new RangeError(`Invalid ${name} "${value}": expected a positive integer such as ${fallback}`);
  }
  return number;
}

function readBoolean(name: string, value: string | undefined): boolean {
  const text = value?.trim().toLowerCase();
  if (!text || text === "0" || text === "false") return false;
  if (text === "1" || text === "true") return true;
  throw new RangeError(`Invalid ${name} "${value}": expected 1 or 0`);
}

function readGrids(value: string | undefined): number[] {
  const items = readList(value);
  if (items.length === 0) return [...STUDY_GRIDS];

  const grids = items.map((item) => {
    const grid = Number(item);
    if (!/^\d+$/.test(item) || grid < 2 || grid > 16) {
      throw new RangeError(
        `Invalid JIGSAW_BENCH_GRIDS "${value}": "${item}" is not a grid size from 2 to 16; use for example 2,3,4`,
      );
    }
    return grid;
  });
  return [...new Set(grids)].sort((a, b) => a - b);
}

function readList(value: string | undefined): string[] {
  if (!value) return [];
  return value.split(",").map((item) => item.trim()).filter((item) => item.length > 0);
}

function readSlowdown(value: string | undefined): Map<string, number> {
  const slowdown = new Map<string, number>();
  for (const item of readList(value)) {
    const match = /^(.+?)\s*=\s*(\d+)$/.exec(item);
    const factor = match ? Number(match[2]) : 0;
    if (!match || factor < 1) {
      throw new RangeError(
        `Invalid JIGSAW_BENCH_SLOWDOWN "${value}": expected case=repeats items such as "eot-2 step=3"`,
      );
    }
    slowdown.set(match[1], factor);
  }
  return slowdown;
}
