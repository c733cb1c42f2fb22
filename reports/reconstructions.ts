/**
 * Draws reconstruction strips with imagescript: the shuffled puzzle, the model's
 * reconstruction after each macro-step, and the solved image, side by side, with
 * every wrongly placed tile framed in red.
 *
 * @module
 */
import { Image } from "imagescript";

/** One predicted reconstruction of a puzzle. */
export interface PredictedPermutation {
  /** Predicted permutation: position k of the shuffled puzzle holds original tile `permutation[k]`. */
  permutation: ArrayLike<number>;
}

/** A puzzle and its predictions, as {@linkcode drawReconstructionStrip} takes them. */
export interface StripInput {
  /** Tiles in shuffled order, float32 `[S, T, T, 3]` with values in [0, 1]. */
  tiles: Float32Array;
  /** Grid size P; `S = P²`. */
  grid: number;
  /** True permutation: position k holds original tile `permutation[k]`. */
  permutation: ArrayLike<number>;
  /** Predictions in order, for instance one per TRM macro-step, then an EOT's. */
  predictions: readonly PredictedPermutation[];
  /** Pixels per tile pixel (nearest neighbour). @default so that a panel is about 192 pixels wide */
  scale?: number;
}

/** Blank pixels around and between panels. */
export const STRIP_GAP = 8;

/** Side of a panel the default scale aims at, in pixels. */
const TARGET_PANEL_PIXELS = 192;

const RED = [220, 20, 20] as const;

/**
 * Returns the pixel size of a strip: `panels` panels of `P·T·scale` pixels square,
 * with {@linkcode STRIP_GAP} pixels around and between them.
 */
export function stripSize(panels: number, panelSide: number): { width: number; height: number } {
  return { width: panels * panelSide + (panels + 1) * STRIP_GAP, height: panelSide + 2 * STRIP_GAP };
}

/** Returns the default scale of a P×P puzzle of T-pixel tiles: about 192 pixels per panel, at least 1. */
export function defaultScale(grid: number, tileSize: number): number {
  return Math.max(1, Math.round(TARGET_PANEL_PIXELS / (grid * tileSize)));
}

/**
 * Draws a strip of `predictions.length + 2` panels: the shuffled input, each prediction's
 * reconstruction (tile k placed where the prediction puts it, framed in red when that
 * is not where it belongs), and the solved image.
 */
export function drawReconstructionStrip(input: StripInput): Image {
  const { tiles, grid } = input;
  const tileCount = grid * grid;
  const tileSize = Math.round(Math.sqrt(tiles.length / (tileCount * 3)));
  if (tileCount * tileSize * tileSize * 3 !== tiles.length) {
    throw new RangeError(
      `Tiles of length ${tiles.length} do not form ${tileCount} square RGB tiles; expected [S, T, T, 3] with S = ${tileCount}`,
    );
  }
  validatePermutation(input.permutation, tileCount, "true permutation");
  input.predictions.forEach((prediction, i) =>
    validatePermutation(prediction.permutation, tileCount, `prediction ${i}`)
  );

  const scale = input.scale ?? defaultScale(grid, tileSize);
  const side = grid * tileSize * scale;
  const panels = input.predictions.length + 2;
  const { width, height } = stripSize(panels, side);
  const image = new Image(width, height);
  image.bitmap.fill(255);

  const identity = Array.from({ length: tileCount }, (_, k) => k);
  const layouts = [
    { placement: identity, marked: false },
    ...input.predictions.map((prediction) => ({
      placement: Array.from(prediction.permutation),
      marked: true,
    })),
    { placement: Array.from(input.permutation), marked: false },
  ];
  for (const [panel, layout] of layouts.entries()) {
    const left = STRIP_GAP + panel * (side + STRIP_GAP);
    for (let k = 0; k < tileCount; k++) {
      // Shuffled tile k shows original tile placement[k], so it goes to that cell of the grid.
      const cell = layout.placement[k];
      const x = left + (cell % grid) * tileSize * scale;
      const y = STRIP_GAP + Math.floor(cell / grid) * tileSize * scale;
      drawTile(image, tiles, k, tileSize, scale, x, y);
      if (layout.marked && cell !== input.permutation[k]) {
        drawFrame(image, x, y, tileSize * scale, Math.max(1, scale));
      }
    }
  }
  return image;
}

/** Draws a reconstruction strip (see {@linkcode drawReconstructionStrip}) and encodes it as PNG. */
export async function renderReconstructionStrip(input: StripInput): Promise<Uint8Array> {
  return await encodePng(drawReconstructionStrip(input));
}

/** Stacks images vertically, left-aligned, on white; the result is as wide as the widest. */
export function stackImages(images: readonly Image[]): Image {
  if (images.length === 0) throw new RangeError("Cannot stack an empty list of images");
  const width = Math.max(...images.map((image) => image.width));
  const height = images.reduce((sum, image) => sum + image.height, 0);
  const stacked = new Image(width, height);
  stacked.bitmap.fill(255);

  let top = 0;
  for (const image of images) {
    for (let y = 0; y < image.height; y++) {
      const row = image.bitmap.subarray(y * image.width * 4, (y + 1) * image.width * 4);
      stacked.bitmap.set(row, ((top + y) * width) * 4);
    }
    top += image.height;
  }
  return stacked;
}

/** Encodes an image as PNG with a fixed creation time, so equal images give equal files. */
export async function encodePng(image: Image): Promise<Uint8Array> {
  return await image.encode(1, { creationTime: 0, software: "jigsaw-bench report" });
}

function drawTile(
  image: Image,
  tiles: Float32Array,
  k: number,
  tileSize: number,
  scale: number,
  x: number,
  y: number,
) {
  const base = k * tileSize * tileSize * 3;
  for (let row = 0; row < tileSize * scale; row++) {
    for (let column = 0; column < tileSize * scale; column++) {
      const source = base + (Math.floor(row / scale) * tileSize + Math.floor(column / scale)) * 3;
      const target = ((y + row) * image.width + x + column) * 4;
      // The bitmap is a Uint8ClampedArray, so values outside [0, 1] clamp to 0 or 255.
      image.bitmap[target] = Math.round(tiles[source] * 255);
      image.bitmap[target + 1] = Math.round(tiles[source + 1] * 255);
      image.bitmap[target + 2] = Math.round(tiles[source + 2] * 255);
      image.bitmap[target + 3] = 255;
    }
  }
}

function drawFrame(image: Image, x: number, y: number, side: number, thickness: number) {
  for (let row = 0; row < side; row++) {
    for (let column = 0; column < side; column++) {
      const inside = row >= thickness && row < side - thickness && column >= thickness &&
        column < side - thickness;
      if (inside) continue;
      image.bitmap.set([...RED, 255], ((y + row) * image.width + x + column) * 4);
    }
  }
}

function validatePermutation(permutation: ArrayLike<number>, size: number, what: string) {
  const seen = new Set(Array.from(permutation));
  const valid = permutation.length === size && seen.size === size &&
    [...seen].every((value) => Number.isInteger(value) && value >= 0 && value < size);
  if (!valid) {
    throw new RangeError(
      `Invalid ${what} ${Array.from(permutation).join(" ")}: expected a permutation of 0..${size - 1}`,
    );
  }
}
