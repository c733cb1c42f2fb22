/**
 * Opens the image source of a run as two splits of square RGB images at the puzzle
 * size P·T: COCO 2017 (`$DATASETS/COCO/2017/{train,test}`), any folder with `train/`
 * and `test/`, or the built-in synthetic set. Folder images come from an image cache
 * (built on first use); synthetic images are rendered on demand.
 *
 * @example
 * ```ts
 * const dataset = await openDataset({ kind: "synthetic", trainImages: 512, testImages: 128, grid: 3 });
 * try {
 *   const image = new Uint8Array(dataset.train.side * dataset.train.side * 3);
 *   dataset.train.readImage(0, image);
 * } finally {
 *   dataset.close();
 * }
 * ```
 *
 * @module
 */
import { basename, join, resolve } from "node:path";
import type { DatasetInfo } from "../train/records.ts";
import type { Split } from "./batches.ts";
import { type ImageCache, openImageCache } from "./cache.ts";
import { renderSyntheticImage, SYNTHETIC_GENERATOR, type SyntheticSplit } from "./synthetic.ts";

export type { Split } from "./batches.ts";

/** Options of {@linkcode openDataset}. */
export interface DatasetOptions {
  /** `synthetic` for the built-in set, `coco` for COCO 2017, `folder` for any folder with `train/` and `test/`. */
  kind: "synthetic" | "folder" | "coco";
  /** Folder that contains `train/` and `test/`. Required for `coco` and `folder`, unused for `synthetic`. */
  root?: string | null;
  /** Grid size P. */
  grid: number;
  /** Tile side T in pixels. @default 16 */
  tileSize?: number;
  /** Folder of image caches. @default "runs/.cache" */
  cacheDir?: string;
  /** Module workers that build a cache. @default navigator.hardwareConcurrency */
  workers?: number;
  /**
   * Synthetic: number of training images to generate (required). Folders: maximum
   * number of usable images, taken first in the sorted listing, or null for all.
   * @default null
   */
  trainImages?: number | null;
  /** Like `trainImages`, for the test split. @default null */
  testImages?: number | null;
  /** Whether a cache build draws a progress line. @default true */
  progress?: boolean;
  /** Receives warnings (undecodable files, cache rebuilds). @default a line on stderr */
  warn?: (line: string) => void;
}

/** An open image source: a training and a test split, and what a run records about it. */
export interface Dataset {
  info: DatasetInfo;
  train: Split;
  test: Split;
  /** Releases open cache files. */
  close(): void;
}

/** Memory the synthetic set may use to keep rendered images, per split, in bytes. */
const SYNTHETIC_MEMO_BYTES = 256 << 20;

/** The environment variables {@linkcode findCoco} reads. */
export interface Environment {
  get(key: string): string | undefined;
}

/**
 * Returns the absolute path of COCO 2017, `$DATASETS/COCO/2017`, or null when
 * `DATASETS` is unset or that folder does not exist. `.env` files reach the
 * environment through Deno's `--env-file`.
 */
