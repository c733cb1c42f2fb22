/**
 * The timed work of the data throughput benchmark: writing a folder of photo-sized
 * source images, building image caches from it, and cutting training batches from a
 * split the way the trainer does (training order, one fresh permutation per image,
 * `makeBatch`).
 *
 * @module
 */
import { join } from "node:path";
import { makeBatch, type Split, trainOrder, trainPermutation } from "../data/batches.ts";
import { type ImageCache, openImageCache } from "../data/cache.ts";
import { encodeRgbJpeg, encodeRgbPng } from "../data/_test_images.ts";
import { syntheticImage } from "../data/synthetic.ts";
import type { BuildMeasurement, LoadMeasurement, LoadSource } from "./data_throughput_report.ts";
import { ratePerSecond } from "./data_throughput_report.ts";

/** Long side of the source images in pixels. COCO 2017 photos are at most 640 px on their long side. */
const SOURCE_LONG_SIDE = 640;

/** Short side of the source images in pixels. 640×480 is a common size of COCO photos. */
const SOURCE_SHORT_SIDE = 480;

/** JPEG quality of the source images. */
const JPEG_QUALITY = 90;

/** Seed of the training order and permutations. Any fixed value works: only the timing matters. */
const SEED = 0;

/** Counts and total size of the files that {@linkcode writeSourceImages} writes. */
export interface SourceImages {
  count: number;
  jpeg: number;
  png: number;
  /** Total file size in bytes. */
  bytes: number;
}

/**
 * Writes `count` source images into `folder`: synthetic training images rendered at
 * 640×640 and cropped to 640×480 (three in four) or 480×640 (one in four), encoded as
 * JPEG, except every fourth image, which is a PNG, so both decoders are timed.
 *
 * NOTE: synthetic scenes are smoother than photographs, so their JPEGs are smaller. They
 * may decode faster than COCO's, which would make the cache-build rates too high for photos.
 */
export async function writeSourceImages(
  folder: string,
  count: number,
  onProgress: (written: number) => void = () => {},
): Promise<SourceImages> {
  await Deno.mkdir(folder, { recursive: true });
  const written: SourceImages = { count, jpeg: 0, png: 0, bytes: 0 };

  for (let index = 0; index < count; index++) {
    const square = syntheticImage("train", index, SOURCE_LONG_SIDE);
    const portrait = index % 4 === 3;
    const width = portrait ? SOURCE_SHORT_SIDE : SOURCE_LONG_SIDE;
    const height = portrait ? SOURCE_LONG_SIDE : SOURCE_SHORT_SIDE;
    const rgb = cropTopLeft(square, SOURCE_LONG_SIDE, width, height);

    const png = index % 4 === 1;
    const bytes = png
      ? await encodeRgbPng(width, height, rgb)
      : await encodeRgbJpeg(width, height, rgb, JPEG_QUALITY);
    const name = `image-${String(index).padStart(6, "0")}.${png ? "png" : "jpg"}`;
    await Deno.writeFile(join(folder, name), bytes);

    if (png) written.png++;
    else written.jpeg++;
    written.bytes += bytes.length;
    onProgress(index + 1);
  }
  return written;
}

/** Crops the top-left `width × height` pixels of a `side × side` RGB image. */
function cropTopLeft(rgb: Uint8Array, side: number, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    out.set(rgb.subarray(y * side * 3, (y * side + width) * 3), y * width * 3);
  }
  return out;
}

/** A timed cache build and the cache it built, open for reading. */
export interface BuiltCache {
  measurement: BuildMeasurement;
  cache: ImageCache;
}

/**
 * Builds the cache of `folder` for `grid` in the empty folder `cacheDir` and times
 * `openImageCache`, which lists the folder, decodes, resizes and writes every image.
 * The caller closes the returned cache.
 *
 * @throws {Error} if the call reused a cache instead of building one, or if an image was skipped.
 */
export async function buildCache(
  folder: string,
  cacheDir: string,
  grid: number,
  tileSize: number,
  workers: number,
): Promise<BuiltCache> {
  const side = grid * tileSize;
  const warnings: string[] = [];

  const started = performance.now();
  const cache = await openImageCache({
    folder,
    name: "throughput",
    side,
    cacheDir,
    workers,
    maxImages: null,
    progress: false,
    warn: (line) => warnings.push(line),
  });
  const seconds = (performance.now() - started) / 1000;

  if (!cache.built || cache.metadata.skipped.length > 0) {
    cache.close();
    throw new Error(
      `Expected a fresh cache of every image in ${cacheDir}, but built is ${cache.built} and ` +
        `${cache.metadata.skipped.length} images were skipped: ${warnings.join(" ") || "no warnings"}`,
    );
  }
  return {
    measurement: {
      grid,
      side,
      workers,
      images: cache.count,
      seconds,
      imagesPerSecond: ratePerSecond(cache.count, seconds),
    },
    cache,
  };
}

/** When {@linkcode timeLoading} stops. */
export interface LoadingLimits {
  /** Stop after the batch during which this many seconds have passed. */
  minSeconds: number;
  /** Stop after this many epochs at the latest. */
  maxEpochs: number;
  /** Epoch number of the first epoch, which selects the training order and permutations. @default 0 */
  firstEpoch?: number;
}

/**
 * Times cutting training batches of `split` as the trainer does: every epoch takes
 * the keyed training order, draws a fresh permutation per image and calls `makeBatch`
 * on each full batch. The timed work includes the permutations and reading the images.
 *
 * @throws {RangeError} if the split has fewer images than one batch.
 */
export function timeLoading(
  split: Split,
  source: LoadSource,
  grid: number,
  tileSize: number,
  batchSize: number,
  limits: LoadingLimits,
): LoadMeasurement {
  const batchesPerEpoch = Math.floor(split.count / batchSize);
  if (batchesPerEpoch < 1) {
    throw new RangeError(
      `A split of ${split.count} images has no full batch of ${batchSize}; use more images`,
    );
  }
  const tiles = grid * grid;
  const firstEpoch = limits.firstEpoch ?? 0;

  let batches = 0;
  let seconds = 0;
  const started = performance.now();
  for (let epoch = firstEpoch; epoch < firstEpoch + limits.maxEpochs; epoch++) {
    const order = trainOrder(SEED, epoch, split.count);
    for (let b = 0; b < batchesPerEpoch && seconds < limits.minSeconds; b++) {
      const indices = order.subarray(b * batchSize, (b + 1) * batchSize);
      const permutations = Array.from(indices, (index) => trainPermutation(SEED, epoch, index, tiles));
      makeBatch(split, indices, permutations, grid, tileSize);
      batches++;
      seconds = (performance.now() - started) / 1000;
    }
    if (seconds >= limits.minSeconds) break;
  }

  return {
    source,
    grid,
    batchSize,
    batches,
    seconds,
    batchesPerSecond: ratePerSecond(batches, seconds),
    imagesPerSecond: ratePerSecond(batches * batchSize, seconds),
  };
}

/** Reads every image of `split` once, so a synthetic split renders them and keeps those that fit in its memory limit. */
export function readEveryImage(split: Split): void {
  const image = new Uint8Array(split.side * split.side * 3);
  for (let index = 0; index < split.count; index++) split.readImage(index, image);
}
