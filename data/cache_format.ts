/**
 * The binary format of an image cache file and its validation.
 *
 * Layout (integers little-endian):
 *
 * | bytes | content |
 * |---|---|
 * | 0–7 | magic `JIGCACHE` |
 * | 8–11 | format version (uint32) |
 * | 12–15 | image side in pixels (uint32) |
 * | 16–19 | image count N (uint32) |
 * | 20–23 | metadata length in bytes (uint32) |
 * | 24–55 | source key: SHA-256 of the source listing and the settings |
 * | 56–87 | SHA-256 of the pixel data |
 * | 88–119 | SHA-256 of the metadata |
 * | 120–127 | zero |
 * | 128… | pixels, `uint8 [N, side, side, 3]` |
 * | then | metadata, UTF-8 JSON ({@linkcode CacheMetadata}) |
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { SourceFile } from "./listing.ts";

/** Version of the file layout and of the pixels in it. Bump it when either changes. */
export const CACHE_FORMAT_VERSION = 1;

/** Size of the fixed header in bytes. */
export const HEADER_BYTES = 128;

const MAGIC = new TextEncoder().encode("JIGCACHE");

/** Chunk size for checksum reads, in bytes. */
const READ_CHUNK_BYTES = 16 << 20;

/** The fixed header of a cache file. */
export interface CacheHeader {
  side: number;
  count: number;
  metadataLength: number;
  sourceKey: Uint8Array;
  pixelDigest: Uint8Array;
  metadataDigest: Uint8Array;
}

/** A file that has image magic bytes but could not be decoded. */
export interface SkippedFile {
  /** Path relative to the split folder. */
  path: string;
  /** Decoder error message. */
  reason: string;
}

/** Metadata of a cache file: where its images came from and which files were left out. */
export interface CacheMetadata {
  /** Absolute path of the split folder the cache was built from. */
  folder: string;
  side: number;
  /** The image limit the cache was built with, or null for all images. */
  maxImages: number | null;
  /** Source path of each cached image, relative to the folder, in cache order. */
  images: string[];
  /** Undecodable files, left out of the cache. */
  skipped: SkippedFile[];
  /** Files without PNG or JPEG magic bytes, which are not images. */
  ignored: string[];
}

/** Returns the SHA-256 of `bytes`. */
export function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(bytes).digest());
}

/**
 * Computes the key a cache must carry to be reused: a SHA-256 over the format
 * version, the image side, the image limit and every source file's path, size and
 * modification time. Any change to the source listing changes the key.
 */
export function sourceKey(files: readonly SourceFile[], side: number, maxImages: number | null): Uint8Array {
  const hash = createHash("sha256");
  hash.update(`jigsaw image cache v${CACHE_FORMAT_VERSION}\nside ${side}\nmax ${maxImages ?? "all"}\n`);
  for (const file of files) hash.update(`${file.path}\t${file.size}\t${file.mtimeMs}\n`);
  return new Uint8Array(hash.digest());
}

/** Encodes a header into {@linkcode HEADER_BYTES} bytes. */
export function encodeHeader(header: CacheHeader): Uint8Array {
  const bytes = new Uint8Array(HEADER_BYTES);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  view.setUint32(8, CACHE_FORMAT_VERSION, true);
  view.setUint32(12, header.side, true);
  view.setUint32(16, header.count, true);
  view.setUint32(20, header.metadataLength, true);
  bytes.set(header.sourceKey, 24);
  bytes.set(header.pixelDigest, 56);
  bytes.set(header.metadataDigest, 88);
  return bytes;
}

/** Decodes a header, or returns a description of what is wrong with it. */
export function decodeHeader(bytes: Uint8Array): CacheHeader | string {
  if (bytes.length < HEADER_BYTES) return `header is ${bytes.length} bytes, expected ${HEADER_BYTES}`;
  if (!MAGIC.every((byte, i) => bytes[i] === byte)) return "not an image cache file (wrong magic bytes)";
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const version = view.getUint32(8, true);
  if (version !== CACHE_FORMAT_VERSION) return `format version ${version}, expected ${CACHE_FORMAT_VERSION}`;
  return {
    side: view.getUint32(12, true),
    count: view.getUint32(16, true),
    metadataLength: view.getUint32(20, true),
    sourceKey: bytes.slice(24, 56),
    pixelDigest: bytes.slice(56, 88),
    metadataDigest: bytes.slice(88, 120),
  };
}

/** Returns the byte length of the pixel data of `count` images of `side` pixels. */
export function pixelBytes(count: number, side: number): number {
  return count * side * side * 3;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

async function readExactly(file: Deno.FsFile, out: Uint8Array): Promise<boolean> {
  let filled = 0;
  while (filled < out.length) {
    const read = await file.read(out.subarray(filled));
    if (read === null) return false;
    filled += read;
  }
  return true;
}

/** A cache file that passed {@linkcode verifyCacheFile}. */
export interface VerifiedCache {
  header: CacheHeader;
  metadata: CacheMetadata;
}

/**
 * Checks a cache file against the expected side and source key: header, exact
 * length, and the SHA-256 of metadata and pixels, which reads the whole file.
 * Returns the header and metadata, or a description of the first problem found.
 */
export async function verifyCacheFile(
  path: string,
  expected: { side: number; sourceKey: Uint8Array },
): Promise<VerifiedCache | string> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "missing";
    throw error;
  }

  try {
    const headerBytes = new Uint8Array(HEADER_BYTES);
    if (!await readExactly(file, headerBytes)) return "truncated inside the header";
    const header = decodeHeader(headerBytes);
    if (typeof header === "string") return header;
    if (header.side !== expected.side) return `images are ${header.side} px, expected ${expected.side}`;
    if (!equalBytes(header.sourceKey, expected.sourceKey)) return "built from another source listing";

    const size = (await file.stat()).size;
    const pixels = pixelBytes(header.count, header.side);
    const expectedSize = HEADER_BYTES + pixels + header.metadataLength;
    if (size !== expectedSize) return `${size} bytes long, expected ${expectedSize} (truncated or corrupt)`;

    // Pixels follow the header directly, so read on from here.
    const hash = createHash("sha256");
    const chunk = new Uint8Array(Math.min(READ_CHUNK_BYTES, Math.max(pixels, 1)));
    for (let remaining = pixels; remaining > 0;) {
      const part = chunk.subarray(0, Math.min(chunk.length, remaining));
      if (!await readExactly(file, part)) return "truncated inside the pixel data";
      hash.update(part);
      remaining -= part.length;
    }
    if (!equalBytes(new Uint8Array(hash.digest()), header.pixelDigest)) return "pixel checksum mismatch";

    const metadataBytes = new Uint8Array(header.metadataLength);
    if (!await readExactly(file, metadataBytes)) return "truncated inside the metadata";
    if (!equalBytes(sha256(metadataBytes), header.metadataDigest)) return "metadata checksum mismatch";
    const metadata = JSON.parse(new TextDecoder().decode(metadataBytes)) as CacheMetadata;
    if (metadata.images?.length !== header.count) {
      return `metadata lists ${metadata.images?.length} images, header says ${header.count}`;
    }
    return { header, metadata };
  } finally {
    file.close();
  }
}
