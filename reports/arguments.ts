/**
 * Command-line flags of `deno task report`, parsed with `node:util` `parseArgs` into
 * report options.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { DEFAULT_TOLERANCE, type ReportOptions } from "./options.ts";
import { STUDY_CELL_COUNT } from "./published.ts";

/** The request parsed from the command line. */
export interface ReportCommand {
  /** Whether to print the help text and exit. */
  help: boolean;
  /** Whether to exit with status 1 when fewer than `options.minCells` cells are within tolerance. */
  check: boolean;
  options: ReportOptions;
}

/** Help text of `deno task report`. */
export const REPORT_HELP = `Usage: deno task report [options]

Writes a review report of trained runs: <date>-<profile>.md with its figures, comparing
every model and grid with the study's published table.

Options:
  --runs DIR         folder with one directory per run (default: runs)
  --out DIR          folder the report and figures are written to (default: out/reports)
  --tolerance PP     largest difference from the published accuracy that counts as
                     reproduced, in percentage points (default: ${DEFAULT_TOLERANCE})
  --check            exit with status 1 when fewer than --min-cells cells are within tolerance
  --min-cells N      cells within tolerance that --check requires, 0 to ${STUDY_CELL_COUNT}
                     (default: ${STUDY_CELL_COUNT})
  --bench FILE       bench JSON for the cost section (default: the newest out/bench*.json)
  --images N         test images shown per grid in the reconstructions, 0 for none (default: 2)
  --help             print this help

Exit status: 0 on success, 1 when the report fails or --check fails, 2 on an invalid flag.`;

/**
 * Parses the flags of `deno task report`. Throws a `TypeError` for an unknown flag or a
 * missing value, and a `RangeError` naming the flag for a value out of range.
 */
export function parseReportArgs(args: readonly string[]): ReportCommand {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      runs: { type: "string" },
      out: { type: "string" },
      tolerance: { type: "string" },
      check: { type: "boolean", default: false },
      "min-cells": { type: "string" },
      bench: { type: "string" },
      images: { type: "string" },
      help: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0) {
    throw new TypeError(
      `Unexpected argument "${positionals[0]}": deno task report takes only flags; see --help`,
    );
  }

  const options: ReportOptions = {};
  if (values.runs !== undefined) options.runsDir = nonEmpty("--runs", values.runs);
  if (values.out !== undefined) options.outDir = nonEmpty("--out", values.out);
  if (values.bench !== undefined) options.benchFile = nonEmpty("--bench", values.bench);
  if (values.tolerance !== undefined) {
    const tolerance = Number(values.tolerance);
    if (values.tolerance.trim() === "" || !Number.isFinite(tolerance) || tolerance < 0) {
      throw new RangeError(
        `Invalid --tolerance "${values.tolerance}": expected percentage points, 0 or more, such as 3`,
      );
    }
    options.tolerance = tolerance;
  }
  if (values["min-cells"] !== undefined) {
    options.minCells = integerIn("--min-cells", values["min-cells"], 0, STUDY_CELL_COUNT);
  }
  if (values.images !== undefined) options.reconstructionImages = integerIn("--images", values.images, 0, 64);

  return { help: values.help, check: values.check, options };
}

function nonEmpty(flag: string, value: string): string {
  if (value.trim() === "") throw new RangeError(`Invalid ${flag} "": expected a path`);
  return value;
}

function integerIn(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`Invalid ${flag} "${text}": expected an integer from ${min} to ${max}`);
  }
  return value;
}
