/**
 * Everything that turns images into puzzle batches: decoding and area resizing, the
 * built-in synthetic set, image caches of folder datasets, and batches with their
 * reproducible sampling rules.
 *
 * @example
 * ```ts
 * const dataset = await openDataset({ kind: "synthetic", trainImages: 256, testImages: 64, grid: 3 });
 * const order = trainOrder(0, 1, dataset.train.count);
 * const indices = order.subarray(0, 128);
 * const permutations = Array.from(indices, (index) => trainPermutation(0, 1, index, 9));
 * const batch = makeBatch(dataset.train, indices, permutations, 3, 16); // tiles [128, 9, 16, 16, 3]
 * dataset.close();
 * ```
 *
 * @module
 */
export {
  type Batch,
  batchCount,
  makeBatch,
  type Split,
  testPermutation,
  trainOrder,
  trainPermutation,
} from "./batches.ts";
export { cacheFilePath, type ImageCache, type ImageCacheOptions, openImageCache } from "./cache.ts";
export type { CacheMetadata, SkippedFile } from "./cache_format.ts";
export { type Dataset, type DatasetOptions, type Environment, findCoco, openDataset } from "./dataset.ts";
export { decodeOffsets, encodePermutation } from "./fisher_yates.ts";
export { type DecodedImage, decodeImage, detectImageFormat, type ImageFormat, resizeArea } from "./images.ts";
export { listSourceFiles, type SourceFile } from "./listing.ts";
export { mixKeys, Rng, Stream } from "./rng.ts";
export { renderSyntheticImage, syntheticImage, type SyntheticSplit } from "./synthetic.ts";
