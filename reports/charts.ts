/**
 * The report's figures as Vega-Lite specifications, rendered to SVG by Vega's
 * headless renderer (no browser or canvas needed): accuracy against grid size, and
 * learning curves per grid.
 *
 * @module
 */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { STUDY_GRIDS, STUDY_MODELS } from "../models/config.ts";
import type { Cell } from "./cells.ts";
import { chanceLevel } from "./published.ts";
import { gridLabel, runLabel, type RunResult, testCurve } from "./runs.ts";
import { largestRise } from "./transitions.ts";

const MODEL_COLORS = { domain: [...STUDY_MODELS], scheme: "tableau10" as const };
const GRID_AXIS = { values: [...STUDY_GRIDS], labelExpr: "datum.value + '×' + datum.value", title: "grid" };

/** Renders a Vega-Lite specification to an SVG document. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Builds the accuracy-against-grid figure: one colour per model, the published values
 * dashed, the reproduced means (finished cells only) solid, and the chance level dotted.
 */
export function accuracyFigureSpec(cells: readonly Cell[]): TopLevelSpec {
  const values = cells.flatMap((cell) => {
    const published = { model: cell.modelId, grid: cell.grid, accuracy: cell.published, source: "published" };
    if (!cell.final) return [published];
    return [published, {
      model: cell.modelId,
      grid: cell.grid,
      accuracy: cell.final.mean,
      source: "reproduced",
    }];
  });
  const chance = STUDY_GRIDS.map((grid) => ({ grid, accuracy: chanceLevel(grid) }));

  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "Test patch-level accuracy against grid size",
    width: 480,
    height: 320,
    layer: [
      {
        data: { values },
        mark: { type: "line", point: true },
        encoding: {
          x: { field: "grid", type: "quantitative", scale: { domain: [2, 6] }, axis: GRID_AXIS },
          y: { field: "accuracy", type: "quantitative", scale: { domain: [0, 100] }, title: "accuracy (%)" },
          color: { field: "model", type: "nominal", scale: MODEL_COLORS, title: "model" },
          strokeDash: {
            field: "source",
            type: "nominal",
            scale: { domain: ["reproduced", "published"], range: [[1, 0], [5, 4]] },
            // With point markers on the lines, the stroke colour only shows when a fill colour is set too.
            legend: {
              symbolType: "stroke",
              symbolStrokeColor: "black",
              symbolFillColor: "black",
              symbolStrokeWidth: 2,
            },
            title: "source",
          },
          detail: { field: "source", type: "nominal" },
        },
      },
      {
        data: { values: chance },
        mark: { type: "line", color: "gray", strokeDash: [2, 2] },
        encoding: {
          x: { field: "grid", type: "quantitative" },
          y: { field: "accuracy", type: "quantitative" },
        },
      },
    ],
  };
}

/**
 * Builds the learning-curve figure of one grid: test accuracy per epoch of every run
 * (one line per seed, coloured by model), a triangle at each run's largest rise, and
 * the chance level as a dotted rule.
 */
export function learningCurveSpec(grid: number, runs: readonly RunResult[]): TopLevelSpec {
  const gridRuns = runs.filter((run) => run.config.model.grid === grid);
  const points = gridRuns.flatMap((run) =>
    testCurve(run).map((point) => ({ model: run.config.modelId, run: runLabel(run), ...point }))
  );
  const jumps = gridRuns.flatMap((run) => {
    const rise = largestRise(testCurve(run));
    return rise
      ? [{ model: run.config.modelId, run: runLabel(run), epoch: rise.epoch, accuracy: rise.after }]
      : [];
  });

  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `Learning curves on ${gridLabel(grid)} (▲ largest rise)`,
    width: 320,
    height: 200,
    layer: [
      {
        data: { values: points },
        mark: { type: "line", point: { size: 16 } },
        encoding: {
          x: { field: "epoch", type: "quantitative", axis: { tickMinStep: 1 }, title: "epoch" },
          y: {
            field: "accuracy",
            type: "quantitative",
            scale: { domain: [0, 100] },
            title: "test accuracy (%)",
          },
          color: { field: "model", type: "nominal", scale: MODEL_COLORS, title: "model" },
          detail: { field: "run", type: "nominal" },
        },
      },
      {
        data: { values: jumps },
        mark: { type: "point", shape: "triangle-up", filled: true, size: 90 },
        encoding: {
          x: { field: "epoch", type: "quantitative" },
          y: { field: "accuracy", type: "quantitative" },
          color: { field: "model", type: "nominal", scale: MODEL_COLORS },
          tooltip: [{ field: "run" }, { field: "epoch" }],
        },
      },
      {
        data: { values: [{ accuracy: chanceLevel(grid) }] },
        mark: { type: "rule", color: "gray", strokeDash: [2, 2] },
        encoding: { y: { field: "accuracy", type: "quantitative" } },
      },
    ],
  };
}
