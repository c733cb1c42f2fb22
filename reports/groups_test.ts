import assert from "node:assert/strict";
import { fakeRun } from "./_fake_runs.ts";
import { groupRuns, isReproduction } from "./groups.ts";

const DATE = new Date("2026-03-01T12:00:00Z");

Deno.test("groupRuns names one report per profile by date", () => {
  const groups = groupRuns([fakeRun("eot-2", 2, [90], { profile: "quick", dataset: "synthetic" })], DATE);

  assert.equal(groups.length, 1);
  assert.equal(groups[0].fileBase, "2026-03-01-quick");
  assert.equal(groups[0].isCoco, false);
});

Deno.test("groupRuns keeps profiles and datasets apart", () => {
  const runs = [
    fakeRun("eot-2", 2, [90], { profile: "smoke", dataset: "synthetic" }),
    fakeRun("eot-2", 2, [90], { profile: "quick", dataset: "synthetic" }),
    fakeRun("eot-2", 2, [90], { profile: "quick", dataset: "coco" }),
    fakeRun("eot-2", 3, [90], { profile: "paper", dataset: "coco" }),
  ];

  const groups = groupRuns(runs, DATE);

  assert.deepEqual(groups.map((group) => group.fileBase), [
    "2026-03-01-paper",
    "2026-03-01-quick-coco",
    "2026-03-01-quick-synthetic",
    "2026-03-01-smoke",
  ]);
  assert.deepEqual(groups.map((group) => group.runs.length), [1, 1, 1, 1]);
});

Deno.test("isReproduction needs the paper profile on COCO", () => {
  assert.equal(isReproduction({ profile: "paper", isCoco: true }), true);
  assert.equal(isReproduction({ profile: "paper", isCoco: false }), false);
  assert.equal(isReproduction({ profile: "quick", isCoco: true }), false);
  assert.equal(isReproduction({ profile: "smoke", isCoco: false }), false);
});
