/**
 * Trains one run in its own process, so GPU memory (compiled pipelines are not always
 * freed) is returned to the system between configurations. `reproduce` starts it as
 *
 *   deno run --allow-all cli/train_run.ts --job '<RunJob and backend as JSON>'
 *
 * and it exits with status 0 when the run is finished, 1 on an error (one line on stderr).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { join, resolve } from "node:path";
import { openDataset } from "../data/dataset.ts";
import { parameterCount } from "../models/config.ts";
import { type BackendChoice, selectBackend } from "../train/backend.ts";
import { jobSettings, type RunJob } from "../train/plan.ts";
import type { RunConfig } from "../train/records.ts";
import { prepareRunDirectory } from "../train/run_directory.ts";
import { trainRun } from "../train/trainer.ts";
import { verifyBackendOnce } from "../train/verify_backend.ts";
import { projectVersions } from "../train/versions.ts";

/** Input of one training process, as `reproduce` passes it. */
export interface TrainJob {
  job: RunJob;
  backend: BackendChoice;
  /** Folder of prepared tile caches. */
  cacheDir: string;
  workers: number;
}

/** Trains the run described by `trainJob`, logging through `log`. */
export async function runTrainJob(trainJob: TrainJob, log: (line: string) => void): Promise<void> {
  const { job } = trainJob;

  const backend = await selectBackend(trainJob.backend);
  log(backend.message);

  const dataset = await openDataset({
    kind: job.data.kind,
    root: job.data.root,
    grid: job.model.grid,
    tileSize: job.model.tileSize,
    cacheDir: trainJob.cacheDir,
    workers: trainJob.workers,
    trainImages: job.data.kind === "synthetic" ? job.data.synthetic.trainImages : job.training.trainImages,
    testImages: job.data.kind === "synthetic" ? job.data.synthetic.testImages : job.training.testImages,
  });

  const config: RunConfig = {
    ...jobSettings(job),
    dataset: { ...dataset.info, name: job.data.name },
    backend: backend.info,
    versions: await projectVersions(),
    parameterCount: parameterCount(job.model),
  };
  await prepareRunDirectory(job.runDir, config);

  if (backend.info.name !== "cpu") {
    const check = await verifyBackendOnce(
      job.model,
      join(trainJob.cacheDir, "backend-checks.json"),
      backend.info.adapter,
    );
    if (check) {
      log(
        `verified ${check.backend}: ${check.kernels.length} kernels registered, one-step loss ${
          check.lossBackend.toFixed(5)
        } vs cpu ${check.lossCpu.toFixed(5)}, ${
          (check.mismatchedShare * 100).toFixed(2)
        }% of weight updates differ`,
      );
    } else {
      log(
        `${backend.info.name} passed the same check against the CPU backend earlier in ${trainJob.cacheDir}`,
      );
    }
  }

  await trainRun({ runDir: job.runDir, config, dataset, log });
}

if (import.meta.main) {
  const { values } = parseArgs({ args: Deno.args, options: { job: { type: "string" } }, strict: true });
  if (!values.job) {
    console.error("error: missing --job; this process is started by `deno task reproduce`");
    Deno.exit(2);
  }
  const trainJob = JSON.parse(values.job) as TrainJob;
  trainJob.job.runDir = resolve(trainJob.job.runDir);
  trainJob.cacheDir = resolve(join(trainJob.cacheDir));
  try {
    await runTrainJob(trainJob, (line) => console.log(line));
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    Deno.exit(1);
  }
}
