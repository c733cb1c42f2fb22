/**
 * The study's four qualitative findings as explicit rules, evaluated on any table of
 * accuracies (reproduced or published). A finding that needs a cell without a
 * finished run is reported as "cannot be checked", not as failing.
 *
 * @module
 */
import { STUDY_GRIDS, STUDY_MODELS } from "../models/config.ts";
import { gridLabel } from "./runs.ts";
import { chanceLevel, type StudyModelId } from "./published.ts";

/** Result of one finding's rule. */
export type FindingOutcome = "holds" | "fails" | "cannot be checked";

/** Transitions of one model on one grid, over its seeds. */
export interface CellTransitions {
  /** Whether any seed has an abrupt transition. */
  detected: boolean;
  /** Mean over those seeds of the epoch of their largest abrupt transition; null when none has one. */
  epoch: number | null;
}

/** The data the rules read. */
export interface FindingInput {
  /** Accuracy in percent of a model on a P×P grid, or null when the cell has no finished run. */
  accuracy(modelId: StudyModelId, grid: number): number | null;
  /** Abrupt transitions of a cell, or null when the cell has no finished run (or no curves, as in the published table). */
  transitions(modelId: StudyModelId, grid: number): CellTransitions | null;
}

/** One finding: its claim, its rule, its outcome and the evidence. */
export interface Finding {
  /** The study's claim, in a few words. */
  claim: string;
  /** The rule that decides it, with the numbers filled in. */
  rule: string;
  outcome: FindingOutcome;
  /** The values the rule looked at, or the cells it lacked. */
  evidence: string;
}

const EOT_MODELS = STUDY_MODELS.filter((id) => id.startsWith("eot-"));
const TRM_MODELS = STUDY_MODELS.filter((id) => id.startsWith("trm-"));
/** Accuracy of both families on small grids, in percent. */
const SMALL_GRID_LEVEL = 95;
/** TRM's accuracy on 5×5, in percent. */
const TRM_LARGE_GRID_LEVEL = 94;

/** Evaluates the four findings; `tolerance` (percentage points) loosens every threshold. */
export function evaluateFindings(input: FindingInput, tolerance: number): Finding[] {
  return [
    smallGridsFinding(input, tolerance),
    eotDegradesFinding(input, tolerance),
    trmLargeGridFinding(input, tolerance),
    abruptLearningFinding(input),
  ];
}

function smallGridsFinding(input: FindingInput, tolerance: number): Finding {
  const threshold = SMALL_GRID_LEVEL - tolerance;
  const claim = "Both families reach about 95 % on grids up to 3×3";
  const rule = `On 2×2 and 3×3, the best EOT and the best TRM each reach at least ${fixed(threshold)} % ` +
    `(${SMALL_GRID_LEVEL} % minus the tolerance).`;

  const grids = [2, 3];
  const lacking = missingCells(input, STUDY_MODELS, grids);
  if (lacking) return { claim, rule, outcome: "cannot be checked", evidence: lacking };

  const parts: string[] = [];
  let holds = true;
  for (const [family, models] of [["EOT", EOT_MODELS], ["TRM", TRM_MODELS]] as const) {
    for (const grid of grids) {
      const best = bestOf(input, models, grid);
      if (best.accuracy < threshold) holds = false;
      parts.push(`best ${family} on ${gridLabel(grid)}: ${best.modelId} ${fixed(best.accuracy)} %`);
    }
  }
  return { claim, rule, outcome: holds ? "holds" : "fails", evidence: parts.join("; ") };
}

function eotDegradesFinding(input: FindingInput, tolerance: number): Finding {
  const ceiling = SMALL_GRID_LEVEL - tolerance;
  const claim = "EOT degrades with grid size, and extra depth does not rescue it";
  const rule = "(a) The best EOT's accuracy falls from each grid to the next larger one; " +
    `(b) on 5×5 and 6×6 no EOT depth reaches ${fixed(ceiling)} %; ` +
    `(c) EOT-12 on 5×5 and 6×6 is within ${fixed(tolerance)} points of chance (it fails to train).`;

  const lacking = missingCells(input, EOT_MODELS, STUDY_GRIDS);
  if (lacking) return { claim, rule, outcome: "cannot be checked", evidence: lacking };

  const bests = STUDY_GRIDS.map((grid) => bestOf(input, EOT_MODELS, grid));
  const falls = bests.every((best, i) => i === 0 || best.accuracy < bests[i - 1].accuracy);
  const largeBests = bests.filter((_, i) => STUDY_GRIDS[i] >= 5);
  const notRescued = largeBests.every((best) => best.accuracy < ceiling);
  const deepestGaps = [5, 6].map((grid) => (input.accuracy("eot-12", grid) as number) - chanceLevel(grid));
  const deepestAtChance = deepestGaps.every((gap) => Math.abs(gap) <= tolerance);

  const evidence = [
    `(a) ${falls ? "yes" : "no"}: best EOT per grid ${bests.map((best) => fixed(best.accuracy)).join(", ")}`,
    `(b) ${notRescued ? "yes" : "no"}: best EOT on 5×5 and 6×6 ` +
    largeBests.map((best) => `${best.modelId} ${fixed(best.accuracy)}`).join(", "),
    `(c) ${deepestAtChance ? "yes" : "no"}: EOT-12 minus chance on 5×5 and 6×6 ` +
    deepestGaps.map((gap) => signed(gap)).join(", "),
  ].join("; ");
  return { claim, rule, outcome: falls && notRescued && deepestAtChance ? "holds" : "fails", evidence };
}

