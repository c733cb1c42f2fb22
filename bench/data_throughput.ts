/**
 * Measures whether the data pipeline keeps up with training. It writes a temporary
 * folder of 640×480 JPEG and PNG source images outside the project. It times building
 * the image cache with the default worker count and with 1 worker (images/s). Then it
 * times cutting training batches with `makeBatch` from that cache and from the synthetic
 * dataset (batches/s and images/s). Each loading rate is compared, per image, with the
 * fastest EOT step or TRM batch of the grid in `out/bench-wasm.json`, or with `--step-ms`.
 *
 * ```sh
 * deno task bench:data                                  # 256 images, grid 5, batches 128 and 32
 * deno task bench:data --grid 2,3,4,5,6 --output out/data-throughput.json
 * deno task bench:data --step-ms 70 --step-batch 1      # compare with a given step time
 * ```
 *
 * The temporary folder is removed at the end, also after a failure.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { openDataset } from "../data/dataset.ts";
import { writeJsonAtomic } from "../util/atomic.ts";
import { buildCache, readEveryImage, timeLoading, writeSourceImages } from "./data_throughput_measure.ts";
import {
  type DataThroughputOptions,
  HELP,
  parseDataThroughputArgs,
  TILE_SIZE,
} from "./data_throughput_options.ts";
import {
  type BuildMeasurement,
  comparisonLines,
  type DataThroughputReport,
  fastestStepsFromReport,
  formatThroughputTable,
  type LoadMeasurement,
  loadsWithSteps,
  stepFromFlag,
  type StepReference,
} from "./data_throughput_report.ts";
import type { ImageCache } from "../data/cache.ts";

/** Benchmark report whose fastest steps are the default comparison. */
const DEFAULT_STEP_REPORT = new URL("../out/bench-wasm.json", import.meta.url).pathname;

/** Seconds each steady-state loading measurement runs for, at least one batch. */
const LOAD_SECONDS = 1;

/**
 * Runs the benchmark with command-line `args`, prints the table and returns the exit code:
 * 0 on success, 2 for an invalid flag.
 */
export async function main(args: string[]): Promise<number> {
  let options: DataThroughputOptions;
  try {
    options = parseDataThroughputArgs(args, navigator.hardwareConcurrency ?? 1);
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    // parseArgs splits some messages over lines, but a flag error is printed as one line.
    const message = error.message.replace(/\s*\n\s*/g, " ").replace(/\.$/, "");
    console.error(`error: ${message}. Run with --help for the flags.`);
    return 2;
  }
  if (options.help) {
    console.log(HELP);
    return 0;
  }

  // Read the step times first, so a broken report fails before minutes of measuring.
  const steps = await loadSteps(options);

  const temporary = await Deno.makeTempDir({ prefix: "jigsaw-data-throughput-" });
  try {
    const sourceFolder = join(temporary, "source");
    const sourceImages = await writeSourceImages(sourceFolder, options.images, (written) => {
      if (written % 64 === 0 || written === options.images) {
        console.error(`wrote ${written}/${options.images} source images`);
      }
    });

    const builds: BuildMeasurement[] = [];
    const loads: LoadMeasurement[] = [];
    for (const grid of options.grids) {
      const cache = await measureCacheBuilds(sourceFolder, temporary, grid, options.workers, builds);
      try {
        // NOTE: the cache was just written, so its reads come from the OS page cache. A cache
        // larger than free memory (COCO train at a large grid) would be read from disk, more slowly.
        for (const batchSize of options.batchSizes) {
          console.error(`loading grid ${grid}×${grid}, batch ${batchSize} from the image cache`);
          loads.push(timeLoading(cache, "image cache", grid, TILE_SIZE, batchSize, steadyLimits()));
        }
      } finally {
        cache.close();
      }
      loads.push(...await measureSynthetic(grid, options));
    }

    console.log(
      `${cpuModel()}, ${navigator.hardwareConcurrency} logical cores, Deno ${Deno.version.deno}; ` +
        `${sourceImages.count} source images (${sourceImages.jpeg} JPEG, ${sourceImages.png} PNG, ` +
        `${(sourceImages.bytes / sourceImages.count / 1024).toFixed(0)} KiB each on average)\n`,
    );
    console.log(formatThroughputTable(builds, loads, steps));
    console.log("");
    for (const line of comparisonLines(loads, steps)) console.log(line);

    if (options.output !== null) {
      const report: DataThroughputReport = {
        createdAt: new Date().toISOString(),
        machine: {
          cpu: cpuModel(),
          cores: navigator.hardwareConcurrency,
          os: Deno.build.os,
          arch: Deno.build.arch,
          runtime: `Deno/${Deno.version.deno}`,
        },
        sourceImages,
        builds,
        loads: loadsWithSteps(loads, steps),
      };
      await Deno.mkdir(dirname(options.output), { recursive: true });
      await writeJsonAtomic(options.output, report);
      console.log(`\nWrote ${options.output}`);
    }
    return 0;
  } finally {
    await Deno.remove(temporary, { recursive: true });
  }
}

