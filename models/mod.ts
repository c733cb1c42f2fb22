/**
 * The jigsaw models (EOT-L and TRM-s), their parts, loss and optimizer.
 *
 * @example
 * ```ts
 * import { Adam, createModel, modelConfig } from "./models/mod.ts";
 *
 * const model = createModel(modelConfig("eot-2", 3), 0);
 * const optimizer = new Adam(model.trainable, { learningRate: 3e-4, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
 * const { loss, logits } = model.trainBatch(tiles, offsets, optimizer, 1);
 * ```
 *
 * @module
 */
export * from "./config.ts";
export type * from "./model.ts";
export { Adam, type AdamOptions } from "./adam.ts";
export { createModel } from "./factory.ts";
export { EncoderOnlyTransformer } from "./eot.ts";
export { type MacroStepResult, type RecursionState, TinyRecursiveModel } from "./trm.ts";
export { createTileEncoder, type ModelPart } from "./tile_encoder.ts";
export { createEncoderBlock, RMS_NORM_EPSILON, rmsNorm } from "./encoder_block.ts";
export { BATCH_NORM_EPSILON, BATCH_NORM_MOMENTUM } from "./batch_norm.ts";
export { MASKED_LOGIT, packedLogitCount } from "./head.ts";
export { fisherYatesLoss, validLogitMask } from "./loss.ts";
export { disposeConstants } from "./constants.ts";
