import assert from "node:assert/strict";
import { Image } from "imagescript";
import {
  defaultScale,
  drawReconstructionStrip,
  renderReconstructionStrip,
  stackImages,
  STRIP_GAP,
  stripSize,
} from "./reconstructions.ts";

/** Tiles `[S, T, T, 3]` where tile k is a flat grey of level k / S. */
function greyTiles(grid: number, tileSize: number): Float32Array {
  const tiles = grid * grid;
  const values = new Float32Array(tiles * tileSize * tileSize * 3);
  for (let k = 0; k < tiles; k++) {
    values.fill(k / tiles, k * tileSize * tileSize * 3, (k + 1) * tileSize * tileSize * 3);
  }
  return values;
}

function pixel(image: Image, x: number, y: number): number[] {
  const index = (y * image.width + x) * 4;
  return Array.from(image.bitmap.subarray(index, index + 4));
}

Deno.test("renderReconstructionStrip encodes a PNG of the expected size", async () => {
  const png = await renderReconstructionStrip({
    tiles: greyTiles(3, 16),
    grid: 3,
    permutation: [2, 0, 1, 5, 4, 3, 8, 6, 7],
    predictions: [{ permutation: [0, 1, 2, 3, 4, 5, 6, 7, 8] }, { permutation: [2, 0, 1, 5, 4, 3, 8, 6, 7] }],
    scale: 4,
  });

  const image = await Image.decode(png);
  // Four panels of 3 · 16 · 4 = 192 pixels: input, two predictions, solution.
  assert.equal(image.width, 4 * 192 + 5 * STRIP_GAP);
  assert.equal(image.height, 192 + 2 * STRIP_GAP);
  assert.deepEqual(stripSize(4, 192), { width: image.width, height: image.height });
});

Deno.test("drawReconstructionStrip frames wrongly placed tiles in red", () => {
  const grid = 2;
  const scale = 2;
  const side = grid * 16 * scale;
  // Position 0 holds original tile 1 and position 1 holds tile 0; the prediction swaps them back wrongly.
  const image = drawReconstructionStrip({
    tiles: greyTiles(grid, 16),
    grid,
    permutation: [1, 0, 2, 3],
    predictions: [{ permutation: [0, 1, 2, 3] }],
    scale,
  });

  const predictionLeft = STRIP_GAP + side + STRIP_GAP;
  const red = [220, 20, 20, 255];
  assert.deepEqual(pixel(image, predictionLeft, STRIP_GAP), red, "top-left tile is wrong and framed");
  assert.deepEqual(
    pixel(image, predictionLeft + 16 * scale, STRIP_GAP),
    red,
    "top-right tile is wrong and framed",
  );
  assert.notDeepEqual(pixel(image, predictionLeft, STRIP_GAP + 16 * scale), red, "bottom-left tile is right");
  // The solved panel shows original tile 0 (shuffled position 1, grey 1/4) at the top left, unframed.
  const solvedLeft = STRIP_GAP + 2 * (side + STRIP_GAP);
  assert.deepEqual(pixel(image, solvedLeft, STRIP_GAP), [64, 64, 64, 255]);
});

Deno.test("drawReconstructionStrip shows the shuffled input unchanged", () => {
  const image = drawReconstructionStrip({
    tiles: greyTiles(2, 16),
    grid: 2,
    permutation: [3, 2, 1, 0],
    predictions: [],
    scale: 1,
  });

  // Shuffled position 3 (bottom right) has grey level 3/4.
  assert.deepEqual(pixel(image, STRIP_GAP + 16, STRIP_GAP + 16), [191, 191, 191, 255]);
  assert.deepEqual(pixel(image, 0, 0), [255, 255, 255, 255]);
});

Deno.test("drawReconstructionStrip rejects tiles of the wrong length", () => {
  assert.throws(
    () =>
      drawReconstructionStrip({
        tiles: new Float32Array(10),
        grid: 2,
        permutation: [0, 1, 2, 3],
        predictions: [],
      }),
    { name: "RangeError", message: /do not form 4 square RGB tiles/ },
  );
});

Deno.test("drawReconstructionStrip rejects an invalid prediction", () => {
  assert.throws(
    () =>
      drawReconstructionStrip({
        tiles: greyTiles(2, 16),
        grid: 2,
        permutation: [0, 1, 2, 3],
        predictions: [{ permutation: [0, 0, 2, 3] }],
      }),
    { name: "RangeError", message: /Invalid prediction 0 0 0 2 3/ },
  );
});

Deno.test("defaultScale makes a 16-pixel tile at least 32 pixels", () => {
  for (const grid of [2, 3, 4, 5, 6]) assert.ok(defaultScale(grid, 16) >= 2, `grid ${grid}`);
  assert.equal(defaultScale(2, 16), 6);
});

Deno.test("stackImages stacks rows left-aligned", () => {
  const wide = new Image(10, 2);
  wide.bitmap.fill(0);
  const narrow = new Image(4, 3);
  narrow.bitmap.fill(100);

  const stacked = stackImages([wide, narrow]);

  assert.equal(stacked.width, 10);
  assert.equal(stacked.height, 5);
  assert.deepEqual(pixel(stacked, 9, 1), [0, 0, 0, 0]);
  assert.deepEqual(pixel(stacked, 3, 2), [100, 100, 100, 100]);
  assert.deepEqual(pixel(stacked, 4, 2), [255, 255, 255, 255]);
});
