/**
 * The main job: trains and evaluates every configuration of the study (or the subset
 * chosen with flags), each run in its own process, then prints the test accuracy beside
 * the published table and writes the Markdown report.
 *
 *   deno task reproduce                      # auto profile: see --help
 *   deno task reproduce --profile smoke      # seconds per configuration
 *   deno task reproduce --models eot-2,trm-8 --grids 3,4 --list
 *
 * @module
 */
import { join, resolve } from "node:path";
import { findCoco } from "../data/dataset.ts";
import { parameterCount } from "../models/config.ts";
import { generateReport } from "../reports/mod.ts";
import { probeWebGpu, selectBackend } from "../train/backend.ts";
import { estimateRuns } from "../train/estimate.ts";
import { type DataChoice, datasetName, plannedDifferences, planRuns, type RunJob } from "../train/plan.ts";
import { PROFILES, trainingFor } from "../train/profiles.ts";
import type { ProfileName } from "../train/records.ts";
import { hasTrainingState, readEpochRecords, readRunConfig } from "../train/run_directory.ts";
import { formatResultTable } from "../train/result_table.ts";
import { acquireSweepLock } from "../train/sweep_lock.ts";
import { parseReproduceArgs, REPRODUCE_HELP, type ReproduceArgs, UsageError } from "./reproduce_args.ts";
import type { TrainJob } from "./train_run.ts";

const TRAIN_RUN = new URL("./train_run.ts", import.meta.url).pathname;

/** The profile and data of a sweep, and the log line that explains the choice. */
export interface Resolution {
  profile: ProfileName;
  data: DataChoice;
  announcement: string;
}

/** Resolves `--profile auto` and the data source, following the rules in `--help`. */
export async function resolveProfileAndData(args: ReproduceArgs, env = Deno.env): Promise<Resolution> {
  const coco = findCoco(env);
  let profile: ProfileName;
  let reason: string;

  if (args.profile === "auto") {
    const probe = await probeWebGpu();
    const hardware = probe.description !== null && !probe.isSoftware;
    const gpuText = hardware
      ? `hardware GPU adapter ${probe.description}`
      : probe.description
      ? `no hardware GPU adapter (${probe.description} is a software adapter)`
      : `no GPU adapter (${probe.failure})`;
    const wantsCoco = args.data === null || args.data === "coco";
    if (hardware && (args.data !== null || coco)) {
      profile = "paper";
      reason = `auto chose paper: ${gpuText}${args.data === null ? ` and COCO at ${coco}` : ""}`;
    } else {
      profile = "quick";
      const cocoText = !wantsCoco
        ? ""
        : coco
        ? `, COCO found at ${coco}`
        : ", COCO not found (set DATASETS or .env)";
      reason = `auto chose quick: ${gpuText}${cocoText}`;
    }
  } else {
    profile = args.profile;
    reason = `profile ${profile} as requested`;
  }

  const synthetic = {
    trainImages: args.training.trainImages ?? PROFILES[profile].synthetic.trainImages,
    testImages: args.training.testImages ?? PROFILES[profile].synthetic.testImages,
  };
  const source = args.data ?? (profile === "paper" ? "coco" : "synthetic");
  let data: DataChoice;
  if (source === "synthetic") {
    data = { kind: "synthetic", root: null, name: "synthetic", synthetic };
  } else if (source === "coco") {
    if (!coco) {
      throw new UsageError(
        "COCO not found: set DATASETS (environment or .env) so that $DATASETS/COCO/2017/train and test exist, " +
          "or pass --data DIR or --data synthetic",
      );
    }
    data = { kind: "coco", root: coco, name: "coco", synthetic };
  } else {
    const root = resolve(source);
    const rootStat = await Deno.stat(root).catch(() => null);
    if (!rootStat?.isDirectory) {
      const problem = rootStat ? "is not a folder" : "not found";
      throw new UsageError(
        `Data folder ${root} ${problem}; --data needs a folder with train/ and test/ folders of images`,
      );
    }
    for (const split of ["train", "test"]) {
      const stat = await Deno.stat(join(root, split)).catch(() => null);
      if (!stat?.isDirectory) {
        throw new UsageError(
          `Data folder ${root} has no ${split}/ subfolder; --data needs train/ and test/ folders of images`,
        );
      }
    }
    data = { kind: "folder", root, name: datasetName(root), synthetic };
  }

  const dataText = data.kind === "synthetic"
    ? `the built-in synthetic dataset (${synthetic.trainImages} train, ${synthetic.testImages} test images)`
    : `${data.root}`;
  return { profile, data, announcement: `${reason}; training on ${dataText}` };
}

