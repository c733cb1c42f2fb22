import assert from "node:assert/strict";
import { mixKeys, Rng, Stream } from "./rng.ts";

function draws(rng: Rng, n = 8): number[] {
  return Array.from({ length: n }, () => rng.int(0, 1_000_000));
}

Deno.test("Rng.forKeys repeats for the same keys", () => {
  assert.deepEqual(draws(Rng.forKeys(1, Stream.trainOrder, 3)), draws(Rng.forKeys(1, Stream.trainOrder, 3)));
});

Deno.test("Rng.forKeys separates seeds, streams and indices", () => {
  const base = draws(Rng.forKeys(1, Stream.trainPermutation, 3, 10));
  assert.notDeepEqual(draws(Rng.forKeys(2, Stream.trainPermutation, 3, 10)), base);
  assert.notDeepEqual(draws(Rng.forKeys(1, Stream.testPermutation, 3, 10)), base);
  assert.notDeepEqual(draws(Rng.forKeys(1, Stream.trainPermutation, 4, 10)), base);
  assert.notDeepEqual(draws(Rng.forKeys(1, Stream.trainPermutation, 3, 11)), base);
});

Deno.test("mixKeys tells apart keys above 2^32", () => {
  assert.notEqual(mixKeys([1, 2 ** 32 + 5]), mixKeys([1, 5]));
  assert.throws(() => mixKeys([1.5]), { name: "RangeError", message: /1\.5/ });
});

Deno.test("Rng.fromState resumes the same sequence", () => {
  const rng = Rng.forKeys(5, Stream.init);
  draws(rng, 3);
  const copy = Rng.fromState(rng.state());
  assert.deepEqual(draws(copy), draws(rng));
});

Deno.test("Rng.permutation returns every index once", () => {
  const rng = Rng.forKeys(9, Stream.trainOrder, 1);
  for (const n of [0, 1, 2, 36, 1000]) {
    const perm = rng.permutation(n);
    assert.equal(perm.length, n);
    assert.deepEqual(Array.from(perm).sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
  }
});

Deno.test("Rng.permutation is roughly uniform", () => {
  // 24 permutations of 4 tiles, 24,000 draws: each count is 1000 ± a few standard deviations (~31).
  const rng = Rng.forKeys(3, Stream.testPermutation);
  const counts = new Map<string, number>();
  for (let i = 0; i < 24_000; i++) {
    const key = rng.permutation(4).join("");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  assert.equal(counts.size, 24);
  for (const [perm, count] of counts) {
    assert.ok(count > 850, `permutation ${perm} drawn ${count} times`);
    assert.ok(count < 1150, `permutation ${perm} drawn ${count} times`);
  }
});

Deno.test("Rng.float stays in [0, 1)", () => {
  const rng = Rng.forKeys(11, Stream.dropout);
  for (let i = 0; i < 10_000; i++) {
    const value = rng.float();
    assert.ok(value >= 0, `draw ${i} = ${value}`);
    assert.ok(value < 1, `draw ${i} = ${value}`);
  }
});