function steadyLimits() {
  return { minSeconds: LOAD_SECONDS, maxEpochs: Number.POSITIVE_INFINITY };
}

/**
 * Builds the cache of `grid` with `workers` workers, then with 1 worker unless that is
 * the same, each in a fresh cache folder. Returns the first cache, open for loading.
 */
async function measureCacheBuilds(
  sourceFolder: string,
  temporary: string,
  grid: number,
  workers: number,
  builds: BuildMeasurement[],
): Promise<ImageCache> {
  const workerCounts = workers === 1 ? [1] : [workers, 1];
  let first: ImageCache | null = null;
  try {
    for (const count of workerCounts) {
      console.error(`building the grid ${grid}×${grid} cache with ${count} worker(s)`);
      const cacheDir = join(temporary, `cache-${grid}-${count}`);
      const { measurement, cache } = await buildCache(sourceFolder, cacheDir, grid, TILE_SIZE, count);
      builds.push(measurement);
      if (first === null) {
        first = cache;
      } else {
        cache.close();
        await Deno.remove(cacheDir, { recursive: true });
      }
    }
  } catch (error) {
    first?.close();
    throw error;
  }
  return first!;
}

/**
 * Times synthetic batches per batch size: the first epoch of a fresh dataset, which
 * renders every image, and later epochs, which read the rendered images from memory.
 */
async function measureSynthetic(grid: number, options: DataThroughputOptions): Promise<LoadMeasurement[]> {
  const loads: LoadMeasurement[] = [];
  for (const batchSize of options.batchSizes) {
    console.error(`loading grid ${grid}×${grid}, batch ${batchSize} from the synthetic dataset`);
    const dataset = await openDataset({
      kind: "synthetic",
      trainImages: options.images,
      testImages: 1,
      grid,
      tileSize: TILE_SIZE,
    });
    try {
      const firstEpoch = { minSeconds: Number.POSITIVE_INFINITY, maxEpochs: 1 };
      loads.push(
        timeLoading(dataset.train, "synthetic, first epoch", grid, TILE_SIZE, batchSize, firstEpoch),
      );

      // An incomplete last batch leaves images unread in the first epoch.
      readEveryImage(dataset.train);
      const later = { ...steadyLimits(), firstEpoch: 1 };
      loads.push(timeLoading(dataset.train, "synthetic, memoized", grid, TILE_SIZE, batchSize, later));
    } finally {
      dataset.close();
    }
  }
  return loads;
}

/** Reads the steps to compare with: `--step-ms`, else the default report when it exists, else none. */
async function loadSteps(options: DataThroughputOptions): Promise<StepReference[]> {
  if (options.stepMs !== null) return [stepFromFlag(options.stepMs, options.stepBatch)];

  let text: string;
  try {
    text = await Deno.readTextFile(DEFAULT_STEP_REPORT);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  let report: unknown;
  try {
    report = JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(
      `Benchmark report ${DEFAULT_STEP_REPORT} is not valid JSON (${(error as Error).message}); ` +
        `rerun deno task bench:table or pass --step-ms`,
    );
  }
  return fastestStepsFromReport(report, DEFAULT_STEP_REPORT);
}

/** Returns the CPU model from `/proc/cpuinfo`, or the architecture where that file is missing. */
function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(Deno.readTextFileSync("/proc/cpuinfo"));
    if (match) return match[1].trim();
  } catch {
    // Not Linux, or no read permission: fall through to the architecture.
  }
  return Deno.build.arch;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    Deno.exit(1);
  }
}
