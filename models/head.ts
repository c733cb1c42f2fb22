/**
 * The Fisher–Yates head: position i (0 … S−2) has its own linear layer (with bias)
 * from D to S − i logits, laid out `[B, S − 1, S]` with the entries at or beyond S − i
 * masked to {@linkcode MASKED_LOGIT}.
 *
 * The S − 1 layers are packed into one weight `[D, K]` and one bias `[K]`, with
 * K = S(S+1)/2 − 1 (position i's columns start at column Σ_{j<i}(S − j)), so the
 * parameters count only real entries. Each step expands them to a stacked weight
 * `[S − 1, D, S]` (zeros in masked columns) and a bias `[S − 1, S]` (the mask value in
 * masked entries), which turns the head into one batched matMul over positions.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { cachedConstant, scalarConstant } from "./constants.ts";
import type { ParameterBuilder } from "./parameters.ts";

/**
 * Value of masked logits: large enough that softmax gives them exactly zero weight
 * in float32, finite so that no arithmetic meets −Infinity.
 */
export const MASKED_LOGIT: number = -1e9;

/** Returns K = S(S+1)/2 − 1, the number of real logits over all positions. */
export function packedLogitCount(tiles: number): number {
  return (tiles * (tiles + 1)) / 2 - 1;
}

/** The head's layers; the parameters live in the builder that created them. */
export class FisherYatesHead {
  readonly #weight: tf.Variable;
  readonly #bias: tf.Variable;
  readonly #tiles: number;
  readonly #hidden: number;

  /**
   * Creates `<prefix>.weight` `[D, K]` and `<prefix>.bias` `[K]`, both U(±1/√D) as
   * PyTorch initialises each position's linear layer.
   */
  constructor(builder: ParameterBuilder, prefix: string, tiles: number, hidden: number) {
    if (!Number.isInteger(tiles) || tiles < 2) {
      throw new RangeError(`Invalid tile count ${tiles}: expected at least 2`);
    }
    this.#tiles = tiles;
    this.#hidden = hidden;

    const packed = packedLogitCount(tiles);
    this.#weight = builder.fanInUniform(`${prefix}.weight`, [hidden, packed], hidden);
    this.#bias = builder.fanInUniform(`${prefix}.bias`, [packed], hidden);
  }

