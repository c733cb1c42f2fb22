/**
 * Model configurations of the study: EOT-L and TRM-s on P×P grids, their run
 * names (the reference implementation's scheme) and their parameter counts.
 *
 * @module
 */

/** Architecture family: encoder-only Transformer or Tiny Recursive Model. */
export type Architecture = "eot" | "trm";

/** Everything that shapes a model; defaults are the study's. */
export interface ModelConfig {
  /** Architecture family. */
  architecture: Architecture;
  /** Grid size P: the image is cut into P×P tiles. */
  grid: number;
  /** Tile side T in pixels. @default 16 */
  tileSize: number;
  /** Hidden size D. @default 128 */
  hidden: number;
  /** Feed-forward size F of the SwiGLU. @default 512 */
  feedForward: number;
  /** Attention heads H. @default 8 */
  heads: number;
  /** Encoder blocks L: the depth of an EOT, or of the shared TRM network. */
  layers: number;
  /** Deep-supervision macro-steps s (TRM); 1 for an EOT. */
  macroSteps: number;
  /** Latent cycles t per macro-step, the first t − 1 without gradients (TRM). @default 2 */
  cycles: number;
  /** Latent updates n per cycle (TRM). @default 3 */
  latentSteps: number;
  /** Dropout rate on attention probabilities during training. @default 0.1 */
  attentionDropout: number;
}

/** The study's model identifiers, in the order of its table. */
export const STUDY_MODELS = ["eot-2", "eot-4", "eot-6", "eot-8", "eot-12", "trm-8", "trm-12"] as const;

/** The study's grid sizes. */
export const STUDY_GRIDS = [2, 3, 4, 5, 6] as const;

/**
 * Builds the configuration of a model identifier such as `eot-6` (EOT of depth 6)
 * or `trm-12` (TRM with 12 macro-steps) on a P×P grid.
 */
export function modelConfig(modelId: string, grid: number): ModelConfig {
  const match = /^(eot|trm)-(\d+)$/.exec(modelId);
  if (!match) {
    throw new RangeError(`Invalid model "${modelId}": expected eot-L or trm-S, for example eot-2 or trm-8`);
  }
  if (!Number.isInteger(grid) || grid < 2 || grid > 16) {
    throw new RangeError(`Invalid grid ${grid}: expected an integer from 2 to 16`);
  }
  const architecture = match[1] as Architecture;
  const count = Number(match[2]);
  if (count < 1) throw new RangeError(`Invalid model "${modelId}": the number must be at least 1`);

  return {
    architecture,
    grid,
    tileSize: 16,
    hidden: 128,
    feedForward: 512,
    heads: 8,
    layers: architecture === "eot" ? count : 2,
    macroSteps: architecture === "eot" ? 1 : count,
    cycles: 2,
    latentSteps: 3,
    attentionDropout: 0.1,
  };
}

/** Returns the short identifier of a configuration (`eot-6`, `trm-8`). */
export function modelId(config: ModelConfig): string {
  return config.architecture === "eot" ? `eot-${config.layers}` : `trm-${config.macroSteps}`;
}

/** Returns the number of tiles S = P². */
export function tileCount(config: Pick<ModelConfig, "grid">): number {
  return config.grid * config.grid;
}

/**
 * Returns the run name in the reference implementation's scheme, for example
 * `trm-P5-T16-D128-F512-H8-L2-s8-t2-n3-coco` or `vanilla-P3-T16-D128-F512-H8-L6-coco`
 * (the reference calls the EOT "vanilla").
 */
export function runName(config: ModelConfig, datasetName: string): string {
  const shared =
    `P${config.grid}-T${config.tileSize}-D${config.hidden}-F${config.feedForward}-H${config.heads}-L${config.layers}`;
  if (config.architecture === "eot") return `vanilla-${shared}-${datasetName}`;
  return `trm-${shared}-s${config.macroSteps}-t${config.cycles}-n${config.latentSteps}-${datasetName}`;
}

/** Counts learned parameters (TRM's fixed initial states are not learned). */
export function parameterCount(config: ModelConfig): number {
  const { tileSize, hidden, feedForward } = config;
  const tiles = tileCount(config);

  const conv1 = 3 * 32 * 9 + 32;
  const batchNorm1 = 2 * 32;
  const conv2 = 32 * 64 * 25 + 64;
  const batchNorm2 = 2 * 64;
  const flat = 64 * (tileSize / 4) ** 2;
  const projection = flat * hidden + hidden;
  const tileEncoder = conv1 + batchNorm1 + conv2 + batchNorm2 + projection;

  const positions = tiles * hidden;
  const attention = 3 * hidden * hidden + hidden * hidden;
  const swiglu = hidden * 2 * feedForward + feedForward * hidden;
  const blocks = config.layers * (attention + swiglu);

  // Position i has its own linear layer to S − i logits.
  let head = 0;
  for (let i = 0; i < tiles - 1; i++) head += (hidden + 1) * (tiles - i);

  return tileEncoder + positions + blocks + head;
}
