/**
 * The report's verdict: how many of the 35 cells are within tolerance of the
 * published table, how the four findings fare, and whether `--check` passes.
 *
 * @module
 */
import { type Cell, findCell } from "./cells.ts";
import { type CellTransitions, evaluateFindings, type Finding, type FindingInput } from "./findings.ts";
import { publishedAccuracy, STUDY_CELL_COUNT } from "./published.ts";
import { testCurve } from "./runs.ts";
import { detectTransitions } from "./transitions.ts";

/** Counts over the table and the findings. */
export interface Verdict {
  /** Tolerance in percentage points. */
  tolerance: number;
  /** Cells of the study's table (35). */
  cellsTotal: number;
  /** Finished cells whose mean last-epoch accuracy is within the tolerance of the published value. */
  cellsWithin: number;
  cellsFinished: number;
  cellsUnfinished: number;
  cellsMissing: number;
  findings: Finding[];
}

/** Computes the verdict over `cells` (from {@linkcode buildCells}). */
export function computeVerdict(cells: readonly Cell[], tolerance: number): Verdict {
  const count = (predicate: (cell: Cell) => boolean) => cells.filter(predicate).length;
  return {
    tolerance,
    cellsTotal: STUDY_CELL_COUNT,
    cellsWithin: count((cell) => cell.withinTolerance === true),
    cellsFinished: count((cell) => cell.status === "finished"),
    cellsUnfinished: count((cell) => cell.status === "unfinished"),
    cellsMissing: count((cell) => cell.status === "missing"),
    findings: evaluateFindings(cellFindingInput(cells), tolerance),
  };
}

/**
 * Decides `--check`: passes when at least `minCells` cells are within tolerance.
 * The verdict's findings do not enter, because they are qualitative.
 */
export function checkPasses(verdict: Verdict, minCells: number): boolean {
  return verdict.cellsWithin >= minCells;
}

/** Returns the transitions of a cell's finished seeds, measured from the chance level. */
export function cellTransitions(cell: Cell): CellTransitions | null {
  const finished = cell.runs.filter((run) => run.finished);
  if (finished.length === 0) return null;

  const epochs: number[] = [];
  for (const run of finished) {
    const transitions = detectTransitions(testCurve(run), { startAccuracy: cell.chance });
    if (transitions.length === 0) continue;
    const largest = transitions.reduce((top, transition) => transition.jump > top.jump ? transition : top);
    epochs.push(largest.epoch);
  }
  if (epochs.length === 0) return { detected: false, epoch: null };
  return { detected: true, epoch: epochs.reduce((sum, epoch) => sum + epoch, 0) / epochs.length };
}

/** Reads the findings' data from reproduced cells: the mean over finished seeds. */
export function cellFindingInput(cells: readonly Cell[]): FindingInput {
  return {
    accuracy: (modelId, grid) => findCell(cells, modelId, grid)?.final?.mean ?? null,
    transitions: (modelId, grid) => {
      const cell = findCell(cells, modelId, grid);
      return cell ? cellTransitions(cell) : null;
    },
  };
}

/** Reads the findings' data from the published table, which has no learning curves. */
export function publishedFindingInput(): FindingInput {
  return { accuracy: (modelId, grid) => publishedAccuracy(modelId, grid), transitions: () => null };
}
