/**
 * The tile encoder: a small CNN that maps every tile independently to a D-dimensional
 * embedding (conv 3×3 → BN → ReLU → max-pool → conv 5×5 → BN → ReLU → max-pool →
 * flatten → linear).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { ModelConfig } from "./config.ts";
import { BatchNorm } from "./batch_norm.ts";
import { conv2dSame } from "./conv.ts";
import { maxPool2x2 } from "./reductions.ts";
import { ParameterBuilder } from "./parameters.ts";

/** A model part with its own parameters, for benchmarks of single parts. */
export interface ModelPart {
  /** Learned parameters by stable name, in a fixed order. */
  readonly trainable: ReadonlyMap<string, tf.Variable>;
  /** Saved but not learned state, such as batch-norm running statistics. */
  readonly buffers: ReadonlyMap<string, tf.Variable>;
  /** Applies the part in training or evaluation mode. */
  forward(x: tf.Tensor, training: boolean): tf.Tensor;
  /** Releases every variable of the part. */
  dispose(): void;
}

/** The tile encoder's layers; the parameters live in the builder that created them. */
export class TileEncoder {
  readonly #conv1Weight: tf.Variable;
  readonly #conv1Bias: tf.Variable;
  readonly #norm1: BatchNorm;
  readonly #conv2Weight: tf.Variable;
  readonly #conv2Bias: tf.Variable;
  readonly #norm2: BatchNorm;
  readonly #projectionWeight: tf.Variable;
  readonly #projectionBias: tf.Variable;
  readonly #flatSize: number;

  /** Creates the parameters under `<prefix>.conv1.weight` and so on. */
  constructor(builder: ParameterBuilder, prefix: string, config: ModelConfig) {
    if (!Number.isInteger(config.tileSize / 4) || config.tileSize < 4) {
      throw new RangeError(`Invalid tile size ${config.tileSize}: expected a positive multiple of 4`);
    }
    this.#flatSize = 64 * (config.tileSize / 4) ** 2;

    // Filters are [height, width, in, out] (tfjs); fan-in is in · height · width as in PyTorch.
    this.#conv1Weight = builder.fanInUniform(`${prefix}.conv1.weight`, [3, 3, 3, 32], 3 * 3 * 3);
    this.#conv1Bias = builder.fanInUniform(`${prefix}.conv1.bias`, [32], 3 * 3 * 3);
    this.#norm1 = new BatchNorm(builder, `${prefix}.norm1`, 32);
    this.#conv2Weight = builder.fanInUniform(`${prefix}.conv2.weight`, [5, 5, 32, 64], 32 * 5 * 5);
    this.#conv2Bias = builder.fanInUniform(`${prefix}.conv2.bias`, [64], 32 * 5 * 5);
    this.#norm2 = new BatchNorm(builder, `${prefix}.norm2`, 64);
    this.#projectionWeight = builder.fanInUniform(
      `${prefix}.projection.weight`,
      [this.#flatSize, config.hidden],
      this.#flatSize,
    );
    this.#projectionBias = builder.fanInUniform(`${prefix}.projection.bias`, [config.hidden], this.#flatSize);
  }

  /** Maps tiles `[N, T, T, 3]` to embeddings `[N, D]`; training mode updates BN running statistics. */
  forward(tiles: tf.Tensor4D, training: boolean): tf.Tensor2D {
    return tf.tidy(() => {
      // Stride 1 with "same" padding is padding 1 for 3×3 and padding 2 for 5×5. conv2dSame
      // avoids tfjs's Conv2DBackpropFilter kernel (missing on WASM, very slow on CPU). The tiles
      // are data, so the first convolution skips their gradient.
      let h = conv2dSame(tiles, this.#conv1Weight as tf.Tensor4D, this.#conv1Bias as tf.Tensor1D, false);
      // ReLU and max-pool commute, so the ReLU runs on the pooled map, a quarter of the size.
      h = tf.relu(maxPool2x2(this.#norm1.apply(h, training))); // [N, T/2, T/2, 32]

      h = conv2dSame(h, this.#conv2Weight as tf.Tensor4D, this.#conv2Bias as tf.Tensor1D);
      h = tf.relu(maxPool2x2(this.#norm2.apply(h, training))); // [N, T/4, T/4, 64]

      // Flattening is in H, W, C order (PyTorch flattens C, H, W); only the projection's input order differs.
      const flat = tf.reshape(h, [h.shape[0], this.#flatSize]); // [N, 64·(T/4)²]
      // A plain matMul, whose gradient is the fast one of matmul_gradient.ts.
      return tf.add(
        tf.matMul(flat, this.#projectionWeight as tf.Tensor2D),
        this.#projectionBias,
      ) as tf.Tensor2D;
    });
  }
}

/**
 * Creates a stand-alone tile encoder, initialised as the first parameters of a model
 * with the same seed. Its `forward` maps tiles `[N, T, T, 3]` to embeddings `[N, D]`.
 */
export function createTileEncoder(config: ModelConfig, seed: number): ModelPart {
  const builder = new ParameterBuilder(seed);
  const encoder = new TileEncoder(builder, "tileEncoder", config);
  return {
    trainable: builder.trainable,
    buffers: builder.buffers,
    forward: (x, training) => encoder.forward(x as tf.Tensor4D, training),
    dispose: () => builder.dispose(),
  };
}
