/**
 * Turns the options of `reproduce` into the list of runs to train: one per model,
 * grid and seed, each with its resolved configuration and run directory.
 *
 * @module
 */
import { basename, join, resolve } from "node:path";
import { type ModelConfig, modelConfig, runName } from "../models/config.ts";
import { type ProfileName, type RunConfig, runDirectoryName, type TrainingOptions } from "./records.ts";
import { SYNTHETIC_GENERATOR } from "../data/synthetic.ts";
import { identityDifferences } from "./run_directory.ts";

/** Where a run's images come from. */
export interface DataChoice {
  kind: "synthetic" | "coco" | "folder";
  /** Folder holding `train/` and `test/`, or null for the built-in set. */
  root: string | null;
  /** Name used in run names: `coco`, `synthetic`, or the folder's name. */
  name: string;
  /** Images per split of the built-in set (ignored for folders). */
  synthetic: { trainImages: number; testImages: number };
}

/** One run to train. */
export interface RunJob {
  modelId: string;
  grid: number;
  seed: number;
  profile: ProfileName;
  model: ModelConfig;
  training: TrainingOptions;
  data: DataChoice;
  runName: string;
  runDir: string;
}

/** Model settings that flags may override. */
export type ModelOverrides = Partial<
  Pick<
    ModelConfig,
    "tileSize" | "hidden" | "feedForward" | "heads" | "cycles" | "latentSteps" | "attentionDropout"
  >
>;

/** Everything {@linkcode planRuns} needs. */
export interface PlanOptions {
  models: readonly string[];
  grids: readonly number[];
  /** Seeds, one run per seed. */
  seeds: readonly number[];
  profile: ProfileName;
  /** Training options of a model configuration (its grid and architecture). */
  training: (model: ModelConfig) => TrainingOptions;
  modelOverrides: ModelOverrides;
  data: DataChoice;
  runsDir: string;
}

/** Returns the name of a data folder as used in run names: lower case, letters, digits and dashes. */
export function datasetName(root: string): string {
  const name = basename(resolve(root)).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  return name || "data";
}

/** Lists the runs of a sweep, in table order: model, then grid, then seed. */
export function planRuns(options: PlanOptions): RunJob[] {
  const jobs: RunJob[] = [];
  for (const modelId of options.models) {
    for (const grid of options.grids) {
      const model = { ...modelConfig(modelId, grid), ...options.modelOverrides };
      if (model.tileSize % 4 !== 0) {
        throw new RangeError(
          `Invalid tile size ${model.tileSize}: the tile encoder pools twice, so it must be a multiple of 4`,
        );
      }
      if (model.hidden % model.heads !== 0) {
        throw new RangeError(`Hidden size ${model.hidden} is not divisible by ${model.heads} heads`);
      }
      const name = runName(model, options.data.name);
      for (const seed of options.seeds) {
        jobs.push({
          modelId,
          grid,
          seed,
          profile: options.profile,
          model,
          training: options.training(model),
          data: options.data,
          runName: name,
          runDir: join(options.runsDir, runDirectoryName(name, seed)),
        });
      }
    }
  }
  return jobs;
}

/** Returns the fields of a run's `config.json` that come from its job alone. */
export function jobSettings(
  job: RunJob,
): Pick<RunConfig, "runName" | "modelId" | "seed" | "profile" | "model" | "training"> {
  const { runName, modelId, seed, profile, model, training } = job;
  return { runName, modelId, seed, profile, model, training };
}

/**
 * Lists the differences between a run directory's stored configuration and the planned
 * `job`, over the fields known before the data is opened: names, seed, profile, model,
 * hyperparameters and the data source. Image counts are compared later, by the run itself.
 */
export function plannedDifferences(stored: RunConfig, job: RunJob): string[] {
  const planned: RunConfig = {
    ...stored,
    ...jobSettings(job),
    dataset: {
      ...stored.dataset,
      name: job.data.name,
      kind: job.data.kind,
      root: job.data.root,
      generator: job.data.kind === "synthetic" ? SYNTHETIC_GENERATOR : undefined,
    },
  };
  return identityDifferences(stored, planned);
}
