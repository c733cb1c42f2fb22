/**
 * Puzzle batches and the sampling rules behind them. Every random choice is keyed by
 * (seed, epoch, image index), so a batch is the same whatever the number of workers,
 * the order of loading, or a resume in between:
 *
 * - the training order of an epoch is `Rng.forKeys(seed, Stream.trainOrder, epoch)`;
 * - a training image gets a fresh permutation each epoch, from
 *   `Rng.forKeys(seed, Stream.trainPermutation, epoch, index)`;
 * - a test image keeps one permutation for the whole run, from
 *   `Rng.forKeys(seed, Stream.testPermutation, index)`, so test scores of different
 *   epochs and models are comparable.
 *
 * @module
 */
import { encodePermutation } from "./fisher_yates.ts";
import { Rng, Stream } from "./rng.ts";

/** Images of one split, each `[side, side, 3]` RGB bytes. */
export interface Split {
  /** Number of images. */
  readonly count: number;
  /** Image side in pixels, P·T. */
  readonly side: number;
  /** Copies image `index` into the first `side · side · 3` bytes of `out`. */
  readImage(index: number, out: Uint8Array): void;
}

/** A batch of shuffled puzzles and their labels. */
export interface Batch {
  /**
   * Tiles as float32 in [0, 1], laid out `[B, S, T, T, 3]`: puzzle b, position k
   * (row-major over the grid), tile row, tile column, channel. Position k contains
   * original tile `perm[k]`.
   */
  tiles: Float32Array;
  /** Fisher–Yates offsets of each permutation, `[B, S − 1]`. */
  offsets: Int32Array;
}

/** Byte value v as float32 v / 255. */
const UNIT_SCALE = Float32Array.from({ length: 256 }, (_, v) => v / 255);

/**
 * Cuts images of `split` into `grid × grid` tiles of `tileSize` pixels and shuffles
 * puzzle b by `permutations[b]`.
 *
 * @throws {RangeError} if the counts or sizes disagree or a permutation is invalid.
 */
export function makeBatch(
  split: Split,
  indices: ArrayLike<number>,
  permutations: readonly ArrayLike<number>[],
  grid: number,
  tileSize: number,
): Batch {
  const batchSize = indices.length;
  const tiles = grid * grid;
  const side = grid * tileSize;
  if (split.side !== side) {
    throw new RangeError(
      `Split images are ${split.side} px but grid ${grid} × tile ${tileSize} needs ${side} px. Open the dataset for this grid.`,
    );
  }
  if (permutations.length !== batchSize) {
    throw new RangeError(`Got ${permutations.length} permutations for ${batchSize} images`);
  }

  const tileValues = tileSize * tileSize * 3;
  const rowBytes = side * 3;
  const tileRowBytes = tileSize * 3;
  const out = new Float32Array(batchSize * tiles * tileValues);
  const offsets = new Int32Array(batchSize * (tiles - 1));
  const image = new Uint8Array(side * side * 3);

  for (let b = 0; b < batchSize; b++) {
    const index = indices[b];
    if (!Number.isInteger(index) || index < 0 || index >= split.count) {
      throw new RangeError(`Image index ${index} is outside 0..${split.count - 1}`);
    }
    const perm = permutations[b];
    if (perm.length !== tiles) {
      throw new RangeError(`Permutation ${b} has ${perm.length} entries, expected ${tiles} for grid ${grid}`);
    }
    // encodePermutation also rejects anything that is not a permutation of 0..S-1.
    offsets.set(encodePermutation(perm), b * (tiles - 1));

    split.readImage(index, image);
    for (let k = 0; k < tiles; k++) {
      const source = perm[k];
      const tileTop = Math.floor(source / grid) * tileSize;
      const tileLeft = (source % grid) * tileSize;
      let dst = (b * tiles + k) * tileValues;
      for (let row = 0; row < tileSize; row++) {
        const src = (tileTop + row) * rowBytes + tileLeft * 3;
        for (let i = 0; i < tileRowBytes; i++) out[dst++] = UNIT_SCALE[image[src + i]];
      }
    }
  }
  return { tiles: out, offsets };
}

/** Returns the shuffled order of the `count` training images in `epoch`. */
export function trainOrder(seed: number, epoch: number, count: number): Int32Array {
  return Rng.forKeys(seed, Stream.trainOrder, epoch).permutation(count);
}

/** Returns the permutation of training image `imageIndex` in `epoch`: fresh every epoch. */
export function trainPermutation(seed: number, epoch: number, imageIndex: number, tiles: number): Int32Array {
  return Rng.forKeys(seed, Stream.trainPermutation, epoch, imageIndex).permutation(tiles);
}

/** Returns the permutation of test image `imageIndex`: the same in every epoch of a run. */
export function testPermutation(seed: number, imageIndex: number, tiles: number): Int32Array {
  return Rng.forKeys(seed, Stream.testPermutation, imageIndex).permutation(tiles);
}

/** Returns the number of full batches in `count` images, dropping an incomplete last batch. */
export function batchCount(count: number, batchSize: number): number {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`Invalid batch size ${batchSize}: expected a positive integer`);
  }
  return Math.floor(count / batchSize);
}
