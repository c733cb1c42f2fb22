/**
 * Builds an image cache file: decodes and resizes the files of a split folder in
 * parallel module workers and writes the results in listing order, so the file is
 * byte-for-byte the same whatever the number of workers.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { ProgressLine } from "../util/progress.ts";
import {
  type CacheMetadata,
  encodeHeader,
  HEADER_BYTES,
  pixelBytes,
  sha256,
  type SkippedFile,
} from "./cache_format.ts";
import type { WorkerReply, WorkerRequest } from "./cache_worker.ts";
import type { SourceFile } from "./listing.ts";

const WORKER_URL = new URL("./cache_worker.ts", import.meta.url);

/** Maximum results per worker that may finish ahead of the next one to write before workers wait. */
const AHEAD_PER_WORKER = 8;

/** Maximum undecodable files warned about one by one. One more line counts the rest. */
const MAX_SKIP_WARNINGS = 100;

/** Everything {@linkcode buildCacheFile} needs. */
export interface BuildOptions {
  /** Absolute path of the split folder. */
  folder: string;
  /** Its listing, in cache order. */
  files: readonly SourceFile[];
  /** Side of the cached images in pixels. */
  side: number;
  /** Stop after this many usable images, or null for all. */
  maxImages: number | null;
  /** Number of module workers, at least 1. */
  workers: number;
  /** Key of the source listing, stored in the header. */
  sourceKey: Uint8Array;
  /** Path of the file to write. The caller renames it into place. */
  path: string;
  /** Label of the progress line, or null for no progress line. */
  progressLabel: string | null;
  /** Receives warning lines. @default a line on stderr (through the progress line while it is shown) */
  warn?: (line: string) => void;
}

/** Writes the cache file described by `options` and returns its metadata. */
export async function buildCacheFile(options: BuildOptions): Promise<CacheMetadata> {
  const { folder, files, side, maxImages, workers } = options;
  if (!Number.isInteger(workers) || workers < 1) {
    throw new RangeError(`Invalid worker count ${workers}: expected a positive integer`);
  }

  const target = maxImages === null ? files.length : Math.min(maxImages, files.length);
  const progress = options.progressLabel === null
    ? null
    : new ProgressLine(options.progressLabel, target, "image");
  const warn = options.warn ?? ((line: string) => progress ? progress.log(line) : console.error(line));
  const file = await Deno.open(options.path, { write: true, create: true, truncate: true });
  const pool: Worker[] = [];

  try {
    // The header goes last, when the count and checksums are known.
    writeAll(file, new Uint8Array(HEADER_BYTES));

    const pixelHash = createHash("sha256");
    const metadata: CacheMetadata = { folder, side, maxImages, images: [], skipped: [], ignored: [] };
    const skipped: SkippedFile[] = metadata.skipped;

    // Replies arrive out of order, so `finished` keeps them until every earlier file is written.
    const finished = new Map<number, WorkerReply>();
    let nextRequest = 0;
    let nextWrite = 0;
    let complete = false;
    let waiting: (() => void)[] = [];

    const writeFinished = () => {
      for (let reply = finished.get(nextWrite); reply && !complete; reply = finished.get(nextWrite)) {
        finished.delete(nextWrite);
        const path = files[nextWrite].path;
        if (reply.status === "ok") {
          if (reply.rgb.length !== pixelBytes(1, side)) {
            throw new Error(
              `Image cache worker returned ${reply.rgb.length} bytes for ${path}, expected ${
                pixelBytes(1, side)
              }`,
            );
          }
          writeAll(file, reply.rgb);
          pixelHash.update(reply.rgb);
          metadata.images.push(path);
          progress?.update(metadata.images.length);
        } else if (reply.status === "failed") {
          skipped.push({ path, reason: reply.reason });
          if (skipped.length <= MAX_SKIP_WARNINGS) warn(`warning: ${reply.reason}. The file is skipped.`);
        } else {
          metadata.ignored.push(path);
        }
        nextWrite++;
        if (metadata.images.length === target || nextWrite === files.length) complete = true;
      }
      wakeWaiting();
    };

    const wakeWaiting = () => {
      for (const resume of waiting) resume();
      waiting = [];
    };

    const serve = async (worker: Worker) => {
      try {
        while (!complete && nextRequest < files.length) {
          if (nextRequest - nextWrite >= AHEAD_PER_WORKER * workers) {
            await new Promise<void>((resolve) => waiting.push(resolve));
            continue;
          }
          const id = nextRequest++;
          const request: WorkerRequest = { id, path: join(folder, files[id].path), side };
          finished.set(id, await ask(worker, request));
          writeFinished();
        }
      } catch (error) {
        // Stop the other loops too: the build fails and the file is closed.
        complete = true;
        wakeWaiting();
        throw error;
      }
    };

    for (let i = 0; i < Math.min(workers, files.length); i++) {
      pool.push(new Worker(WORKER_URL, { type: "module", name: `image cache worker ${i}` }));
    }
    await Promise.all(pool.map(serve));

    if (skipped.length > MAX_SKIP_WARNINGS) {
      warn(`warning: ${skipped.length - MAX_SKIP_WARNINGS} more undecodable files skipped in ${folder}`);
    }

    const metadataBytes = new TextEncoder().encode(JSON.stringify(metadata));
    writeAll(file, metadataBytes);
    const header = encodeHeader({
      side,
      count: metadata.images.length,
      metadataLength: metadataBytes.length,
      sourceKey: options.sourceKey,
      pixelDigest: new Uint8Array(pixelHash.digest()),
      metadataDigest: sha256(metadataBytes),
    });
    file.seekSync(0, Deno.SeekMode.Start);
    writeAll(file, header);
    await file.sync();
    progress?.finish(
      `${skipped.length} undecodable, ${metadata.ignored.length} not images`,
    );
    return metadata;
  } finally {
    for (const worker of pool) worker.terminate();
    file.close();
    progress?.finish();
  }
}

function writeAll(file: Deno.FsFile, bytes: Uint8Array): void {
  for (let written = 0; written < bytes.length;) written += file.writeSync(bytes.subarray(written));
}

/** Sends one request to `worker` and waits for its reply. */
function ask(worker: Worker, request: WorkerRequest): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<WorkerReply>) => resolve(event.data);
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      reject(new Error(`Image cache worker failed on ${request.path}: ${event.message}`));
    };
    worker.postMessage(request);
  });
}
