/**
 * The built-in synthetic dataset: procedurally generated RGB images that need no
 * download. Each image is a smooth colour field (a gradient plus low-frequency
 * waves) under a few discs, bands and striped patches, with anti-aliased edges.
 * The shapes span several tiles and the background changes across the whole image,
 * so the pieces of a puzzle fit together in one way only.
 *
 * Image `index` of a split is drawn from `Rng.forKeys(0, Stream.synthetic, splitId,
 * index)` whatever the run seed, so every run uses the same images. Train and test
 * use different split ids and therefore different images. A scene is defined in
 * coordinates relative to the image, so one image rendered at two sizes shows the
 * same picture.
 *
 * @module
 */
import { Rng, Stream } from "./rng.ts";

/**
 * Version of the generator, recorded with every run. Raise it whenever a change alters
 * the images, so runs made with the old ones are not taken as finished. Version 2 added
 * the light of a photograph (sky light and vignette).
 */
export const SYNTHETIC_GENERATOR = 2;

/** A split of the synthetic dataset. */
export type SyntheticSplit = "train" | "test";

/** Keys of the synthetic splits in the random stream. */
const SPLIT_IDS: Record<SyntheticSplit, number> = { train: 0, test: 1 };

type Color = [number, number, number];

/** A sinusoid of the background field, with frequencies in cycles per image side. */
interface Wave {
  frequencyX: number;
  frequencyY: number;
  phase: number;
  /** Amplitude per channel, in intensity levels (0..255 scale). */
  amplitude: Color;
}

interface Disc {
  kind: "disc";
  centerX: number;
  centerY: number;
  radius: number;
  color: Color;
  /** Direction and strength of the brightness ramp across the disc (a lit ball). */
  lightX: number;
  lightY: number;
}

interface Band {
  kind: "band";
  /** Unit normal of the band's centre line. */
  normalX: number;
  normalY: number;
  /** Distance of the centre line from the origin along the normal. */
  offset: number;
  halfWidth: number;
  color: Color;
}

interface StripedPatch {
  kind: "stripes";
  centerX: number;
  centerY: number;
  /** Unit vector across the stripes, which also orients the rectangular patch. */
  normalX: number;
  normalY: number;
  halfLength: number;
  halfWidth: number;
  /** Stripe cycles per image side. */
  frequency: number;
  phase: number;
  colorA: Color;
  colorB: Color;
}

type Shape = Disc | Band | StripedPatch;

interface Scene {
  gradientFrom: Color;
  gradientTo: Color;
  gradientX: number;
  gradientY: number;
  waves: Wave[];
  shapes: Shape[];
  /** Brightness added at the top edge and taken away at the bottom, in intensity levels. */
  skyLight: number;
  /** Brightness taken away at the corners, falling off with the squared distance from the centre. */
  vignette: number;
}

function randomColor(rng: Rng): Color {
  return [rng.float() * 255, rng.float() * 255, rng.float() * 255];
}

function range(rng: Rng, min: number, max: number): number {
  return min + (max - min) * rng.float();
}

function unitVector(rng: Rng): [number, number] {
  const angle = rng.float() * 2 * Math.PI;
  return [Math.cos(angle), Math.sin(angle)];
}

/** Draws the scene of one image. The order of draws defines the dataset, so keep it. */
function drawScene(rng: Rng): Scene {
  const [gradientX, gradientY] = unitVector(rng);
  const scene: Scene = {
    gradientFrom: randomColor(rng),
    gradientTo: randomColor(rng),
    gradientX,
    gradientY,
    waves: [],
    shapes: [],
    skyLight: 0,
    vignette: 0,
  };

  for (let i = 0; i < 3; i++) {
    scene.waves.push({
      frequencyX: range(rng, -2.5, 2.5),
      frequencyY: range(rng, -2.5, 2.5),
      phase: range(rng, 0, 2 * Math.PI),
      amplitude: [range(rng, -30, 30), range(rng, -30, 30), range(rng, -30, 30)],
    });
  }

  const shapeCount = rng.int(3, 7);
  for (let i = 0; i < shapeCount; i++) {
    const kind = rng.int(0, 2);
    if (kind === 0) {
      const [lightX, lightY] = unitVector(rng);
      const strength = range(rng, 0.1, 0.4);
      scene.shapes.push({
        kind: "disc",
        centerX: range(rng, -0.1, 1.1),
        centerY: range(rng, -0.1, 1.1),
        radius: range(rng, 0.08, 0.35),
        color: randomColor(rng),
        lightX: lightX * strength,
        lightY: lightY * strength,
      });
    } else if (kind === 1) {
      const [normalX, normalY] = unitVector(rng);
      // Put the centre line through a random point of the image, so the band crosses it.
      const offset = normalX * rng.float() + normalY * rng.float();
      scene.shapes.push({
        kind: "band",
        normalX,
        normalY,
        offset,
        halfWidth: range(rng, 0.02, 0.1),
        color: randomColor(rng),
      });
    } else {
      const [normalX, normalY] = unitVector(rng);
      scene.shapes.push({
        kind: "stripes",
        centerX: range(rng, 0.1, 0.9),
        centerY: range(rng, 0.1, 0.9),
        normalX,
        normalY,
        halfLength: range(rng, 0.15, 0.4),
        halfWidth: range(rng, 0.1, 0.3),
        frequency: range(rng, 4, 12),
        phase: range(rng, 0, 2 * Math.PI),
        colorA: randomColor(rng),
        colorB: randomColor(rng),
      });
    }
  }

  // Drawn last so that the scenes keep the shapes they had before the light was added.
  scene.skyLight = range(rng, 30, 80);
  scene.vignette = range(rng, 60, 120);
  return scene;
}

