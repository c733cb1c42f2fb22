/**
 * Detects abrupt transitions in a learning curve: a rise in test accuracy between
 * two evaluations that is large compared with the steps before it, the "phase transitions"
 * the study reports for TRM.
 *
 * @module
 */
import type { CurvePoint } from "./runs.ts";

/** Thresholds of {@linkcode detectTransitions}. */
export interface TransitionOptions {
  /** Smallest rise between consecutive evaluations that counts, in percentage points. @default 10 */
  minJump?: number;
  /** How many times the median absolute step before it a rise must be. @default 3 */
  contrast?: number;
  /**
   * Accuracy before training, in percent (the chance level). It adds an evaluation at
   * epoch 0, so a run that stays at chance through epoch 1 and then rises is detected.
   * Without it the rise into the second evaluation has no step before it and cannot count.
   */
  startAccuracy?: number;
}

/** A rise between two consecutive evaluations. */
export interface Transition {
  /** Epoch of the evaluation after the rise. */
  epoch: number;
  /** Accuracy at the evaluation before, in percent. */
  before: number;
  /** Accuracy at `epoch`, in percent. */
  after: number;
  /** `after − before`, in percentage points. */
  jump: number;
}

/** The defaults of {@linkcode TransitionOptions}, for the report's description of the rule. */
export const DEFAULT_MIN_JUMP = 10;
/** See {@linkcode TransitionOptions.contrast}. */
export const DEFAULT_CONTRAST = 3;

/**
 * Lists the abrupt transitions of `curve` (ordered by epoch). A step counts when it
 * rises by at least `minJump` points and by at least `contrast` times the median
 * absolute step of all earlier steps. Comparing with earlier steps only is what
 * separates a jump after a plateau from the steep start of a smoothly saturating curve.
 */
export function detectTransitions(
  curve: readonly CurvePoint[],
  options: TransitionOptions = {},
): Transition[] {
  const minJump = options.minJump ?? DEFAULT_MIN_JUMP;
  const contrast = options.contrast ?? DEFAULT_CONTRAST;
  const points = options.startAccuracy === undefined
    ? curve
    : [{ epoch: 0, accuracy: options.startAccuracy }, ...curve];
  const steps = curveSteps(points);

  const transitions: Transition[] = [];
  for (let k = 1; k < steps.length; k++) {
    const typical = median(steps.slice(0, k).map((step) => Math.abs(step.jump)));
    if (steps[k].jump >= minJump && steps[k].jump >= contrast * typical) transitions.push(steps[k]);
  }
  return transitions;
}

/** Returns the largest rise between consecutive evaluations of `curve`, or null when nothing rises. */
export function largestRise(curve: readonly CurvePoint[]): Transition | null {
  let largest: Transition | null = null;
  for (const step of curveSteps(curve)) {
    if (step.jump > 0 && (largest === null || step.jump > largest.jump)) largest = step;
  }
  return largest;
}

function curveSteps(points: readonly CurvePoint[]): Transition[] {
  return points.slice(1).map((point, i) => ({
    epoch: point.epoch,
    before: points[i].accuracy,
    after: point.accuracy,
    jump: point.accuracy - points[i].accuracy,
  }));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