export function findCoco(env: Environment = Deno.env): string | null {
  const datasets = env.get("DATASETS");
  if (!datasets) return null;
  const root = resolve(datasets, "COCO", "2017");
  try {
    return Deno.statSync(root).isDirectory ? root : null;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

interface ResolvedOptions {
  kind: DatasetOptions["kind"];
  root: string | null;
  grid: number;
  tileSize: number;
  cacheDir: string;
  workers: number;
  trainImages: number | null;
  testImages: number | null;
  progress: boolean;
  warn: ((line: string) => void) | undefined;
}

function requirePositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Invalid ${name} ${value}: expected a positive integer`);
  }
}

/** Validates `options` and fills in defaults. Errors name the bad value. */
function resolveOptions(options: DatasetOptions): ResolvedOptions {
  const resolved: ResolvedOptions = {
    kind: options.kind,
    root: options.root ?? null,
    grid: options.grid,
    tileSize: options.tileSize ?? 16,
    cacheDir: options.cacheDir ?? "runs/.cache",
    workers: options.workers ?? navigator.hardwareConcurrency ?? 1,
    trainImages: options.trainImages ?? null,
    testImages: options.testImages ?? null,
    progress: options.progress ?? true,
    warn: options.warn,
  };

  if (!["synthetic", "folder", "coco"].includes(resolved.kind)) {
    throw new RangeError(`Invalid dataset kind "${resolved.kind}": expected synthetic, folder or coco`);
  }
  requirePositiveInteger("grid", resolved.grid);
  requirePositiveInteger("tile size", resolved.tileSize);
  requirePositiveInteger("worker count", resolved.workers);
  if (resolved.trainImages !== null) requirePositiveInteger("training image count", resolved.trainImages);
  if (resolved.testImages !== null) requirePositiveInteger("test image count", resolved.testImages);

  if (resolved.kind === "synthetic") {
    if (resolved.trainImages === null || resolved.testImages === null) {
      throw new TypeError(
        "Missing trainImages or testImages for the synthetic dataset: pass both image counts",
      );
    }
  } else if (!resolved.root) {
    throw new TypeError(
      `Missing root for the ${resolved.kind} dataset: pass the folder that contains train/ and test/`,
    );
  }
  return resolved;
}

/**
 * Opens the dataset described by `options`. Folder datasets are read through image
 * caches, built here on first use (see `cache.ts`).
 *
 * @throws {RangeError | TypeError} for invalid options.
 * @throws {Deno.errors.NotFound} if the root or its `train/` or `test/` folder is missing.
 * @throws {Error} if a split folder contains no usable image.
 */
export async function openDataset(options: DatasetOptions): Promise<Dataset> {
  const resolved = resolveOptions(options);
  const side = resolved.grid * resolved.tileSize;

  if (resolved.kind === "synthetic") {
    const train = new SyntheticImages("train", resolved.trainImages!, side);
    const test = new SyntheticImages("test", resolved.testImages!, side);
    return {
      info: {
        name: "synthetic",
        kind: "synthetic",
        root: null,
        trainImages: train.count,
        testImages: test.count,
        skipped: [],
        generator: SYNTHETIC_GENERATOR,
      },
      train,
      test,
      close() {},
    };
  }
  return await openFolderDataset(resolved, side);
}

async function openFolderDataset(options: ResolvedOptions, side: number): Promise<Dataset> {
  const root = resolve(options.root!);
  const name = options.kind === "coco" ? "coco" : basename(root);
  for (const split of ["train", "test"]) {
    let isDirectory = false;
    try {
      isDirectory = (await Deno.stat(join(root, split))).isDirectory;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    if (!isDirectory) {
      throw new Deno.errors.NotFound(
        `Missing folder ${join(root, split)}: a dataset folder must contain train/ and test/ with the images`,
      );
    }
  }

  const openSplit = (split: "train" | "test", maxImages: number | null) =>
    openImageCache({
      folder: join(root, split),
      name: `${name}-${split}`,
      side,
      cacheDir: options.cacheDir,
      workers: options.workers,
      maxImages,
      progress: options.progress,
      warn: options.warn,
    });

  const train = await openSplit("train", options.trainImages);
  let test: ImageCache;
  try {
    test = await openSplit("test", options.testImages);
  } catch (error) {
    train.close();
    throw error;
  }

  return {
    info: {
      name,
      kind: options.kind as "coco" | "folder",
      root,
      trainImages: train.count,
      testImages: test.count,
      skipped: [
        ...train.metadata.skipped.map((file) => `train/${file.path}`),
        ...test.metadata.skipped.map((file) => `test/${file.path}`),
      ],
    },
    train,
    test,
    close() {
      train.close();
      test.close();
    },
  };
}

/**
 * A synthetic split. Images are rendered on first read and kept while they fit in
 * {@linkcode SYNTHETIC_MEMO_BYTES}. Images beyond that are rendered again on every read.
 */
class SyntheticImages implements Split {
  readonly count: number;
  readonly side: number;
  #split: SyntheticSplit;
  #memo: Uint8Array;
  #rendered: Uint8Array;
  #imageBytes: number;

  constructor(split: SyntheticSplit, count: number, side: number) {
    this.#split = split;
    this.count = count;
    this.side = side;
    this.#imageBytes = side * side * 3;
    const memoImages = Math.min(count, Math.floor(SYNTHETIC_MEMO_BYTES / this.#imageBytes));
    this.#memo = new Uint8Array(memoImages * this.#imageBytes);
    this.#rendered = new Uint8Array(memoImages);
  }

  readImage(index: number, out: Uint8Array): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) {
      throw new RangeError(
        `Image index ${index} is outside 0..${this.count - 1} of the synthetic ${this.#split} split`,
      );
    }
    if (out.length < this.#imageBytes) {
      throw new RangeError(
        `Output buffer of ${out.length} bytes is too small for a ${this.side}×${this.side} RGB image`,
      );
    }
    if (index >= this.#rendered.length) {
      renderSyntheticImage(this.#split, index, this.side, out);
      return;
    }
    const stored = this.#memo.subarray(index * this.#imageBytes, (index + 1) * this.#imageBytes);
    if (!this.#rendered[index]) {
      renderSyntheticImage(this.#split, index, this.side, stored);
      this.#rendered[index] = 1;
    }
    out.set(stored);
  }
}
