import assert from "node:assert/strict";
import { join } from "node:path";
import { acquireSweepLock, LOCK_FILE } from "./sweep_lock.ts";

const alive = () => true;
const ended = () => false;

Deno.test("acquireSweepLock rejects a second sweep", async () => {
  const runsDir = join(await Deno.makeTempDir(), "runs");
  const first = acquireSweepLock(runsDir, alive);

  assert.throws(() => acquireSweepLock(runsDir, alive), /Another sweep \(pid \d+.*--runs/);

  first.release();
  acquireSweepLock(runsDir, alive).release();
  await Deno.remove(runsDir, { recursive: true });
});

Deno.test("acquireSweepLock takes over an ended sweep's lock", async () => {
  const runsDir = await Deno.makeTempDir();
  const path = join(runsDir, LOCK_FILE);
  await Deno.writeTextFile(path, JSON.stringify({ pid: 99999999, hostname: Deno.hostname(), started: "x" }));

  const lock = acquireSweepLock(runsDir, ended);

  assert.equal(JSON.parse(await Deno.readTextFile(path)).pid, Deno.pid);
  assert.equal(lock.tookOverFrom, 99999999);
  lock.release();
  await assert.rejects(() => Deno.stat(path), Deno.errors.NotFound);
  await Deno.remove(runsDir, { recursive: true });
});

Deno.test("acquireSweepLock takes over an empty lock file", async () => {
  const runsDir = await Deno.makeTempDir();
  await Deno.writeTextFile(join(runsDir, LOCK_FILE), "");

  const lock = acquireSweepLock(runsDir, alive);

  lock.release();
  await Deno.remove(runsDir, { recursive: true });
});

Deno.test("acquireSweepLock rejects another machine's lock", async () => {
  const runsDir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    join(runsDir, LOCK_FILE),
    JSON.stringify({ pid: 1, hostname: "elsewhere", started: "2026-12-04T00:00:00Z" }),
  );

  assert.throws(() => acquireSweepLock(runsDir, ended), /pid 1 on elsewhere.*delete/);
  await Deno.remove(runsDir, { recursive: true });
});
