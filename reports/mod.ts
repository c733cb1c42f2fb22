/**
 * Review reports of trained runs: the verdict against the study's published table,
 * the table itself, figures, learning curves, reconstructions, cost and environment.
 *
 *   deno task report                         # runs/ → out/reports/<date>-<profile>.md
 *   deno task report --check --min-cells 30  # exit 1 when fewer cells are reproduced
 *
 * @module
 */
export { generateReport, type ReportResult, type WrittenReport } from "./generate.ts";
export { type ReportOptions, resolveReportOptions } from "./options.ts";
export { parseReportArgs, REPORT_HELP, type ReportCommand } from "./arguments.ts";
export { chanceLevel, PUBLISHED_ACCURACY, publishedAccuracy, STUDY_CELL_COUNT } from "./published.ts";
export { checkPasses, type Verdict } from "./verdict.ts";
