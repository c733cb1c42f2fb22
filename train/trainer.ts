/**
 * The training loop of one run: epochs of batches, an evaluation pass on the test
 * split after each, and a checkpoint plus metrics record at each epoch's end, so an
 * interrupted run resumes from its last complete epoch with the same numbers.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { makeBatch, testPermutation, trainOrder, trainPermutation } from "../data/batches.ts";
import type { Dataset, Split } from "../data/dataset.ts";
import { mixKeys, Stream } from "../data/rng.ts";
import { Adam } from "../models/adam.ts";
import { tileCount } from "../models/config.ts";
import { createModel } from "../models/factory.ts";
import { fisherYatesLoss } from "../models/loss.ts";
import type { JigsawModel } from "../models/model.ts";
import { ProgressLine } from "../util/progress.ts";
import { AccuracyTally, predictOffsets } from "./accuracy.ts";
import { type CheckpointMeta, loadCheckpoint, restoreTensors, saveCheckpoint } from "./checkpoint.ts";
import type { Accuracies, EpochRecord, RunConfig } from "./records.ts";
import { identityDigest, writeEpochRecords } from "./run_directory.ts";

/** Inputs of {@linkcode trainRun}. */
export interface TrainRunOptions {
  /** The run directory, already prepared with its `config.json`. */
  runDir: string;
  config: RunConfig;
  dataset: Dataset;
  /** Receives one line per event: resume, epoch summaries, warnings. */
  log: (line: string) => void;
  /** Whether to draw a live progress line. @default true */
  progress?: boolean;
  /** Stops after this many epochs of this call, to test resuming. @default no limit */
  stopAfterEpochs?: number;
}

