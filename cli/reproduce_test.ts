import assert from "node:assert/strict";
import { join } from "node:path";
import { planRuns } from "../train/plan.ts";
import { PROFILES } from "../train/profiles.ts";
import { storedConfig } from "../train/_test_runs.ts";
import type { EpochRecord } from "../train/records.ts";
import { CONFIG_FILE, writeEpochRecords } from "../train/run_directory.ts";
import { writeJsonAtomic } from "../util/atomic.ts";
import { plural, runState } from "./reproduce.ts";

function job(runsDir: string, epochs = 2) {
  return planRuns({
    models: ["eot-2"],
    grids: [2],
    seeds: [0],
    profile: "smoke",
    training: () => ({ ...PROFILES.smoke.training, epochs }),
    modelOverrides: {},
    data: { kind: "synthetic", root: null, name: "synthetic", synthetic: { trainImages: 8, testImages: 4 } },
    runsDir,
  })[0];
}

async function writeRun(runDir: string, epochs: number, recorded: number): Promise<void> {
  const config = storedConfig(job(join(runDir, ".."), epochs));
  await Deno.mkdir(runDir, { recursive: true });
  await writeJsonAtomic(join(runDir, CONFIG_FILE), config);
  const records = Array.from({ length: recorded }, (_, i) => ({ epoch: i + 1 }) as EpochRecord);
  if (recorded > 0) await writeEpochRecords(runDir, records);
}

/** Runs `body` with a fresh runs folder, removed afterwards. */
async function withRunsDir(body: (runsDir: string) => Promise<void>): Promise<void> {
  const runsDir = await Deno.makeTempDir();
  try {
    await body(runsDir);
  } finally {
    await Deno.remove(runsDir, { recursive: true });
  }
}

Deno.test("runState separates new, partial and finished runs", async () => {
  await withRunsDir(async (runsDir) => {
    const planned = job(runsDir);
    assert.deepEqual(await runState(planned), { kind: "new" });

    await writeRun(planned.runDir, 2, 1);
    assert.deepEqual(await runState(planned), { kind: "partial", epochsDone: 1 });

    await writeRun(planned.runDir, 2, 2);
    assert.deepEqual(await runState(planned), { kind: "finished" });
  });
});

Deno.test("runState blocks a trained run of another configuration", async () => {
  await withRunsDir(async (runsDir) => {
    const planned = job(runsDir, 3);
    await writeRun(planned.runDir, 2, 2);

    const state = await runState(planned);

    assert.equal(state.kind, "blocked");
    assert.match((state as { reason: string }).reason, /training\.epochs: 2 → 3/);
  });
});

Deno.test("runState takes an untrained run of another configuration as new", async () => {
  await withRunsDir(async (runsDir) => {
    const planned = job(runsDir, 3);
    await writeRun(planned.runDir, 2, 0);

    assert.deepEqual(await runState(planned), { kind: "new" });
  });
});

Deno.test("runState blocks a run with a damaged config", async () => {
  await withRunsDir(async (runsDir) => {
    const planned = job(runsDir);
    await Deno.mkdir(planned.runDir, { recursive: true });
    await Deno.writeTextFile(join(planned.runDir, CONFIG_FILE), "{}");

    const state = await runState(planned);

    assert.equal(state.kind, "blocked");
    assert.match((state as { reason: string }).reason, /config\.json has no string field runName/);
  });
});

Deno.test("plural counts one run and several runs", () => {
  assert.equal(plural(1, "run"), "1 run");
  assert.equal(plural(3, "run"), "3 runs");
});
