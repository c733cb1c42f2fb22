/**
 * jigsaw-bench: models, data, training and reports of the study "Depth vs Recursion:
 * Outperforming Transformers in Jigsaw Reconstruction", on TensorFlow.js.
 *
 * Train an EOT-2 for one step on a random 2×2 puzzle batch:
 *
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { Adam, createModel, modelConfig, selectBackend } from "./mod.ts";
 *
 * await selectBackend("cpu");
 * const model = createModel(modelConfig("eot-2", 2), 0);
 * const optimizer = new Adam(model.trainable, { learningRate: 3e-4, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
 * const tiles = tf.randomUniform([2, 4, 16, 16, 3]); // [B, S, T, T, 3]
 * const offsets = tf.tensor2d([[1, 0, 1], [3, 2, 0]], [2, 3], "int32"); // [B, S − 1]
 * const { loss } = model.trainBatch(tiles, offsets, optimizer, 0);
 * console.log("loss", (await loss.data())[0]);
 * ```
 *
 * The command-line entry points are `cli/reproduce.ts` (`deno task reproduce`) and
 * `cli/report.ts` (`deno task report`).
 *
 * @module
 */
export * from "./models/mod.ts";
export * from "./data/mod.ts";
export * from "./train/mod.ts";
export * from "./reports/mod.ts";
