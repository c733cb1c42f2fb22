/**
 * Reads a runs folder: one directory per trained configuration and seed, each with
 * `config.json` and `metrics.json`. Directories without `config.json` (such as the
 * data cache) are not runs and are passed over.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { STUDY_MODELS } from "../models/config.ts";
import type { EpochRecord, RunConfig } from "../train/records.ts";
import { readEpochRecords, readRunConfig } from "../train/run_directory.ts";

/** A run's configuration and epoch records, as the report reads them. */
export interface RunResult {
  /** Absolute path of the run directory. */
  directory: string;
  config: RunConfig;
  /** Epoch records in epoch order; fewer than `config.training.epochs` while the run is unfinished. */
  records: EpochRecord[];
  /** Whether every epoch of the configuration has a record. */
  finished: boolean;
}

/** A point of a learning curve. */
export interface CurvePoint {
  epoch: number;
  /** Test patch-level accuracy in percent. */
  accuracy: number;
}

/**
 * Loads every run of `runsDir`, sorted by model (in the table's order), grid and seed.
 * Throws `Deno.errors.NotFound` when the folder does not exist, and `SyntaxError`
 * naming the file when a `config.json` or `metrics.json` is not valid JSON or lacks
 * a field the report needs.
 */
export async function loadRuns(runsDir: string): Promise<RunResult[]> {
  const root = resolve(runsDir);
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(root)) {
      if (entry.isDirectory) names.push(entry.name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Deno.errors.NotFound(
        `Runs folder ${root} not found; train first with deno task reproduce, or pass --runs DIR`,
      );
    }
    throw error;
  }

  const runs: RunResult[] = [];
  for (const name of names.sort()) {
    const directory = join(root, name);
    const config = await readRunConfig(directory);
    if (!config) continue;
    validateConfig(config, join(directory, "config.json"));

    const records = (await readEpochRecords(directory)).slice();
    validateRecords(records, join(directory, "metrics.json"));
    records.sort((a, b) => a.epoch - b.epoch);

    runs.push({ directory, config, records, finished: records.length >= config.training.epochs });
  }
  return runs.sort(compareRuns);
}

/** Returns a run's test patch-level accuracy per epoch, in percent. */
export function testCurve(run: RunResult): CurvePoint[] {
  return run.records.map((record) => ({ epoch: record.epoch, accuracy: 100 * record.test.patch }));
}

/** Returns a short label of a run: model, grid and seed, such as `trm-8 5×5 seed 1`. */
export function runLabel(run: RunResult): string {
  return `${run.config.modelId} ${gridLabel(run.config.model.grid)} seed ${run.config.seed}`;
}

/** Returns the label of a P×P grid, such as `5×5`. */
export function gridLabel(grid: number): string {
  return `${grid}×${grid}`;
}

function compareRuns(a: RunResult, b: RunResult): number {
  const order = (run: RunResult) => {
    const index = (STUDY_MODELS as readonly string[]).indexOf(run.config.modelId);
    return index < 0 ? STUDY_MODELS.length : index;
  };
  return order(a) - order(b) || a.config.modelId.localeCompare(b.config.modelId) ||
    a.config.model.grid - b.config.model.grid || a.config.seed - b.config.seed;
}

function validateConfig(config: RunConfig, path: string): void {
  const isString = (value: unknown) => typeof value === "string";
  const isNumber = (value: unknown) => typeof value === "number";
  const fields: [string, unknown, (value: unknown) => boolean, string][] = [
    ["modelId", config?.modelId, isString, "string"],
    ["seed", config?.seed, isNumber, "number"],
    ["profile", config?.profile, isString, "string"],
    ["model.grid", config?.model?.grid, isNumber, "number"],
    ["training.epochs", config?.training?.epochs, isNumber, "number"],
    ["dataset.name", config?.dataset?.name, isString, "string"],
    ["dataset.kind", config?.dataset?.kind, isString, "string"],
  ];
  for (const [field, value, isValid, type] of fields) {
    if (!isValid(value)) {
      throw new SyntaxError(
        `Run configuration ${path} has no ${type} field ${field}; fix it or delete the run directory`,
      );
    }
  }
}

function validateRecords(records: EpochRecord[], path: string): void {
  if (!Array.isArray(records)) {
    throw new SyntaxError(
      `Metrics file ${path} must contain a JSON array of epoch records; fix it or delete the run directory`,
    );
  }
  for (const [index, record] of records.entries()) {
    if (typeof record?.epoch !== "number" || typeof record?.test?.patch !== "number") {
      throw new SyntaxError(
        `Metrics file ${path}: record ${index} has no numeric epoch and test.patch; fix it or delete the run directory`,
      );
    }
  }
}
