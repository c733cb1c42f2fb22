/**
 * Seeded random streams keyed by integers, so every shuffle, permutation and
 * initialisation can be reproduced from (seed, purpose, epoch, index) alone,
 * whatever the order or the worker that draws it.
 *
 * @module
 */
import { xoroshiro128plus, xoroshiro128plusFromState } from "pure-rand/generator/xoroshiro128plus";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";

/** Purposes that keep streams of one seed apart; new purposes take new numbers. */
export const Stream = {
  trainOrder: 1,
  trainPermutation: 2,
  testPermutation: 3,
  init: 4,
  dropout: 5,
  trmState: 6,
  synthetic: 7,
} as const;

/** Mixes 32-bit keys into one 32-bit seed (murmur3 finaliser on a running hash). */
export function mixKeys(keys: readonly number[]): number {
  let h = 0x9e3779b9 | 0;
  for (const key of keys) {
    if (!Number.isInteger(key)) {
      throw new RangeError(`Random stream key must be an integer, got ${key}`);
    }
    // Split the key into two 32-bit halves so keys above 2^32 still differ.
    for (const part of [key >>> 0, Math.floor(key / 2 ** 32) >>> 0]) {
      h = Math.imul(h ^ part, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
    }
  }
  return h | 0;
}

/** A seeded pseudo-random generator (xoroshiro128+) with the draws this project needs. */
export class Rng {
  #generator;

  private constructor(generator: ReturnType<typeof xoroshiro128plus>) {
    this.#generator = generator;
  }

  /** Creates the stream identified by `keys`, for instance `[seed, Stream.trainOrder, epoch]`. */
  static forKeys(...keys: number[]): Rng {
    return new Rng(xoroshiro128plus(mixKeys(keys)));
  }

  /** Restores a stream from {@linkcode Rng.state}. */
  static fromState(state: readonly number[]): Rng {
    return new Rng(xoroshiro128plusFromState(state));
  }

  /** Returns the generator state, for checkpoints. */
  state(): number[] {
    return [...this.#generator.getState()];
  }

  /** Draws an integer uniformly from `min` to `max`, both included. */
  int(min: number, max: number): number {
    return uniformInt(this.#generator, min, max);
  }

  /** Draws a float uniformly from [0, 1). */
  float(): number {
    return uniformFloat64(this.#generator);
  }

  /** Draws a standard normal value (Box–Muller). */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Draws a uniformly random permutation of `0..n-1` (Fisher–Yates shuffle). */
  permutation(n: number): Int32Array {
    const perm = new Int32Array(n);
    for (let i = 0; i < n; i++) perm[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(0, i);
      const tmp = perm[i];
      perm[i] = perm[j];
      perm[j] = tmp;
    }
    return perm;
  }
}