function trmLargeGridFinding(input: FindingInput, tolerance: number): Finding {
  const threshold = TRM_LARGE_GRID_LEVEL - tolerance;
  const claim = "TRM holds about 94 % on 5×5";
  const rule = `The best TRM on 5×5 reaches at least ${
    fixed(threshold)
  } % (${TRM_LARGE_GRID_LEVEL} % minus the tolerance).`;

  const lacking = missingCells(input, TRM_MODELS, [5]);
  if (lacking) return { claim, rule, outcome: "cannot be checked", evidence: lacking };

  const best = bestOf(input, TRM_MODELS, 5);
  return {
    claim,
    rule,
    outcome: best.accuracy >= threshold ? "holds" : "fails",
    evidence: `best TRM on 5×5: ${best.modelId} ${fixed(best.accuracy)} %`,
  };
}

function abruptLearningFinding(input: FindingInput): Finding {
  const claim = "TRM learns in abrupt jumps, later on larger grids";
  const rule =
    "(a) Every TRM model has an abrupt transition (see the learning curves) on at least one grid; " +
    "(b) for each TRM model with transitions on two or more grids, the epoch of the largest transition never " +
    "gets earlier as the grid grows, and is later on its largest such grid than on its smallest.";

  const lacking = missingCells(
    input,
    TRM_MODELS,
    STUDY_GRIDS,
    (modelId, grid) => input.transitions(modelId, grid) !== null,
  );
  if (lacking) return { claim, rule, outcome: "cannot be checked", evidence: lacking };

  const parts: string[] = [];
  let everyModelJumps = true;
  let compared = 0;
  let later = true;
  for (const modelId of TRM_MODELS) {
    const epochs = STUDY_GRIDS
      .map((grid) => ({ grid, epoch: (input.transitions(modelId, grid) as CellTransitions).epoch }))
      .filter((entry): entry is { grid: 2 | 3 | 4 | 5 | 6; epoch: number } => entry.epoch !== null);
    if (epochs.length === 0) everyModelJumps = false;
    if (epochs.length >= 2) {
      compared++;
      const ordered = epochs.every((entry, i) => i === 0 || entry.epoch >= epochs[i - 1].epoch);
      if (!ordered || epochs[epochs.length - 1].epoch <= epochs[0].epoch) later = false;
    }
    const listed = epochs.map((entry) => `${gridLabel(entry.grid)} epoch ${fixed(entry.epoch, 1)}`).join(
      ", ",
    );
    parts.push(`${modelId}: ${listed || "no transition"}`);
  }

  const evidence = parts.join("; ");
  if (!everyModelJumps) return { claim, rule, outcome: "fails", evidence };
  if (compared === 0) {
    return {
      claim,
      rule,
      outcome: "cannot be checked",
      evidence: `${evidence} (no model has transitions on two grids)`,
    };
  }
  return { claim, rule, outcome: later ? "holds" : "fails", evidence };
}

/** Returns the model of `models` with the highest accuracy on a grid; every cell must be present. */
function bestOf(input: FindingInput, models: readonly StudyModelId[], grid: number) {
  let best = { modelId: models[0], accuracy: -Infinity };
  for (const modelId of models) {
    const accuracy = input.accuracy(modelId, grid) as number;
    if (accuracy > best.accuracy) best = { modelId, accuracy };
  }
  return best;
}

/** Describes the cells that lack data, or returns null when all are present. */
function missingCells(
  input: FindingInput,
  models: readonly StudyModelId[],
  grids: readonly number[],
  isPresent = (modelId: StudyModelId, grid: number) => input.accuracy(modelId, grid) !== null,
): string | null {
  const lacking: string[] = [];
  for (const modelId of models) {
    for (const grid of grids) if (!isPresent(modelId, grid)) lacking.push(`${modelId} ${gridLabel(grid)}`);
  }
  if (lacking.length === 0) return null;

  const shown = lacking.slice(0, 6).join(", ");
  const more = lacking.length > 6 ? ` and ${lacking.length - 6} more` : "";
  return `no finished run for ${shown}${more}`;
}

function fixed(value: number, digits = 2): string {
  return value.toFixed(digits);
}

function signed(value: number): string {
  return `${value >= 0 ? "+" : "−"}${Math.abs(value).toFixed(2)}`;
}