  /** Maps tokens `[B, S, D]` to logits `[B, S − 1, S]`; the last token is not used. */
  forward(tokens: tf.Tensor3D): tf.Tensor3D {
    const tiles = this.#tiles;
    const hidden = this.#hidden;
    const [batch] = tokens.shape;

    return tf.tidy(() => {
      const weight = this.#expandWeight(); // [S − 1, D, S]
      const bias = tf.reshape(this.#expandBias(), [tiles - 1, 1, tiles]);

      const positions = tf.slice(tokens, [0, 0, 0], [batch, tiles - 1, hidden]); // [B, S − 1, D]
      const byPosition = tf.transpose(positions, [1, 0, 2]); // [S − 1, B, D]
      const scores = tf.add(tf.matMul(byPosition, weight), bias); // [S − 1, B, S]
      return tf.transpose(scores, [1, 0, 2]) as tf.Tensor3D; // [B, S − 1, S]
    });
  }

  // Each packed entry appears exactly once in the expanded tensor, so its gradient is
  // one entry of the expanded gradient and both directions are gathers. tfjs's own
  // gather gradient would need UnsortedSegmentSum, which tfjs-backend-wasm 4.22 lacks.
  // The forward of a customGrad already runs inside a tidy.
  #expandWeight(): tf.Tensor3D {
    const tiles = this.#tiles;
    const hidden = this.#hidden;
    const { expand, pack } = weightIndices(tiles, hidden);
    const packedSize = hidden * packedLogitCount(tiles);

    const expandWithGradient = tf.customGrad((weight) => {
      const padded = tf.pad(tf.reshape(weight as tf.Tensor, [packedSize]), [[0, 1]]); // zero at index D·K
      const value = tf.reshape(tf.gather(padded, expand), [tiles - 1, hidden, tiles]);
      const gradFunc = (dy: tf.Tensor) =>
        tf.reshape(tf.gather(tf.reshape(dy, [dy.size]), pack), (weight as tf.Tensor).shape);
      return { value, gradFunc };
    });
    return expandWithGradient(this.#weight) as tf.Tensor3D;
  }

  #expandBias(): tf.Tensor1D {
    const tiles = this.#tiles;
    const { expand, pack } = biasIndices(tiles);

    const expandWithGradient = tf.customGrad((bias) => {
      const padded = tf.concat([bias as tf.Tensor1D, tf.reshape(scalarConstant(MASKED_LOGIT), [1])]);
      const value = tf.gather(padded, expand);
      const gradFunc = (dy: tf.Tensor) => tf.gather(dy, pack);
      return { value, gradFunc };
    });
    return expandWithGradient(this.#bias) as tf.Tensor1D;
  }
}

/**
 * Returns the index maps between the flattened packed weight `[D, K]` and the flattened
 * expanded weight `[S − 1, D, S]`. `expand` gives each expanded entry its packed index,
 * or D·K (the zero appended by padding) for a masked entry. `pack` gives each packed
 * entry its expanded index.
 */
function weightIndices(tiles: number, hidden: number): { expand: tf.Tensor1D; pack: tf.Tensor1D } {
  const key = `fisherYatesHead/weight/${tiles}/${hidden}`;
  const packed = packedLogitCount(tiles);

  const expand = cachedConstant(`${key}/expand`, () => {
    const indices = new Int32Array((tiles - 1) * hidden * tiles);
    let column = 0;
    for (let i = 0; i < tiles - 1; i++) {
      for (let d = 0; d < hidden; d++) {
        for (let j = 0; j < tiles; j++) {
          indices[(i * hidden + d) * tiles + j] = j < tiles - i ? d * packed + column + j : hidden * packed;
        }
      }
      column += tiles - i;
    }
    return tf.tensor1d(indices, "int32");
  });

  const pack = cachedConstant(`${key}/pack`, () => {
    const indices = new Int32Array(hidden * packed);
    let column = 0;
    for (let i = 0; i < tiles - 1; i++) {
      for (let d = 0; d < hidden; d++) {
        for (let j = 0; j < tiles - i; j++) indices[d * packed + column + j] = (i * hidden + d) * tiles + j;
      }
      column += tiles - i;
    }
    return tf.tensor1d(indices, "int32");
  });

  return { expand, pack };
}

/**
 * Returns the index maps between the packed bias `[K]` and the flattened expanded bias
 * `[S − 1, S]`, in the same form as {@linkcode weightIndices} (K marks the mask value).
 */
function biasIndices(tiles: number): { expand: tf.Tensor1D; pack: tf.Tensor1D } {
  const key = `fisherYatesHead/bias/${tiles}`;
  const packed = packedLogitCount(tiles);

  const expand = cachedConstant(`${key}/expand`, () => {
    const indices = new Int32Array((tiles - 1) * tiles);
    let column = 0;
    for (let i = 0; i < tiles - 1; i++) {
      for (let j = 0; j < tiles; j++) indices[i * tiles + j] = j < tiles - i ? column + j : packed;
      column += tiles - i;
    }
    return tf.tensor1d(indices, "int32");
  });

  const pack = cachedConstant(`${key}/pack`, () => {
    const indices = new Int32Array(packed);
    let column = 0;
    for (let i = 0; i < tiles - 1; i++) {
      for (let j = 0; j < tiles - i; j++) indices[column + j] = i * tiles + j;
      column += tiles - i;
    }
    return tf.tensor1d(indices, "int32");
  });

  return { expand, pack };
}
