/**
 * Run directories: creating one for a configuration, recognising a finished or
 * resumable one, and refusing one that belongs to another configuration.
 *
 * @module
 */
import { join } from "node:path";
import { writeJsonAtomic } from "../util/atomic.ts";
import { CHECKPOINT_FILE, PREVIOUS_CHECKPOINT_FILE } from "./checkpoint.ts";
import type { EpochRecord, RunConfig } from "./records.ts";

/** File names inside a run directory. */
export const CONFIG_FILE = "config.json";
export const METRICS_FILE = "metrics.json";

/**
 * Returns the part of a run's configuration that defines its results: the model, every
 * hyperparameter, the profile, the seed and the data. Backend and versions are left
 * out, so a run can be resumed after an upgrade or on another machine.
 */
export function runIdentity(config: RunConfig): Record<string, unknown> {
  const { name, kind, root, trainImages, testImages, generator } = config.dataset;
  return {
    runName: config.runName,
    modelId: config.modelId,
    seed: config.seed,
    profile: config.profile,
    model: config.model,
    training: config.training,
    dataset: { name, kind, root, trainImages, testImages, generator: generator ?? null },
  };
}

/** Returns a SHA-256 hex digest of {@linkcode runIdentity}. */
export async function identityDigest(config: RunConfig): Promise<string> {
  const text = canonicalJson(runIdentity(config));
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** JSON with object keys sorted, so equal values give equal text. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner) => {
    if (inner === null || typeof inner !== "object" || Array.isArray(inner)) return inner;
    return Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)));
  });
}

/** Lists the identity fields where `a` and `b` differ, as `path: a → b`. */
export function identityDifferences(a: RunConfig, b: RunConfig): string[] {
  const differences: string[] = [];
  const walk = (left: unknown, right: unknown, path: string) => {
    if (left !== null && right !== null && typeof left === "object" && typeof right === "object") {
      const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
      for (const key of keys) {
        walk(
          (left as Record<string, unknown>)[key],
          (right as Record<string, unknown>)[key],
          path ? `${path}.${key}` : key,
        );
      }
      return;
    }
    if (JSON.stringify(left) !== JSON.stringify(right)) {
      differences.push(`${path}: ${JSON.stringify(left)} → ${JSON.stringify(right)}`);
    }
  };
  walk(runIdentity(a), runIdentity(b), "");
  return differences;
}

/** Reads `config.json` of a run directory, or returns null when there is none. */
export async function readRunConfig(runDir: string): Promise<RunConfig | null> {
  const path = join(runDir, CONFIG_FILE);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    const reason = (error as Error).message.replace(/\s+/g, " ");
    throw new SyntaxError(
      `Run configuration ${path} is not valid JSON (${reason}); delete the run directory to start it again`,
    );
  }
  const missing = missingConfigField(config);
  if (missing) {
    throw new SyntaxError(
      `Run configuration ${path} has no ${missing}; delete the run directory to start it again`,
    );
  }
  return config as RunConfig;
}

/** Names the first field that `config.json` needs and `config` lacks, or returns null. */
function missingConfigField(config: unknown): string | null {
  const object = (value: unknown) => value !== null && typeof value === "object" && !Array.isArray(value);
  if (!object(config)) return "top-level object";
  const { runName, model, training, dataset } = config as Record<string, unknown>;
  if (typeof runName !== "string") return "string field runName";
  if (!object(model)) return "object field model";
  if (!object(training) || typeof (training as Record<string, unknown>).epochs !== "number") {
    return "number field training.epochs";
  }
  if (!object(dataset)) return "object field dataset";
  return null;
}

/**
 * Returns whether a run directory contains anything training produced: an epoch record or a
 * checkpoint. A directory with only `config.json` lost nothing when its run failed to start.
 */
export async function hasTrainingState(runDir: string): Promise<boolean> {
  for (const file of [CHECKPOINT_FILE, PREVIOUS_CHECKPOINT_FILE]) {
    if (await Deno.stat(join(runDir, file)).then(() => true, () => false)) return true;
  }
  try {
    return (await readEpochRecords(runDir)).length > 0;
  } catch {
    // Unreadable records still came from training.
    return true;
  }
}

/** Reads `metrics.json` of a run directory; returns an empty list when there is none. */
export async function readEpochRecords(runDir: string): Promise<EpochRecord[]> {
  const path = join(runDir, METRICS_FILE);
  try {
    return JSON.parse(await Deno.readTextFile(path)) as EpochRecord[];
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw new SyntaxError(
      `Metrics file ${path} is not valid JSON (${(error as Error).message}); delete it, ` +
        `and the next run of the same command rebuilds it from the checkpoint`,
    );
  }
}

/** Writes the epoch records of a run atomically. */
export async function writeEpochRecords(runDir: string, records: EpochRecord[]): Promise<void> {
  await writeJsonAtomic(join(runDir, METRICS_FILE), records);
}

/** Returns whether a run directory already contains every epoch of its configuration. */
export async function isRunFinished(runDir: string): Promise<boolean> {
  const config = await readRunConfig(runDir);
  if (!config) return false;
  const records = await readEpochRecords(runDir);
  return records.length >= config.training.epochs;
}

/**
 * Creates `runDir` with `config.json`, or checks that an existing one contains the same
 * configuration. Throws naming the differing fields otherwise, and never overwrites.
 */
export async function prepareRunDirectory(runDir: string, config: RunConfig): Promise<void> {
  const existing = await readRunConfig(runDir);
  if (existing) {
    const differences = identityDifferences(existing, config);
    // A run that failed before its first epoch left only its configuration, which is replaced.
    if (differences.length > 0 && !(await hasTrainingState(runDir))) {
      await writeJsonAtomic(join(runDir, CONFIG_FILE), config);
      return;
    }
    if (differences.length > 0) {
      throw new Error(
        `Run directory ${runDir} contains another configuration (${differences.join("; ")}); ` +
          `pass another --runs folder or delete that directory`,
      );
    }
    return;
  }

  await Deno.mkdir(runDir, { recursive: true });
  await writeJsonAtomic(join(runDir, CONFIG_FILE), config);
}
