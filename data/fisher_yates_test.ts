import assert from "node:assert/strict";
import { decodeOffsets, encodePermutation } from "./fisher_yates.ts";
import { Rng } from "./rng.ts";

/** Permutation → offsets pairs from the study's label specification. */
const VECTORS: [string, string][] = [
  ["0 1 2 3", "0 0 0"],
  ["3 2 1 0", "3 1 0"],
  ["1 2 3 0", "1 1 1"],
  ["2 0 3 1", "2 1 1"],
  ["3 0 7 2 4 6 1 5 8", "3 2 5 4 0 1 1 0"],
  ["6 7 2 3 0 1 8 4 5", "6 6 0 0 2 2 2 1"],
  [
    "18 8 23 7 4 1 19 22 5 14 0 12 16 2 21 10 3 13 17 20 6 15 11 24 9",
    "18 7 21 4 0 3 13 15 0 5 8 1 4 10 7 3 6 6 5 1 0 2 0 1",
  ],
];

const numbers = (text: string) => text.split(" ").map(Number);

Deno.test("encodePermutation matches the test vectors", () => {
  for (const [perm, offsets] of VECTORS) {
    assert.deepEqual(Array.from(encodePermutation(numbers(perm))), numbers(offsets), `permutation ${perm}`);
  }
});

Deno.test("decodeOffsets matches the test vectors", () => {
  for (const [perm, offsets] of VECTORS) {
    assert.deepEqual(Array.from(decodeOffsets(numbers(offsets))), numbers(perm), `offsets ${offsets}`);
  }
});

Deno.test("decodeOffsets inverts encodePermutation up to 36 tiles", () => {
  const rng = Rng.forKeys(2024, 99);
  for (let tiles = 1; tiles <= 36; tiles++) {
    for (let trial = 0; trial < 20; trial++) {
      const perm = rng.permutation(tiles);
      const offsets = encodePermutation(perm);
      assert.equal(offsets.length, tiles - 1);
      offsets.forEach((offset, i) => {
        assert.ok(offset >= 0, `offset ${i} = ${offset}`);
        assert.ok(offset <= tiles - 1 - i, `offset ${i} = ${offset}`);
      });
      assert.deepEqual(decodeOffsets(offsets, tiles), perm);
    }
  }
});

Deno.test("decodeOffsets gives a permutation for any in-range offsets", () => {
  const rng = Rng.forKeys(7, 7);
  for (let trial = 0; trial < 200; trial++) {
    const tiles = rng.int(2, 36);
    const offsets = Int32Array.from({ length: tiles - 1 }, (_, i) => rng.int(0, tiles - 1 - i));
    const perm = decodeOffsets(offsets);
    assert.deepEqual(Array.from(perm).sort((a, b) => a - b), Array.from({ length: tiles }, (_, i) => i));
    assert.deepEqual(encodePermutation(perm), offsets);
  }
});

Deno.test("encodePermutation rejects a repeated tile", () => {
  assert.throws(() => encodePermutation([0, 1, 1]), { name: "RangeError", message: /0 1 1/ });
  assert.throws(() => encodePermutation([0, 3, 1]), { name: "RangeError" });
});

Deno.test("decodeOffsets rejects an offset out of range", () => {
  assert.throws(() => decodeOffsets([0, 2]), { name: "RangeError", message: /Offset 1 is 2/ });
  assert.throws(() => decodeOffsets([0, 0], 4), { name: "RangeError", message: /Expected 3 offsets/ });
});
