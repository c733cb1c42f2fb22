/**
 * Test helper: the `config.json` a finished run of a planned job would hold, on the
 * built-in dataset with 8 train and 4 test images.
 *
 * @module
 */
import { SYNTHETIC_GENERATOR } from "../data/synthetic.ts";
import { parameterCount } from "../models/config.ts";
import type { RunJob } from "./plan.ts";
import type { RunConfig } from "./records.ts";

/** Returns the stored configuration of `job` as a run on the WASM backend would write it. */
export function storedConfig(job: RunJob): RunConfig {
  return {
    runName: job.runName,
    modelId: job.modelId,
    seed: job.seed,
    profile: job.profile,
    model: job.model,
    training: job.training,
    dataset: {
      name: "synthetic",
      kind: "synthetic",
      root: null,
      trainImages: 8,
      testImages: 4,
      skipped: [],
      generator: SYNTHETIC_GENERATOR,
    },
    backend: { name: "wasm", adapter: null, isSoftware: false, threads: 1 },
    versions: { deno: "2.9.6", tfjs: "4.22.0", commit: null },
    parameterCount: parameterCount(job.model),
  };
}
