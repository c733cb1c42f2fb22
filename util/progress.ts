/**
 * A live progress line on stderr for long loops (cache builds, epochs, evaluation):
 * items done of total, rate, ETA and a free-text suffix such as "loss 1.23 acc 45.6%".
 *
 * On a terminal the line is redrawn in place by `cli-progress` at most 5 times per
 * second. When stderr is not a terminal (a log file, CI), a plain line is printed
 * at most every 10 seconds instead, and once more when the loop finishes.
 *
 * @example
 * ```ts
 * const progress = new ProgressLine("epoch 1/10", 924, "batch");
 * try {
 *   for (let b = 0; b < 924; b++) progress.update(b + 1, `loss ${(1 / (b + 1)).toFixed(3)}`);
 * } finally {
 *   progress.finish();
 * }
 * ```
 *
 * @module
 */
import cliProgress from "cli-progress";

/** Destination of a progress line. */
export interface ProgressOutput {
  /** Whether the output is a terminal, so the line can be redrawn in place. */
  isTerminal: boolean;
  /** Terminal width in characters. Longer lines are cut. */
  columns(): number;
  /** Writes text as it is, without adding a newline. */
  write(text: string): void;
}

/** Settings of a {@linkcode ProgressLine}, mostly for tests. */
export interface ProgressLineOptions {
  /** Output. @default stderr */
  output?: ProgressOutput;
  /** Clock for rate and ETA, in milliseconds. @default performance.now */
  now?: () => number;
  /** Minimum time between plain lines when the output is not a terminal, in ms. @default 10000 */
  plainIntervalMs?: number;
}

/** Maximum redraws per second on a terminal. */
const TERMINAL_FPS = 5;

/** Returns stderr as a {@linkcode ProgressOutput}. */
export function stderrOutput(): ProgressOutput {
  const encoder = new TextEncoder();
  return {
    isTerminal: Deno.stderr.isTerminal(),
    columns() {
      try {
        // Terminals without a size set (a pseudo-terminal under `script`) report 0 columns.
        const { columns } = Deno.consoleSize();
        return columns > 0 ? columns : 80;
      } catch {
        // consoleSize throws when no stream is a terminal, for instance under a pipe.
        return 200;
      }
    },
    write(text) {
      const bytes = encoder.encode(text);
      let written = 0;
      while (written < bytes.length) written += Deno.stderr.writeSync(bytes.subarray(written));
    },
  };
}

/** Formats a duration in seconds as `12s`, `4m05s` or `1h02m`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--";
  const total = Math.round(seconds);
  if (total < 60) return `${total}s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return `${minutes}m${String(total % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

/** Returns the English plural of a unit name: `batch` → `batches`, `image` → `images`. */
export function pluralize(unit: string): string {
  return /(s|x|z|ch|sh)$/.test(unit) ? `${unit}es` : `${unit}s`;
}

function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return "--";
  if (perSecond >= 100) return perSecond.toFixed(0);
  if (perSecond >= 10) return perSecond.toFixed(1);
  return perSecond.toFixed(2);
}

/**
 * A single progress line with items done of `total`, the rate per second since
 * construction, the ETA at that rate and an optional suffix. Call
 * {@linkcode ProgressLine.finish} when the loop ends, also on errors, because on a
 * terminal `cli-progress` redraws on a timer until then.
 */
export class ProgressLine {
  readonly label: string;
  readonly total: number;
  readonly unit: string;
  #units: string;
  #output: ProgressOutput;
  #now: () => number;
  #plainIntervalMs: number;
  #started: number;
  #lastPlain: number;
  #done = 0;
  #suffix = "";
  #finished = false;
  #bar: InstanceType<typeof cliProgress.SingleBar> | null = null;

