/**
 * Markdown and number formatting shared by the report's sections.
 *
 * @module
 */
import type { SeedSummary } from "./cells.ts";

/** Renders a Markdown table; `|` in cells is escaped. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const escape = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");
  const line = (cells: readonly string[]) => `| ${cells.map(escape).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** Formats a percentage with two decimals, as the published table does. */
export function percent(value: number): string {
  return value.toFixed(2);
}

/** Formats a seed summary as `mean` for one seed, `mean ± std` for several. */
export function seedSummary(summary: SeedSummary): string {
  return summary.count > 1 ? `${percent(summary.mean)} ± ${percent(summary.std)}` : percent(summary.mean);
}

/** Formats a signed difference in percentage points, with a true minus sign. */
export function signedPoints(value: number): string {
  const rounded = Number(value.toFixed(2));
  if (rounded === 0) return "0.00";
  return `${rounded > 0 ? "+" : "−"}${Math.abs(rounded).toFixed(2)}`;
}

/** Formats a count of things with its noun, such as `1 run` or `3 runs`. */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}

/** Formats a number with three significant digits, such as `0.0123`, `4.56` or `789`. */
export function significant(value: number): string {
  return Number(value.toPrecision(3)).toString();
}

/** Lists distinct values with their run counts when there are several, such as `cpu (3 runs), wasm (1 run)`. */
export function countedValues(counts: ReadonlyMap<string, number>): string {
  if (counts.size === 0) return "none";
  if (counts.size === 1) return [...counts.keys()][0];
  return [...counts].map(([value, count]) => `${value} (${plural(count, "run")})`).join(", ");
}
