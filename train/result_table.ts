/**
 * The table printed at the end of a sweep: reproduced test patch-level accuracy of
 * every model and grid beside the published value.
 *
 * @module
 */
import { isStudyGrid, isStudyModel, publishedAccuracy } from "../reports/published.ts";
import type { RunJob } from "./plan.ts";
import type { EpochRecord } from "./records.ts";

/** A planned run and the epoch records it has so far. */
export interface RunResult {
  job: RunJob;
  records: EpochRecord[];
}

/**
 * Formats `reproduced / published` test patch-level accuracy in percent per model (rows)
 * and grid (columns), averaging seeds; `—` marks a run with no finished epoch and
 * `(k/n ep)` an unfinished one.
 */
export function formatResultTable(results: RunResult[]): string {
  const models = [...new Set(results.map((result) => result.job.modelId))];
  const grids = [...new Set(results.map((result) => result.job.grid))].sort((a, b) => a - b);
  const width = 22;

  const lines = [
    "test patch-level accuracy, % (reproduced / published, last epoch)",
    "model   " + grids.map((grid) => `${grid}×${grid}`.padStart(width)).join(""),
  ];
  for (const model of models) {
    let line = model.padEnd(8);
    for (const grid of grids) {
      const cell = results.filter((result) => result.job.modelId === model && result.job.grid === grid);
      const finals = cell.map((result) => result.records.at(-1)).filter((record) => record !== undefined);
      const published = isStudyModel(model) && isStudyGrid(grid)
        ? publishedAccuracy(model, grid).toFixed(2)
        : "n/a";

      let reproduced = "—";
      if (finals.length > 0) {
        const mean = finals.reduce((sum, record) => sum + record.test.patch, 0) / finals.length * 100;
        reproduced = mean.toFixed(2);
        const epochs = cell[0].job.training.epochs;
        const shortest = Math.min(...cell.map((result) => result.records.length));
        if (shortest < epochs) reproduced += ` (${shortest}/${epochs} ep)`;
      }
      line += `${reproduced} / ${published}`.padStart(width);
    }
    lines.push(line);
  }
  return lines.join("\n");
}
