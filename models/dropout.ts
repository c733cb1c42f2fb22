/**
 * Dropout whose masks come from one device-resident pool of uniform values, so a
 * training step draws no random numbers on the host beyond one offset per call.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { Rng, Stream } from "../data/rng.ts";
import { scalarConstant } from "./constants.ts";

/** Smallest pool, in values. */
const MIN_POOL_SIZE = 1 << 16;

/**
 * Inverted dropout (kept values scaled by 1 / (1 − rate)) with masks cut from a pool.
 *
 * The pool contains uniforms from `Rng.forKeys(seed, Stream.dropout)`. Its size is the
 * smallest power of two that is at least twice the largest mask requested so far, so
 * a bigger mask regenerates it. Each mask is the pool slice at an offset drawn from
 * `Rng.forKeys(dropoutSeed, Stream.dropout, callIndex)`, where `callIndex` counts the
 * calls since {@linkcode DropoutPool.begin}. The masks of a step are therefore fixed by
 * `dropoutSeed` and the mask shapes seen so far.
 *
 * NOTE: masks of different calls are shifted windows of the same pool, so they are
 * correlated, unlike independent Bernoulli draws. A pool at least twice the mask size
 * leaves at least as many possible offsets as values in a mask.
 */
export class DropoutPool {
  readonly #seed: number;
  #pool: tf.Tensor1D | null = null;
  #dropoutSeed = 0;
  #callIndex = 0;

  constructor(seed: number) {
    this.#seed = seed;
  }

  /** Starts the masks of one training step: later calls are keyed by `dropoutSeed`. */
  begin(dropoutSeed: number): void {
    if (!Number.isInteger(dropoutSeed)) {
      throw new RangeError(`Invalid dropout seed ${dropoutSeed}: expected an integer`);
    }
    this.#dropoutSeed = dropoutSeed;
    this.#callIndex = 0;
  }

  /** Zeroes each value of `x` with probability `rate` and scales the others by 1 / (1 − rate). */
  apply<T extends tf.Tensor>(x: T, rate: number): T {
    if (rate === 0) return x;
    if (!(rate > 0 && rate < 1)) throw new RangeError(`Invalid dropout rate ${rate}: expected 0 <= rate < 1`);

    const pool = this.#poolFor(x.size);
    const rng = Rng.forKeys(this.#dropoutSeed, Stream.dropout, this.#callIndex++);
    const offset = rng.int(0, pool.size - x.size);

    return tf.tidy(() => {
      const uniforms = tf.reshape(tf.slice(pool, [offset], [x.size]), x.shape);
      const keep = tf.cast(tf.greaterEqual(uniforms, scalarConstant(rate)), "float32");
      return tf.mul(tf.mul(x, keep), scalarConstant(1 / (1 - rate))) as T;
    });
  }

  /** Releases the pool; the next call builds it again. */
  dispose(): void {
    this.#pool?.dispose();
    this.#pool = null;
  }

  #poolFor(maskSize: number): tf.Tensor1D {
    if (this.#pool !== null && this.#pool.size >= 2 * maskSize) return this.#pool;

    let size = MIN_POOL_SIZE;
    while (size < 2 * maskSize) size *= 2;

    const rng = Rng.forKeys(this.#seed, Stream.dropout);
    const values = new Float32Array(size);
    for (let i = 0; i < size; i++) values[i] = rng.float();

    this.#pool?.dispose();
    this.#pool = tf.keep(tf.tensor1d(values));
    return this.#pool;
  }
}
