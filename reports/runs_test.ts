import assert from "node:assert/strict";
import { join } from "node:path";
import { writeFakeRun } from "./_fake_runs.ts";
import { gridLabel, loadRuns, runLabel, testCurve } from "./runs.ts";

Deno.test("loadRuns reads runs sorted by model, grid and seed", async () => {
  const runsDir = await Deno.makeTempDir();
  try {
    await writeFakeRun(runsDir, "trm-8", 3, [40, 90]);
    await writeFakeRun(runsDir, "eot-2", 4, [30, 50], { seed: 2 });
    await writeFakeRun(runsDir, "eot-2", 4, [30, 55], { seed: 1 });
    await writeFakeRun(runsDir, "eot-2", 3, [30], { epochs: 5 });

    const runs = await loadRuns(runsDir);

    assert.deepEqual(runs.map(runLabel), [
      "eot-2 3×3 seed 1",
      "eot-2 4×4 seed 1",
      "eot-2 4×4 seed 2",
      "trm-8 3×3 seed 1",
    ]);
    assert.deepEqual(runs.map((run) => run.finished), [false, true, true, true]);
    assert.deepEqual(testCurve(runs[3]).map((point) => point.accuracy), [40, 90]);
  } finally {
    await Deno.remove(runsDir, { recursive: true });
  }
});

Deno.test("loadRuns passes over folders without config.json", async () => {
  const runsDir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(runsDir, ".cache", "coco-P3"), { recursive: true });
    await writeFakeRun(runsDir, "eot-2", 2, [90]);

    const runs = await loadRuns(runsDir);

    assert.equal(runs.length, 1);
  } finally {
    await Deno.remove(runsDir, { recursive: true });
  }
});

Deno.test("loadRuns treats a run without metrics.json as unfinished", async () => {
  const runsDir = await Deno.makeTempDir();
  try {
    const directory = await writeFakeRun(runsDir, "eot-2", 2, [90]);
    await Deno.remove(join(directory, "metrics.json"));

    const [run] = await loadRuns(runsDir);

    assert.equal(run.records.length, 0);
    assert.equal(run.finished, false);
  } finally {
    await Deno.remove(runsDir, { recursive: true });
  }
});

Deno.test("loadRuns names a config.json that is not JSON", async () => {
  const runsDir = await Deno.makeTempDir();
  try {
    const directory = await writeFakeRun(runsDir, "eot-2", 2, [90]);
    await Deno.writeTextFile(join(directory, "config.json"), "{ not json");

    await assert.rejects(() => loadRuns(runsDir), (error: Error) => {
      assert.ok(error instanceof SyntaxError);
      assert.ok(error.message.includes(join(directory, "config.json")), error.message);
      return true;
    });
  } finally {
    await Deno.remove(runsDir, { recursive: true });
  }
});

Deno.test("loadRuns names a config.json without a model grid", async () => {
  const runsDir = await Deno.makeTempDir();
  try {
    const directory = await writeFakeRun(runsDir, "eot-2", 2, [90]);
    await Deno.writeTextFile(join(directory, "config.json"), JSON.stringify({ modelId: "eot-2", seed: 1 }));

    await assert.rejects(() => loadRuns(runsDir), {
      name: "SyntaxError",
      message: /config\.json has no string field runName/,
    });
  } finally {
    await Deno.remove(runsDir, { recursive: true });
  }
});

Deno.test("loadRuns names a metrics record without test accuracy", async () => {
  const runsDir = await Deno.makeTempDir();
  try {
    const directory = await writeFakeRun(runsDir, "eot-2", 2, [90]);
    await Deno.writeTextFile(join(directory, "metrics.json"), JSON.stringify([{ epoch: 1 }]));

    await assert.rejects(() => loadRuns(runsDir), {
      name: "SyntaxError",
      message: /record 0 has no numeric epoch/,
    });
  } finally {
    await Deno.remove(runsDir, { recursive: true });
  }
});

Deno.test("loadRuns rejects a missing folder with a hint", async () => {
  await assert.rejects(() => loadRuns("/nonexistent/runs"), {
    name: "NotFound",
    message: /Runs folder \/nonexistent\/runs not found; train first/,
  });
});

Deno.test("gridLabel writes P×P", () => {
  assert.equal(gridLabel(5), "5×5");
});
