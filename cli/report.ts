/**
 * Writes the review report of a runs folder: `<date>-<profile>.md` and its figures.
 *
 *   deno task report                                  # runs/ → out/reports/
 *   deno task report --runs runs --out out/reports --tolerance 3
 *   deno task report --check --min-cells 30           # exit 1 when fewer cells are reproduced
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import {
  generateReport,
  parseReportArgs,
  REPORT_HELP,
  type ReportCommand,
  STUDY_CELL_COUNT,
} from "../reports/mod.ts";

/** Runs the command and returns its exit status: 0 success, 1 failure or failed check, 2 invalid flag. */
export async function main(args: readonly string[]): Promise<number> {
  let command: ReportCommand;
  try {
    command = parseReportArgs(args);
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    console.error(`error: ${error.message}`);
    return 2;
  }
  // PROD skips tfjs's debug checks and its "install tfjs-node" banner, which does not apply to Deno.
  tf.env().set("PROD", true);
  if (command.help) {
    console.log(REPORT_HELP);
    return 0;
  }

  const result = await generateReport(command.options);
  const required = command.options.minCells ?? STUDY_CELL_COUNT;
  for (const report of result.reports) {
    const { cellsWithin, cellsTotal, tolerance } = report.verdict;
    console.log(`${report.path}: ${cellsWithin} of ${cellsTotal} cells within ±${tolerance} points`);
    if (command.check && !report.passesCheck) {
      console.error(
        `check failed: ${report.path} has ${cellsWithin} cells within tolerance, --min-cells requires ${required}`,
      );
    }
  }
  return command.check && !result.passesCheck ? 1 : 0;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    Deno.exit(1);
  }
}
