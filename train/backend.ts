/**
 * Chooses and starts the tfjs backend: WebGPU through Deno's built-in
 * `navigator.gpu` first, then WASM, then the plain CPU backend, and describes
 * what was actually started so every run records it.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-webgpu";
import { getThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import type { BackendInfo } from "./records.ts";

/** Backend names accepted by `--backend`. */
export const BACKEND_CHOICES = ["auto", "webgpu", "wasm", "cpu"] as const;

/** A backend name accepted by `--backend`. */
export type BackendChoice = typeof BACKEND_CHOICES[number];

/** Result of {@linkcode selectBackend}: the backend started and the reason. */
export interface BackendSelection {
  /** The backend in use. */
  info: BackendInfo;
  /** One line for the log: what runs, on which adapter, and why it was chosen. */
  message: string;
}

// The WASM binaries ship inside the npm package; Deno's `nodeModulesDir: "auto"` puts them here.
const WASM_DIRECTORY = new URL("../node_modules/@tensorflow/tfjs-backend-wasm/dist/", import.meta.url).href;

const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|softpipe|swiftshader|warp|software/i;

/** A WebGPU adapter as seen before tfjs starts on it. */
export interface AdapterProbe {
  /** Adapter description, or null when none was found. */
  description: string | null;
  /** Whether it is a software rasteriser. */
  isSoftware: boolean;
  /** Reason no adapter is available, or null when one is. */
  failure: string | null;
}

/** Looks for a WebGPU adapter without starting tfjs on it. */
export async function probeWebGpu(): Promise<AdapterProbe> {
  const gpu = (globalThis.navigator as { gpu?: GPU } | undefined)?.gpu;
  if (!gpu) return { description: null, isSoftware: false, failure: "navigator.gpu is not available" };

  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  } catch (error) {
    return { description: null, isSoftware: false, failure: `requestAdapter failed: ${errorText(error)}` };
  }
  if (!adapter) return { description: null, isSoftware: false, failure: "no WebGPU adapter was found" };

  const info = adapter.info;
  const description = [info.description, info.vendor && `vendor ${info.vendor}`, info.architecture]
    .filter((part) => part).join(", ") || "unnamed adapter";
  const fallback = (info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  return { description, isSoftware: fallback || SOFTWARE_ADAPTER.test(description), failure: null };
}

/**
 * Starts the requested backend and returns it. `auto` takes WebGPU on a hardware adapter,
 * else WASM, else CPU, and reports the reason. An explicit choice that cannot start throws.
 */
export async function selectBackend(choice: BackendChoice): Promise<BackendSelection> {
  // PROD skips tfjs debug checks and its "install tfjs-node" banner, which does not apply to Deno.
  tf.env().set("PROD", true);

  if (choice === "webgpu") return await startWebGpu();
  if (choice === "wasm") return await startWasm("requested with --backend wasm");
  if (choice === "cpu") return await startCpu("requested with --backend cpu");

  const probe = await probeWebGpu();
  if (probe.description && !probe.isSoftware) {
    try {
      return await startWebGpu();
    } catch (error) {
      return await startFallback(`WebGPU failed to start on ${probe.description}: ${errorText(error)}`);
    }
  }
  const reason = probe.description
    ? `the only WebGPU adapter is a software one (${probe.description}), slower than WASM`
    : `WebGPU unavailable: ${probe.failure}`;
  return await startFallback(reason);
}

async function startFallback(reason: string): Promise<BackendSelection> {
  try {
    return await startWasm(`auto: ${reason}`);
  } catch (error) {
    return await startCpu(`auto: ${reason}; WASM failed too: ${errorText(error)}`);
  }
}

async function startWebGpu(): Promise<BackendSelection> {
  const probe = await probeWebGpu();
  if (!probe.description) {
    throw new Error(`WebGPU backend cannot start: ${probe.failure}. Use --backend wasm or cpu`);
  }

  const started = await tf.setBackend("webgpu");
  if (!started || tf.getBackend() !== "webgpu") {
    throw new Error(`WebGPU backend failed to start on ${probe.description}. Use --backend wasm or cpu`);
  }
  await tf.ready();

  const info: BackendInfo = {
    name: "webgpu",
    adapter: probe.description,
    isSoftware: probe.isSoftware,
    threads: null,
  };
  const kind = probe.isSoftware ? "software adapter" : "hardware adapter";
  return { info, message: `backend webgpu on ${probe.description} (${kind})` };
}

async function startWasm(reason: string): Promise<BackendSelection> {
  setWasmPaths(WASM_DIRECTORY);
  const started = await tf.setBackend("wasm");
  if (!started || tf.getBackend() !== "wasm") {
    throw new Error(
      `WASM backend failed to start from ${WASM_DIRECTORY}. Run "deno install" or use --backend cpu`,
    );
  }
  await tf.ready();

  // NOTE: always 1 under Deno: the threaded WASM build starts worker_threads from a bare file
  // name, which Deno rejects with ERR_WORKER_PATH, so the backend cannot start with threads.
  const threads = getThreadsCount();
  const info: BackendInfo = { name: "wasm", adapter: null, isSoftware: false, threads };
  return { info, message: `backend wasm, ${threads} thread(s) (${reason})` };
}

async function startCpu(reason: string): Promise<BackendSelection> {
  await tf.setBackend("cpu");
  await tf.ready();
  const info: BackendInfo = { name: "cpu", adapter: null, isSoftware: false, threads: null };
  return { info, message: `backend cpu (${reason})` };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
