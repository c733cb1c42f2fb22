/**
 * Checkpoints of a run: every learned parameter, batch-norm statistics, Adam moments
 * and step count, the random-stream position and the epoch records, in one binary
 * file guarded by a SHA-256 trailer.
 *
 * Layout of `checkpoint.bin`: the 8-byte magic `JIGSAWCK`, a uint32 header length
 * (little-endian), the header as UTF-8 JSON, the float32 payload, then the SHA-256 of
 * everything before it. Each save keeps the previous file as `checkpoint.prev.bin`, so
 * a checkpoint cut short by a crash is detected and the previous one is used.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { join } from "node:path";
import { writeFileAtomic } from "../util/atomic.ts";
import { createModel } from "../models/factory.ts";
import type { JigsawModel } from "../models/model.ts";
import type { EpochRecord, RunConfig } from "./records.ts";
import { readRunConfig } from "./run_directory.ts";

const MAGIC = new TextEncoder().encode("JIGSAWCK");
const DIGEST_BYTES = 32;

/** File name of the latest checkpoint in a run directory. */
export const CHECKPOINT_FILE = "checkpoint.bin";
/** File name of the checkpoint before it. */
export const PREVIOUS_CHECKPOINT_FILE = "checkpoint.prev.bin";

/** Position of the run's random streams; they are keyed by (seed, epoch, index), so this is enough. */
export interface RandomState {
  seed: number;
  /** The epoch whose streams are drawn next. */
  nextEpoch: number;
}

/** The non-tensor part of a checkpoint. */
export interface CheckpointMeta {
  /** Epochs completed. */
  epoch: number;
  /** Adam steps taken. */
  optimizerStep: number;
  random: RandomState;
  /** One record per completed epoch, so `metrics.json` can be rebuilt from the checkpoint alone. */
  records: EpochRecord[];
  /** Digest of the run's identity (`config.json` without environment fields). */
  configDigest: string;
}

interface TensorEntry {
  name: string;
  shape: number[];
  /** Offset into the payload, in float32 elements. */
  offset: number;
}

interface Header extends CheckpointMeta {
  format: 1;
  tensors: TensorEntry[];
}

/** A checkpoint read back from disk. */
export interface LoadedCheckpoint {
  meta: CheckpointMeta;
  /** Tensor values by name, float32. */
  tensors: Map<string, { shape: number[]; values: Float32Array }>;
  /** The file it was read from. */
  path: string;
  /** Problems with newer files that were passed over, one line each. */
  warnings: string[];
}

/** Serialises `meta` and `tensors` into the checkpoint format (reads tensor values back from the device). */
export async function encodeCheckpoint(
  meta: CheckpointMeta,
  tensors: ReadonlyMap<string, tf.Tensor>,
): Promise<Uint8Array<ArrayBuffer>> {
  const entries: TensorEntry[] = [];
  let total = 0;
  for (const [name, tensor] of tensors) {
    entries.push({ name, shape: tensor.shape, offset: total });
    total += tensor.size;
  }

  const payload = new Float32Array(total);
  for (const [index, tensor] of [...tensors.values()].entries()) {
    payload.set(await tensor.data() as Float32Array, entries[index].offset);
  }

  const header: Header = { format: 1, ...meta, tensors: entries };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  // Pad the header so the float32 payload starts 4-byte aligned.
  const headerLength = Math.ceil(headerBytes.length / 4) * 4;

  const bodyLength = MAGIC.length + 4 + headerLength + payload.byteLength;
  const bytes = new Uint8Array(bodyLength + DIGEST_BYTES);
  bytes.set(MAGIC, 0);
  new DataView(bytes.buffer).setUint32(MAGIC.length, headerLength, true);
  bytes.fill(0x20, MAGIC.length + 4, MAGIC.length + 4 + headerLength);
  bytes.set(headerBytes, MAGIC.length + 4);
  bytes.set(new Uint8Array(payload.buffer), MAGIC.length + 4 + headerLength);

  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes.subarray(0, bodyLength)));
  bytes.set(digest, bodyLength);
  return bytes;
}

