/**
 * The report's Markdown sections, in order: scale banner, verdict, scale notice,
 * results table, accuracy figure, learning curves with abrupt transitions,
 * reconstructions, cost and environment. Each function renders one section from
 * data computed elsewhere.
 *
 * @module
 */
import type { Cell } from "./cells.ts";
import type { CostRow } from "./cost.ts";
import type { BenchResults } from "./cost.ts";
import type { Environment } from "./environment.ts";
import type { FindingOutcome } from "./findings.ts";
import {
  countedValues,
  markdownTable,
  percent,
  plural,
  seedSummary,
  signedPoints,
  significant,
} from "./format.ts";
import type { RunGroup } from "./groups.ts";
import { chanceLevel } from "./published.ts";
import { PROFILES } from "../train/profiles.ts";
import type { ReconstructionResult } from "./reconstruction_driver.ts";
import { gridLabel, runLabel, type RunResult, testCurve } from "./runs.ts";
import {
  DEFAULT_CONTRAST,
  DEFAULT_MIN_JUMP,
  detectTransitions,
  largestRise,
  type Transition,
} from "./transitions.ts";
import type { Verdict } from "./verdict.ts";

/** The files of the figures, relative to the report. */
export interface FigureFiles {
  accuracy: string;
  /** One learning-curve figure per grid that has runs. */
  curves: { grid: number; file: string }[];
}

/** The cost section's input: the bench file and its rows, or null when there is none. */
export type CostInput = { path: string; bench: BenchResults; rows: CostRow[] } | null;

/** Renders the title and, for a pipeline check, the one-paragraph banner under it. */
export function titleSection(group: RunGroup, reproduction: boolean): string {
  const title = `# Jigsaw reconstruction: ${group.profile} profile on ${group.datasetName}`;
  if (reproduction) return title;
  return `${title}\n\n> **Pipeline check, not a reproduction.** These runs use the \`${group.profile}\` profile on ` +
    `the \`${group.datasetName}\` dataset, not the study's \`paper\` profile on COCO 2017. Their numbers show that ` +
    "training, evaluation and reporting work end to end; they cannot confirm or refute the published table.";
}

/** Renders the verdict: cells within tolerance and the four findings with their rules. */
export function verdictSection(verdict: Verdict, reproduction: boolean): string {
  const heading = reproduction ? "## Verdict" : "## Verdict (pipeline check, not a reproduction)";
  const tolerance = verdict.tolerance.toFixed(1);
  const count = (outcome: FindingOutcome) =>
    verdict.findings.filter((finding) => finding.outcome === outcome).length;
  const holding = count("holds");
  const failing = count("fails");
  const findingList = verdict.findings.map((finding, i) => `(${i + 1}) ${finding.claim}: ${finding.outcome}`)
    .join("; ");

  const paragraph =
    `**${verdict.cellsWithin} of ${verdict.cellsTotal} cells** are within ±${tolerance} percentage ` +
    `points of the published test patch-level accuracy (tolerance set by \`--tolerance\`). ` +
    `Cells: ${verdict.cellsFinished} finished, ${verdict.cellsUnfinished} unfinished and ${verdict.cellsMissing} ` +
    "missing; unfinished and missing cells count as not reproduced. " +
    `Of the study's four findings, ${holding} ${holding === 1 ? "holds" : "hold"}, ` +
    `${failing} ${failing === 1 ? "fails" : "fail"} and ${count("cannot be checked")} cannot be checked: ` +
    `${findingList}.` + (reproduction ? "" : " At this scale the verdict only shows that the checks run.");

  const rows = verdict.findings.map((finding, i) => [
    `${i + 1}. ${finding.claim}`,
    finding.rule,
    `**${finding.outcome}**`,
    finding.evidence,
  ]);
  return [heading, paragraph, markdownTable(["Finding", "Rule", "Outcome", "Evidence"], rows)].join("\n\n");
}

/** Renders the scale notice: why the runs are not the study's protocol, and each setting that differs. */
export function scaleSection(
  group: RunGroup,
  reproduction: boolean,
  environment: Environment,
): string | null {
  const differences = [...environment.differences].map(([text, count]) =>
    `- ${text}${count < group.runs.length ? ` (${count} of ${plural(group.runs.length, "run")})` : ""}`
  );
  if (reproduction && differences.length === 0) return null;

  const study = PROFILES.paper.training;
  const lead = reproduction
    ? "These runs use the `paper` profile on COCO 2017, but some settings differ from the study's protocol, " +
      "so differences from the published table may come from them:"
    : `The study trained on COCO 2017 with the \`paper\` profile (batch ${study.batchSize}, ${study.epochs} epochs, ` +
      `learning rate ${study.learningRate}, whole splits). These runs use the \`${group.profile}\` profile on ` +
      `\`${group.datasetName}\`, so the numbers below are a check of the pipeline, not a reproduction. ` +
      "The verdict above is computed the same way but means nothing about the study. " +
      "Settings that differ from the study's:";
  return ["## Scale notice", lead, differences.join("\n") || "- none recorded"].join("\n\n");
}