async function trainJobInChild(trainJob: TrainJob): Promise<boolean> {
  const command = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", TRAIN_RUN, "--job", JSON.stringify(trainJob)],
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  });
  const status = await command.spawn().status;
  return status.success;
}

/** The state of a planned run's directory. */
type RunState =
  | { kind: "new" }
  | { kind: "partial"; epochsDone: number }
  | { kind: "finished" }
  | { kind: "blocked"; reason: string };

/**
 * Returns the state of a planned run: new, partly trained, finished, or blocked by another
 * configuration or an unreadable file. A directory that contains only the
 * configuration of a run that failed before its first epoch counts as new: nothing is lost
 * when it is replaced.
 */
export async function runState(job: RunJob): Promise<RunState> {
  try {
    const stored = await readRunConfig(job.runDir);
    if (!stored) return { kind: "new" };

    const differences = plannedDifferences(stored, job);
    if (differences.length > 0) {
      if (!(await hasTrainingState(job.runDir))) return { kind: "new" };
      return {
        kind: "blocked",
        reason: `run directory ${job.runDir} contains another configuration (${differences.join("; ")}); ` +
          "pass another --runs folder or delete that directory",
      };
    }

    const epochsDone = Math.min((await readEpochRecords(job.runDir)).length, job.training.epochs);
    if (epochsDone === job.training.epochs) return { kind: "finished" };
    return epochsDone > 0 ? { kind: "partial", epochsDone } : { kind: "new" };
  } catch (error) {
    return { kind: "blocked", reason: error instanceof Error ? error.message : String(error) };
  }
}

async function printPlan(jobs: RunJob[], args: ReproduceArgs): Promise<void> {
  const backend = await selectBackend(args.backend);
  console.log(`${backend.message}; measuring a short calibration for the estimates…`);
  const estimates = await estimateRuns(jobs);

  let total = 0;
  let finished = 0;
  const blocked: string[] = [];
  console.log(
    `${"run".padEnd(58)} ${"seed".padStart(4)} ${"parameters".padStart(10)} ${"state".padEnd(16)} ${
      "estimate".padStart(9)
    }`,
  );
  for (const [index, job] of jobs.entries()) {
    // Finished and partly trained runs count only the epochs still to train; blocked ones none.
    const state = await runState(job);
    const epochsDone = state.kind === "partial"
      ? state.epochsDone
      : state.kind === "new"
      ? 0
      : job.training.epochs;
    const stateText = state.kind === "partial"
      ? `${epochsDone}/${job.training.epochs} epochs done`
      : state.kind;
    if (state.kind === "finished") finished++;
    if (state.kind === "blocked") blocked.push(`${job.runName} seed ${job.seed}: ${state.reason}`);

    const seconds = estimates[index] * (1 - epochsDone / job.training.epochs);
    total += seconds;
    console.log(
      `${job.runName.padEnd(58)} ${String(job.seed).padStart(4)} ${
        parameterCount(job.model).toLocaleString("en-US").padStart(10)
      } ${stateText.padEnd(16)} ${formatDuration(seconds).padStart(9)}`,
    );
  }

  const finishedText = finished > 0 ? ` (${finished} finished)` : "";
  console.log(
    `${plural(jobs.length, "run")}${finishedText}, estimated ${
      formatDuration(total)
    } to train on ${backend.info.name}`,
  );
  for (const line of blocked) console.error(`blocked: ${line}`);
}