/** Parses a checkpoint; throws a `SyntaxError` naming `path` when the file is truncated or corrupt. */
export async function decodeCheckpoint(
  bytes: Uint8Array<ArrayBuffer>,
  path: string,
): Promise<LoadedCheckpoint> {
  const corrupt = (what: string) =>
    new SyntaxError(`Checkpoint ${path} is unusable (${what}); it was probably cut short by a crash`);

  if (bytes.length < MAGIC.length + 4 + DIGEST_BYTES) throw corrupt(`only ${bytes.length} bytes`);
  if (!MAGIC.every((byte, i) => bytes[i] === byte)) throw corrupt("wrong magic bytes");

  const bodyLength = bytes.length - DIGEST_BYTES;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes.subarray(0, bodyLength)));
  if (!digest.every((byte, i) => bytes[bodyLength + i] === byte)) throw corrupt("checksum mismatch");

  const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(MAGIC.length, true);
  const payloadStart = MAGIC.length + 4 + headerLength;
  const header = JSON.parse(
    new TextDecoder().decode(bytes.subarray(MAGIC.length + 4, payloadStart)),
  ) as Header;
  if (header.format !== 1) throw corrupt(`unknown format ${header.format}`);

  // Copy so the payload is 4-byte aligned whatever the buffer's offset.
  const payload = new Float32Array(bytes.slice(payloadStart, bodyLength).buffer);
  const tensors = new Map<string, { shape: number[]; values: Float32Array }>();
  for (const entry of header.tensors) {
    const size = entry.shape.reduce((a, b) => a * b, 1);
    if (entry.offset + size > payload.length) throw corrupt(`tensor ${entry.name} runs past the payload`);
    tensors.set(entry.name, {
      shape: entry.shape,
      values: payload.subarray(entry.offset, entry.offset + size),
    });
  }

  const { format: _format, tensors: _entries, ...meta } = header;
  return { meta, tensors, path, warnings: [] };
}

/**
 * Saves a checkpoint into `runDir` atomically; the checkpoint it replaces becomes
 * `checkpoint.prev.bin`.
 */
export async function saveCheckpoint(
  runDir: string,
  meta: CheckpointMeta,
  tensors: ReadonlyMap<string, tf.Tensor>,
): Promise<void> {
  const bytes = await encodeCheckpoint(meta, tensors);
  const current = join(runDir, CHECKPOINT_FILE);
  const previous = join(runDir, PREVIOUS_CHECKPOINT_FILE);

  const staged = join(runDir, `${CHECKPOINT_FILE}.new`);
  await writeFileAtomic(staged, bytes);
  try {
    await Deno.rename(current, previous);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  await Deno.rename(staged, current);
}

/**
 * Loads the newest usable checkpoint of `runDir`: `checkpoint.bin`, or when it is
 * missing or corrupt `checkpoint.prev.bin` (with a warning). Returns null when the
 * run has no checkpoint; throws when checkpoints exist but none is usable.
 */
export async function loadCheckpoint(runDir: string): Promise<LoadedCheckpoint | null> {
  const warnings: string[] = [];
  let found = false;

  // A crash between the two renames of saveCheckpoint leaves only the staged file.
  for (const name of [CHECKPOINT_FILE, `${CHECKPOINT_FILE}.new`, PREVIOUS_CHECKPOINT_FILE]) {
    const path = join(runDir, name);
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = await Deno.readFile(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      throw error;
    }
    found = true;
    try {
      const loaded = await decodeCheckpoint(bytes, path);
      return { ...loaded, warnings };
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      warnings.push(`${error.message}; trying an older checkpoint`);
    }
  }

  if (!found) return null;
  throw new Error(
    `No usable checkpoint in ${runDir}: ${
      warnings.join("; ")
    }. Delete the run directory to train it from scratch`,
  );
}

/** Assigns saved values to `targets`; a missing or misshapen tensor is an error naming the file. */
export function restoreTensors(
  targets: ReadonlyMap<string, tf.Variable>,
  saved: ReadonlyMap<string, { shape: number[]; values: Float32Array }>,
  path: string,
): void {
  for (const [name, variable] of targets) {
    const entry = saved.get(name);
    if (!entry) {
      throw new Error(`Checkpoint ${path} lacks tensor ${name}; delete the run directory to start again`);
    }
    if (entry.shape.join("x") !== variable.shape.join("x")) {
      throw new Error(
        `Checkpoint ${path} has ${name} of shape [${entry.shape}] but the model expects [${variable.shape}]`,
      );
    }
    tf.tidy(() => variable.assign(tf.tensor(entry.values, entry.shape, variable.dtype)));
  }
}

/**
 * Loads a run's model with its latest weights and batch-norm statistics, for
 * evaluation and reports. Throws naming the run directory when it has no config or
 * no checkpoint.
 */
export async function loadRunModel(runDir: string): Promise<{ config: RunConfig; model: JigsawModel }> {
  const config = await readRunConfig(runDir);
  if (!config) throw new Error(`Run directory ${runDir} has no config.json; is it a run directory?`);
  const checkpoint = await loadCheckpoint(runDir);
  if (!checkpoint) {
    throw new Error(`Run directory ${runDir} has no checkpoint yet; train at least one epoch first`);
  }

  const model = createModel(config.model, config.seed);
  try {
    const targets = new Map<string, tf.Variable>();
    for (const [name, variable] of model.trainable) targets.set(`param.${name}`, variable);
    for (const [name, variable] of model.buffers) targets.set(`buffer.${name}`, variable);
    restoreTensors(targets, checkpoint.tensors, checkpoint.path);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return { config, model };
}
