/**
 * The lines the GPU check prints: the WebGPU adapter with its vendor, one PASS or FAIL
 * line per training-step comparison with the CPU backend, and the overall verdict.
 *
 * @module
 */
import type { AdapterProbe } from "../train/backend.ts";
import { type BackendVerification, PARITY_TOLERANCE } from "../train/verify_backend.ts";

/** Outcome of comparing one model's training step on the tested backend with the CPU backend. */
export interface ComparisonOutcome {
  /** Model identifier, such as `eot-2`. */
  model: string;
  /** Grid size P. */
  grid: number;
  /** The comparison's numbers when it passed, else null. */
  verification: BackendVerification | null;
  /** Error message when it failed (a missing kernel or a difference over tolerance), else null. */
  failure: string | null;
  /** Wall-clock seconds of the comparison, the CPU reference step included. */
  seconds: number;
}

// PCI vendor ids, which wgpu reports as decimal strings. 0x10005 is the id Mesa's software drivers report.
const VENDOR_NAMES = new Map<number, string>([
  [0x10de, "NVIDIA"],
  [0x1002, "AMD"],
  [0x8086, "Intel"],
  [0x1414, "Microsoft"],
  [0x10005, "Mesa"],
]);

/**
 * Returns the name of the vendor whose PCI id an adapter description from `probeWebGpu`
 * contains (`…, vendor 4318, …` is NVIDIA), or null when the id is missing or not a known one.
 */
export function vendorName(description: string): string | null {
  const match = /vendor (\d+)/.exec(description);
  return match ? VENDOR_NAMES.get(Number(match[1])) ?? null : null;
}

/** Formats the adapter line: description, vendor name and whether it is a hardware or software adapter. */
export function formatAdapterLine(probe: AdapterProbe): string {
  if (!probe.description) return `FAIL no WebGPU adapter: ${probe.failure}`;

  const vendor = vendorName(probe.description);
  const kind = probe.isSoftware ? "software adapter" : "hardware adapter";
  return `adapter: ${probe.description}${vendor ? ` (${vendor})` : ""}; ${kind}`;
}

/** Formats one comparison as a PASS or FAIL line with the measured differences and the tolerances. */
export function formatComparisonLine(outcome: ComparisonOutcome): string {
  const name = `${outcome.model} on grid ${outcome.grid}×${outcome.grid}`;
  const time = `${outcome.seconds.toFixed(1)} s`;
  if (!outcome.verification) return `FAIL ${name} (${time}): ${outcome.failure}`;

  const { backend, lossCpu, lossBackend, mismatchedShare, kernels } = outcome.verification;
  // The same relative difference that verifyBackend compares with its tolerance.
  const lossError = Math.abs(lossBackend - lossCpu) / Math.max(1, Math.abs(lossCpu));
  return `PASS ${name} (${time}): loss cpu ${lossCpu.toFixed(6)}, ${backend} ${lossBackend.toFixed(6)}, ` +
    `relative difference ${lossError.toExponential(2)} (tolerance ${PARITY_TOLERANCE.loss}); ` +
    `${(mismatchedShare * 100).toFixed(3)}% of weight updates differ by more than lr/2 ` +
    `(tolerance ${PARITY_TOLERANCE.mismatchedUpdates * 100}%); ${kernels.length} kernels`;
}

/**
 * Returns whether the check passed, which needs an adapter and every comparison to pass,
 * with a one-line verdict.
 */
export function checkVerdict(
  probe: AdapterProbe,
  outcomes: readonly ComparisonOutcome[],
): { passed: boolean; line: string } {
  if (!probe.description) {
    return { passed: false, line: `GPU check FAILED: no WebGPU adapter (${probe.failure})` };
  }

  const failed = outcomes.filter((outcome) => !outcome.verification);
  const passed = failed.length === 0 && outcomes.length > 0;
  const counts = `${outcomes.length - failed.length} of ${outcomes.length} training-step comparisons passed`;
  if (passed) return { passed, line: `GPU check passed: ${counts}` };

  const names = failed.map((outcome) => outcome.model).join(", ");
  return { passed, line: `GPU check FAILED: ${counts}${names ? `; failed: ${names}` : ""}` };
}
