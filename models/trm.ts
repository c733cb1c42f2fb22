/**
 * The Tiny Recursive Model TRM-s: one shared network `net` of L encoder blocks refines
 * an answer y and a latent z, both `[B, S, D]`, under deep supervision.
 *
 * - latent recursion: n times `z ← net(x + y + z)`, then `y ← net(y + z)`;
 * - macro-step: embed the tiles with the current weights (x), run the latent recursion
 *   t − 1 times without gradients and once with gradients, apply the head to y, take
 *   one Adam step, and carry y and z (detached) into the next macro-step;
 * - batch: start from the fixed states y₀, z₀ and run s macro-steps.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { mixKeys, Rng, Stream } from "../data/rng.ts";
import type { Adam } from "./adam.ts";
import { type ModelConfig, tileCount } from "./config.ts";
import { DropoutPool } from "./dropout.ts";
import { TileEmbedding } from "./embedding.ts";
import { applyBlocks, EncoderBlock } from "./encoder_block.ts";
import { FisherYatesHead } from "./head.ts";
import { fisherYatesLoss } from "./loss.ts";
import type { JigsawModel, TrainBatchResult } from "./model.ts";
import { ParameterBuilder, parameterGradients, truncatedNormal } from "./parameters.ts";
import { validateOffsets, validateTiles } from "./validate.ts";

/** The recursion state carried between macro-steps. */
export interface RecursionState {
  /** The answer y, `[B, S, D]`. */
  answer: tf.Tensor3D;
  /** The latent z, `[B, S, D]`. */
  latent: tf.Tensor3D;
}

/** Output of one training macro-step; the caller disposes all of it. */
export interface MacroStepResult {
  /** Loss of this macro-step, a scalar. */
  loss: tf.Scalar;
  /** Logits of this macro-step, `[B, S − 1, S]`. */
  logits: tf.Tensor3D;
  /** The state after this macro-step, detached, for the next one. */
  state: RecursionState;
}

/**
 * TRM-s. Parameters are created in the order tile encoder, position, net blocks, head.
 * Buffers hold `answer0` and `latent0` (`[S, D]`), drawn from
 * `Rng.forKeys(seed, Stream.trmState, 0)` and `(…, 1)`.
 */
export class TinyRecursiveModel implements JigsawModel {
  readonly config: ModelConfig;
  readonly trainable: ReadonlyMap<string, tf.Variable>;
  readonly buffers: ReadonlyMap<string, tf.Variable>;

  readonly #builder: ParameterBuilder;
  readonly #dropout: DropoutPool;
  readonly #embedding: TileEmbedding;
  readonly #net: EncoderBlock[] = [];
  readonly #head: FisherYatesHead;
  readonly #answer0: tf.Variable;
  readonly #latent0: tf.Variable;

