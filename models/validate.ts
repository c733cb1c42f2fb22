/**
 * Shape and type checks of model inputs, made on the host before any op runs so a
 * wrong batch fails with a message instead of deep inside a kernel.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import { type ModelConfig, tileCount } from "./config.ts";

/** Throws a RangeError unless `tiles` is float32 `[B, S, T, T, 3]` for `config`; returns B. */
export function validateTiles(config: ModelConfig, tiles: tf.Tensor): number {
  const tileSize = config.tileSize;
  const expected = `[B, ${tileCount(config)}, ${tileSize}, ${tileSize}, 3]`;
  const [batch, count, height, width, channels] = tiles.shape;
  const matches = tiles.rank === 5 && count === tileCount(config) && height === tileSize &&
    width === tileSize && channels === 3;
  if (!matches || tiles.dtype !== "float32" || batch < 1) {
    throw new RangeError(`Invalid tiles ${tiles.dtype} [${tiles.shape}]: expected float32 ${expected}`);
  }
  return batch;
}

/** Throws a RangeError unless `offsets` is int32 `[batch, S − 1]` for `config`. */
export function validateOffsets(config: ModelConfig, offsets: tf.Tensor, batch: number): void {
  const positions = tileCount(config) - 1;
  const [rows, columns] = offsets.shape;
  if (offsets.rank !== 2 || rows !== batch || columns !== positions || offsets.dtype !== "int32") {
    throw new RangeError(
      `Invalid offsets ${offsets.dtype} [${offsets.shape}]: expected int32 [${batch}, ${positions}]`,
    );
  }
}
