/**
 * Command-line flags of the data throughput benchmark (`bench/data_throughput.ts`),
 * parsed with `node:util` `parseArgs` and checked, so a bad flag fails with one line
 * that names the flag, the value and what is expected.
 *
 * @module
 */
import { parseArgs } from "node:util";

/** Everything that sizes one run of the data throughput benchmark. */
export interface DataThroughputOptions {
  /** Source images written for the cache builds. @default 256 */
  images: number;
  /** Grid sizes P. Each grid gets its own cache of side P·16. @default [5] */
  grids: number[];
  /** Puzzles per batch of the loading measurements. @default [128, 32] */
  batchSizes: number[];
  /** Module workers of the first cache build. A second build always uses 1. @default navigator.hardwareConcurrency */
  workers: number;
  /** File the results are written to as JSON, or null for none. */
  output: string | null;
  /** Milliseconds of the fastest training step, or null to read them from a benchmark report. */
  stepMs: number | null;
  /** Puzzles per batch of the step that `stepMs` times. @default 1 */
  stepBatch: number;
  /** Whether `--help` was given. */
  help: boolean;
}

/** Tile side T in pixels, as in the study, so a grid's image side is P·16. */
export const TILE_SIZE = 16;

/** Default number of source images. */
export const DEFAULT_IMAGES = 256;

/** Default grid: P = 5, the middle of the study's grids 2–6. */
export const DEFAULT_GRIDS: readonly number[] = [5];

/** Default batch sizes: 128, the study's training batch, and a smaller one. */
export const DEFAULT_BATCH_SIZES: readonly number[] = [128, 32];

/** One-line usage, printed after a flag error. */
export const USAGE =
  "Usage: deno task bench:data [--images 256] [--grid 5] [--batch 128,32] [--workers N] [--output FILE] " +
  "[--step-ms MS] [--step-batch 1]";

/** Help text of `--help`. */
export const HELP = `${USAGE}

Measures the data pipeline: building the image cache from a temporary folder of
640×480 JPEG and PNG files (images/s), and cutting training batches from that cache
and from the synthetic dataset with makeBatch (batches/s and images/s). It compares
each loading rate with the fastest training step.

  --images N       source images to write and cache (default ${DEFAULT_IMAGES}, at least the largest batch)
  --grid LIST      grid sizes P, comma-separated, from 2 to 16 (default ${
  DEFAULT_GRIDS.join(",")
}); side P·${TILE_SIZE} px
  --batch LIST     puzzles per batch, comma-separated (default ${DEFAULT_BATCH_SIZES.join(",")})
  --workers N      cache-build workers of the first build (default: logical cores); the second build uses 1
  --output FILE    also write the results as JSON to FILE
  --step-ms MS     milliseconds per step of the fastest training step; default: the fastest
                   EOT step or TRM batch per grid in out/bench-wasm.json, when present
  --step-batch N   puzzles per batch of the step that --step-ms times (default 1)
  --help           print this help`;

/**
 * Parses and checks the benchmark's flags.
 *
 * @param defaultWorkers worker count when `--workers` is absent, normally the logical core count.
 * @throws {TypeError} for an unknown flag, a missing flag value or a positional argument.
 * @throws {RangeError} for an invalid flag value; the message names the flag and the value.
 */
export function parseDataThroughputArgs(args: string[], defaultWorkers: number): DataThroughputOptions {
  const { values } = parseArgs({
    args,
    options: {
      images: { type: "string" },
      grid: { type: "string" },
      batch: { type: "string" },
      workers: { type: "string" },
      output: { type: "string" },
      "step-ms": { type: "string" },
      "step-batch": { type: "string" },
      help: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });

  const images = readPositiveInteger("--images", values.images, DEFAULT_IMAGES);
  const grids = readIntegerList("--grid", values.grid, DEFAULT_GRIDS, 2, 16);
  const batchSizes = readIntegerList(
    "--batch",
    values.batch,
    DEFAULT_BATCH_SIZES,
    1,
    Number.MAX_SAFE_INTEGER,
  );
  const workers = readPositiveInteger("--workers", values.workers, defaultWorkers);
  const stepMs = values["step-ms"] === undefined ? null : readPositiveNumber("--step-ms", values["step-ms"]);
  const stepBatch = readPositiveInteger("--step-batch", values["step-batch"], 1);
  if (values.output === "") throw new RangeError('Invalid --output "": expected a file path');

  const largestBatch = Math.max(...batchSizes);
  if (images < largestBatch) {
    throw new RangeError(
      `Invalid --images ${images}: a batch of ${largestBatch} needs at least ${largestBatch} images; ` +
        `raise --images or lower --batch`,
    );
  }

  return {
    images,
    grids,
    batchSizes,
    workers,
    output: values.output ?? null,
    stepMs,
    stepBatch,
    help: values.help,
  };
}

function readPositiveInteger(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < 1) {
    throw new RangeError(`Invalid ${flag} "${value}": expected a positive integer such as ${fallback}`);
  }
  return number;
}

function readPositiveNumber(flag: string, value: string): number {
  const number = Number(value.trim());
  if (value.trim() === "" || !Number.isFinite(number) || number <= 0) {
    throw new RangeError(
      `Invalid ${flag} "${value}": expected a positive number of milliseconds such as 70.5`,
    );
  }
  return number;
}

/** Reads a comma-separated list of integers in `min..max`, in the given order without repeats. */
function readIntegerList(
  flag: string,
  value: string | undefined,
  fallback: readonly number[],
  min: number,
  max: number,
): number[] {
  if (value === undefined) return [...fallback];
  const items = value.split(",").map((item) => item.trim()).filter((item) => item.length > 0);
  if (items.length === 0) {
    throw new RangeError(
      `Invalid ${flag} "${value}": expected one or more integers such as ${fallback.join(",")}`,
    );
  }

  const numbers = items.map((item) => {
    const number = Number(item);
    if (!/^\d+$/.test(item) || number < min || number > max) {
      const range = max === Number.MAX_SAFE_INTEGER
        ? `a positive integer`
        : `an integer from ${min} to ${max}`;
      throw new RangeError(`Invalid ${flag} "${value}": "${item}" is not ${range}`);
    }
    return number;
  });
  return [...new Set(numbers)];
}
