/**
 * Generates the review reports of a runs folder: one Markdown file per profile and
 * dataset, `<date>-<profile>.md`, with its SVG and PNG figures beside it.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { STUDY_GRIDS, STUDY_MODELS } from "../models/config.ts";
import { writeFileAtomic } from "../util/atomic.ts";
import { buildCells } from "./cells.ts";
import { accuracyFigureSpec, learningCurveSpec, renderSvg } from "./charts.ts";
import { costRows, findNewestBench, readBench } from "./cost.ts";
import { describeEnvironment } from "./environment.ts";
import { groupRuns, isReproduction, type RunGroup } from "./groups.ts";
import { type ReportOptions, type ResolvedReportOptions, resolveReportOptions } from "./options.ts";
import { projectReconstructionSources } from "./project_sources.ts";
import { isStudyGrid, isStudyModel } from "./published.ts";
import {
  type ReconstructionResult,
  type ReconstructionSources,
  writeReconstructions,
} from "./reconstruction_driver.ts";
import { loadRuns, runLabel } from "./runs.ts";
import {
  accuracyFigureSection,
  type CostInput,
  costSection,
  environmentSection,
  type FigureFiles,
  learningCurveSection,
  reconstructionSection,
  scaleSection,
  tableSection,
  titleSection,
  verdictSection,
  warningSection,
} from "./sections.ts";
import { checkPasses, computeVerdict, type Verdict } from "./verdict.ts";

/** A report written to disk. */
export interface WrittenReport {
  /** Absolute path of the Markdown file. */
  path: string;
  profile: string;
  datasetName: string;
  /** Whether the runs follow the study's scale (`paper` profile on COCO 2017). */
  reproduction: boolean;
  verdict: Verdict;
  /** Absolute paths of the figures written beside it. */
  figures: string[];
  /** Whether at least `minCells` cells are within tolerance. */
  passesCheck: boolean;
}

/** Reports written by {@linkcode generateReport}. */
export interface ReportResult {
  /** Path of the first report; the only one when the runs share one profile and dataset. */
  path: string;
  reports: WrittenReport[];
  /** Whether every report passes the check (what `--check` gates on). */
  passesCheck: boolean;
}

/**
 * Reads the runs of `options.runsDir` and writes one report per profile and dataset
 * into `options.outDir`. Throws when the runs folder is missing or contains no runs,
 * and when a run's files or the bench file cannot be read.
 *
 * @example
 * ```ts
 * import { generateReport } from "./mod.ts";
 *
 * const result = await generateReport({ runsDir: "runs", outDir: "out/reports" });
 * for (const report of result.reports) console.log(report.path, report.verdict.cellsWithin);
 * ```
 */
export async function generateReport(options: ReportOptions = {}): Promise<ReportResult> {
  const resolved = resolveReportOptions(options);
  const { log } = resolved;

  const allRuns = await loadRuns(resolved.runsDir);
  if (allRuns.length === 0) {
    throw new Error(
      `Runs folder ${resolve(resolved.runsDir)} contains no runs; train first with deno task reproduce`,
    );
  }
  const warnings: string[] = [];
  const runs = allRuns.filter((run) => {
    const inTable = isStudyModel(run.config.modelId) && isStudyGrid(run.config.model.grid);
    if (!inTable) {
      warnings.push(`${runLabel(run)} (${run.directory}) is not a cell of the study's table; left out`);
    }
    return inTable;
  });
  for (const warning of warnings) log(`warning: ${warning}`);
  if (runs.length === 0) {
    throw new Error(
      `Runs folder ${resolve(resolved.runsDir)} contains no run of the study's models (${
        STUDY_MODELS.join(", ")
      }) ` +
        `and grids (${STUDY_GRIDS.join(", ")}); train them with deno task reproduce`,
    );
  }

  const outDir = resolve(resolved.outDir);
  await Deno.mkdir(outDir, { recursive: true });
  const cost = await loadCost(resolved);
  const sources = resolved.sources === undefined
    ? projectReconstructionSources(resolved.runsDir)
    : resolved.sources;

  const reports: WrittenReport[] = [];
  for (const group of groupRuns(runs, resolved.date)) {
    log(`report: ${group.runs.length} runs of profile ${group.profile} on ${group.datasetName}`);
    reports.push(await writeGroupReport(group, { ...resolved, outDir }, cost, sources, warnings));
  }
  return { path: reports[0].path, reports, passesCheck: reports.every((report) => report.passesCheck) };
}

