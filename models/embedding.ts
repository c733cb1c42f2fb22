/**
 * Tile embeddings: the tile encoder applied to every tile, plus a learned embedding of
 * each tile's shuffled position. Both architectures start from these.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type ModelConfig, tileCount } from "./config.ts";
import type { ParameterBuilder } from "./parameters.ts";
import { TileEncoder } from "./tile_encoder.ts";

/** The tile encoder and position embedding; the parameters live in the builder that created them. */
export class TileEmbedding {
  readonly #encoder: TileEncoder;
  readonly #position: tf.Variable;
  readonly #config: ModelConfig;

  /** Creates `tileEncoder.*` and then `position` `[S, D]`, drawn from U[0, 1). */
  constructor(builder: ParameterBuilder, config: ModelConfig) {
    this.#config = config;
    this.#encoder = new TileEncoder(builder, "tileEncoder", config);
    this.#position = builder.uniform("position", [tileCount(config), config.hidden], 0, 1);
  }

  /** Embeds tiles `[B, S, T, T, 3]` as `[B, S, D]`; training mode updates BN running statistics. */
  forward(tiles: tf.Tensor, training: boolean): tf.Tensor3D {
    const { tileSize, hidden } = this.#config;
    const count = tileCount(this.#config);
    const batch = tiles.shape[0];

    return tf.tidy(() => {
      const flat = tf.reshape(tiles, [batch * count, tileSize, tileSize, 3]) as tf.Tensor4D; // [B·S, T, T, 3]
      const embedded = tf.reshape(this.#encoder.forward(flat, training), [batch, count, hidden]); // [B, S, D]
      return tf.add(embedded, this.#position);
    });
  }
}
