/**
 * Image decoding and resizing: PNG and JPEG files to RGB bytes, and the
 * area-interpolated stretch to the square puzzle size.
 *
 * @module
 */
import jpegCodec from "imagescript/wasm/node/jpeg.js";
import pngCodec from "imagescript/wasm/node/png.js";

/** Image formats this project decodes. */
export type ImageFormat = "png" | "jpeg";

/** A decoded image, whose `rgb` contains `[height, width, 3]` bytes, row-major. */
export interface DecodedImage {
  width: number;
  height: number;
  rgb: Uint8Array;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

/** Bytes {@linkcode detectImageFormat} needs to recognise a format. */
export const MAGIC_BYTES = PNG_SIGNATURE.length;

/** Detects PNG or JPEG from the first bytes of a file, or returns null for anything else. */
export function detectImageFormat(bytes: Uint8Array): ImageFormat | null {
  const startsWith = (signature: number[]) =>
    bytes.length >= signature.length && signature.every((byte, i) => bytes[i] === byte);
  if (startsWith(PNG_SIGNATURE)) return "png";
  if (startsWith(JPEG_SIGNATURE)) return "jpeg";
  return null;
}

/** A JPEG decoded by imagescript's codec: `format` 0 is grayscale, 1 RGB, 2 CMYK. */
interface JpegFrame {
  width: number;
  height: number;
  format: number;
  buffer: Uint8Array;
}

/** A PNG decoded by imagescript's codec, always RGBA. */
interface PngFrame {
  width: number;
  height: number;
  framebuffer: Uint8Array;
}

interface Decoders {
  jpeg: { decode(bytes: Uint8Array): JpegFrame };
  png: { decode(bytes: Uint8Array): PngFrame };
}

// imagescript's `Image.decode` instantiates a codec per call and copies pixels one
// at a time, which made decoding a 640×640 JPEG about five times slower in a quick
// measurement, so its codecs are used directly, one instance per thread.
let decoders: Promise<Decoders> | null = null;

/**
 * Loads the WebAssembly codecs once per thread. {@linkcode decodeImage} calls it.
 * Call it first to tell a broken installation apart from a broken file.
 */
export function loadDecoders(): Promise<Decoders> {
  decoders ??= Promise.all([jpegCodec.init(), pngCodec.init()]).then(([jpeg, png]) => ({ jpeg, png }));
  return decoders;
}

/**
 * Decodes a PNG or JPEG file, chosen by its magic bytes whatever its extension, to
 * RGB: grayscale becomes three equal channels and alpha is dropped (not composited).
 * CMYK JPEGs are converted as imagescript 1.3 does, treating the channels as
 * inverted (Adobe) CMYK. `name` identifies the file in error messages.
 *
 * NOTE: EXIF orientation is not applied, so pixels keep their stored order.
 *
 * @throws {Error} if the bytes are not PNG or JPEG, or the decoder fails.
 */
export async function decodeImage(bytes: Uint8Array, name: string): Promise<DecodedImage> {
  const format = detectImageFormat(bytes);
  if (format === null) {
    const head = Array.from(bytes.subarray(0, 4), (byte) => byte.toString(16).padStart(2, "0")).join(" ");
    throw new Error(`Cannot decode ${name}: not a PNG or JPEG file (starts with bytes ${head || "none"})`);
  }

  const { jpeg, png } = await loadDecoders();
  try {
    if (format === "png") {
      const frame = png.decode(bytes);
      return {
        width: frame.width,
        height: frame.height,
        rgb: rgbaToRgb(frame.framebuffer, frame.width * frame.height),
      };
    }
    const frame = jpeg.decode(bytes);
    return { width: frame.width, height: frame.height, rgb: jpegToRgb(frame) };
  } catch (error) {
    throw new Error(`Cannot decode ${name}: invalid ${format.toUpperCase()} data (${errorText(error)})`, {
      cause: error,
    });
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function rgbaToRgb(rgba: Uint8Array, pixels: number): Uint8Array {
  const rgb = new Uint8Array(pixels * 3);
  for (let pixel = 0, src = 0, dst = 0; pixel < pixels; pixel++, src += 4, dst += 3) {
    rgb[dst] = rgba[src];
    rgb[dst + 1] = rgba[src + 1];
    rgb[dst + 2] = rgba[src + 2];
  }
  return rgb;
}

function jpegToRgb(frame: JpegFrame): Uint8Array {
  const pixels = frame.width * frame.height;
  const { buffer } = frame;
  if (frame.format === 1) return buffer.subarray(0, pixels * 3);

  const rgb = new Uint8Array(pixels * 3);
  if (frame.format === 0) {
    for (let pixel = 0, dst = 0; pixel < pixels; pixel++, dst += 3) {
      rgb[dst] = rgb[dst + 1] = rgb[dst + 2] = buffer[pixel];
    }
    return rgb;
  }
  if (frame.format === 2) {
    const clamped = new Uint8ClampedArray(rgb.buffer);
    for (let pixel = 0, src = 0, dst = 0; pixel < pixels; pixel++, src += 4, dst += 3) {
      const keep = 1 - buffer[src + 3] / 255;
      clamped[dst] = 255 * (1 - buffer[src] / 255) * keep;
      clamped[dst + 1] = 255 * (1 - buffer[src + 1] / 255) * keep;
      clamped[dst + 2] = 255 * (1 - buffer[src + 2] / 255) * keep;
    }
    return rgb;
  }
  throw new Error(`unknown JPEG pixel format ${frame.format}`);
}

/** Source pixels covered by one destination pixel along one axis, with their area weights. */
interface AxisTaps {
  /** First source index of destination pixel d is `start[d]`. */
  start: Int32Array;
  /** Number of source pixels destination pixel d covers. */
  count: Int32Array;
  /** Weights, `maxTaps` per destination pixel, which sum to 1 for each pixel. */
  weights: Float64Array;
  maxTaps: number;
}

/**
 * Computes box-filter weights for resizing `source` pixels to `target` along one
 * axis: destination pixel d covers source interval [d·scale, (d+1)·scale) with
 * scale = source / target, and each source pixel weighs by the length it covers.
 */
function areaTaps(source: number, target: number): AxisTaps {
  const scale = source / target;
  const maxTaps = Math.ceil(scale) + 1;
  const start = new Int32Array(target);
  const count = new Int32Array(target);
  const weights = new Float64Array(target * maxTaps);

  for (let d = 0; d < target; d++) {
    const from = d * scale;
    const to = Math.min((d + 1) * scale, source);
    const first = Math.floor(from);
    let taps = 0;
    for (let s = first; s < to && taps < maxTaps; s++, taps++) {
      const covered = Math.min(s + 1, to) - Math.max(s, from);
      weights[d * maxTaps + taps] = covered / scale;
    }
    start[d] = first;
    count[d] = taps;
  }
  return { start, count, weights, maxTaps };
}

/**
 * Stretches an RGB image (`[height, width, 3]` bytes) to `size × size` without
 * keeping the aspect ratio, by area interpolation like OpenCV's `INTER_AREA`: every
 * destination pixel is the mean of the source area it covers, weighted by coverage.
 * The filter is separable, so it runs along x, then along y.
 *
 * Along an enlarged axis a destination pixel covers part of one or two source
 * pixels and gets their coverage-weighted mean. OpenCV 4.x (`cv::hal::resize` in
 * `modules/imgproc/src/resize.cpp`) uses the same weights when both axes are
 * enlarged, but stores them in 11-bit fixed point for 8-bit images, so rounding
 * can differ.
 *
 * NOTE: when one axis shrinks and the other grows (a 2000×4 strip to 48×48), this
 * still averages by area along each axis. OpenCV uses its two-tap enlarging weights
 * on both axes in that case, which samples the shrinking axis instead of averaging it.
 *
 * @returns `[size, size, 3]` bytes, rounded to the nearest integer (ties to even).
 */
export function resizeArea(rgb: Uint8Array, width: number, height: number, size: number): Uint8Array {
  for (const [name, value] of [["width", width], ["height", height], ["size", size]] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`Invalid image ${name} ${value}: expected a positive integer`);
    }
  }
  if (rgb.length !== width * height * 3) {
    throw new RangeError(
      `Expected ${width * height * 3} RGB bytes for ${width}×${height}, got ${rgb.length}`,
    );
  }

  // Along x: [height, width, 3] → [height, size, 3].
  const columns = areaTaps(width, size);
  const rows = new Float64Array(height * size * 3);
  for (let y = 0; y < height; y++) {
    for (let d = 0; d < size; d++) {
      let r = 0, g = 0, b = 0;
      for (let k = 0; k < columns.count[d]; k++) {
        const weight = columns.weights[d * columns.maxTaps + k];
        const src = (y * width + columns.start[d] + k) * 3;
        r += weight * rgb[src];
        g += weight * rgb[src + 1];
        b += weight * rgb[src + 2];
      }
      const dst = (y * size + d) * 3;
      rows[dst] = r;
      rows[dst + 1] = g;
      rows[dst + 2] = b;
    }
  }

  // Along y: [height, size, 3] → [size, size, 3].
  const lines = areaTaps(height, size);
  const rowLength = size * 3;
  const sum = new Float64Array(rowLength);
  const out = new Uint8Array(size * rowLength);
  // A Uint8ClampedArray rounds stored values to the nearest integer (ties to even) and clamps them to 0..255.
  const outClamped = new Uint8ClampedArray(out.buffer);
  for (let d = 0; d < size; d++) {
    sum.fill(0);
    for (let k = 0; k < lines.count[d]; k++) {
      const weight = lines.weights[d * lines.maxTaps + k];
      const srcRow = (lines.start[d] + k) * rowLength;
      for (let i = 0; i < rowLength; i++) sum[i] += weight * rows[srcRow + i];
    }
    const dstRow = d * rowLength;
    for (let i = 0; i < rowLength; i++) outClamped[dstRow + i] = sum[i];
  }
  return out;
}
