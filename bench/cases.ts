/**
 * The benchmark cases with their cost columns. Each grid has a group with the EOT-L steps,
 * the TRM-s macro-steps and batches, the tile encoder and one encoder block, and EOT-2 as
 * the group's baseline. The calibration case, a large matrix product, has a group of its own.
 * This module is pure data: `bench/workloads.ts` builds the work that the cases time.
 *
 * @module
 */
import { modelConfig, parameterCount } from "../models/config.ts";
import {
  encoderBlockParameterCount,
  encoderBlockTrainingFlops,
  eotStepFlops,
  layerApplicationsPerStep,
  matMulFlops,
  tileEncoderParameterCount,
  tileEncoderTrainingFlops,
  trmBatchFlops,
  trmMacroStepFlops,
} from "./costs.ts";
import type { BenchOptions } from "./options.ts";

/** Kind of work a case times. */
export type CaseKind =
  | "calibration"
  | "eot-step"
  | "trm-macro-step"
  | "trm-batch"
  | "tile-encoder"
  | "encoder-block";

/** One benchmark case and its analytical costs per timed step. */
export interface BenchCase {
  /** `deno bench` group: `grid P×P`, or `calibration`. */
  group: string;
  /** Case name, unique within its group, such as `eot-4 step` or `trm-8 batch`. */
  name: string;
  kind: CaseKind;
  /** Whether the case is its group's baseline for `deno bench`'s ratios. */
  baseline: boolean;
  /**
   * Model identifier (`eot-4`, `trm-8`) whose configuration the case builds; null for the
   * calibration and for the tile encoder and encoder block, which every model shares.
   */
  model: string | null;
  /** Grid size P; null for calibration. */
  grid: number | null;
  /** Puzzles per batch; null for calibration. */
  batchSize: number | null;
  /** Learned parameters the step trains: the whole model, or the timed part alone. */
  parameterCount: number;
  /** Encoder-layer applications per step over B·S tokens. */
  layerApplications: number;
  /** Analytical FLOPs per step, as counted in `bench/costs.ts`. */
  flopsPerStep: number;
}

/** Side of the square matrices the calibration case multiplies. */
export const CALIBRATION_SIZE = 1024;

/** Group of the calibration case. */
export const CALIBRATION_GROUP = "calibration";

/** EOT depths and TRM macro-step counts of the study, in the order of its table. */
const EOT_MODELS = ["eot-2", "eot-4", "eot-6", "eot-8", "eot-12"] as const;
const TRM_MODELS = ["trm-8", "trm-12"] as const;

/** Returns the group name of a grid's cases, such as `grid 3×3`. */
export function gridGroup(grid: number): string {
  return `grid ${grid}×${grid}`;
}

/** Returns the key that identifies a case across runs: `group/name`. */
export function caseKey(benchCase: Pick<BenchCase, "group" | "name">): string {
  return `${benchCase.group}/${benchCase.name}`;
}

/**
 * Returns whether a case name passes the filters. A filter selects the case of that exact
 * name and every case whose name starts with it and a space, so `trm-8` selects both
 * `trm-8 macro-step` and `trm-8 batch`. No filters select everything.
 */
export function matchesCaseFilter(name: string, filters: readonly string[]): boolean {
  if (filters.length === 0) return true;
  return filters.some((filter) => name === filter || name.startsWith(`${filter} `));
}

/** Returns the calibration case: one product of two `CALIBRATION_SIZE`² matrices. */
export function calibrationCase(): BenchCase {
  return {
    group: CALIBRATION_GROUP,
    name: `matmul ${CALIBRATION_SIZE}x${CALIBRATION_SIZE}`,
    kind: "calibration",
    baseline: true,
    model: null,
    grid: null,
    batchSize: null,
    parameterCount: 0,
    layerApplications: 0,
    flopsPerStep: matMulFlops(CALIBRATION_SIZE),
  };
}

/**
 * Lists the cases the options select: the calibration case first (always, because every
 * other case is normalised by it), then each grid's group in the study's model order.
 */
export function benchCases(options: Pick<BenchOptions, "batchSize" | "grids" | "cases">): BenchCase[] {
  const cases = [calibrationCase()];
  for (const grid of options.grids) {
    cases.push(...gridCases(grid, options.batchSize).filter((c) => matchesCaseFilter(c.name, options.cases)));
  }
  return cases;
}

function gridCases(grid: number, batchSize: number): BenchCase[] {
  const group = gridGroup(grid);
  const cases: BenchCase[] = [];

  for (const model of EOT_MODELS) {
    const config = modelConfig(model, grid);
    cases.push({
      group,
      name: `${model} step`,
      kind: "eot-step",
      baseline: model === "eot-2",
      model,
      grid,
      batchSize,
      parameterCount: parameterCount(config),
      layerApplications: layerApplicationsPerStep(config),
      flopsPerStep: eotStepFlops(config, batchSize),
    });
  }

  for (const model of TRM_MODELS) {
    const config = modelConfig(model, grid);
    const shared = { group, baseline: false, model, grid, batchSize, parameterCount: parameterCount(config) };
    cases.push({
      ...shared,
      name: `${model} macro-step`,
      kind: "trm-macro-step",
      layerApplications: layerApplicationsPerStep(config),
      flopsPerStep: trmMacroStepFlops(config, batchSize),
    });
    cases.push({
      ...shared,
      name: `${model} batch`,
      kind: "trm-batch",
      layerApplications: config.macroSteps * layerApplicationsPerStep(config),
      flopsPerStep: trmBatchFlops(config, batchSize),
    });
  }

  // The tile encoder and the encoder block are the same in every model, so EOT-2's configuration sizes them.
  const config = modelConfig("eot-2", grid);
  cases.push({
    group,
    name: "tile encoder",
    kind: "tile-encoder",
    baseline: false,
    model: null,
    grid,
    batchSize,
    parameterCount: tileEncoderParameterCount(config),
    layerApplications: 0,
    flopsPerStep: tileEncoderTrainingFlops(config, batchSize),
  });
  cases.push({
    group,
    name: "encoder block",
    kind: "encoder-block",
    baseline: false,
    model: null,
    grid,
    batchSize,
    parameterCount: encoderBlockParameterCount(config),
    layerApplications: 1,
    flopsPerStep: encoderBlockTrainingFlops(config, batchSize),
  });

  return cases;
}
