/**
 * Command-line options of the GPU check (`gpu/check.ts`): which models are compared with
 * the CPU backend and on which grid, and the size of the benchmark that follows.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { modelConfig } from "../models/config.ts";

/** Everything the GPU check runs, with the defaults of a run on one GPU. */
export interface CheckOptions {
  /** Models whose training step is compared with the CPU backend (`--verify-models`). @default ["eot-2", "trm-8"] */
  verifyModels: string[];
  /** Grid size of that comparison (`--verify-grid`). @default 3 */
  verifyGrid: number;
  /** Grid sizes of the benchmark, run one after another (`--grids`). @default [2, 4, 6] */
  grids: number[];
  /** Puzzles per benchmark batch (`--batch`). @default 8 */
  batchSize: number;
  /** Case-name filters of the benchmark (`--cases`); empty selects every case. @default [] */
  cases: string[];
  /** Measured iterations per benchmark case after the warm-up (`--iterations`). @default 2 */
  iterations: number;
  /** Whether the benchmark is skipped (`--skip-bench`). @default false */
  skipBench: boolean;
  /** File the benchmark report JSON is written to (`--output`), or null for none. @default null */
  output: string | null;
}

/** Usage line printed with option errors. */
export const USAGE = "Usage: bash gpu/check.sh [--verify-models eot-2,trm-8] [--verify-grid 3] " +
  "[--grids 2,4,6] [--batch 8] [--cases eot-2,trm-8] [--iterations 2] [--skip-bench] [--output FILE]";

/**
 * Default benchmark size. NOTE: an estimate, not a measurement on a GPU: grids 2, 4 and 6
 * with a batch of 8 are meant to keep the whole check under 8 minutes on one datacenter GPU.
 */
export const DEFAULT_CHECK_OPTIONS: Readonly<CheckOptions> = {
  verifyModels: ["eot-2", "trm-8"],
  verifyGrid: 3,
  grids: [2, 4, 6],
  batchSize: 8,
  cases: [],
  iterations: 2,
  skipBench: false,
  output: null,
};

/**
 * Parses the check's arguments, filling defaults.
 * Throws a RangeError naming the option when a value is invalid, and a TypeError for an unknown option.
 *
 * @example
 * ```ts
 * const options = parseCheckArgs(["--grids", "2", "--batch", "1", "--verify-models", "eot-2"]);
 * console.log(options.grids, options.batchSize, options.verifyModels); // [2] 1 ["eot-2"]
 * ```
 */
export function parseCheckArgs(args: string[]): CheckOptions {
  const { values } = parseArgs({
    args,
    options: {
      "verify-models": { type: "string" },
      "verify-grid": { type: "string" },
      grids: { type: "string" },
      batch: { type: "string" },
      cases: { type: "string" },
      iterations: { type: "string" },
      "skip-bench": { type: "boolean", default: false },
      output: { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  });
  const defaults = DEFAULT_CHECK_OPTIONS;

  const verifyGrid = readGrid("--verify-grid", values["verify-grid"] ?? String(defaults.verifyGrid));
  const verifyModels = values["verify-models"] === undefined
    ? [...defaults.verifyModels]
    : readList(values["verify-models"]);
  if (verifyModels.length === 0) {
    throw new RangeError(
      `Invalid --verify-models "${values["verify-models"]}": name at least one model\n${USAGE}`,
    );
  }
  for (const model of verifyModels) {
    try {
      modelConfig(model, verifyGrid);
    } catch (error) {
      throw new RangeError(`Invalid --verify-models: ${(error as Error).message}\n${USAGE}`);
    }
  }

  const grids = values.grids === undefined
    ? [...defaults.grids]
    : [...new Set(readList(values.grids).map((item) => readGrid("--grids", item)))].sort((a, b) => a - b);
  if (grids.length === 0) {
    throw new RangeError(
      `Invalid --grids "${values.grids}": name at least one grid, or pass --skip-bench\n${USAGE}`,
    );
  }

  return {
    verifyModels,
    verifyGrid,
    grids,
    batchSize: readPositiveInteger("--batch", values.batch, defaults.batchSize),
    cases: values.cases === undefined ? [...defaults.cases] : readList(values.cases),
    iterations: readPositiveInteger("--iterations", values.iterations, defaults.iterations),
    skipBench: values["skip-bench"],
    output: values.output?.trim() || null,
  };
}

function readGrid(option: string, text: string): number {
  const grid = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || grid < 2 || grid > 16) {
    throw new RangeError(`Invalid ${option} "${text}": expected a grid size from 2 to 16\n${USAGE}`);
  }
  return grid;
}

function readPositiveInteger(option: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const number = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(number) || number < 1) {
    throw new RangeError(
      `Invalid ${option} "${text}": expected a positive integer such as ${fallback}\n${USAGE}`,
    );
  }
  return number;
}

function readList(text: string): string[] {
  return text.split(",").map((item) => item.trim()).filter((item) => item.length > 0);
}
