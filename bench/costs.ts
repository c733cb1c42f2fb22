/**
 * Analytical cost model of the benchmark cases: FLOPs of each part of a jigsaw model,
 * FLOPs of one training step, learned parameters per part, and encoder-layer
 * applications per step.
 *
 * Counting convention: 2 FLOPs per multiply–add in convolutions and matrix products,
 * attention's score and weighted-sum products included. Element-wise work (biases, batch
 * and RMS norms, activations, pooling, softmax, dropout, the Adam update) is not counted,
 * because by an estimate from the tensor sizes it adds only a few percent for this model. A training pass with gradients is
 * counted as 3× its forward pass (forward, gradient of the input, gradient of the weights).
 * That slightly over-counts the first convolution, whose input needs no gradient.
 *
 * @module
 */
import { type ModelConfig, tileCount } from "../models/config.ts";

/** FLOPs per multiply–add. */
const FLOPS_PER_MAC = 2;

/** Ratio of a training pass (forward and backward) to a forward pass. */
export const TRAINING_TO_FORWARD = 3;

/** FLOPs of the tile encoder's forward pass on one tile. */
export function tileEncoderForwardFlops(config: Pick<ModelConfig, "tileSize" | "hidden">): number {
  const { tileSize, hidden } = config;

  // conv 3×3, 3→32 channels at full resolution.
  const conv1 = tileSize * tileSize * 32 * (3 * 3 * 3);
  // conv 5×5, 32→64 channels after the first 2×2 max-pool.
  const conv2 = (tileSize / 2) ** 2 * 64 * (32 * 5 * 5);
  // Linear from the flattened 64 × (T/4)² values to D.
  const projection = 64 * (tileSize / 4) ** 2 * hidden;

  return FLOPS_PER_MAC * (conv1 + conv2 + projection);
}

/** FLOPs of one encoder block's forward pass on one sequence of S tokens. */
export function encoderBlockForwardFlops(
  config: Pick<ModelConfig, "grid" | "hidden" | "feedForward">,
): number {
  const { hidden, feedForward } = config;
  const tiles = tileCount(config);

  // Q, K, V and output projections (4·D²) and the SwiGLU (D→2F, then F→D) per token.
  const perToken = 4 * hidden * hidden + 3 * hidden * feedForward;
  // Scores Q·Kᵀ and the weighted sum of V: S² · D each, summed over the heads.
  const attention = 2 * tiles * tiles * hidden;

  return FLOPS_PER_MAC * (tiles * perToken + attention);
}

/**
 * FLOPs of the Fisher–Yates head's forward pass on one sequence: position i maps a
 * D-vector to S − i logits. Counts only those logits, not the masked entries that an
 * implementation computing a full `S − 1 × S` product would add.
 */
export function headForwardFlops(config: Pick<ModelConfig, "grid" | "hidden">): number {
  const tiles = tileCount(config);
  let macs = 0;
  for (let i = 0; i < tiles - 1; i++) macs += config.hidden * (tiles - i);
  return FLOPS_PER_MAC * macs;
}

/** Learned parameters of the tile encoder (convolutions, batch norms, projection). */
export function tileEncoderParameterCount(config: Pick<ModelConfig, "tileSize" | "hidden">): number {
  const conv1 = 3 * 32 * 9 + 32;
  const batchNorm1 = 2 * 32;
  const conv2 = 32 * 64 * 25 + 64;
  const batchNorm2 = 2 * 64;
  const projection = 64 * (config.tileSize / 4) ** 2 * config.hidden + config.hidden;
  return conv1 + batchNorm1 + conv2 + batchNorm2 + projection;
}

/** Learned parameters of one encoder block (bias-free attention and SwiGLU). */
export function encoderBlockParameterCount(config: Pick<ModelConfig, "hidden" | "feedForward">): number {
  const { hidden, feedForward } = config;
  return 4 * hidden * hidden + 3 * hidden * feedForward;
}

/**
 * Encoder-layer applications of one training step, each over the batch's B·S tokens:
 * L for an EOT-L step, t·(n + 1)·L for one TRM macro-step (the t − 1 cycles without
 * gradients included). A whole TRM batch is `macroSteps` times a macro-step.
 */
export function layerApplicationsPerStep(config: ModelConfig): number {
  if (config.architecture === "eot") return config.layers;
  return config.cycles * (config.latentSteps + 1) * config.layers;
}

/** FLOPs of one EOT training step (forward, backward) on a batch of `batchSize` puzzles. */
export function eotStepFlops(config: ModelConfig, batchSize: number): number {
  if (config.architecture !== "eot") {
    throw new TypeError(
      `eotStepFlops expects an EOT configuration, got architecture "${config.architecture}"`,
    );
  }
  const forward = tileCount(config) * tileEncoderForwardFlops(config) +
    config.layers * encoderBlockForwardFlops(config) +
    headForwardFlops(config);
  return batchSize * TRAINING_TO_FORWARD * forward;
}

/**
 * FLOPs of one TRM macro-step on a batch of `batchSize` puzzles: the tile encoder, the
 * last latent cycle and the head with gradients, the first t − 1 latent cycles forward only.
 */
export function trmMacroStepFlops(config: ModelConfig, batchSize: number): number {
  if (config.architecture !== "trm") {
    throw new TypeError(
      `trmMacroStepFlops expects a TRM configuration, got architecture "${config.architecture}"`,
    );
  }
  const block = encoderBlockForwardFlops(config);
  const netApplicationsPerCycle = config.latentSteps + 1;

  const tiles = TRAINING_TO_FORWARD * tileCount(config) * tileEncoderForwardFlops(config);
  const withoutGradients = (config.cycles - 1) * netApplicationsPerCycle * config.layers * block;
  const withGradients = TRAINING_TO_FORWARD * netApplicationsPerCycle * config.layers * block;
  const head = TRAINING_TO_FORWARD * headForwardFlops(config);

  return batchSize * (tiles + withoutGradients + withGradients + head);
}

/** FLOPs of one whole TRM batch: `macroSteps` macro-steps. */
export function trmBatchFlops(config: ModelConfig, batchSize: number): number {
  return config.macroSteps * trmMacroStepFlops(config, batchSize);
}

/** FLOPs of a training pass (forward, backward) of the tile encoder alone over B·S tiles. */
export function tileEncoderTrainingFlops(config: ModelConfig, batchSize: number): number {
  return batchSize * tileCount(config) * TRAINING_TO_FORWARD * tileEncoderForwardFlops(config);
}

/** FLOPs of a training pass (forward, backward) of one encoder block alone over B sequences. */
export function encoderBlockTrainingFlops(config: ModelConfig, batchSize: number): number {
  return batchSize * TRAINING_TO_FORWARD * encoderBlockForwardFlops(config);
}

/** FLOPs of the product of two `size × size` matrices. */
export function matMulFlops(size: number): number {
  return FLOPS_PER_MAC * size ** 3;
}
