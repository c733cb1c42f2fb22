/**
 * The files of a run directory, shared by training (writer) and reports (reader):
 * `config.json` (resolved configuration) and `metrics.json` (one record per epoch).
 * The checkpoint format lives in `train/checkpoint.ts`.
 *
 * @module
 */
import type { ModelConfig } from "../models/config.ts";

/** Training profiles: `paper` is the study's protocol, `quick` and `smoke` are reduced scales. */
export type ProfileName = "paper" | "quick" | "smoke";

/** Hyperparameters of one training run. */
export interface TrainingOptions {
  /** Training epochs. */
  epochs: number;
  /** Samples per batch; incomplete last batches are dropped. */
  batchSize: number;
  /** Adam learning rate. */
  learningRate: number;
  /** Adam β1. */
  beta1: number;
  /** Adam β2. */
  beta2: number;
  /** Adam ε. */
  epsilon: number;
  /** Training images used per epoch, or null for the whole split. */
  trainImages: number | null;
  /** Test images evaluated after each epoch, or null for the whole split. */
  testImages: number | null;
}

/** The image source of a run. */
export interface DatasetInfo {
  /** `coco` for `$DATASETS/COCO/2017`, `synthetic` for the built-in set, else the folder's name. */
  name: string;
  /** Kind of source. */
  kind: "coco" | "folder" | "synthetic";
  /** Absolute path of the folder holding `train/` and `test/`, or null for the built-in set. */
  root: string | null;
  /** Usable images in the training split. */
  trainImages: number;
  /** Usable images in the test split. */
  testImages: number;
  /** Files that could not be decoded and were skipped, relative to `root`. */
  skipped: string[];
  /**
   * Version of the built-in set's image generator, absent for folders. Runs made with
   * other images count as another configuration.
   */
  generator?: number;
}

/** The compute backend a run used, as detected at start. */
export interface BackendInfo {
  /** tfjs backend name: `webgpu`, `wasm` or `cpu`. */
  name: string;
  /** WebGPU adapter description, or null on other backends. */
  adapter: string | null;
  /** Whether the adapter is a software rasteriser (llvmpipe, SwiftShader, WARP). */
  isSoftware: boolean;
  /** WASM threads, or null on other backends. */
  threads: number | null;
}

/** Versions that produced a run. */
export interface VersionInfo {
  deno: string;
  tfjs: string;
  /** Git commit of the project, or null outside a checkout. */
  commit: string | null;
}

/** Contents of `config.json`. */
export interface RunConfig {
  /** Run name in the reference implementation's scheme. */
  runName: string;
  /** Model identifier such as `eot-6` or `trm-8`. */
  modelId: string;
  seed: number;
  profile: ProfileName;
  model: ModelConfig;
  training: TrainingOptions;
  dataset: DatasetInfo;
  backend: BackendInfo;
  versions: VersionInfo;
  /** Learned parameters. */
  parameterCount: number;
}

/** The three accuracies of a pass, as fractions in [0, 1]. */
export interface Accuracies {
  /** Share of correct Fisher–Yates offset decisions (the study's "patch-level accuracy"). */
  patch: number;
  /** Share of tiles placed correctly after decoding the predicted offsets. */
  position: number;
  /** Share of puzzles reconstructed perfectly. */
  puzzle: number;
}

/** One element of `metrics.json`: the result of one epoch. */
export interface EpochRecord {
  /** Epoch number, from 1. */
  epoch: number;
  /** Mean training loss over the epoch (TRM: of the last macro-step of each batch). */
  trainLoss: number;
  /** Mean test loss after the epoch. */
  testLoss: number;
  /** Accuracies on the training batches of this epoch, as predicted while training. */
  train: Accuracies;
  /** Accuracies on the test split after the epoch. */
  test: Accuracies;
  /** Wall time of the epoch, training and evaluation, in seconds. */
  seconds: number;
  /** Optimizer steps per second during training. */
  stepsPerSecond: number;
  /** Optimizer steps taken since the start of the run. */
  optimizerSteps: number;
}

/** The name of a run's directory: its run name and seed. */
export function runDirectoryName(runName: string, seed: number): string {
  return `${runName}-seed${seed}`;
}