/** Renders the results table: one row per model and grid. */
export function tableSection(cells: readonly Cell[], tolerance: number): string {
  const rows = cells.map((cell) => {
    const status = cellStatusText(cell);
    let within = "—";
    if (cell.withinTolerance !== null) within = cell.withinTolerance ? "✓" : "✗";
    return [
      cell.modelId,
      gridLabel(cell.grid),
      status ?? seedSummary(cell.final!),
      percent(cell.published),
      cell.difference === null ? "—" : signedPoints(cell.difference),
      within,
      bestText(cell),
      percent(cell.chance),
      seedsText(cell),
    ];
  });

  const notes = [
    "Reproduced: test patch-level accuracy (%) after the last epoch, as mean ± sample standard deviation over " +
    "the finished seeds when there are several. Difference: reproduced minus published, in percentage points. " +
    `✓ marks a difference within ±${
      tolerance.toFixed(1)
    } points. Best epoch: the highest test accuracy of any ` +
    "epoch, with its epoch. Chance: the metric's chance level (H_S − 1)/(S − 1) for S tiles. Missing and " +
    "unfinished cells are labelled as such and have no value.",
  ];
  return [
    "## Results table",
    markdownTable(
      [
        "Model",
        "Grid",
        "Reproduced (%)",
        "Published (%)",
        "Difference",
        `Within ±${tolerance.toFixed(1)}`,
        "Best epoch (%)",
        "Chance (%)",
        "Seeds",
      ],
      rows,
    ),
    ...notes,
  ].join("\n\n");
}

/** Renders the figure of accuracy against grid size. */
export function accuracyFigureSection(figures: FigureFiles): string {
  return [
    "## Accuracy against grid size",
    `![Test patch-level accuracy against grid size, published dashed and reproduced solid](${figures.accuracy})`,
    "Published values dashed, reproduced means (finished cells only) solid, the chance level dotted grey.",
  ].join("\n\n");
}

/** Renders the learning curves per grid and the table of abrupt transitions per run. */
export function learningCurveSection(runs: readonly RunResult[], figures: FigureFiles): string {
  const images = figures.curves.map(({ grid, file }) => `![Learning curves on ${gridLabel(grid)}](${file})`);
  const rule =
    `A rise between two consecutive evaluations counts as an abrupt transition when it is at least ` +
    `${DEFAULT_MIN_JUMP} points and at least ${DEFAULT_CONTRAST} times the median absolute step before it; the ` +
    "chance level stands in for an evaluation at epoch 0. Triangles in the figures mark each run's largest rise, " +
    "abrupt or not.";

  const rows = runs.map((run) => {
    const curve = testCurve(run);
    const rise = largestRise(curve);
    const transitions = detectTransitions(curve, { startAccuracy: chanceLevel(run.config.model.grid) });
    return [
      runLabel(run),
      `${run.records.length} of ${run.config.training.epochs}`,
      rise ? `epoch ${rise.epoch}: ${signedPoints(rise.jump)}` : "—",
      transitionsText(run, transitions),
    ];
  });

  return [
    "## Learning curves",
    images.length > 0 ? images.join("\n") : "No run has epoch records yet.",
    "### Abrupt transitions",
    rule,
    rows.length > 0
      ? markdownTable(["Run", "Epochs", "Largest rise", "Abrupt transitions"], rows)
      : "No runs.",
  ].join("\n\n");
}

/** Renders the reconstruction figures, or why there are none. */
export function reconstructionSection(result: ReconstructionResult): string {
  const parts = ["## Reconstructions"];
  if (result.figures.length === 0) {
    parts.push(result.notes.length > 0 ? "No reconstructions were made:" : "No reconstructions were made.");
  } else {
    parts.push(
      "Each row is one model solving the same shuffled test image: the shuffled input, the reconstruction after " +
        "each macro-step (one for an EOT), then the solved image. A red frame marks a tile placed wrongly.",
    );
  }
  for (const figure of result.figures) {
    parts.push(
      `**${gridLabel(figure.grid)}, test image ${figure.image}** (rows: ${figure.rows.join(", ")})\n\n` +
        `![Reconstructions of test image ${figure.image} on ${gridLabel(figure.grid)}](${figure.file})`,
    );
  }
  if (result.notes.length > 0) parts.push(result.notes.map((note) => `- ${note}`).join("\n"));
  return parts.join("\n\n");
}