/** Renders `scene` into `out` (`[size, size, 3]` bytes). */
function renderScene(scene: Scene, size: number, out: Uint8Array): void {
  const canvas = new Float32Array(size * size * 3);
  paintBackground(scene, size, canvas);
  for (const shape of scene.shapes) {
    if (shape.kind === "disc") paintDisc(shape, size, canvas);
    else if (shape.kind === "band") paintBand(shape, size, canvas);
    else paintStripes(shape, size, canvas);
  }
  paintLight(scene, size, canvas);

  // A Uint8ClampedArray rounds stored values and clamps them to 0..255.
  new Uint8ClampedArray(out.buffer, out.byteOffset, canvas.length).set(canvas);
}

/** Pixel centre of index `i` in image coordinates [0, 1]. */
function center(i: number, size: number): number {
  return (i + 0.5) / size;
}

/** Paints a linear gradient along a random direction plus low-frequency waves. */
function paintBackground(scene: Scene, size: number, canvas: Float32Array): void {
  // sin(a·u + b·v + p) = sin(a·u + p)·cos(b·v) + cos(a·u + p)·sin(b·v), so each wave
  // needs only per-column and per-row tables instead of a sine per pixel.
  const tables = scene.waves.map((wave) => {
    const sinU = new Float64Array(size), cosU = new Float64Array(size);
    const sinV = new Float64Array(size), cosV = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const phaseU = 2 * Math.PI * wave.frequencyX * center(i, size) + wave.phase;
      const phaseV = 2 * Math.PI * wave.frequencyY * center(i, size);
      sinU[i] = Math.sin(phaseU);
      cosU[i] = Math.cos(phaseU);
      sinV[i] = Math.sin(phaseV);
      cosV[i] = Math.cos(phaseV);
    }
    return { sinU, cosU, sinV, cosV, amplitude: wave.amplitude };
  });

  const { gradientFrom: from, gradientTo: to } = scene;
  for (let y = 0; y < size; y++) {
    const v = center(y, size);
    for (let x = 0; x < size; x++) {
      const u = center(x, size);
      const t = Math.min(1, Math.max(0, 0.5 + (u - 0.5) * scene.gradientX + (v - 0.5) * scene.gradientY));
      let r = from[0] + t * (to[0] - from[0]);
      let g = from[1] + t * (to[1] - from[1]);
      let b = from[2] + t * (to[2] - from[2]);
      for (const table of tables) {
        const s = table.sinU[x] * table.cosV[y] + table.cosU[x] * table.sinV[y];
        r += s * table.amplitude[0];
        g += s * table.amplitude[1];
        b += s * table.amplitude[2];
      }
      const at = (y * size + x) * 3;
      canvas[at] = r;
      canvas[at + 1] = g;
      canvas[at + 2] = b;
    }
  }
}

/**
 * Adds the light of a photograph: brighter towards the top, as under the sky, and darker
 * towards the corners, as through a lens. Real photos carry these cues to where a tile
 * sat, and a model finds them early in training.
 */
function paintLight(scene: Scene, size: number, canvas: Float32Array): void {
  for (let y = 0; y < size; y++) {
    const v = center(y, size);
    for (let x = 0; x < size; x++) {
      const u = center(x, size);
      const shift = scene.skyLight * (0.5 - v) - 2 * scene.vignette * ((u - 0.5) ** 2 + (v - 0.5) ** 2);
      const at = (y * size + x) * 3;
      for (let c = 0; c < 3; c++) canvas[at + c] += shift;
    }
  }
}

/** Coverage of a pixel by a shape edge: 1 inside, 0 outside, a ramp one pixel wide across it. */
function coverage(signedDistance: number, size: number): number {
  return Math.min(1, Math.max(0, 0.5 - signedDistance * size));
}

