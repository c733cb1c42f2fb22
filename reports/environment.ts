/**
 * The environment behind a report: versions, backends, data, profile, and every
 * setting of the runs that differs from the study's protocol (the `paper` profile and the
 * study's model configurations).
 *
 * @module
 */
import { version_core as tfjsVersion } from "@tensorflow/tfjs-core";
import { type ModelConfig, modelConfig } from "../models/config.ts";
import { PROFILES } from "../train/profiles.ts";
import type { TrainingOptions } from "../train/records.ts";
import { gitCommit } from "../train/versions.ts";
import type { RunResult } from "./runs.ts";

/** Images per split of COCO 2017 as the study used it. */
export const COCO_TRAIN_IMAGES = 118_287;
/** See {@linkcode COCO_TRAIN_IMAGES}. */
export const COCO_TEST_IMAGES = 40_670;

/** The facts of the report's environment section. */
export interface Environment {
  /** When the report was generated. */
  generatedAt: Date;
  /** Versions of the program writing the report. */
  reportVersions: { deno: string; tfjs: string; commit: string | null };
  /** Distinct values over the runs, each with the number of runs that have it. */
  runCommits: Map<string, number>;
  runDenoVersions: Map<string, number>;
  runTfjsVersions: Map<string, number>;
  /** Backend and adapter, such as `webgpu on NVIDIA H200`. */
  backends: Map<string, number>;
  /** Dataset with its size, such as `coco (coco, 118,287 train / 40,670 test images)`. */
  datasets: Map<string, number>;
  profiles: Map<string, number>;
  /** Settings that differ from the study's, such as `epochs: 4 (study: 10)`, with run counts. */
  differences: Map<string, number>;
}

/** Collects the environment of `runs`; reads the project's git commit. */
export async function describeEnvironment(
  runs: readonly RunResult[],
  generatedAt: Date,
): Promise<Environment> {
  const tally = (values: Iterable<string>) => {
    const counts = new Map<string, number>();
    for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
    return counts;
  };

  return {
    generatedAt,
    reportVersions: { deno: Deno.version.deno, tfjs: tfjsVersion, commit: await gitCommit() },
    runCommits: tally(runs.map((run) => run.config.versions?.commit ?? "unknown")),
    runDenoVersions: tally(runs.map((run) => run.config.versions?.deno ?? "unknown")),
    runTfjsVersions: tally(runs.map((run) => run.config.versions?.tfjs ?? "unknown")),
    backends: tally(runs.map(backendLabel)),
    datasets: tally(runs.map((run) => {
      const { name, kind, trainImages, testImages } = run.config.dataset;
      return `${name} (${kind}, ${grouped(trainImages)} train / ${grouped(testImages)} test images)`;
    })),
    profiles: tally(runs.map((run) => run.config.profile)),
    differences: tally(runs.flatMap(studyDifferences)),
  };
}

/**
 * Lists the settings of a run that differ from the study's protocol: training
 * hyperparameters, images used, the dataset, and the model configuration.
 */
export function studyDifferences(run: RunResult): string[] {
  const differences: string[] = [];
  const study = PROFILES.paper.training;
  const training = run.config.training;

  const keys: (keyof TrainingOptions)[] = [
    "epochs",
    "batchSize",
    "learningRate",
    "beta1",
    "beta2",
    "epsilon",
  ];
  for (const key of keys) {
    if (training[key] !== study[key]) differences.push(`${key}: ${training[key]} (study: ${study[key]})`);
  }

  const { dataset } = run.config;
  if (dataset.kind !== "coco") differences.push(`dataset: ${dataset.name} (study: COCO 2017)`);
  const trainUsed = training.trainImages ?? dataset.trainImages;
  const testUsed = training.testImages ?? dataset.testImages;
  if (trainUsed !== COCO_TRAIN_IMAGES) {
    differences.push(`training images: ${grouped(trainUsed)} (study: ${grouped(COCO_TRAIN_IMAGES)})`);
  }
  if (testUsed !== COCO_TEST_IMAGES) {
    differences.push(`test images: ${grouped(testUsed)} (study: ${grouped(COCO_TEST_IMAGES)})`);
  }

  differences.push(...modelDifferences(run.config.modelId, run.config.model));
  return differences;
}

function modelDifferences(modelId: string, model: ModelConfig): string[] {
  let study: ModelConfig;
  try {
    study = modelConfig(modelId, model.grid);
  } catch {
    // A model outside the study's naming scheme has no reference configuration to compare with.
    return [];
  }
  const differences: string[] = [];
  for (const key of Object.keys(study) as (keyof ModelConfig)[]) {
    if (model[key] !== study[key]) {
      differences.push(`${modelId} ${key}: ${model[key]} (study: ${study[key]})`);
    }
  }
  return differences;
}

/** Formats a count with thousands separators, such as `118,287`. */
function grouped(value: number): string {
  return value.toLocaleString("en-US");
}

function backendLabel(run: RunResult): string {
  const backend = run.config.backend;
  if (!backend?.name) return "unknown";
  const details = [
    backend.adapter ? `on ${backend.adapter}` : "",
    backend.isSoftware ? "(software adapter)" : "",
    backend.threads ? `${backend.threads} threads` : "",
  ].filter((part) => part);
  return [backend.name, ...details].join(" ");
}
