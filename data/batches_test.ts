import assert from "node:assert/strict";
import {
  batchCount,
  makeBatch,
  type Split,
  testPermutation,
  trainOrder,
  trainPermutation,
} from "./batches.ts";
import { encodePermutation } from "./fisher_yates.ts";
import { syntheticImage } from "./synthetic.ts";

/** Returns an in-memory split of synthetic training images. */
function memorySplit(count: number, side: number): Split & { images: Uint8Array[] } {
  const images = Array.from({ length: count }, (_, index) => syntheticImage("train", index, side));
  return {
    images,
    count,
    side,
    readImage(index, out) {
      out.set(images[index]);
    },
  };
}

Deno.test("makeBatch puts tile perm[k] at position k", () => {
  const grid = 3;
  const tileSize = 16;
  const side = grid * tileSize;
  const tiles = grid * grid;
  const split = memorySplit(6, side);
  const indices = [4, 0, 5];
  const permutations = indices.map((index) => trainPermutation(1, 1, index, tiles));

  const batch = makeBatch(split, indices, permutations, grid, tileSize);
  assert.equal(batch.tiles.length, indices.length * tiles * tileSize * tileSize * 3);

  for (let b = 0; b < indices.length; b++) {
    const image = split.images[indices[b]];
    for (let k = 0; k < tiles; k++) {
      const source = permutations[b][k];
      const top = Math.floor(source / grid) * tileSize;
      const left = (source % grid) * tileSize;
      for (let row = 0; row < tileSize; row++) {
        for (let col = 0; col < tileSize; col++) {
          for (let channel = 0; channel < 3; channel++) {
            const got = batch.tiles[(((b * tiles + k) * tileSize + row) * tileSize + col) * 3 + channel];
            const expected = image[((top + row) * side + left + col) * 3 + channel] / 255;
            if (got !== Math.fround(expected)) {
              assert.fail(
                `puzzle ${b} position ${k} row ${row} col ${col} channel ${channel}: ${got} vs ${expected}`,
              );
            }
          }
        }
      }
    }
  }
});

Deno.test("makeBatch encodes each permutation as offsets", () => {
  const split = memorySplit(3, 32);
  const permutations = [[3, 2, 1, 0], [0, 1, 2, 3], [2, 0, 3, 1]];
  const batch = makeBatch(split, [0, 1, 2], permutations, 2, 16);
  assert.deepEqual(Array.from(batch.offsets), [3, 1, 0, 0, 0, 0, 2, 1, 1]);
  for (let b = 0; b < 3; b++) {
    assert.deepEqual(batch.offsets.subarray(b * 3, b * 3 + 3), encodePermutation(permutations[b]));
  }
});

Deno.test("makeBatch scales bytes to [0, 1]", () => {
  const split: Split = {
    count: 1,
    side: 4,
    readImage(_index, out) {
      for (let i = 0; i < 4 * 4 * 3; i++) out[i] = i % 2 === 0 ? 0 : 255;
    },
  };
  const batch = makeBatch(split, [0], [[0, 1, 2, 3]], 2, 2);
  assert.ok(batch.tiles.every((value) => value === 0 || value === 1));
  assert.equal(batch.tiles[0], 0);
  assert.equal(batch.tiles[1], 1);
});

Deno.test("makeBatch rejects mismatched inputs", () => {
  const split = memorySplit(2, 48);
  assert.throws(() => makeBatch(split, [0], [[0, 1, 2, 3]], 2, 16), {
    name: "RangeError",
    message: /48 px.*32 px/,
  });
  assert.throws(() => makeBatch(split, [0, 1], [Int32Array.from({ length: 9 }, (_, i) => i)], 3, 16), {
    name: "RangeError",
    message: /1 permutations for 2 images/,
  });
  assert.throws(() => makeBatch(split, [2], [Int32Array.from({ length: 9 }, (_, i) => i)], 3, 16), {
    name: "RangeError",
    message: /index 2 is outside 0..1/,
  });
  assert.throws(() => makeBatch(split, [0], [[0, 1, 2]], 3, 16), {
    name: "RangeError",
    message: /3 entries, expected 9/,
  });
  assert.throws(() => makeBatch(split, [0], [[0, 0, 1, 2, 3, 4, 5, 6, 7]], 3, 16), { name: "RangeError" });
});

Deno.test("trainOrder shuffles differently each epoch", () => {
  const first = trainOrder(0, 1, 100);
  assert.deepEqual(Array.from(first).sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i));
  assert.deepEqual(trainOrder(0, 1, 100), first);
  assert.notDeepEqual(trainOrder(0, 2, 100), first);
  assert.notDeepEqual(trainOrder(1, 1, 100), first);
});

Deno.test("trainPermutation ignores the order of draws", () => {
  // Whatever the worker count or batch order, image i of epoch e gets the same permutation.
  const forward = Array.from({ length: 50 }, (_, index) => trainPermutation(3, 2, index, 25));
  const backward = Array.from({ length: 50 }, (_, i) => trainPermutation(3, 2, 49 - i, 25)).reverse();
  assert.deepEqual(backward, forward);
});

Deno.test("trainPermutation changes with epoch and image", () => {
  const base = trainPermutation(3, 2, 10, 25);
  assert.notDeepEqual(trainPermutation(3, 3, 10, 25), base);
  assert.notDeepEqual(trainPermutation(3, 2, 11, 25), base);
  assert.notDeepEqual(trainPermutation(4, 2, 10, 25), base);
  assert.deepEqual(Array.from(base).sort((a, b) => a - b), Array.from({ length: 25 }, (_, i) => i));
});

Deno.test("testPermutation is fixed per seed and image", () => {
  assert.deepEqual(testPermutation(0, 5, 16), testPermutation(0, 5, 16));
  assert.notDeepEqual(testPermutation(0, 6, 16), testPermutation(0, 5, 16));
  assert.notDeepEqual(testPermutation(1, 5, 16), testPermutation(0, 5, 16));
  // The test stream is separate from the training stream of any epoch.
  assert.notDeepEqual(testPermutation(0, 5, 16), trainPermutation(0, 0, 5, 16));
});

Deno.test("batchCount drops the incomplete batch", () => {
  assert.equal(batchCount(1000, 128), 7);
  assert.equal(batchCount(1024, 128), 8);
  assert.equal(batchCount(127, 128), 0);
  assert.throws(() => batchCount(10, 0), { name: "RangeError", message: /batch size 0/ });
});
