/**
 * The post-norm encoder block shared by both architectures:
 * `x ← rmsnorm(x + attention(x))`, then `x ← rmsnorm(x + swiglu(x))`.
 *
 * Attention is bias-free multi-head self-attention with dropout on the attention
 * probabilities in training mode. SwiGLU is `down(silu(a) ⊙ b)` with `[a, b]` the halves
 * of a bias-free linear D → 2F. RMSNorm has no learned scale. Weights are stored
 * `[in, out]` so every projection is a plain 2-D matMul on `[B·S, D]`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { ModelConfig } from "./config.ts";
import { scalarConstant } from "./constants.ts";
import { DropoutPool } from "./dropout.ts";
import { ParameterBuilder } from "./parameters.ts";
import type { ModelPart } from "./tile_encoder.ts";

/** RMSNorm epsilon. */
export const RMS_NORM_EPSILON = 1e-6;

/** Divides each row by its root mean square: `x / sqrt(mean(x²) + 1e-6)` over the last axis. */
export function rmsNorm<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => {
    const meanSquare = tf.mean(tf.square(x), -1, true);
    return tf.mul(x, tf.rsqrt(tf.add(meanSquare, scalarConstant(RMS_NORM_EPSILON)))) as T;
  });
}

/** One encoder block; the parameters live in the builder that created them. */
export class EncoderBlock {
  readonly #queryKeyValue: tf.Variable;
  readonly #attentionOutput: tf.Variable;
  readonly #up: tf.Variable;
  readonly #down: tf.Variable;
  readonly #hidden: number;
  readonly #heads: number;
  readonly #feedForward: number;
  readonly #dropoutRate: number;
  readonly #dropout: DropoutPool;

  /**
   * Creates `<prefix>.attention.queryKeyValue` `[D, 3D]` (Xavier-uniform, as PyTorch
   * initialises the stacked input projection), `<prefix>.attention.output` `[D, D]`,
   * `<prefix>.swiglu.up` `[D, 2F]` and `<prefix>.swiglu.down` `[F, D]`.
   */
  constructor(builder: ParameterBuilder, prefix: string, config: ModelConfig, dropout: DropoutPool) {
    const { hidden, heads, feedForward } = config;
    if (!Number.isInteger(hidden / heads)) {
      throw new RangeError(`Invalid heads ${heads}: hidden size ${hidden} must be a multiple of it`);
    }
    this.#hidden = hidden;
    this.#heads = heads;
    this.#feedForward = feedForward;
    this.#dropoutRate = config.attentionDropout;
    this.#dropout = dropout;

    this.#queryKeyValue = builder.xavierUniform(
      `${prefix}.attention.queryKeyValue`,
      [hidden, 3 * hidden],
      hidden,
      3 * hidden,
    );
    this.#attentionOutput = builder.fanInUniform(`${prefix}.attention.output`, [hidden, hidden], hidden);
    this.#up = builder.fanInUniform(`${prefix}.swiglu.up`, [hidden, 2 * feedForward], hidden);
    this.#down = builder.fanInUniform(`${prefix}.swiglu.down`, [feedForward, hidden], feedForward);
  }

  /** Applies the block to `x` `[B, S, D]`; attention dropout is active in training mode only. */
  forward(x: tf.Tensor3D, training: boolean): tf.Tensor3D {
    return tf.tidy(() => {
      const [batch, tiles, hidden] = x.shape;
      const tokens = tf.reshape<tf.Rank.R2>(x, [batch * tiles, hidden]); // [B·S, D]

      const attended = rmsNorm(tf.add<tf.Tensor2D>(tokens, this.#attention(tokens, batch, tiles, training)));
      const output = rmsNorm(tf.add(attended, this.#swiglu(attended)));

      return tf.reshape(output, [batch, tiles, hidden]);
    });
  }

  #attention(tokens: tf.Tensor2D, batch: number, tiles: number, training: boolean): tf.Tensor2D {
    const heads = this.#heads;
    const headSize = this.#hidden / heads;

    const [query, key, value] = tf.split(tf.matMul(tokens, this.#queryKeyValue as tf.Tensor2D), 3, 1); // 3 × [B·S, D]

    // Scaling the query is cheaper than scaling the [B·H, S, S] scores when S > D / H.
    const scaledQuery = tf.mul(query, scalarConstant(1 / Math.sqrt(headSize)));
    const queries = tf.reshape(
      tf.transpose(tf.reshape(scaledQuery, [batch, tiles, heads, headSize]), [0, 2, 1, 3]),
      [batch * heads, tiles, headSize],
    ); // [B·H, S, D/H]
    // The transpose that splits the heads also puts S last, so the scores need no transposeB.
    const keysTransposed = tf.reshape(
      tf.transpose(tf.reshape(key, [batch, tiles, heads, headSize]), [0, 2, 3, 1]),
      [batch * heads, headSize, tiles],
    ); // [B·H, D/H, S]
    const values = tf.reshape(
      tf.transpose(tf.reshape(value, [batch, tiles, heads, headSize]), [0, 2, 1, 3]),
      [batch * heads, tiles, headSize],
    ); // [B·H, S, D/H]

    let probabilities = tf.softmax(tf.matMul(queries, keysTransposed)); // [B·H, S, S]
    if (training) probabilities = this.#dropout.apply(probabilities, this.#dropoutRate);

    const context = tf.matMul(probabilities, values); // [B·H, S, D/H]
    const merged = tf.reshape(
      tf.transpose(tf.reshape(context, [batch, heads, tiles, headSize]), [0, 2, 1, 3]),
      [batch * tiles, this.#hidden],
    ); // [B·S, D]
    return tf.matMul(merged, this.#attentionOutput as tf.Tensor2D);
  }

  #swiglu(tokens: tf.Tensor2D): tf.Tensor2D {
    const [gate, linear] = tf.split(tf.matMul(tokens, this.#up as tf.Tensor2D), [
      this.#feedForward,
      this.#feedForward,
    ], 1);
    const gated = tf.mul(tf.mul(gate, tf.sigmoid(gate)), linear); // silu(a) ⊙ b, [B·S, F]
    return tf.matMul(gated, this.#down as tf.Tensor2D);
  }
}

/** Applies `blocks` in order to `x` `[B, S, D]`. */
export function applyBlocks(blocks: readonly EncoderBlock[], x: tf.Tensor3D, training: boolean): tf.Tensor3D {
  return tf.tidy(() => {
    let h = x;
    for (const block of blocks) h = block.forward(h, training);
    return h;
  });
}

/**
 * Creates a stand-alone encoder block mapping `[B, S, D]` to `[B, S, D]`. In training
 * mode its dropout masks continue one sequence from `seed` across calls.
 */
export function createEncoderBlock(config: ModelConfig, seed: number): ModelPart {
  const builder = new ParameterBuilder(seed);
  const dropout = new DropoutPool(seed);
  dropout.begin(seed);
  const block = new EncoderBlock(builder, "block", config, dropout);
  return {
    trainable: builder.trainable,
    buffers: builder.buffers,
    forward: (x, training) => block.forward(x as tf.Tensor3D, training),
    dispose: () => {
      builder.dispose();
      dropout.dispose();
    },
  };
}
