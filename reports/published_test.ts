import assert from "node:assert/strict";
import { STUDY_GRIDS, STUDY_MODELS } from "../models/config.ts";
import { chanceLevel, PUBLISHED_ACCURACY, publishedAccuracy, STUDY_CELL_COUNT } from "./published.ts";

Deno.test("published table has 35 cells", () => {
  assert.equal(STUDY_CELL_COUNT, 35);
  for (const modelId of STUDY_MODELS) assert.equal(PUBLISHED_ACCURACY[modelId].length, STUDY_GRIDS.length);
});

Deno.test("publishedAccuracy reads model and grid", () => {
  assert.equal(publishedAccuracy("eot-2", 2), 96.18);
  assert.equal(publishedAccuracy("eot-12", 5), 11.94);
  assert.equal(publishedAccuracy("trm-12", 6), 76.14);
});

Deno.test("publishedAccuracy rejects a grid outside the table", () => {
  assert.throws(() => publishedAccuracy("eot-2", 7), {
    name: "RangeError",
    message: /Grid 7 is not in the published table/,
  });
});

Deno.test("chanceLevel matches the study's chance levels", () => {
  const expected = [36.11, 22.86, 15.87, 11.73, 9.07];
  for (const [i, grid] of STUDY_GRIDS.entries()) {
    assert.equal(chanceLevel(grid).toFixed(2), expected[i].toFixed(2), `grid ${grid}`);
  }
});
