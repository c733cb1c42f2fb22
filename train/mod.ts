/**
 * Training: backend selection and verification, the training loop, checkpoints, run
 * directories and profiles.
 *
 * @module
 */
export {
  BACKEND_CHOICES,
  type BackendChoice,
  type BackendSelection,
  probeWebGpu,
  selectBackend,
} from "./backend.ts";
export { type BackendVerification, verifyBackend } from "./verify_backend.ts";
export { checkpointTensors, evaluate, formatEpochLine, trainRun, type TrainRunOptions } from "./trainer.ts";
export { type CheckpointMeta, loadCheckpoint, loadRunModel, saveCheckpoint } from "./checkpoint.ts";
export { AccuracyTally } from "./accuracy.ts";
export { type DataChoice, planRuns, type RunJob } from "./plan.ts";
export { type Profile, PROFILES, trainingFor } from "./profiles.ts";
export {
  isRunFinished,
  prepareRunDirectory,
  readEpochRecords,
  readRunConfig,
  runIdentity,
} from "./run_directory.ts";
export type * from "./records.ts";
export { runDirectoryName } from "./records.ts";
