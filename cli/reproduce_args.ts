/**
 * Flags of `deno task reproduce`: parsing, validation and defaults, kept apart from
 * the command so tests can check every rejection.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { STUDY_GRIDS, STUDY_MODELS } from "../models/config.ts";
import { BACKEND_CHOICES, type BackendChoice } from "../train/backend.ts";
import type { ModelOverrides } from "../train/plan.ts";
import { PROFILE_NAMES } from "../train/profiles.ts";
import type { ProfileName, TrainingOptions } from "../train/records.ts";

/** A flag error: the command prints the message alone and exits with status 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Parsed flags of `reproduce`, before the profile is resolved. */
export interface ReproduceArgs {
  /** Requested profile, or `auto`. */
  profile: ProfileName | "auto";
  models: string[];
  grids: number[];
  runsDir: string;
  /** `coco`, `synthetic`, a folder, or null for the profile's default. */
  data: string | null;
  backend: BackendChoice;
  /** First seed; runs use `seed, seed + 1, …, seed + seeds − 1`. */
  seed: number;
  seeds: number;
  /** Hyperparameters given on the command line; the rest come from the profile. */
  training: Partial<TrainingOptions>;
  modelOverrides: ModelOverrides;
  workers: number;
  list: boolean;
  report: boolean;
  help: boolean;
}

/** Help text of `reproduce`, one option a line with its unit and default. */
export const REPRODUCE_HELP = `Train and evaluate the study's configurations.

Usage: deno task reproduce [options]

Selection
  --profile NAME        auto | paper | quick | smoke (default auto: paper when a hardware GPU
                        and COCO are present, else quick on the built-in dataset)
  --models LIST         comma-separated model ids (default ${STUDY_MODELS.join(",")})
  --grids LIST          comma-separated grid sizes P, 2 to 16 (default ${STUDY_GRIDS.join(",")})
  --seed N              first seed (default 0)
  --seeds N             runs per configuration, seeds N apart by one (default 1)
  --list                print the planned runs with parameter counts and time estimates, then exit

Data and output
  --data SOURCE         coco ($DATASETS/COCO/2017), synthetic (built-in), or a folder with
                        train/ and test/ subfolders of JPEG or PNG images
                        (default: coco for paper, synthetic otherwise)
  --runs DIR            folder of run directories (default runs/)
  --workers N           parallel workers that prepare the tile cache (default: CPU cores)
  --backend NAME        auto | webgpu | wasm | cpu (default auto)
  --no-report           skip the Markdown report at the end

Hyperparameters (default: the profile's)
  --epochs N            training epochs
  --batch-size N        samples per batch
  --lr X                Adam learning rate
  --beta1 X, --beta2 X  Adam betas
  --eps X               Adam epsilon
  --train-images N      training images per epoch (0 = the whole split)
  --test-images N       test images per evaluation (0 = the whole split)
  --tile-size N         tile side T in pixels, a multiple of 4 (default 16)
  --hidden N            hidden size D (default 128)
  --ff N                feed-forward size F (default 512)
  --heads N             attention heads H (default 8)
  --cycles N            TRM latent cycles t (default 2)
  --latent-steps N      TRM latent updates n per cycle (default 3)
  --attention-dropout X dropout on attention probabilities (default 0.1)

  -h, --help            show this help
`;

function integer(
  flag: string,
  text: string | undefined,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`Invalid --${flag} "${text}": expected an integer ${range}`);
  }
  return value;
}

function real(flag: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < min || value > max) {
    const range = min === Number.MIN_VALUE ? `above 0 and at most ${max}` : `from ${min} to ${max}`;
    throw new UsageError(`Invalid --${flag} "${text}": expected a number ${range}`);
  }
  return value;
}

function list(flag: string, text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const items = text.split(",").map((item) => item.trim()).filter((item) => item !== "");
  if (items.length === 0) {
    throw new UsageError(`Invalid --${flag} "${text}": expected a comma-separated list`);
  }
  return items;
}

function choice<T extends string>(flag: string, text: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(`Invalid --${flag} "${text}": expected one of ${choices.join(", ")}`);
  }
  return text as T;
}