  /**
   * Starts the line. `unit` names one item in the text, for example "batch" or "image".
   *
   * @throws {RangeError} if `total` is not a non-negative integer.
   */
  constructor(label: string, total: number, unit = "item", options: ProgressLineOptions = {}) {
    if (!Number.isInteger(total) || total < 0) {
      throw new RangeError(`Invalid progress total ${total}: expected a non-negative integer`);
    }
    this.label = label;
    this.total = total;
    this.unit = unit;
    this.#units = pluralize(unit);
    this.#output = options.output ?? stderrOutput();
    this.#now = options.now ?? (() => performance.now());
    this.#plainIntervalMs = options.plainIntervalMs ?? 10_000;
    this.#started = this.#now();
    this.#lastPlain = this.#started;

    if (this.#output.isTerminal) {
      this.#bar = new cliProgress.SingleBar({
        terminal: terminalFor(this.#output),
        // cli-progress fills its own {eta} and {duration}, so the payload uses other names.
        format: "{label} [{bar}] {value}/{total} {unit} {rate}/s ETA {remaining} {suffix}",
        barsize: 20,
        fps: TERMINAL_FPS,
        // Redraw on every tick, so the bar comes back after log() cleared its line.
        forceRedraw: true,
        // The final line is written by finish(), so the bar's own line is cleared.
        clearOnComplete: true,
      });
      this.#bar.start(total, 0, this.#payload());
    }
  }

  /** Sets the items done (not an increment) and the suffix, and redraws if it is time. */
  update(done: number, suffix = ""): void {
    if (this.#finished) return;
    this.#done = done;
    this.#suffix = suffix;

    if (this.#bar) {
      this.#bar.update(done, this.#payload());
      return;
    }
    const now = this.#now();
    if (now - this.#lastPlain >= this.#plainIntervalMs) {
      this.#lastPlain = now;
      this.#output.write(`${this.label}: ${this.#describe()}\n`);
    }
  }

  /** Writes a line (a warning, say) above the progress line without garbling it. */
  log(line: string): void {
    if (this.#bar && !this.#finished) {
      this.#output.write(`\r\x1b[2K${line}\n`);
      this.#bar.render();
      return;
    }
    this.#output.write(`${line}\n`);
  }

  /**
   * Ends the line: writes the final count, elapsed time and rate, followed by
   * `summary` or else the last suffix. Later calls do nothing.
   */
  finish(summary?: string): void {
    if (this.#finished) return;
    this.#finished = true;
    if (this.#bar) {
      this.#bar.stop();
      this.#bar = null;
    }

    const seconds = (this.#now() - this.#started) / 1000;
    const tail = summary ?? this.#suffix;
    const rate = formatRate(this.#done / seconds);
    this.#output.write(
      `${this.label}: ${this.#done}/${this.total} ${this.#units} in ${formatDuration(seconds)} (${rate}/s)` +
        `${tail ? ` ${tail}` : ""}\n`,
    );
  }

  /** Formats the mean rate since the start and the ETA at that rate. */
  #rateAndEta(): { rate: string; eta: string } {
    const seconds = (this.#now() - this.#started) / 1000;
    const perSecond = this.#done / seconds;
    if (this.#done === 0 || !(seconds > 0)) return { rate: "--", eta: "--" };
    return { rate: formatRate(perSecond), eta: formatDuration((this.total - this.#done) / perSecond) };
  }

  #describe(): string {
    const { rate, eta } = this.#rateAndEta();
    const percent = this.total > 0 ? ` (${Math.floor((100 * this.#done) / this.total)}%)` : "";
    return `${this.#done}/${this.total} ${this.#units}${percent} ${rate}/s ETA ${eta}` +
      `${this.#suffix ? ` ${this.#suffix}` : ""}`;
  }

  #payload(): Record<string, string> {
    const { rate, eta } = this.#rateAndEta();
    return { label: this.label, unit: this.#units, suffix: this.#suffix, rate, remaining: eta };
  }
}

/** Adapts `output` to the terminal interface that `cli-progress` 3.12 accepts as its `terminal` option. */
function terminalFor(output: ProgressOutput) {
  return {
    // The bar never saves or restores the cursor, because log() prints lines in
    // between and a restore would jump back to where the bar started. Wrapping is
    // left on, since write() cuts lines to the width.
    cursorSave() {},
    cursorRestore() {},
    cursor(_enabled: boolean) {},
    lineWrapping(_enabled: boolean) {},
    cursorTo(x: number | null) {
      if (x === 0) output.write("\r");
    },
    clearRight() {
      output.write("\x1b[K");
    },
    clearLine() {
      output.write("\r\x1b[2K");
    },
    newline() {
      output.write("\n");
    },
    write(text: string) {
      output.write(text.slice(0, Math.max(output.columns() - 1, 1)));
    },
    isTTY() {
      return true;
    },
    getWidth() {
      return output.columns();
    },
  };
}
