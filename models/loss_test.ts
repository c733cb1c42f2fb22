import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { fisherYatesLoss, validLogitMask } from "./loss.ts";

await tf.setBackend("cpu");

// S = 3: position 0 has 3 real logits, position 1 has 2; the last entry of row 1 is masked.
const LOGITS = [[[1, 2, 0.5], [0.3, -1, 100]], [[-2, 0, 4], [5, 5, -100]]];
const OFFSETS = [[2, 0], [1, 1]];

function crossEntropy(row: number[], real: number, label: number): number {
  const realLogits = row.slice(0, real);
  const logSumExp = Math.log(realLogits.reduce((sum, value) => sum + Math.exp(value), 0));
  return logSumExp - realLogits[label];
}

function softmax(row: number[], real: number): number[] {
  const exps = row.map((value, j) => (j < real ? Math.exp(value) : 0));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((value) => value / sum);
}

function lossAndGradient(
  logitValues: number[][][],
  offsetValues: number[][],
): { loss: number; gradient: Float32Array } {
  const logits = tf.tensor3d(logitValues);
  const offsets = tf.tensor2d(offsetValues, undefined, "int32");
  const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => fisherYatesLoss(x as tf.Tensor3D, offsets))(
    logits,
  );
  const result = { loss: value.dataSync()[0], gradient: grad.dataSync() as Float32Array };
  tf.dispose([logits, offsets, value, grad]);
  return result;
}

Deno.test("fisherYatesLoss averages cross-entropy over real logits", () => {
  const { loss } = lossAndGradient(LOGITS, OFFSETS);

  const expected = (crossEntropy(LOGITS[0][0], 3, 2) + crossEntropy(LOGITS[0][1], 2, 0) +
    crossEntropy(LOGITS[1][0], 3, 1) + crossEntropy(LOGITS[1][1], 2, 1)) / 4;
  assert.ok(Math.abs(loss - expected) < 1e-5, `expected ${expected}, got ${loss}`);
});

Deno.test("fisherYatesLoss gradient is softmax minus one-hot over the count", () => {
  const { gradient } = lossAndGradient(LOGITS, OFFSETS);

  const expected: number[] = [];
  for (let b = 0; b < 2; b++) {
    for (let i = 0; i < 2; i++) {
      const probabilities = softmax(LOGITS[b][i], 3 - i);
      for (let j = 0; j < 3; j++) expected.push((probabilities[j] - (j === OFFSETS[b][i] ? 1 : 0)) / 4);
    }
  }
  for (let k = 0; k < expected.length; k++) {
    assert.ok(
      Math.abs(gradient[k] - expected[k]) < 1e-6,
      `gradient[${k}]: expected ${expected[k]}, got ${gradient[k]}`,
    );
  }
});

Deno.test("fisherYatesLoss gradient is exactly zero on masked logits", () => {
  const { gradient } = lossAndGradient(LOGITS, OFFSETS);

  // Row 1 of each sample: flat indices 5 and 11 are masked.
  assert.equal(gradient[5], 0);
  assert.equal(gradient[11], 0);
});

Deno.test("fisherYatesLoss ignores any value in masked logits", () => {
  const replaced = structuredClone(LOGITS);
  replaced[0][1][2] = 3e38;
  replaced[1][1][2] = -3e38;

  assert.equal(lossAndGradient(replaced, OFFSETS).loss, lossAndGradient(LOGITS, OFFSETS).loss);
});

Deno.test("fisherYatesLoss stays finite for extreme logits", () => {
  const cases: Record<string, number[][][]> = {
    "huge real logits": [[[1e30, -1e30, 0], [-1e38, 1e38, 0]]],
    "masked logit far above real ones": [[[0, 1, 2], [-1e20, -1e20, 1e38]]],
    "all real logits equal": [[[-1e9, -1e9, -1e9], [7, 7, 7]]],
    "masked value already in logits": [[[-1e9, 0, -1e9], [-1e9, -1e9, -1e9]]],
  };
  for (const [name, logits] of Object.entries(cases)) {
    const { loss, gradient } = lossAndGradient(logits, [[1, 0]]);
    assert.ok(Number.isFinite(loss), `${name}: loss ${loss}`);
    assert.ok(gradient.every(Number.isFinite), `${name}: gradient ${gradient}`);
  }
});

Deno.test("fisherYatesLoss of uniform logits is the mean log of the choices", () => {
  const tiles = 6;
  const logits = tf.zeros([3, tiles - 1, tiles]) as tf.Tensor3D;
  const offsets = tf.zeros([3, tiles - 1], "int32") as tf.Tensor2D;

  const loss = fisherYatesLoss(logits, offsets);

  let expected = 0;
  for (let i = 0; i < tiles - 1; i++) expected += Math.log(tiles - i) / (tiles - 1);
  assert.ok(Math.abs(loss.dataSync()[0] - expected) < 1e-5);
  tf.dispose([logits, offsets, loss]);
});

Deno.test("fisherYatesLoss rejects mismatched shapes and types", () => {
  const logits = tf.zeros([2, 3, 4]) as tf.Tensor3D;
  const floatOffsets = tf.zeros([2, 3]) as tf.Tensor2D;
  const shortOffsets = tf.zeros([2, 2], "int32") as tf.Tensor2D;
  const badLogits = tf.zeros([2, 3, 3]) as tf.Tensor3D;

  assert.throws(() => fisherYatesLoss(logits, floatOffsets), {
    name: "RangeError",
    message: /expected int32 \[2, 3\]/,
  });
  assert.throws(() => fisherYatesLoss(logits, shortOffsets), {
    name: "RangeError",
    message: /offsets int32 \[2,2\]/,
  });
  assert.throws(() => fisherYatesLoss(badLogits, shortOffsets), {
    name: "RangeError",
    message: /logits shape \[2,3,3\]/,
  });
  tf.dispose([logits, floatOffsets, shortOffsets, badLogits]);
});

Deno.test("validLogitMask marks S − i real logits per position", () => {
  assert.deepEqual(validLogitMask(4).arraySync(), [
    [1, 1, 1, 1],
    [1, 1, 1, 0],
    [1, 1, 0, 0],
  ]);
});