/** Parses and validates the flags of `reproduce`; throws {@linkcode UsageError} on any bad flag or value. */
export function parseReproduceArgs(argv: string[]): ReproduceArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        profile: { type: "string", default: "auto" },
        models: { type: "string" },
        grids: { type: "string" },
        runs: { type: "string", default: "runs" },
        data: { type: "string" },
        backend: { type: "string", default: "auto" },
        seed: { type: "string" },
        seeds: { type: "string" },
        workers: { type: "string" },
        list: { type: "boolean", default: false },
        "no-report": { type: "boolean", default: false },
        epochs: { type: "string" },
        "batch-size": { type: "string" },
        lr: { type: "string" },
        beta1: { type: "string" },
        beta2: { type: "string" },
        eps: { type: "string" },
        "train-images": { type: "string" },
        "test-images": { type: "string" },
        "tile-size": { type: "string" },
        hidden: { type: "string" },
        ff: { type: "string" },
        heads: { type: "string" },
        cycles: { type: "string" },
        "latent-steps": { type: "string" },
        "attention-dropout": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    // node:util's messages can run over several lines, and the first names the problem. It calls a
    // value that starts with a dash, or a flag followed by another flag, "ambiguous", and a flag
    // at the end of the line "argument missing".
    const message = (error as Error).message.split("\n")[0].replace(/\.$/, "");
    const missing = /^Option '(--[\w-]+)[^']*' argument (is ambiguous|missing)/.exec(message);
    if (missing) {
      const flag = missing[1];
      if (missing[2] === "missing") {
        throw new UsageError(`Missing value for ${flag}; run with --help for the list of options`);
      }
      throw new UsageError(
        `Missing value for ${flag}: the next argument starts with a dash; write ${flag}=VALUE ` +
          `for a value that starts with one`,
      );
    }
    throw new UsageError(`${message}; run with --help for the list of options`);
  }
  const flags = parsed.values;

  const models = list("models", flags.models) ?? [...STUDY_MODELS];
  for (const model of models) {
    if (!/^(eot|trm)-[1-9]\d*$/.test(model)) {
      throw new UsageError(
        `Invalid --models entry "${model}": expected eot-L or trm-S, for example eot-2,trm-8`,
      );
    }
  }
  const grids = (list("grids", flags.grids) ?? STUDY_GRIDS.map(String)).map((grid) =>
    integer("grids", grid, 2, 16)!
  );

  // 0 means "the whole split", which the records store as null.
  const imageLimit = (flag: string, text: string | undefined) => {
    const value = integer(flag, text, 0);
    if (value === 0) return null;
    return value;
  };
  const training: Partial<TrainingOptions> = {
    epochs: integer("epochs", flags.epochs, 1),
    batchSize: integer("batch-size", flags["batch-size"], 1),
    learningRate: real("lr", flags.lr, Number.MIN_VALUE, 10),
    beta1: real("beta1", flags.beta1, 0, 0.999999),
    beta2: real("beta2", flags.beta2, 0, 0.999999),
    epsilon: real("eps", flags.eps, 0, 1),
    trainImages: imageLimit("train-images", flags["train-images"]),
    testImages: imageLimit("test-images", flags["test-images"]),
  };
  const modelOverrides: ModelOverrides = {
    tileSize: integer("tile-size", flags["tile-size"], 4, 256),
    hidden: integer("hidden", flags.hidden, 1),
    feedForward: integer("ff", flags.ff, 1),
    heads: integer("heads", flags.heads, 1),
    cycles: integer("cycles", flags.cycles, 1),
    latentSteps: integer("latent-steps", flags["latent-steps"], 1),
    attentionDropout: real("attention-dropout", flags["attention-dropout"], 0, 0.99),
  };
  if (modelOverrides.tileSize !== undefined && modelOverrides.tileSize % 4 !== 0) {
    throw new UsageError(`Invalid --tile-size "${modelOverrides.tileSize}": expected a multiple of 4`);
  }
  const hidden = modelOverrides.hidden ?? 128;
  if (modelOverrides.heads !== undefined && hidden % modelOverrides.heads !== 0) {
    throw new UsageError(
      `Invalid --heads "${modelOverrides.heads}": the hidden size ${hidden} must be a multiple of it, as with 8`,
    );
  }

  return {
    profile: choice("profile", flags.profile!, ["auto", ...PROFILE_NAMES]),
    // A model or grid named twice is one run, not two.
    models: [...new Set(models)],
    grids: [...new Set(grids)],
    runsDir: flags.runs!,
    data: flags.data ?? null,
    backend: choice("backend", flags.backend!, BACKEND_CHOICES),
    seed: integer("seed", flags.seed, 0, 2 ** 31 - 1) ?? 0,
    seeds: integer("seeds", flags.seeds, 1, 1000) ?? 1,
    training: dropUndefined(training),
    modelOverrides: dropUndefined(modelOverrides),
    workers: integer("workers", flags.workers, 1, 256) ?? navigator.hardwareConcurrency,
    list: flags.list!,
    report: !flags["no-report"],
    help: flags.help!,
  };
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== undefined)) as T;
}
