import assert from "node:assert/strict";
import { encodePermutation } from "../data/fisher_yates.ts";
import { AccuracyTally } from "./accuracy.ts";

Deno.test("AccuracyTally counts offsets, positions and puzzles separately", () => {
  const tally = new AccuracyTally(4);
  const truth = encodePermutation([2, 0, 3, 1]); // offsets 2 1 1
  // One offset wrong at the last position swaps the last two tiles.
  const oneWrong = Int32Array.from([2, 1, 0]);
  tally.add(Int32Array.from([...truth, ...oneWrong]), Int32Array.from([...truth, ...truth]));

  const result = tally.result();
  assert.equal(result.patch, 5 / 6);
  assert.equal(result.position, 6 / 8);
  assert.equal(result.puzzle, 1 / 2);
  assert.equal(tally.puzzles, 2);
});

Deno.test("AccuracyTally rejects arrays that do not hold whole puzzles", () => {
  const tally = new AccuracyTally(4);
  assert.throws(() => tally.add(new Int32Array(4), new Int32Array(4)), RangeError);
});

Deno.test("AccuracyTally averages batch losses", () => {
  const tally = new AccuracyTally(4);
  assert.ok(Number.isNaN(tally.meanLoss));
  tally.addLoss(1);
  tally.addLoss(2);
  assert.equal(tally.meanLoss, 1.5);
});