  /** Builds the model with weights and initial states drawn from `seed`. */
  constructor(config: ModelConfig, seed: number) {
    if (config.architecture !== "trm") {
      throw new RangeError(
        `Invalid architecture "${config.architecture}" for TinyRecursiveModel: expected "trm"`,
      );
    }
    for (const field of ["macroSteps", "cycles", "latentSteps"] as const) {
      if (!Number.isInteger(config[field]) || config[field] < 1) {
        throw new RangeError(`Invalid ${field} ${config[field]}: expected a positive integer`);
      }
    }
    this.config = config;
    this.#builder = new ParameterBuilder(seed);
    this.#dropout = new DropoutPool(seed);

    this.#embedding = new TileEmbedding(this.#builder, config);
    for (let layer = 0; layer < config.layers; layer++) {
      this.#net.push(new EncoderBlock(this.#builder, `net.${layer}`, config, this.#dropout));
    }
    this.#head = new FisherYatesHead(this.#builder, "head", tileCount(config), config.hidden);

    const shape = [tileCount(config), config.hidden];
    const size = shape[0] * shape[1];
    this.#answer0 = this.#builder.buffer(
      "answer0",
      shape,
      truncatedNormal(Rng.forKeys(seed, Stream.trmState, 0), size),
    );
    this.#latent0 = this.#builder.buffer(
      "latent0",
      shape,
      truncatedNormal(Rng.forKeys(seed, Stream.trmState, 1), size),
    );

    this.trainable = this.#builder.trainable;
    this.buffers = this.#builder.buffers;
  }

  /** Returns y₀ and z₀ broadcast to `[batchSize, S, D]`; the caller disposes them. */
  initialState(batchSize: number): RecursionState {
    const shape: [number, number, number] = [batchSize, tileCount(this.config), this.config.hidden];
    return {
      answer: tf.broadcastTo(this.#answer0, shape) as tf.Tensor3D,
      latent: tf.broadcastTo(this.#latent0, shape) as tf.Tensor3D,
    };
  }

  /**
   * Trains one deep-supervision macro-step from `state` with one Adam step.
   * `dropoutSeed` fixes the dropout masks of this macro-step. The caller keeps
   * ownership of `state` and disposes the result.
   */
  trainMacroStep(
    tiles: tf.Tensor,
    offsets: tf.Tensor,
    state: RecursionState,
    optimizer: Adam,
    dropoutSeed: number,
  ): MacroStepResult {
    const batch = validateTiles(this.config, tiles);
    validateOffsets(this.config, offsets, batch);
    this.#dropout.begin(dropoutSeed);

    let stepOutputs: { logits: tf.Tensor3D; answer: tf.Tensor3D; latent: tf.Tensor3D } | undefined;
    const { value: loss, grads } = parameterGradients(() => {
      // Embed the tiles with the current weights.
      const x = this.#embedding.forward(tiles, true);

      // Recurse: t − 1 cycles without gradients, then one cycle with gradients.
      const start = this.#cyclesWithoutGradients(x, state, this.config.cycles - 1);
      const end = this.#latentRecursion(x, start, true);

      // Head and loss on the answer.
      const logits = this.#head.forward(end.answer);
      stepOutputs = { logits: tf.keep(logits), answer: tf.keep(end.answer), latent: tf.keep(end.latent) };
      return fisherYatesLoss(logits, offsets as tf.Tensor2D);
    }, this.trainable);

    // Update.
    optimizer.applyGradients(grads);
    tf.dispose(Object.values(grads));

    // Outside the gradient scope these tensors carry no tape: they are detached. The
    // clones are ordinary tensors of the caller's scope; the kept originals are released.
    const result: MacroStepResult = {
      loss,
      logits: tf.clone(stepOutputs!.logits),
      state: { answer: tf.clone(stepOutputs!.answer), latent: tf.clone(stepOutputs!.latent) },
    };
    tf.dispose([stepOutputs!.logits, stepOutputs!.answer, stepOutputs!.latent]);
    return result;
  }

  trainBatch(tiles: tf.Tensor, offsets: tf.Tensor, optimizer: Adam, dropoutSeed: number): TrainBatchResult {
    const batch = validateTiles(this.config, tiles);
    let state = this.initialState(batch);
    let last: MacroStepResult | undefined;

    for (let step = 0; step < this.config.macroSteps; step++) {
      const result = this.trainMacroStep(tiles, offsets, state, optimizer, mixKeys([dropoutSeed, step]));
      tf.dispose([state.answer, state.latent]);
      if (last !== undefined) tf.dispose([last.loss, last.logits]);
      state = result.state;
      last = result;
    }

    tf.dispose([state.answer, state.latent]);
    return { loss: last!.loss, logits: last!.logits };
  }

  predict(tiles: tf.Tensor): tf.Tensor3D[] {
    const batch = validateTiles(this.config, tiles);
    const x = this.#embedding.forward(tiles, false);
    let state = this.initialState(batch);
    const logits: tf.Tensor3D[] = [];

    for (let step = 0; step < this.config.macroSteps; step++) {
      const next = tf.tidy(() => {
        let current = state;
        for (let cycle = 0; cycle < this.config.cycles; cycle++) {
          current = this.#latentRecursion(x, current, false);
        }
        return { ...current, logits: this.#head.forward(current.answer) };
      });
      tf.dispose([state.answer, state.latent]);
      state = { answer: next.answer, latent: next.latent };
      logits.push(next.logits);
    }

    tf.dispose([x, state.answer, state.latent]);
    return logits;
  }

  dispose(): void {
    this.#builder.dispose();
    this.#dropout.dispose();
  }

  /** n times `z ← net(x + y + z)`, then `y ← net(y + z)`. */
  #latentRecursion(x: tf.Tensor3D, state: RecursionState, training: boolean): RecursionState {
    return tf.tidy(() => {
      let latent = state.latent;
      for (let step = 0; step < this.config.latentSteps; step++) {
        latent = applyBlocks(this.#net, tf.add(tf.add(x, state.answer), latent), training);
      }
      const answer = applyBlocks(this.#net, tf.add(state.answer, latent), training);
      return { answer, latent };
    });
  }

  /**
   * The gradient boundary: runs `cycles` latent recursions (in training mode) that
   * backprop never enters. They run inside the forward function of a `tf.customGrad`,
   * whose inner ops tfjs does not record on the tape (tfjs-core 4.22 records only at
   * kernel depth 0), and whose gradient is zero for x, y and z. Backprop therefore
   * costs nothing for these cycles, as with `torch.no_grad()`.
   */
  #cyclesWithoutGradients(x: tf.Tensor3D, state: RecursionState, cycles: number): RecursionState {
    if (cycles === 0) return state;
    const [batch, tiles, hidden] = x.shape;

    const withoutGradients = tf.customGrad((xInput, answerInput, latentInput) => {
      let current: RecursionState = {
        answer: answerInput as tf.Tensor3D,
        latent: latentInput as tf.Tensor3D,
      };
      for (let cycle = 0; cycle < cycles; cycle++) {
        current = this.#latentRecursion(xInput as tf.Tensor3D, current, true);
      }
      // customGrad returns one tensor, so the two states travel stacked.
      const value = tf.stack([current.answer, current.latent]); // [2, B, S, D]
      const gradFunc = () => [
        tf.zerosLike(xInput as tf.Tensor),
        tf.zerosLike(answerInput as tf.Tensor),
        tf.zerosLike(latentInput as tf.Tensor),
      ];
      return { value, gradFunc };
    });

    const stacked = withoutGradients(x, state.answer, state.latent); // [2, B, S, D]
    return {
      answer: tf.reshape(tf.slice(stacked, [0, 0, 0, 0], [1, batch, tiles, hidden]), [batch, tiles, hidden]),
      latent: tf.reshape(tf.slice(stacked, [1, 0, 0, 0], [1, batch, tiles, hidden]), [batch, tiles, hidden]),
    };
  }
}
