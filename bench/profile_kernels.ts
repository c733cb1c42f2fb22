/**
 * Per-kernel profile of one training step: runs a bench case's workload once under
 * `tf.profile` and prints the kernel time summed by kernel name and by name and input
 * shapes, largest first. This is how the WASM step's waste was found (bench/RESULTS.md).
 *
 * ```sh
 * deno task bench:profile --case "eot-2 step" --grid 5 --batch 32
 * deno task bench:profile --case "trm-8 macro-step" --grid 3 --batch 16 --top 40
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs-core";
import { BACKEND_CHOICES, type BackendChoice, selectBackend } from "../train/backend.ts";
import { type BenchCase, benchCases } from "./cases.ts";
import { createWorkload } from "./workloads.ts";

const USAGE = 'Usage: deno task bench:profile [--case "eot-2 step"] [--grid 5] [--batch 32] ' +
  "[--backend wasm] [--top 25]";

const HELP = `${USAGE}

Runs one step of a benchmark case under tf.profile and prints its kernel time, summed by
kernel and by kernel and input shapes, largest first.

Options:
  --case NAME     a case of the suite: "eot-L step", "trm-s macro-step", "trm-s batch",
                  "tile encoder" or "encoder block" (default "eot-2 step")
  --grid P        grid size (default 5)
  --batch N       puzzles per batch (default 32)
  --backend NAME  ${BACKEND_CHOICES.join(", ")} (default wasm)
  --top N         rows per table (default 25)
  --help          print this help`;

/** One kernel call as `tf.profile` reports it. */
export interface KernelCall {
  name: string;
  inputShapes: number[][];
  kernelTimeMs: number;
}

/** Summed time of a group of kernel calls. */
export interface KernelGroup {
  key: string;
  milliseconds: number;
  calls: number;
}

/**
 * Sums kernel time by `key(call)`, largest first. Wrapper scopes (`unnamed scope`, the
 * custom gradients' forward functions) are left out: tfjs times them around the kernels
 * they contain, so counting them would count those kernels twice.
 */
export function groupKernels(calls: readonly KernelCall[], key: (call: KernelCall) => string): KernelGroup[] {
  const groups = new Map<string, KernelGroup>();
  for (const call of calls) {
    if (call.name === "unnamed scope" || call.name === "forward") continue;
    const name = key(call);
    const group = groups.get(name) ?? { key: name, milliseconds: 0, calls: 0 };
    group.milliseconds += call.kernelTimeMs;
    group.calls++;
    groups.set(name, group);
  }
  return [...groups.values()].sort((a, b) => b.milliseconds - a.milliseconds);
}

/** Formats groups as lines `  1234.5 ms  x3  Conv2D …`. */
export function formatGroups(groups: readonly KernelGroup[], top: number): string {
  return groups.slice(0, top).map((group) =>
    `${group.milliseconds.toFixed(1).padStart(9)} ms ${`x${group.calls}`.padStart(5)}  ${group.key}`
  ).join("\n");
}

/** Returns the suite's bench case named `name` on a grid and batch size. */
export function profiledCase(name: string, grid: number, batchSize: number): BenchCase {
  const found = benchCases({ batchSize, grids: [grid], cases: [] }).find((benchCase) =>
    benchCase.name === name
  );
  if (!found || found.kind === "calibration") {
    throw new RangeError(
      `Invalid --case "${name}": expected a case of the suite such as "eot-2 step", "trm-8 macro-step", ` +
        `"trm-8 batch", "tile encoder" or "encoder block"`,
    );
  }
  return found;
}

function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1) {
    throw new RangeError(`Invalid --${flag} "${text}": expected a positive integer\n${USAGE}`);
  }
  return value;
}

async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      case: { type: "string", default: "eot-2 step" },
      grid: { type: "string", default: "5" },
      batch: { type: "string", default: "32" },
      backend: { type: "string", default: "wasm" },
      top: { type: "string", default: "25" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  if (!(BACKEND_CHOICES as readonly string[]).includes(values.backend)) {
    throw new RangeError(
      `Invalid --backend "${values.backend}": expected ${BACKEND_CHOICES.join(", ")}\n${USAGE}`,
    );
  }
  const benchCase = profiledCase(
    values.case,
    positiveInteger("grid", values.grid),
    positiveInteger("batch", values.batch),
  );
  const top = positiveInteger("top", values.top);

  const backend = await selectBackend(values.backend as BackendChoice);
  console.log(
    `${backend.message}; profiling ${benchCase.name} on grid ${benchCase.grid}, batch ${benchCase.batchSize}`,
  );
  const workload = createWorkload(benchCase);
  try {
    // The warm-up compiles and allocates, so the profiled step shows steady-state costs.
    for (const tensor of workload.warmUp()) {
      await tensor.data();
      tensor.dispose();
    }

    const started = performance.now();
    const profile = await tf.profile(async () => {
      const outputs = workload.step(1);
      for (const output of outputs) await output.data();
      tf.dispose(outputs);
    });
    const wall = performance.now() - started;

    const calls = profile.kernels.map((kernel) => ({
      name: kernel.name,
      inputShapes: kernel.inputShapes,
      kernelTimeMs: Number(kernel.kernelTimeMs),
    }));
    const byKernel = groupKernels(calls, (call) => call.name);
    const total = byKernel.reduce((sum, group) => sum + group.milliseconds, 0);
    console.log(
      `${calls.length} kernel calls, ${total.toFixed(0)} ms of kernel time, ${wall.toFixed(0)} ms wall ` +
        "(profiling adds time of its own)\n\nby kernel:",
    );
    console.log(formatGroups(byKernel, top));
    console.log("\nby kernel and input shapes:");
    console.log(
      formatGroups(groupKernels(calls, (call) => `${call.name} ${JSON.stringify(call.inputShapes)}`), top),
    );
  } finally {
    workload.dispose();
  }
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    Deno.exit(2);
  }
}