async function writeGroupReport(
  group: RunGroup,
  options: ResolvedReportOptions,
  cost: CostInput,
  sources: ReconstructionSources | null,
  warnings: readonly string[],
): Promise<WrittenReport> {
  const reproduction = isReproduction(group);
  const cells = buildCells(group.runs, options.tolerance);
  const verdict = computeVerdict(cells, options.tolerance);
  const environment = await describeEnvironment(group.runs, options.date);
  const written: string[] = [];

  // Figures first, so the report never links to a file that is not there yet.
  const figures: FigureFiles = { accuracy: `${group.fileBase}-accuracy.svg`, curves: [] };
  await writeFileAtomic(join(options.outDir, figures.accuracy), await renderSvg(accuracyFigureSpec(cells)));
  written.push(join(options.outDir, figures.accuracy));
  for (const grid of STUDY_GRIDS) {
    if (!group.runs.some((run) => run.config.model.grid === grid && run.records.length > 0)) continue;
    const file = `${group.fileBase}-curves-${grid}x${grid}.svg`;
    await writeFileAtomic(join(options.outDir, file), await renderSvg(learningCurveSpec(grid, group.runs)));
    figures.curves.push({ grid, file });
    written.push(join(options.outDir, file));
  }

  const reconstructions = await reconstruct(group, options, sources);
  written.push(...reconstructions.figures.map((figure) => join(options.outDir, figure.file)));
  const costInput = cost ? { ...cost, rows: costRows(cost.bench, cells) } : null;

  const sections = [
    titleSection(group, reproduction),
    verdictSection(verdict, reproduction),
    scaleSection(group, reproduction, environment),
    tableSection(cells, options.tolerance),
    accuracyFigureSection(figures),
    learningCurveSection(group.runs, figures),
    reconstructionSection(reconstructions),
    costSection(costInput),
    environmentSection(environment),
    warningSection(warnings),
  ];
  const path = join(options.outDir, `${group.fileBase}.md`);
  await writeFileAtomic(path, sections.filter((section) => section !== null).join("\n\n") + "\n");
  await removeStaleFigures(options.outDir, group.fileBase, written);
  options.log(
    `report: wrote ${path} (${verdict.cellsWithin} of ${verdict.cellsTotal} cells within tolerance)`,
  );

  return {
    path,
    profile: group.profile,
    datasetName: group.datasetName,
    reproduction,
    verdict,
    figures: written,
    passesCheck: checkPasses(verdict, options.minCells),
  };
}

async function reconstruct(
  group: RunGroup,
  options: ResolvedReportOptions,
  sources: ReconstructionSources | null,
): Promise<ReconstructionResult> {
  if (options.reconstructionImages === 0) {
    return { figures: [], notes: ["Reconstructions were turned off (0 images per grid)."] };
  }
  if (!sources) {
    return { figures: [], notes: ["No model loader was given, so no reconstructions were made."] };
  }

  const result = await writeReconstructions(group.runs, sources, {
    outDir: options.outDir,
    fileBase: group.fileBase,
    images: options.reconstructionImages,
  });
  for (const note of result.notes) options.log(`reconstructions: ${note}`);
  return result;
}

async function loadCost(options: ResolvedReportOptions): Promise<CostInput> {
  const path = options.benchFile ?? await findNewestBench(options.benchFolder);
  if (!path) return null;
  const bench = await readBench(path);
  options.log(`report: cost from ${path}`);
  return { path, bench, rows: [] };
}

/**
 * Removes the figures an earlier report of the same name wrote and this one did not,
 * such as the curves of a grid no longer trained, so the folder shows one report only.
 */
export async function removeStaleFigures(
  outDir: string,
  fileBase: string,
  written: readonly string[],
): Promise<void> {
  const escaped = fileBase.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const figure = new RegExp(
    `^${escaped}-(accuracy\\.svg|curves-\\d+x\\d+\\.svg|reconstruction-\\d+x\\d+-\\d+\\.png)$`,
  );
  const keep = new Set(written.map((path) => resolve(path)));
  for await (const entry of Deno.readDir(outDir)) {
    const path = resolve(join(outDir, entry.name));
    if (entry.isFile && figure.test(entry.name) && !keep.has(path)) await Deno.remove(path);
  }
}
