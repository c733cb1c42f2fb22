import assert from "node:assert/strict";
import type { CurvePoint } from "./runs.ts";
import { detectTransitions, largestRise } from "./transitions.ts";

function curve(accuracies: readonly number[]): CurvePoint[] {
  return accuracies.map((accuracy, i) => ({ epoch: i + 1, accuracy }));
}

Deno.test("detectTransitions finds a planted jump", () => {
  const planted = curve([12.0, 12.4, 12.1, 12.9, 13.2, 58.0, 60.1, 61.0, 61.5, 61.8]);

  const transitions = detectTransitions(planted, { startAccuracy: 11.73 });

  assert.equal(transitions.length, 1);
  assert.equal(transitions[0].epoch, 6);
  assert.equal(transitions[0].jump.toFixed(1), "44.8");
});

Deno.test("detectTransitions finds a jump at epoch 2 after chance", () => {
  const transitions = detectTransitions(curve([23.1, 80.0, 85.0, 86.0]), { startAccuracy: 22.86 });

  assert.deepEqual(transitions.map((transition) => transition.epoch), [2]);
});

Deno.test("detectTransitions reports none on smooth curves", () => {
  const linear = curve([20, 26, 32, 38, 44, 50, 56, 62, 68, 74]);
  const saturating = curve(Array.from({ length: 10 }, (_, i) => 40 + 50 * (1 - 0.7 ** (i + 1))));
  const sigmoid = curve([15, 18, 23, 30, 38, 45, 50, 53, 55, 56]);
  const flat = curve([11.8, 12.1, 11.9, 12.3, 12.0, 12.2]);

  for (const [name, smooth] of Object.entries({ linear, saturating, sigmoid, flat })) {
    assert.deepEqual(detectTransitions(smooth, { startAccuracy: 11.73 }), [], name);
  }
});

Deno.test("detectTransitions ignores a steep first epoch", () => {
  // The rise from chance into epoch 1 is the baseline, never a transition itself.
  assert.deepEqual(detectTransitions(curve([90, 92, 93]), { startAccuracy: 11.73 }), []);
});

Deno.test("detectTransitions ignores falls", () => {
  assert.deepEqual(detectTransitions(curve([60, 60.5, 20, 20.4]), { startAccuracy: 11.73 }), []);
});

Deno.test("detectTransitions honours minJump and contrast", () => {
  const small = curve([12, 12.2, 20, 20.1]);

  assert.deepEqual(detectTransitions(small, { startAccuracy: 12 }), []);
  assert.equal(detectTransitions(small, { startAccuracy: 12, minJump: 5 }).length, 1);
  assert.deepEqual(detectTransitions(small, { startAccuracy: 12, minJump: 5, contrast: 100 }), []);
});

Deno.test("largestRise returns the biggest step", () => {
  const rise = largestRise(curve([10, 15, 40, 42, 30]));

  assert.equal(rise?.epoch, 3);
  assert.equal(rise?.jump, 25);
  assert.equal(rise?.before, 15);
  assert.equal(rise?.after, 40);
});

Deno.test("largestRise returns null without a rise", () => {
  assert.equal(largestRise(curve([50])), null);
  assert.equal(largestRise(curve([50, 40, 30])), null);
});
