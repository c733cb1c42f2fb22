/**
 * Builds either architecture from its configuration.
 *
 * @module
 */
import type { ModelConfig } from "./config.ts";
import { EncoderOnlyTransformer } from "./eot.ts";
import type { JigsawModel } from "./model.ts";
import { TinyRecursiveModel } from "./trm.ts";

/**
 * Creates the model of `config` with every weight (and TRM's initial states) drawn
 * deterministically from `seed`.
 *
 * @example
 * ```ts
 * const model = createModel(modelConfig("trm-8", 3), 0);
 * ```
 */
export function createModel(config: ModelConfig, seed: number): JigsawModel {
  switch (config.architecture) {
    case "eot":
      return new EncoderOnlyTransformer(config, seed);
    case "trm":
      return new TinyRecursiveModel(config, seed);
    default:
      throw new RangeError(`Invalid architecture "${config.architecture}": expected "eot" or "trm"`);
  }
}
