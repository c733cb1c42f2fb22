/**
 * Hand-written runs for the report's tests: run configurations, epoch records with
 * chosen test accuracies, and run directories written to a temporary folder.
 *
 * @module
 */
import { join } from "node:path";
import { modelConfig, parameterCount, runName } from "../models/config.ts";
import { PROFILES } from "../train/profiles.ts";
import { type EpochRecord, type ProfileName, type RunConfig, runDirectoryName } from "../train/records.ts";
import type { RunResult } from "./runs.ts";

/** Settings of a fake run that tests vary. */
export interface FakeRunOptions {
  seed?: number;
  profile?: ProfileName;
  /** Epochs in the configuration; fewer accuracies make the run unfinished. @default the number of accuracies */
  epochs?: number;
  /** `coco` makes a COCO run of the study's size, anything else a synthetic one. @default "coco" */
  dataset?: "coco" | "synthetic";
}

/** Builds the `config.json` of a fake run. */
export function fakeConfig(
  modelId: string,
  grid: number,
  epochs: number,
  options: FakeRunOptions = {},
): RunConfig {
  const model = modelConfig(modelId, grid);
  const profile = options.profile ?? "paper";
  const coco = (options.dataset ?? "coco") === "coco";
  const dataset = coco
    ? {
      name: "coco",
      kind: "coco" as const,
      root: "/data/COCO/2017",
      trainImages: 118_287,
      testImages: 40_670,
      skipped: [],
    }
    : {
      name: "synthetic",
      kind: "synthetic" as const,
      root: null,
      trainImages: 512,
      testImages: 128,
      skipped: [],
    };
  return {
    runName: runName(model, dataset.name),
    modelId,
    seed: options.seed ?? 1,
    profile,
    model,
    training: { ...PROFILES[profile].training, epochs },
    dataset,
    backend: { name: "cpu", adapter: null, isSoftware: false, threads: null },
    versions: { deno: "2.9.6", tfjs: "4.22.0", commit: "0123456789abcdef" },
    parameterCount: parameterCount(model),
  };
}

/** Builds one epoch record per accuracy (test patch-level accuracy in percent). */
export function fakeRecords(accuracies: readonly number[]): EpochRecord[] {
  return accuracies.map((accuracy, i) => {
    const fraction = { patch: accuracy / 100, position: accuracy / 100, puzzle: accuracy / 200 };
    return {
      epoch: i + 1,
      trainLoss: 1,
      testLoss: 1,
      train: fraction,
      test: fraction,
      seconds: 1,
      stepsPerSecond: 10,
      optimizerSteps: 100 * (i + 1),
    };
  });
}

/** Builds a run in memory, with test accuracies (percent) per epoch. */
export function fakeRun(
  modelId: string,
  grid: number,
  accuracies: readonly number[],
  options: FakeRunOptions = {},
): RunResult {
  const config = fakeConfig(modelId, grid, options.epochs ?? accuracies.length, options);
  const records = fakeRecords(accuracies);
  return {
    directory: `/runs/${runDirectoryName(config.runName, config.seed)}`,
    config,
    records,
    finished: records.length >= config.training.epochs,
  };
}

/** Writes a fake run's directory (`config.json`, `metrics.json`) into `runsDir` and returns its path. */
export async function writeFakeRun(
  runsDir: string,
  modelId: string,
  grid: number,
  accuracies: readonly number[],
  options: FakeRunOptions = {},
): Promise<string> {
  const run = fakeRun(modelId, grid, accuracies, options);
  const directory = join(runsDir, runDirectoryName(run.config.runName, run.config.seed));
  await Deno.mkdir(directory, { recursive: true });
  await Deno.writeTextFile(join(directory, "config.json"), JSON.stringify(run.config, null, 2));
  await Deno.writeTextFile(join(directory, "metrics.json"), JSON.stringify(run.records, null, 2));
  return directory;
}

/**
 * Writes one finished run for every model and grid of the study, each rising evenly
 * by 20 points to the published accuracy plus `offset` points over the profile's epochs,
 * so the verdict's arithmetic is easy to predict.
 */
export async function writeStudyRuns(
  runsDir: string,
  published: (modelId: string, grid: number) => number,
  models: readonly string[],
  grids: readonly number[],
  options: FakeRunOptions & { offset?: number } = {},
): Promise<void> {
  const epochs = options.epochs ?? PROFILES[options.profile ?? "paper"].training.epochs;
  for (const modelId of models) {
    for (const grid of grids) {
      const last = published(modelId, grid) + (options.offset ?? 0);
      const curve = Array.from(
        { length: epochs },
        (_, i) => last - (20 * (epochs - 1 - i)) / Math.max(epochs - 1, 1),
      );
      await writeFakeRun(runsDir, modelId, grid, curve, { ...options, epochs });
    }
  }
}
