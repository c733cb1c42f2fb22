/**
 * Image caches: each split folder is decoded and resized once per image side into a
 * binary file of `uint8 [N, side, side, 3]` (format in `cache_format.ts`), because
 * decoding every image every epoch is too slow. Later runs reuse the file while the
 * source listing (path, size and modification time of every file) is unchanged. A
 * changed source, or a truncated or corrupt file, makes the cache be rebuilt.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { join, resolve } from "node:path";
import type { Split } from "./batches.ts";
import { buildCacheFile } from "./cache_build.ts";
import { type CacheMetadata, HEADER_BYTES, pixelBytes, sourceKey, verifyCacheFile } from "./cache_format.ts";
import { listSourceFiles } from "./listing.ts";

/** Everything {@linkcode openImageCache} needs. */
export interface ImageCacheOptions {
  /** The split folder that contains the images, searched recursively. */
  folder: string;
  /** Short name of the split, such as `coco-train`, that starts the cache file name. */
  name: string;
  /** Side of the cached square images in pixels (P·T). */
  side: number;
  /** Folder of cache files; created when missing. */
  cacheDir: string;
  /** Module workers for a build. */
  workers: number;
  /** Cache only the first this many usable images of the listing, or null for all. */
  maxImages: number | null;
  /** Whether a build draws a progress line. */
  progress: boolean;
  /** Receives warnings and rebuild notices. @default a line on stderr */
  warn?: (line: string) => void;
}

/** An open cache file: a {@linkcode Split} whose images are read from disk on demand. */
export interface ImageCache extends Split {
  /** Path of the cache file. */
  readonly path: string;
  /** Whether this call built the file (false when an existing one was reused). */
  readonly built: boolean;
  /** Source paths of the images, undecodable files and non-image files. */
  readonly metadata: CacheMetadata;
  /** Closes the file. Later reads fail. */
  close(): void;
}

/** Returns the cache file path for a split folder, side and image limit. */
export function cacheFilePath(
  cacheDir: string,
  name: string,
  folder: string,
  side: number,
  maxImages: number | null,
): string {
  // The folder's hash keeps caches of same-named folders apart. The listing key is checked inside the file.
  const folderHash = createHash("sha256").update(resolve(folder)).digest("hex").slice(0, 12);
  const safeName = name.replace(/[^A-Za-z0-9._-]+/g, "_");
  const limit = maxImages === null ? "" : `-first${maxImages}`;
  return join(cacheDir, `${safeName}-${side}px${limit}-${folderHash}.cache`);
}

/**
 * Opens the cache of a split folder, building it first when it is missing, stale,
 * truncated or corrupt. Building writes a temporary file and renames it into place,
 * so an interrupted build never leaves a partial cache under the cache name. A
 * killed process can leave its `.tmp` file behind, which later builds ignore.
 *
 * @throws {Deno.errors.NotFound} if the folder does not exist.
 * @throws {Error} if the folder contains no usable image.
 */
export async function openImageCache(options: ImageCacheOptions): Promise<ImageCache> {
  const folder = resolve(options.folder);
  const { side, maxImages } = options;
  const warn = options.warn ?? ((line: string) => console.error(line));
  await requireFolder(folder);

  const files = await listSourceFiles(folder);
  const key = sourceKey(files, side, maxImages);
  const path = cacheFilePath(options.cacheDir, options.name, folder, side, maxImages);

  const verified = await verifyCacheFile(path, { side, sourceKey: key });
  let metadata: CacheMetadata;
  let built = false;
  if (typeof verified === "string") {
    if (verified !== "missing") warn(`Rebuilding image cache ${path}: ${verified}`);
    await Deno.mkdir(options.cacheDir, { recursive: true });
    const temporary = `${path}.${Deno.pid}.tmp`;
    try {
      metadata = await buildCacheFile({
        folder,
        files,
        side,
        maxImages,
        workers: options.workers,
        sourceKey: key,
        path: temporary,
        progressLabel: options.progress ? `caching ${options.name} at ${side} px` : null,
        warn: options.warn,
      });
      await Deno.rename(temporary, path);
    } catch (error) {
      await Deno.remove(temporary).catch(() => {});
      throw error;
    }
    built = true;
  } else {
    metadata = verified.metadata;
  }

  const count = metadata.images.length;
  if (count === 0) {
    throw new Error(
      `No usable image in ${folder}: ${files.length} files, ${metadata.skipped.length} undecodable, ` +
        `${metadata.ignored.length} without PNG or JPEG magic bytes; add PNG or JPEG images there`,
    );
  }
  return openReader(path, side, count, built, metadata);
}

async function requireFolder(folder: string): Promise<void> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(folder);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Deno.errors.NotFound(`Image folder ${folder} not found. Check the dataset path.`);
    }
    throw error;
  }
  if (!info.isDirectory) throw new Deno.errors.NotADirectory(`Image folder ${folder} is not a folder`);
}

function openReader(
  path: string,
  side: number,
  count: number,
  built: boolean,
  metadata: CacheMetadata,
): ImageCache {
  const file = Deno.openSync(path, { read: true });
  const imageBytes = pixelBytes(1, side);
  let closed = false;

  return {
    path,
    built,
    metadata,
    count,
    side,
    readImage(index: number, out: Uint8Array): void {
      if (closed) throw new Error(`Image cache ${path} is closed`);
      if (!Number.isInteger(index) || index < 0 || index >= count) {
        throw new RangeError(`Image index ${index} is outside 0..${count - 1} of ${path}`);
      }
      if (out.length < imageBytes) {
        throw new RangeError(
          `Output buffer of ${out.length} bytes is too small for a ${side}×${side} RGB image`,
        );
      }
      file.seekSync(HEADER_BYTES + index * imageBytes, Deno.SeekMode.Start);
      const target = out.subarray(0, imageBytes);
      for (let filled = 0; filled < imageBytes;) {
        const read = file.readSync(target.subarray(filled));
        if (read === null) {
          throw new Error(`Image cache ${path} ends inside image ${index}. Delete the file to rebuild it.`);
        }
        filled += read;
      }
    },
    close(): void {
      if (closed) return;
      closed = true;
      file.close();
    },
  };
}
