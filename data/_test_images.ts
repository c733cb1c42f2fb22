/**
 * Test helpers that encode small images in memory, so decoder tests need no fixture
 * files: grayscale, palette and 16-bit PNGs and single-channel JPEGs, which
 * imagescript cannot write, plus RGB PNGs and JPEGs through imagescript.
 *
 * @module
 */
import { Image } from "imagescript";

/** PNG colour types, as in the PNG specification's IHDR chunk. */
export const PngColorType = {
  gray: 0,
  rgb: 2,
  palette: 3,
  grayAlpha: 4,
  rgba: 6,
} as const;

/** Samples per pixel of each PNG colour type. */
const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const chunk = new Uint8Array(12 + data.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, data.length);
  chunk.set(new TextEncoder().encode(type), 4);
  chunk.set(data, 8);
  view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)));
  return chunk;
}

async function zlibCompress(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new CompressionStream("deflate"),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Encodes a PNG of any colour type at bit depth 8 or 16. `samples` lists the samples
 * row-major, 16-bit ones as numbers up to 65535. `palette` lists RGB triples for
 * colour type 3.
 */
export async function encodePng(
  width: number,
  height: number,
  colorType: number,
  bitDepth: 8 | 16,
  samples: ArrayLike<number>,
  palette?: Uint8Array,
): Promise<Uint8Array> {
  const channels = PNG_CHANNELS[colorType];
  const bytesPerSample = bitDepth / 8;
  const rowBytes = width * channels * bytesPerSample;
  if (samples.length !== width * height * channels) {
    throw new RangeError(`Expected ${width * height * channels} samples, got ${samples.length}`);
  }

  // Every row starts with filter type 0 (none).
  const raw = new Uint8Array(height * (rowBytes + 1));
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < width * channels; i++) {
      const value = samples[y * width * channels + i];
      const at = y * (rowBytes + 1) + 1 + i * bytesPerSample;
      if (bitDepth === 16) {
        raw[at] = value >>> 8;
        raw[at + 1] = value & 0xff;
      } else {
        raw[at] = value;
      }
    }
  }

  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([bitDepth, colorType, 0, 0, 0], 8);

  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    ...(palette ? [pngChunk("PLTE", palette)] : []),
    pngChunk("IDAT", await zlibCompress(raw)),
    pngChunk("IEND", new Uint8Array(0)),
  ];
  return concat(parts);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Writes bits MSB first, with the JPEG rule that every 0xFF byte is followed by a stuffed 0x00. */
class JpegBitWriter {
  readonly bytes: number[] = [];
  #current = 0;
  #used = 0;

  write(code: number, length: number): void {
    for (let bit = length - 1; bit >= 0; bit--) {
      this.#current = (this.#current << 1) | ((code >>> bit) & 1);
      this.#used++;
      if (this.#used === 8) this.#flushByte();
    }
  }

  /** Pads the last byte with 1 bits, as the JPEG standard requires. */
  finish(): void {
    while (this.#used !== 0) this.write(1, 1);
  }

  #flushByte(): void {
    this.bytes.push(this.#current);
    if (this.#current === 0xff) this.bytes.push(0x00);
    this.#current = 0;
    this.#used = 0;
  }
}

/** Builds the canonical Huffman codes from the code-length counts of a DHT segment. */
function huffmanCodes(counts: number[], symbols: number[]): Map<number, { code: number; length: number }> {
  const codes = new Map<number, { code: number; length: number }>();
  let code = 0;
  let next = 0;
  for (let length = 1; length <= 16; length++) {
    for (let i = 0; i < counts[length - 1]; i++) {
      codes.set(symbols[next++], { code, length });
      code++;
    }
    code <<= 1;
  }
  return codes;
}

/**
 * Encodes a single-channel (grayscale) baseline JPEG whose 8×8 blocks are flat, so
 * only DC coefficients are coded and decoding reproduces every level exactly.
 * `blockLevels` lists one gray level per block, row-major, for a
 * `(8·blocksWide) × (8·blocksHigh)` image.
 */
export function encodeFlatGrayJpeg(
  blocksWide: number,
  blocksHigh: number,
  blockLevels: number[],
): Uint8Array {
  // The luminance DC table from the JPEG standard, and an AC table with only the end-of-block symbol.
  const dcCounts = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
  const dcSymbols = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const acCounts = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  const acSymbols = [0x00];
  const dcCodes = huffmanCodes(dcCounts, dcSymbols);
  const endOfBlock = huffmanCodes(acCounts, acSymbols).get(0x00)!;

  const bits = new JpegBitWriter();
  let previous = 0;
  for (const level of blockLevels) {
    // With all quantisers 1 a flat block of level v has DC coefficient 8·(v − 128).
    const dc = 8 * (level - 128);
    const diff = dc - previous;
    previous = dc;
    const category = diff === 0 ? 0 : Math.floor(Math.log2(Math.abs(diff))) + 1;
    const { code, length } = dcCodes.get(category)!;
    bits.write(code, length);
    if (category > 0) bits.write(diff > 0 ? diff : diff + (1 << category) - 1, category);
    bits.write(endOfBlock.code, endOfBlock.length);
  }
  bits.finish();

  const width = 8 * blocksWide;
  const height = 8 * blocksHigh;
  const segment = (marker: number, payload: number[]) => [
    0xff,
    marker,
    (payload.length + 2) >> 8,
    (payload.length + 2) & 0xff,
    ...payload,
  ];
  return new Uint8Array([
    0xff,
    0xd8,
    ...segment(0xdb, [0x00, ...new Array(64).fill(1)]),
    ...segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]),
    ...segment(0xc4, [0x00, ...dcCounts, ...dcSymbols]),
    ...segment(0xc4, [0x10, ...acCounts, ...acSymbols]),
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    ...bits.bytes,
    0xff,
    0xd9,
  ]);
}

/** Encodes an RGB image (`[height, width, 3]` bytes) as an opaque PNG with imagescript. */
export async function encodeRgbPng(width: number, height: number, rgb: Uint8Array): Promise<Uint8Array> {
  return await rgbImage(width, height, rgb).encode();
}

/** Encodes an RGB image (`[height, width, 3]` bytes) as a JPEG with imagescript. */
export async function encodeRgbJpeg(
  width: number,
  height: number,
  rgb: Uint8Array,
  quality = 95,
): Promise<Uint8Array> {
  return await rgbImage(width, height, rgb).encodeJPEG(quality as Parameters<Image["encodeJPEG"]>[0]);
}

function rgbImage(width: number, height: number, rgb: Uint8Array): Image {
  const image = new Image(width, height);
  for (let i = 0; i < width * height; i++) {
    image.bitmap[4 * i] = rgb[3 * i];
    image.bitmap[4 * i + 1] = rgb[3 * i + 1];
    image.bitmap[4 * i + 2] = rgb[3 * i + 2];
    image.bitmap[4 * i + 3] = 255;
  }
  return image;
}
