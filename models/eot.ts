/**
 * The encoder-only Transformer EOT-L: tile embeddings → L encoder blocks → Fisher–Yates
 * head, one forward and one Adam step per batch.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Adam } from "./adam.ts";
import { type ModelConfig, tileCount } from "./config.ts";
import { DropoutPool } from "./dropout.ts";
import { TileEmbedding } from "./embedding.ts";
import { applyBlocks, EncoderBlock } from "./encoder_block.ts";
import { FisherYatesHead } from "./head.ts";
import { fisherYatesLoss } from "./loss.ts";
import type { JigsawModel, TrainBatchResult } from "./model.ts";
import { ParameterBuilder, parameterGradients } from "./parameters.ts";
import { validateOffsets, validateTiles } from "./validate.ts";

/** EOT-L. Parameters are created in the order tile encoder, position, blocks, head. */
export class EncoderOnlyTransformer implements JigsawModel {
  readonly config: ModelConfig;
  readonly trainable: ReadonlyMap<string, tf.Variable>;
  readonly buffers: ReadonlyMap<string, tf.Variable>;

  readonly #builder: ParameterBuilder;
  readonly #dropout: DropoutPool;
  readonly #embedding: TileEmbedding;
  readonly #blocks: EncoderBlock[] = [];
  readonly #head: FisherYatesHead;

  /** Builds the model with weights initialised from `seed`. */
  constructor(config: ModelConfig, seed: number) {
    if (config.architecture !== "eot") {
      throw new RangeError(
        `Invalid architecture "${config.architecture}" for EncoderOnlyTransformer: expected "eot"`,
      );
    }
    this.config = config;
    this.#builder = new ParameterBuilder(seed);
    this.#dropout = new DropoutPool(seed);

    this.#embedding = new TileEmbedding(this.#builder, config);
    for (let layer = 0; layer < config.layers; layer++) {
      this.#blocks.push(new EncoderBlock(this.#builder, `blocks.${layer}`, config, this.#dropout));
    }
    this.#head = new FisherYatesHead(this.#builder, "head", tileCount(config), config.hidden);

    this.trainable = this.#builder.trainable;
    this.buffers = this.#builder.buffers;
  }

  /** Maps tiles `[B, S, T, T, 3]` to logits `[B, S − 1, S]`. */
  forward(tiles: tf.Tensor, training: boolean): tf.Tensor3D {
    return tf.tidy(() => {
      const x = this.#embedding.forward(tiles, training);
      return this.#head.forward(applyBlocks(this.#blocks, x, training));
    });
  }

  trainBatch(tiles: tf.Tensor, offsets: tf.Tensor, optimizer: Adam, dropoutSeed: number): TrainBatchResult {
    const batch = validateTiles(this.config, tiles);
    validateOffsets(this.config, offsets, batch);
    this.#dropout.begin(dropoutSeed);

    // Forward and backward.
    let keptLogits: tf.Tensor3D | undefined;
    const { value: loss, grads } = parameterGradients(() => {
      keptLogits = tf.keep(this.forward(tiles, true));
      return fisherYatesLoss(keptLogits, offsets as tf.Tensor2D);
    }, this.trainable);

    // Update.
    optimizer.applyGradients(grads);
    tf.dispose(Object.values(grads));

    // The clone is an ordinary tensor of the caller's scope; the kept original is released.
    const logits = tf.clone(keptLogits!);
    keptLogits!.dispose();
    return { loss, logits };
  }

  predict(tiles: tf.Tensor): tf.Tensor3D[] {
    validateTiles(this.config, tiles);
    return [this.forward(tiles, false)];
  }

  dispose(): void {
    this.#builder.dispose();
    this.#dropout.dispose();
  }
}