/** Returns `1 run`, `2 runs` and so on. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** Formats seconds as `42 s`, `12 min` or `3.5 h`. */
export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

async function main(argv: string[]): Promise<number> {
  const args = parseReproduceArgs(argv);
  if (args.help) {
    console.log(REPRODUCE_HELP);
    return 0;
  }

  const resolution = await resolveProfileAndData(args);
  console.log(resolution.announcement);
  const profile = PROFILES[resolution.profile];
  const jobs = planRuns({
    models: args.models,
    grids: args.grids,
    seeds: Array.from({ length: args.seeds }, (_, i) => args.seed + i),
    profile: resolution.profile,
    training: (model) => ({ ...trainingFor(profile, model.grid, model.architecture), ...args.training }),
    modelOverrides: args.modelOverrides,
    data: resolution.data,
    runsDir: resolve(args.runsDir),
  });

  if (args.list) {
    await printPlan(jobs, args);
    return 0;
  }

  const lock = acquireSweepLock(resolve(args.runsDir));
  if (lock.tookOverFrom !== null) {
    console.log(`took over ${lock.path} from sweep pid ${lock.tookOverFrom}, which has ended`);
  }
  // Ctrl-C reaches the child too, which stops at once; the last complete epoch is on disk.
  const onInterrupt = () => {
    lock.release();
    console.error(
      "\ninterrupted: finished epochs are saved; rerun the same command to resume from the last one",
    );
    Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", onInterrupt);
  try {
    return await runSweep(jobs, args);
  } finally {
    Deno.removeSignalListener("SIGINT", onInterrupt);
    lock.release();
  }
}

/** Trains the runs one after another, then prints the result table and writes the report. */
async function runSweep(jobs: RunJob[], args: ReproduceArgs): Promise<number> {
  const cacheDir = join(resolve(args.runsDir), ".cache");
  const failed: string[] = [];
  const blocked = new Set<string>();
  const started = performance.now();
  for (const [index, job] of jobs.entries()) {
    const label = `[${index + 1}/${jobs.length}] ${job.runName} seed ${job.seed}`;
    const state = await runState(job);
    if (state.kind === "blocked") {
      console.error(`${label}: error: ${state.reason}`);
      failed.push(job.runDir);
      blocked.add(job.runDir);
      continue;
    }
    if (state.kind === "finished") {
      console.log(`${label}: finished earlier, skipped`);
      continue;
    }
    console.log(`${label}: ${parameterCount(job.model).toLocaleString("en-US")} parameters, ${job.runDir}`);
    const ok = await trainJobInChild({ job, backend: args.backend, cacheDir, workers: args.workers });
    if (!ok) failed.push(job.runDir);
  }
  console.log(`sweep took ${formatDuration((performance.now() - started) / 1000)}`);

  // A blocked run's records belong to another configuration or cannot be read, so the table
  // leaves it empty. A run that failed while training still shows its finished epochs.
  const results = await Promise.all(
    jobs.map(async (job) => ({
      job,
      records: blocked.has(job.runDir) ? [] : await readEpochRecords(job.runDir).catch(() => []),
    })),
  );
  console.log(formatResultTable(results));

  if (args.report) {
    // Reconstructions in the report run the models, so a backend must be active here too.
    await selectBackend(args.backend);
    const report = await generateReport({ runsDir: resolve(args.runsDir) });
    console.log(`report written to ${report.path}`);
  }

  if (failed.length > 0) {
    console.error(
      `error: ${plural(failed.length, "run")} failed: ${failed.join(", ")}; fix the errors printed above, ` +
        `then rerun the same command (finished runs are skipped, interrupted ones resume)`,
    );
    return 1;
  }
  return 0;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    Deno.exit(error instanceof UsageError ? 2 : 1);
  }
}