/** Trains a run to its last epoch, resuming from its checkpoint, and returns every epoch record. */
export async function trainRun(options: TrainRunOptions): Promise<EpochRecord[]> {
  const { runDir, config, dataset, log } = options;
  const { training } = config;
  const digest = await identityDigest(config);

  const model = createModel(config.model, config.seed);
  const optimizer = new Adam(model.trainable, training);
  try {
    // Resume: restore every tensor and the step count from the newest usable checkpoint.
    let records: EpochRecord[] = [];
    const checkpoint = await loadCheckpoint(runDir);
    if (checkpoint) {
      for (const warning of checkpoint.warnings) log(`warning: ${warning}`);
      if (checkpoint.meta.configDigest !== digest) {
        throw new Error(
          `Checkpoint ${checkpoint.path} belongs to another configuration; delete ${runDir} to train it from scratch`,
        );
      }
      restoreTensors(checkpointTensors(model, optimizer), checkpoint.tensors, checkpoint.path);
      optimizer.step = checkpoint.meta.optimizerStep;
      records = checkpoint.meta.records;
      // The checkpoint is written before metrics.json, so a crash between the two is repaired here.
      await writeEpochRecords(runDir, records);
      log(`resuming ${config.runName} after epoch ${checkpoint.meta.epoch} from ${checkpoint.path}`);
    }

    const trainCount = limitedCount(dataset.train, training.trainImages);
    const testCount = limitedCount(dataset.test, training.testImages);
    const batchesPerEpoch = Math.floor(trainCount / training.batchSize);
    const testBatches = Math.floor(testCount / training.batchSize);
    if (batchesPerEpoch === 0 || testBatches === 0) {
      throw new RangeError(
        `Batch size ${training.batchSize} exceeds the images available (train ${trainCount}, test ${testCount}); ` +
          `pass a smaller --batch-size or more images`,
      );
    }

    let epochsThisCall = 0;
    for (let epoch = records.length + 1; epoch <= training.epochs; epoch++) {
      if (options.stopAfterEpochs !== undefined && epochsThisCall >= options.stopAfterEpochs) break;
      const started = performance.now();

      const trainResult = await trainEpoch(
        model,
        optimizer,
        dataset.train,
        config,
        epoch,
        trainCount,
        options,
      );
      const testResult = await evaluate(model, dataset.test, config, testCount, options.progress ?? true);
      const seconds = (performance.now() - started) / 1000;

      const record: EpochRecord = {
        epoch,
        trainLoss: trainResult.loss,
        testLoss: testResult.loss,
        train: trainResult.accuracies,
        test: testResult.accuracies,
        seconds,
        stepsPerSecond: trainResult.steps / trainResult.seconds,
        optimizerSteps: optimizer.step,
      };
      records = [...records, record];

      // Checkpoint first: metrics.json is rebuilt from it if a crash falls between the writes.
      const meta: CheckpointMeta = {
        epoch,
        optimizerStep: optimizer.step,
        random: { seed: config.seed, nextEpoch: epoch + 1 },
        records,
        configDigest: digest,
      };
      await saveCheckpoint(runDir, meta, checkpointTensors(model, optimizer));
      await writeEpochRecords(runDir, records);

      log(formatEpochLine(record, training.epochs));
      epochsThisCall++;
    }
    return records;
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

/** Formats the one summary line per epoch; `reports/` and people both read it. */
export function formatEpochLine(record: EpochRecord, epochs: number): string {
  const percent = (value: number) => `${(value * 100).toFixed(2)}%`;
  const accuracies = (a: Accuracies) =>
    `patch ${percent(a.patch)} position ${percent(a.position)} puzzle ${percent(a.puzzle)}`;
  return `epoch ${record.epoch}/${epochs}` +
    ` | train loss ${record.trainLoss.toFixed(4)} ${accuracies(record.train)}` +
    ` | test loss ${record.testLoss.toFixed(4)} ${accuracies(record.test)}` +
    ` | ${record.seconds.toFixed(1)} s, ${record.stepsPerSecond.toFixed(2)} steps/s`;
}

function limitedCount(split: Split, limit: number | null): number {
  return limit === null ? split.count : Math.min(split.count, limit);
}

/** Collects every tensor a checkpoint stores, by name: parameters, buffers and Adam moments. */
export function checkpointTensors(model: JigsawModel, optimizer: Adam): Map<string, tf.Variable> {
  const tensors = new Map<string, tf.Variable>();
  for (const [name, variable] of model.trainable) tensors.set(`param.${name}`, variable);
  for (const [name, variable] of model.buffers) tensors.set(`buffer.${name}`, variable);
  for (const [name, variable] of optimizer.moments()) tensors.set(name, variable);
  return tensors;
}

/** Reads back one batch's loss and predicted offsets (the only sync of a step), tallies and disposes them. */
async function tallyBatch(
  tally: AccuracyTally,
  loss: tf.Scalar,
  predicted: tf.Tensor2D,
  offsets: Int32Array,
): Promise<void> {
  try {
    const [lossValue, predictedValues] = await Promise.all([loss.data(), predicted.data()]);
    tally.addLoss(lossValue[0]);
    tally.add(predictedValues as Int32Array, offsets);
  } finally {
    loss.dispose();
    predicted.dispose();
  }
}

interface PassResult {
  loss: number;
  accuracies: Accuracies;
}

async function trainEpoch(
  model: JigsawModel,
  optimizer: Adam,
  split: Split,
  config: RunConfig,
  epoch: number,
  count: number,
  options: TrainRunOptions,
): Promise<PassResult & { steps: number; seconds: number }> {
  const { grid, tileSize } = config.model;
  const { batchSize, epochs } = config.training;
  const tiles = tileCount(config.model);
  const batches = Math.floor(count / batchSize);
  const order = trainOrder(config.seed, epoch, count);
  const tally = new AccuracyTally(tiles);
  const progress = options.progress === false
    ? null
    : new ProgressLine(`epoch ${epoch}/${epochs}`, batches, "batch");
  const stepsBefore = optimizer.step;
  const started = performance.now();

  for (let b = 0; b < batches; b++) {
    // Sample: every draw is keyed by (seed, epoch, image), so resuming repeats it exactly.
    const indices = order.subarray(b * batchSize, (b + 1) * batchSize);
    const permutations = Array.from(indices, (index) => trainPermutation(config.seed, epoch, index, tiles));
    const batch = makeBatch(split, indices, permutations, grid, tileSize);

    // Train: one Adam step (EOT) or s macro-steps (TRM), then one read-back of loss and predictions.
    const [loss, predicted] = tf.tidy((): [tf.Scalar, tf.Tensor2D] => {
      const tilesTensor = tf.tensor(batch.tiles, [batchSize, tiles, tileSize, tileSize, 3]);
      const offsetsTensor = tf.tensor2d(batch.offsets, [batchSize, tiles - 1], "int32");
      const result = model.trainBatch(
        tilesTensor,
        offsetsTensor,
        optimizer,
        mixKeys([config.seed, Stream.dropout, epoch, b]),
      );
      return [result.loss, predictOffsets(result.logits)];
    });
    await tallyBatch(tally, loss, predicted, batch.offsets);

    progress?.update(
      b + 1,
      `loss ${tally.meanLoss.toFixed(4)} patch ${(tally.result().patch * 100).toFixed(1)}%`,
    );
  }

  const seconds = (performance.now() - started) / 1000;
  progress?.finish();
  return { loss: tally.meanLoss, accuracies: tally.result(), steps: optimizer.step - stepsBefore, seconds };
}

/** Evaluates `model` on the first `count` images of `split` with their fixed test permutations. */
export async function evaluate(
  model: JigsawModel,
  split: Split,
  config: RunConfig,
  count: number,
  showProgress = false,
): Promise<PassResult> {
  const { grid, tileSize } = config.model;
  const { batchSize } = config.training;
  const tiles = tileCount(config.model);
  const batches = Math.floor(count / batchSize);
  const tally = new AccuracyTally(tiles);
  const progress = showProgress ? new ProgressLine("test", batches, "batch") : null;

  for (let b = 0; b < batches; b++) {
    const indices = Int32Array.from({ length: batchSize }, (_, i) => b * batchSize + i);
    const permutations = Array.from(indices, (index) => testPermutation(config.seed, index, tiles));
    const batch = makeBatch(split, indices, permutations, grid, tileSize);

    // The last macro-step's logits are the prediction (the only one for an EOT).
    const [loss, predicted] = tf.tidy((): [tf.Scalar, tf.Tensor2D] => {
      const tilesTensor = tf.tensor(batch.tiles, [batchSize, tiles, tileSize, tileSize, 3]);
      const offsetsTensor = tf.tensor2d(batch.offsets, [batchSize, tiles - 1], "int32");
      const logits = model.predict(tilesTensor);
      const last = logits[logits.length - 1];
      return [fisherYatesLoss(last, offsetsTensor), predictOffsets(last)];
    });
    await tallyBatch(tally, loss, predicted, batch.offsets);
    progress?.update(b + 1);
  }

  progress?.finish();
  return { loss: tally.meanLoss, accuracies: tally.result() };
}