/** Renders the cost section from bench results, or how to make them. */
export function costSection(cost: CostInput): string {
  if (!cost) {
    return "## Cost\n\nNo benchmark results: run `deno task bench:table` to write `out/bench*.json`, " +
      "or pass one with `--bench FILE`.";
  }

  const rows = cost.rows.map((row) => [
    gridLabel(row.grid),
    row.modelId,
    significant(row.msPerBatch),
    significant(row.flopsPerPuzzle / 1e9),
    row.timeRatio === null ? "—" : `${significant(row.timeRatio)}×`,
    row.flopsRatio === null ? "—" : `${significant(row.flopsRatio)}×`,
    row.reproducedPerGflop === null ? "—" : significant(row.reproducedPerGflop),
    row.publishedPerGflop === null ? "—" : significant(row.publishedPerGflop),
  ]);
  const source = `Bench file \`${cost.path}\`, machine ${describe(cost.bench.machine)}, ` +
    `backend ${describe(cost.bench.backend)}.`;
  const notes = "ms per batch: measured time of one training batch at the bench's batch size (an EOT step, " +
    "or a TRM batch of s macro-steps). GFLOPs per puzzle: analytical training FLOPs per puzzle. TRM / EOT: " +
    "TRM-s per puzzle over EOT-s on the same grid, in time and in FLOPs. Accuracy per GFLOP: test accuracy (%) " +
    "over GFLOPs per training puzzle; every model of a profile trains on the same number of puzzles, so this " +
    "compares accuracy per unit of training compute.";
  return [
    "## Cost",
    source,
    cost.rows.length > 0
      ? markdownTable(
        [
          "Grid",
          "Model",
          "ms per batch",
          "GFLOPs per puzzle",
          "TRM / EOT time",
          "TRM / EOT FLOPs",
          "Reproduced % per GFLOP",
          "Published % per GFLOP",
        ],
        rows,
      )
      : "The bench file has no training-batch cases (`eot-L step`, `trm-s batch`).",
    notes,
  ].join("\n\n");
}

/** Renders the environment: versions, backends, data and profile. */
export function environmentSection(environment: Environment): string {
  const versions = environment.reportVersions;
  const rows = [
    ["Report generated", environment.generatedAt.toISOString()],
    ["Project commit (report)", versions.commit ?? "unknown (not a git checkout)"],
    ["Deno / tfjs (report)", `${versions.deno} / ${versions.tfjs}`],
    ["Project commit (runs)", countedValues(environment.runCommits)],
    ["Deno (runs)", countedValues(environment.runDenoVersions)],
    ["tfjs (runs)", countedValues(environment.runTfjsVersions)],
    ["Backend and adapter", countedValues(environment.backends)],
    ["Dataset", countedValues(environment.datasets)],
    ["Profile", countedValues(environment.profiles)],
    [
      "Settings that differ from the study",
      environment.differences.size === 0 ? "none" : [...environment.differences.keys()].join("; "),
    ],
  ];
  return ["## Environment", markdownTable(["", ""], rows)].join("\n\n");
}

/** Renders warnings met while building the report, or nothing. */
export function warningSection(warnings: readonly string[]): string | null {
  if (warnings.length === 0) return null;
  return ["## Warnings", warnings.map((warning) => `- ${warning}`).join("\n")].join("\n\n");
}

function transitionsText(run: RunResult, transitions: readonly Transition[]): string {
  // Without two evaluations there is no step to judge, which is not the same as "none".
  if (run.records.length < 2) return "—";
  if (transitions.length === 0) return "none";
  return transitions.map((transition) => `epoch ${transition.epoch}: ${signedPoints(transition.jump)}`).join(
    ", ",
  );
}

function cellStatusText(cell: Cell): string | null {
  if (cell.status === "missing") return "missing";
  if (cell.status === "unfinished") {
    const progress = cell.runs.map((run) => `${run.records.length} of ${run.config.training.epochs}`).join(
      ", ",
    );
    return `unfinished (${progress} epochs)`;
  }
  return null;
}

function bestText(cell: Cell): string {
  if (cell.best) {
    const epochs = cell.bestEpochs.length === 1 ? "epoch" : "epochs";
    return `${seedSummary(cell.best)} (${epochs} ${cell.bestEpochs.join(", ")})`;
  }

  // An unfinished run's best so far is real data, but it is marked so it is not read as a result.
  const partial = cell.runs.flatMap((run) => testCurve(run));
  if (partial.length === 0) return "—";
  const best = partial.reduce((top, point) => point.accuracy > top.accuracy ? point : top);
  return `${percent(best.accuracy)} so far (epoch ${best.epoch})`;
}

function seedsText(cell: Cell): string {
  const finished = cell.runs.filter((run) => run.finished).length;
  const unfinished = cell.runs.length - finished;
  if (cell.runs.length === 0) return "0";
  return unfinished > 0 && finished > 0 ? `${finished} (+${unfinished} unfinished)` : `${cell.runs.length}`;
}

/**
 * Describes the bench's machine or backend record in words: the fields a reader needs
 * (CPU, cores, runtime, OS, backend name, adapter) when present, else the JSON.
 */
function describe(value: unknown): string {
  if (value === null || value === undefined) return "unknown";
  if (typeof value === "string") return value;
  if (typeof value !== "object") return String(value);

  const record = value as Record<string, unknown>;
  const parts = [
    record.name,
    record.adapter ? `on ${record.adapter}` : null,
    record.cpu,
    record.cores ? `${record.cores} cores` : null,
    record.runtime,
    record.os && record.arch ? `${record.os}/${record.arch}` : null,
  ].filter((part) => typeof part === "string" && part !== "");
  return parts.length > 0 ? parts.join(", ") : `\`${JSON.stringify(value)}\``;
}
