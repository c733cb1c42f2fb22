import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { resizeArea } from "./images.ts";
import { renderSyntheticImage, syntheticImage } from "./synthetic.ts";

function meanAbsoluteDifference(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

Deno.test("syntheticImage repeats for the same arguments", () => {
  assert.deepEqual(syntheticImage("train", 7, 48), syntheticImage("train", 7, 48));
  const out = new Uint8Array(48 * 48 * 3);
  renderSyntheticImage("train", 7, 48, out);
  assert.deepEqual(out, syntheticImage("train", 7, 48));
});

Deno.test("syntheticImage keeps its pixels across versions", () => {
  // Runs compare across commits only if the dataset stays the same. These digests belong to
  // SYNTHETIC_GENERATOR 2: change them only together with that version.
  const digest = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
  assert.equal(
    digest(syntheticImage("train", 0, 32)),
    "ca2dc59795b11c75f636d3bf4583138cbe16a3f19c8dcb60c0493a30a63281b2",
  );
  assert.equal(
    digest(syntheticImage("test", 5, 48)),
    "778df912f73946a2135c296381c2b3fda2d57675134cab7da6cd5786309b15b8",
  );
});

Deno.test("syntheticImage is lit from above with vignetting", () => {
  const size = 32;
  const band = (rows: number[], columns: number[], image: Uint8Array) => {
    let sum = 0;
    for (const y of rows) {
      for (const x of columns) for (let c = 0; c < 3; c++) sum += image[(y * size + x) * 3 + c];
    }
    return sum / (rows.length * columns.length * 3);
  };
  const edge = [0, 1, 2, 3], middle = [14, 15, 16, 17], far = [28, 29, 30, 31];
  let topMinusBottom = 0, centreMinusCorners = 0;
  for (let index = 0; index < 64; index++) {
    const image = syntheticImage("train", index, size);
    topMinusBottom += band(edge, middle, image) - band(far, middle, image);
    centreMinusCorners += band(middle, middle, image) -
      (band(edge, edge, image) + band(edge, far, image) + band(far, edge, image) + band(far, far, image)) / 4;
  }

  assert.ok(topMinusBottom / 64 > 15, `top rows are only ${topMinusBottom / 64} levels brighter`);
  assert.ok(centreMinusCorners / 64 > 30, `the centre is only ${centreMinusCorners / 64} levels brighter`);
});

Deno.test("syntheticImage differs between train and test", () => {
  for (let index = 0; index < 20; index++) {
    const train = syntheticImage("train", index, 32);
    const test = syntheticImage("test", index, 32);
    assert.ok(meanAbsoluteDifference(train, test) > 10, `image ${index}`);
  }
});

Deno.test("syntheticImage differs between indices", () => {
  const first = syntheticImage("train", 0, 32);
  for (let index = 1; index < 20; index++) {
    assert.ok(meanAbsoluteDifference(first, syntheticImage("train", index, 32)) > 10, `image ${index}`);
  }
});

Deno.test("syntheticImage shows one scene at any size", () => {
  for (let index = 0; index < 5; index++) {
    const large = resizeArea(syntheticImage("train", index, 96), 96, 96, 48);
    const small = syntheticImage("train", index, 48);
    assert.ok(meanAbsoluteDifference(large, small) < 3, `image ${index}`);
  }
});

Deno.test("syntheticImage tiles are all distinct", () => {
  const grid = 6;
  const tile = 16;
  const side = grid * tile;
  for (let index = 0; index < 10; index++) {
    const image = syntheticImage("train", index, side);
    const tiles = new Set<string>();
    for (let t = 0; t < grid * grid; t++) {
      const top = Math.floor(t / grid) * tile;
      const left = (t % grid) * tile;
      const rows = Array.from({ length: tile }, (_, row) => {
        const start = ((top + row) * side + left) * 3;
        return image.subarray(start, start + tile * 3).join(",");
      });
      tiles.add(rows.join(";"));
    }
    assert.equal(tiles.size, grid * grid, `image ${index} repeats a tile`);
  }
});

Deno.test("syntheticImage seams match only true neighbours", () => {
  // Solvable puzzles need continuity: the right edge of a tile should resemble the
  // left edge of its true right neighbour more than that of a random other tile.
  const grid = 4;
  const tile = 16;
  const side = grid * tile;
  let trueSeams = 0;
  let falseSeams = 0;
  let pairs = 0;
  for (let index = 0; index < 20; index++) {
    const image = syntheticImage("train", index, side);
    const column = (x: number, top: number) =>
      Array.from({ length: tile * 3 }, (_, i) => image[((top + Math.floor(i / 3)) * side + x) * 3 + (i % 3)]);
    for (let row = 0; row < grid; row++) {
      for (let col = 0; col < grid - 1; col++) {
        const right = column((col + 1) * tile - 1, row * tile);
        const neighbour = column((col + 1) * tile, row * tile);
        const stranger = column(((col + 2) % grid) * tile, ((row + 1) % grid) * tile);
        trueSeams += meanAbsoluteDifference(Uint8Array.from(right), Uint8Array.from(neighbour));
        falseSeams += meanAbsoluteDifference(Uint8Array.from(right), Uint8Array.from(stranger));
        pairs++;
      }
    }
  }
  assert.ok(
    trueSeams / pairs < falseSeams / pairs / 3,
    `true seams ${trueSeams / pairs}, others ${falseSeams / pairs}`,
  );
});

Deno.test("syntheticImage rejects invalid arguments", () => {
  assert.throws(() => syntheticImage("val" as "train", 0, 32), { name: "RangeError", message: /"val"/ });
  assert.throws(() => syntheticImage("train", -1, 32), { name: "RangeError", message: /index -1/ });
  assert.throws(() => syntheticImage("train", 0, 0), { name: "RangeError", message: /size 0/ });
  assert.throws(() => renderSyntheticImage("train", 0, 32, new Uint8Array(10)), {
    name: "RangeError",
    message: /10 bytes/,
  });
});
