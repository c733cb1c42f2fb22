/**
 * Reads benchmark results (written by `deno task bench:table`) and pairs them with
 * the table's accuracies: time and FLOPs per training batch, the TRM / EOT cost
 * ratio per grid, and accuracy per unit of compute.
 *
 * @module
 */
import { join, resolve } from "node:path";
import type { Cell } from "./cells.ts";
import { findCell } from "./cells.ts";

/** One benchmark case of the bench JSON. */
export interface BenchCaseResult {
  group: string;
  /** Case name: `eot-L step` trains one EOT batch, `trm-s batch` one TRM batch of s macro-steps. */
  name: string;
  /** What the case times, such as `eot-step` or `trm-batch`; older files lack it. */
  kind?: string;
  model: string | null;
  grid: number | null;
  batchSize: number | null;
  /** Measured milliseconds per timed step. */
  msPerStep: number;
  /** Analytical FLOPs per timed step. */
  flopsPerStep: number;
  parameterCount: number;
  layerApplications: number;
}

/** Contents of a bench JSON file. */
export interface BenchResults {
  /** Description of the machine, as the bench recorded it. */
  machine: unknown;
  /** tfjs backend the cases ran on. */
  backend: unknown;
  cases: BenchCaseResult[];
}

/** One model on one grid: the cost of a training batch and the accuracy per unit of compute. */
export interface CostRow {
  modelId: string;
  grid: number;
  /** Measured milliseconds per training batch. */
  msPerBatch: number;
  /** FLOPs per training puzzle (the batch's FLOPs over its batch size). */
  flopsPerPuzzle: number;
  /** For a TRM, its time per puzzle over that of the EOT with the same number (TRM-8 over EOT-8); null for an EOT. */
  timeRatio: number | null;
  /** For a TRM, its FLOPs per puzzle over those of the EOT with the same number; null for an EOT. */
  flopsRatio: number | null;
  /** Reproduced accuracy (percent) per training GFLOP per puzzle; null unless the cell is finished. */
  reproducedPerGflop: number | null;
  /** Published accuracy (percent) per training GFLOP per puzzle. */
  publishedPerGflop: number | null;
}

/**
 * Returns the newest `bench*.json` of `folder` by modification time, or null when
 * there is none (or the folder does not exist).
 */
export async function findNewestBench(folder: string): Promise<string | null> {
  let newest: { path: string; modified: number } | null = null;
  try {
    for await (const entry of Deno.readDir(folder)) {
      if (!entry.isFile || !/^bench.*\.json$/.test(entry.name)) continue;
      const path = resolve(join(folder, entry.name));
      const modified = (await Deno.stat(path)).mtime?.getTime() ?? 0;
      if (!newest || modified > newest.modified) newest = { path, modified };
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  return newest?.path ?? null;
}

/** Reads a bench JSON file; throws `SyntaxError` naming the file when it is not in the expected format. */
export async function readBench(path: string): Promise<BenchResults> {
  let value: BenchResults;
  try {
    value = JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Deno.errors.NotFound(
        `Bench file ${path} not found; run deno task bench:table or pass another --bench`,
      );
    }
    throw new SyntaxError(`Bench file ${path} is not valid JSON (${(error as Error).message})`);
  }

  if (!Array.isArray(value?.cases)) {
    throw new SyntaxError(
      `Bench file ${path} has no "cases" array; expected the output of deno task bench:table`,
    );
  }
  for (const [index, entry] of value.cases.entries()) {
    if (
      typeof entry?.name !== "string" || typeof entry?.msPerStep !== "number" ||
      typeof entry?.flopsPerStep !== "number"
    ) {
      throw new SyntaxError(`Bench file ${path}: case ${index} lacks a name, msPerStep or flopsPerStep`);
    }
  }
  return value;
}

/** Returns whether a case times one whole training batch: an EOT step or a TRM batch. */
function isTrainingBatch(entry: BenchCaseResult): boolean {
  if (entry.kind !== undefined) return entry.kind === "eot-step" || entry.kind === "trm-batch";
  const model = entry.model ?? "";
  return (model.startsWith("eot-") && entry.name === `${model} step`) ||
    (model.startsWith("trm-") && entry.name === `${model} batch`);
}

/**
 * Builds one cost row per model and grid that the bench measured, in the bench's order.
 * An EOT batch is the case `eot-L step`, a TRM batch the case `trm-s batch`.
 */
export function costRows(bench: BenchResults, cells: readonly Cell[]): CostRow[] {
  const batches = bench.cases.filter((entry) =>
    entry.model !== null && entry.grid !== null && (entry.batchSize ?? 0) > 0 && isTrainingBatch(entry)
  );
  const find = (model: string, grid: number) =>
    batches.find((entry) => entry.model === model && entry.grid === grid);

  return batches.map((entry) => {
    const modelId = entry.model as string;
    const grid = entry.grid as number;
    const flopsPerPuzzle = entry.flopsPerStep / (entry.batchSize as number);

    // Pair TRM-s with EOT-s, as the study's cost comparison does (TRM-12 against EOT-12).
    const partner = modelId.startsWith("trm-") ? find(modelId.replace("trm-", "eot-"), grid) : undefined;
    const partnerFlops = partner ? partner.flopsPerStep / (partner.batchSize as number) : null;

    const cell = findCell(cells, modelId, grid);
    const gflops = flopsPerPuzzle / 1e9;
    return {
      modelId,
      grid,
      msPerBatch: entry.msPerStep,
      flopsPerPuzzle,
      timeRatio: partner
        ? (entry.msPerStep / (entry.batchSize as number)) /
          (partner.msPerStep / (partner.batchSize as number))
        : null,
      flopsRatio: partnerFlops ? flopsPerPuzzle / partnerFlops : null,
      reproducedPerGflop: cell?.final ? cell.final.mean / gflops : null,
      publishedPerGflop: cell ? cell.published / gflops : null,
    };
  });
}
