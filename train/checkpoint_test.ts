import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import {
  CHECKPOINT_FILE,
  type CheckpointMeta,
  decodeCheckpoint,
  encodeCheckpoint,
  loadCheckpoint,
  PREVIOUS_CHECKPOINT_FILE,
  saveCheckpoint,
} from "./checkpoint.ts";

await tf.setBackend("cpu");

function meta(epoch: number): CheckpointMeta {
  return {
    epoch,
    optimizerStep: epoch * 10,
    random: { seed: 3, nextEpoch: epoch + 1 },
    records: [],
    configDigest: "abc",
  };
}

function tensors(scale: number): Map<string, tf.Tensor> {
  return new Map<string, tf.Tensor>([
    ["param.weight", tf.tensor2d([[1, 2, 3], [4, 5, 6]].map((row) => row.map((v) => v * scale)))],
    ["buffer.mean", tf.tensor1d([0.5 * scale])],
  ]);
}

Deno.test("encodeCheckpoint round-trips names, shapes and values", async () => {
  const saved = tensors(2);
  const bytes = await encodeCheckpoint(meta(4), saved);
  const loaded = await decodeCheckpoint(bytes, "memory");

  assert.equal(loaded.meta.epoch, 4);
  assert.equal(loaded.meta.optimizerStep, 40);
  assert.deepEqual(loaded.meta.random, { seed: 3, nextEpoch: 5 });
  assert.deepEqual(loaded.tensors.get("param.weight")?.shape, [2, 3]);
  assert.deepEqual([...loaded.tensors.get("param.weight")!.values], [2, 4, 6, 8, 10, 12]);
  assert.deepEqual([...loaded.tensors.get("buffer.mean")!.values], [1]);
  saved.forEach((tensor) => tensor.dispose());
});

Deno.test("decodeCheckpoint rejects a truncated file naming it", async () => {
  const saved = tensors(1);
  const bytes = await encodeCheckpoint(meta(1), saved);
  saved.forEach((tensor) => tensor.dispose());

  await assert.rejects(
    () => decodeCheckpoint(bytes.subarray(0, bytes.length - 7), "/runs/x/checkpoint.bin"),
    (error: Error) => error instanceof SyntaxError && error.message.includes("/runs/x/checkpoint.bin"),
  );
});

Deno.test("decodeCheckpoint rejects a flipped payload byte", async () => {
  const saved = tensors(1);
  const bytes = await encodeCheckpoint(meta(1), saved);
  saved.forEach((tensor) => tensor.dispose());
  bytes[bytes.length - 40] ^= 0xff;

  await assert.rejects(() => decodeCheckpoint(bytes, "c.bin"), /checksum mismatch/);
});

Deno.test("loadCheckpoint falls back to the previous checkpoint when the latest is truncated", async () => {
  const runDir = await Deno.makeTempDir();
  try {
    const first = tensors(1);
    const second = tensors(2);
    await saveCheckpoint(runDir, meta(1), first);
    await saveCheckpoint(runDir, meta(2), second);
    first.forEach((tensor) => tensor.dispose());
    second.forEach((tensor) => tensor.dispose());

    const latest = join(runDir, CHECKPOINT_FILE);
    const bytes = await Deno.readFile(latest);
    await Deno.writeFile(latest, bytes.subarray(0, Math.floor(bytes.length / 2)));

    const loaded = await loadCheckpoint(runDir);
    assert.ok(loaded);
    assert.equal(loaded.meta.epoch, 1);
    assert.equal(loaded.path, join(runDir, PREVIOUS_CHECKPOINT_FILE));
    assert.equal(loaded.warnings.length, 1);
    assert.match(loaded.warnings[0], /checkpoint\.bin is unusable/);
  } finally {
    await Deno.remove(runDir, { recursive: true });
  }
});

Deno.test("loadCheckpoint returns null without checkpoints and throws when none is usable", async () => {
  const runDir = await Deno.makeTempDir();
  try {
    assert.equal(await loadCheckpoint(runDir), null);

    await Deno.writeTextFile(join(runDir, CHECKPOINT_FILE), "JIGSAWCK garbage");
    await assert.rejects(() => loadCheckpoint(runDir), /No usable checkpoint in .*Delete the run directory/);
  } finally {
    await Deno.remove(runDir, { recursive: true });
  }
});

Deno.test("saveCheckpoint keeps the earlier checkpoint as the previous one", async () => {
  const runDir = await Deno.makeTempDir();
  try {
    for (const epoch of [1, 2, 3]) {
      const saved = tensors(epoch);
      await saveCheckpoint(runDir, meta(epoch), saved);
      saved.forEach((tensor) => tensor.dispose());
    }
    const previous = await decodeCheckpoint(
      await Deno.readFile(join(runDir, PREVIOUS_CHECKPOINT_FILE)),
      "prev",
    );
    assert.equal(previous.meta.epoch, 2);
    const names = [...Deno.readDirSync(runDir)].map((entry) => entry.name).sort();
    assert.deepEqual(names, [CHECKPOINT_FILE, PREVIOUS_CHECKPOINT_FILE]);
  } finally {
    await Deno.remove(runDir, { recursive: true });
  }
});