/** Pixel indices from..to (exclusive) whose centres can lie within `[low, high]` plus one pixel. */
function pixelSpan(low: number, high: number, size: number): [number, number] {
  return [Math.max(0, Math.floor(low * size) - 1), Math.min(size, Math.ceil(high * size) + 1)];
}

function paintDisc(disc: Disc, size: number, canvas: Float32Array): void {
  const [x0, x1] = pixelSpan(disc.centerX - disc.radius, disc.centerX + disc.radius, size);
  const [y0, y1] = pixelSpan(disc.centerY - disc.radius, disc.centerY + disc.radius, size);
  for (let y = y0; y < y1; y++) {
    const dy = center(y, size) - disc.centerY;
    for (let x = x0; x < x1; x++) {
      const dx = center(x, size) - disc.centerX;
      const alpha = coverage(Math.sqrt(dx * dx + dy * dy) - disc.radius, size);
      if (alpha === 0) continue;
      const shade = 1 + (dx * disc.lightX + dy * disc.lightY) / disc.radius;
      const at = (y * size + x) * 3;
      for (let c = 0; c < 3; c++) canvas[at + c] += alpha * (disc.color[c] * shade - canvas[at + c]);
    }
  }
}

function paintBand(band: Band, size: number, canvas: Float32Array): void {
  for (let y = 0; y < size; y++) {
    const v = center(y, size);
    for (let x = 0; x < size; x++) {
      const distance = Math.abs(center(x, size) * band.normalX + v * band.normalY - band.offset);
      const alpha = coverage(distance - band.halfWidth, size);
      if (alpha === 0) continue;
      const at = (y * size + x) * 3;
      for (let c = 0; c < 3; c++) canvas[at + c] += alpha * (band.color[c] - canvas[at + c]);
    }
  }
}

function paintStripes(patch: StripedPatch, size: number, canvas: Float32Array): void {
  // The rectangle lies within the circle through its corners.
  const reach = Math.hypot(patch.halfLength, patch.halfWidth);
  const [x0, x1] = pixelSpan(patch.centerX - reach, patch.centerX + reach, size);
  const [y0, y1] = pixelSpan(patch.centerY - reach, patch.centerY + reach, size);
  for (let y = y0; y < y1; y++) {
    const dy = center(y, size) - patch.centerY;
    for (let x = x0; x < x1; x++) {
      const dx = center(x, size) - patch.centerX;
      const along = dx * patch.normalX + dy * patch.normalY;
      const across = -dx * patch.normalY + dy * patch.normalX;
      const outside = Math.max(Math.abs(along) - patch.halfLength, Math.abs(across) - patch.halfWidth);
      const alpha = coverage(outside, size);
      if (alpha === 0) continue;
      // Sinusoidal stripes have no hard edges, so they do not alias at small sizes.
      const mix = 0.5 + 0.5 * Math.sin(2 * Math.PI * patch.frequency * along + patch.phase);
      const at = (y * size + x) * 3;
      for (let c = 0; c < 3; c++) {
        const stripe = patch.colorA[c] + mix * (patch.colorB[c] - patch.colorA[c]);
        canvas[at + c] += alpha * (stripe - canvas[at + c]);
      }
    }
  }
}

function checkImageArguments(split: string, index: number, size: number): void {
  if (!(split in SPLIT_IDS)) {
    throw new RangeError(`Invalid synthetic split "${split}": expected "train" or "test"`);
  }
  if (!Number.isInteger(index) || index < 0) {
    throw new RangeError(`Invalid synthetic image index ${index}: expected a non-negative integer`);
  }
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`Invalid synthetic image size ${size}: expected a positive integer`);
  }
}

/**
 * Renders image `index` of a synthetic split into `out` (`[size, size, 3]` bytes),
 * the allocation-free form of {@linkcode syntheticImage}.
 */
export function renderSyntheticImage(
  split: SyntheticSplit,
  index: number,
  size: number,
  out: Uint8Array,
): void {
  checkImageArguments(split, index, size);
  if (out.length < size * size * 3) {
    throw new RangeError(`Output buffer of ${out.length} bytes is too small for a ${size}×${size} RGB image`);
  }
  renderScene(drawScene(Rng.forKeys(0, Stream.synthetic, SPLIT_IDS[split], index)), size, out);
}

/**
 * Returns image `index` of a synthetic split as `[size, size, 3]` RGB bytes. The
 * same arguments always give the same bytes.
 *
 * @example
 * ```ts
 * const rgb = syntheticImage("train", 0, 48); // 48×48 RGB, 6912 bytes
 * ```
 */
export function syntheticImage(split: SyntheticSplit, index: number, size: number): Uint8Array {
  checkImageArguments(split, index, size);
  const out = new Uint8Array(size * size * 3);
  renderSyntheticImage(split, index, size, out);
  return out;
}
