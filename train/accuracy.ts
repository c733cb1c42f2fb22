/**
 * The study's three accuracies, tallied over batches from predicted and true
 * Fisher–Yates offsets.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { decodeOffsets } from "../data/fisher_yates.ts";
import type { Accuracies } from "./records.ts";

/** Running counts of correct offsets, tile positions and whole puzzles. */
export class AccuracyTally {
  #offsetsCorrect = 0;
  #offsetsSeen = 0;
  #positionsCorrect = 0;
  #positionsSeen = 0;
  #puzzlesCorrect = 0;
  #puzzlesSeen = 0;
  #lossSum = 0;
  #lossBatches = 0;

  constructor(readonly tiles: number) {}

  /** Adds one batch: predicted and true offsets, both `[B, S − 1]` row-major. */
  add(predicted: Int32Array, expected: Int32Array): void {
    const positions = this.tiles - 1;
    if (predicted.length !== expected.length || expected.length % positions !== 0) {
      throw new RangeError(
        `Offset arrays of lengths ${predicted.length} and ${expected.length} do not hold whole puzzles of ${positions}`,
      );
    }

    for (let start = 0; start < expected.length; start += positions) {
      const guess = predicted.subarray(start, start + positions);
      const truth = expected.subarray(start, start + positions);
      for (let i = 0; i < positions; i++) if (guess[i] === truth[i]) this.#offsetsCorrect++;
      this.#offsetsSeen += positions;

      const guessedPermutation = decodeOffsets(guess, this.tiles);
      const truePermutation = decodeOffsets(truth, this.tiles);
      let placed = 0;
      for (let k = 0; k < this.tiles; k++) if (guessedPermutation[k] === truePermutation[k]) placed++;
      this.#positionsCorrect += placed;
      this.#positionsSeen += this.tiles;
      if (placed === this.tiles) this.#puzzlesCorrect++;
      this.#puzzlesSeen++;
    }
  }

  /** Adds one batch's mean loss. */
  addLoss(loss: number): void {
    this.#lossSum += loss;
    this.#lossBatches++;
  }

  /** Mean loss over the batches added, NaN before any. */
  get meanLoss(): number {
    return this.#lossBatches === 0 ? NaN : this.#lossSum / this.#lossBatches;
  }

  /** Puzzles added so far. */
  get puzzles(): number {
    return this.#puzzlesSeen;
  }

  /** The accuracies so far, as fractions; NaN before any batch. */
  result(): Accuracies {
    return {
      patch: this.#offsetsCorrect / this.#offsetsSeen,
      position: this.#positionsCorrect / this.#positionsSeen,
      puzzle: this.#puzzlesCorrect / this.#puzzlesSeen,
    };
  }
}

/** Returns the predicted offsets of `logits` `[B, S − 1, S]` as a device tensor `[B, S − 1]`. */
export function predictOffsets(logits: tf.Tensor3D): tf.Tensor2D {
  return tf.argMax(logits, 2) as tf.Tensor2D;
}
