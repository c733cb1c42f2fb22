import assert from "node:assert/strict";
import { modelConfig, parameterCount, STUDY_GRIDS, STUDY_MODELS } from "../models/config.ts";
import {
  encoderBlockForwardFlops,
  encoderBlockParameterCount,
  encoderBlockTrainingFlops,
  eotStepFlops,
  headForwardFlops,
  layerApplicationsPerStep,
  matMulFlops,
  tileEncoderForwardFlops,
  tileEncoderParameterCount,
  tileEncoderTrainingFlops,
  trmBatchFlops,
  trmMacroStepFlops,
} from "./costs.ts";

// Hand counts for T = 16, D = 128, F = 512 (multiply–adds, then ×2 for FLOPs):
// conv1 16·16·32·27 = 221,184; conv2 8·8·64·800 = 3,276,800; projection 1024·128 = 131,072.
const TILE_ENCODER_FORWARD = 2 * (221_184 + 3_276_800 + 131_072);
// Per token 4·128² + 3·128·512 = 262,144; attention 2·S²·128.
const BLOCK_FORWARD_2X2 = 2 * (4 * 262_144 + 2 * 16 * 128);
// Head on 4 tiles: 128·(4 + 3 + 2) = 1,152.
const HEAD_FORWARD_2X2 = 2 * 1_152;

Deno.test("tileEncoderForwardFlops matches the hand count", () => {
  assert.equal(tileEncoderForwardFlops(modelConfig("eot-2", 2)), TILE_ENCODER_FORWARD);
  assert.equal(TILE_ENCODER_FORWARD, 7_258_112);
});

Deno.test("encoderBlockForwardFlops matches the hand count", () => {
  assert.equal(encoderBlockForwardFlops(modelConfig("eot-2", 2)), BLOCK_FORWARD_2X2);

  // 6×6: 36 tokens, attention 2·36²·128.
  assert.equal(encoderBlockForwardFlops(modelConfig("eot-2", 6)), 2 * (36 * 262_144 + 2 * 1296 * 128));
});

Deno.test("headForwardFlops counts only unmasked logits", () => {
  assert.equal(headForwardFlops(modelConfig("eot-2", 2)), HEAD_FORWARD_2X2);

  // 3×3: 128·(9 + 8 + … + 2) = 128·44.
  assert.equal(headForwardFlops(modelConfig("eot-2", 3)), 2 * 128 * 44);
});

Deno.test("eotStepFlops is three forward passes per puzzle", () => {
  const perPuzzleForward = 4 * TILE_ENCODER_FORWARD + 2 * BLOCK_FORWARD_2X2 + HEAD_FORWARD_2X2;

  assert.equal(eotStepFlops(modelConfig("eot-2", 2), 1), 3 * perPuzzleForward);
  assert.equal(eotStepFlops(modelConfig("eot-2", 2), 8), 8 * 3 * perPuzzleForward);
  assert.equal(eotStepFlops(modelConfig("eot-2", 2), 1), 99_736_320);
});

Deno.test("trmMacroStepFlops runs the first cycle forward only", () => {
  // t = 2, n = 3, L = 2: 1·4·2 = 8 blocks without gradients, 4·2 = 8 blocks with them.
  const perPuzzle = 3 * 4 * TILE_ENCODER_FORWARD + 8 * BLOCK_FORWARD_2X2 + 3 * 8 * BLOCK_FORWARD_2X2 +
    3 * HEAD_FORWARD_2X2;

  assert.equal(trmMacroStepFlops(modelConfig("trm-8", 2), 1), perPuzzle);
  assert.equal(trmMacroStepFlops(modelConfig("trm-8", 2), 4), 4 * perPuzzle);
  assert.equal(perPuzzle, 154_475_264);
});

Deno.test("trmBatchFlops is macroSteps macro-steps", () => {
  const config = modelConfig("trm-12", 3);

  assert.equal(trmBatchFlops(config, 2), 12 * trmMacroStepFlops(config, 2));
});

Deno.test("step FLOPs reject the other architecture", () => {
  assert.throws(() => eotStepFlops(modelConfig("trm-8", 2), 1), TypeError);
  assert.throws(() => trmMacroStepFlops(modelConfig("eot-2", 2), 1), TypeError);
});

Deno.test("component training FLOPs scale with batch and tiles", () => {
  const config = modelConfig("eot-2", 3);

  assert.equal(tileEncoderTrainingFlops(config, 2), 2 * 9 * 3 * TILE_ENCODER_FORWARD);
  assert.equal(encoderBlockTrainingFlops(config, 2), 2 * 3 * encoderBlockForwardFlops(config));
});

Deno.test("layerApplicationsPerStep follows the study's cost model", () => {
  assert.equal(layerApplicationsPerStep(modelConfig("eot-12", 4)), 12);
  assert.equal(layerApplicationsPerStep(modelConfig("eot-2", 4)), 2);

  // One TRM macro-step: t·(n + 1)·L = 2·4·2; a TRM-12 batch applies 12 times that, 192 layers.
  assert.equal(layerApplicationsPerStep(modelConfig("trm-12", 4)), 16);
  assert.equal(12 * layerApplicationsPerStep(modelConfig("trm-12", 4)), 192);
});

Deno.test("part parameter counts add up to parameterCount", () => {
  assert.equal(tileEncoderParameterCount(modelConfig("eot-2", 2)), 183_552);
  assert.equal(encoderBlockParameterCount(modelConfig("eot-2", 2)), 262_144);

  for (const id of STUDY_MODELS) {
    for (const grid of STUDY_GRIDS) {
      const config = modelConfig(id, grid);
      const tiles = grid * grid;
      let head = 0;
      for (let i = 0; i < tiles - 1; i++) head += 129 * (tiles - i);
      const parts = tileEncoderParameterCount(config) + tiles * 128 +
        config.layers * encoderBlockParameterCount(config) + head;
      assert.equal(parts, parameterCount(config), `${id} on ${grid}×${grid}`);
    }
  }
});

Deno.test("matMulFlops counts two FLOPs per multiply–add", () => {
  assert.equal(matMulFlops(1024), 2 * 1024 ** 3);
});
