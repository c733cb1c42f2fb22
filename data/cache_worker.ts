/**
 * Module worker of the cache build: reads one file per request, checks its magic
 * bytes, decodes it and resizes it to the cache side. Started by `cache_build.ts`
 * as `new Worker(url, { type: "module" })`, with one request in flight per worker.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { decodeImage, detectImageFormat, loadDecoders, MAGIC_BYTES, resizeArea } from "./images.ts";

/** A file to prepare. */
export interface WorkerRequest {
  id: number;
  /** Absolute path of the file. */
  path: string;
  /** Side of the square output image in pixels. */
  side: number;
}

/** The outcome for one file. */
export type WorkerReply =
  | { id: number; status: "ok"; rgb: Uint8Array }
  | { id: number; status: "not-image" }
  /** `reason` is an error message that names the file. */
  | { id: number; status: "failed"; reason: string };

async function readMagic(path: string): Promise<Uint8Array> {
  using file = await Deno.open(path, { read: true });
  const head = new Uint8Array(MAGIC_BYTES);
  let filled = 0;
  while (filled < head.length) {
    const read = await file.read(head.subarray(filled));
    if (read === null) break;
    filled += read;
  }
  return head.subarray(0, filled);
}

const IMAGE_EXTENSION = /\.(jpe?g|jpe|png)$/i;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function prepare(request: WorkerRequest): Promise<WorkerReply> {
  const { id, path, side } = request;
  let bytes: Uint8Array;
  try {
    // Check the magic bytes first, so large files that are not images are never read whole.
    if (detectImageFormat(await readMagic(path)) === null) {
      // A file named like an image but holding something else is a broken image to report;
      // any other file (notes, metadata) is not an image at all.
      if (IMAGE_EXTENSION.test(path)) {
        return {
          id,
          status: "failed",
          reason: `Cannot decode ${path}: it is named like an image but is not PNG or JPEG`,
        };
      }
      return { id, status: "not-image" };
    }
    bytes = await Deno.readFile(path);
  } catch (error) {
    return { id, status: "failed", reason: `Cannot read ${path}: ${errorText(error)}` };
  }

  try {
    const image = await decodeImage(bytes, path);
    return { id, status: "ok", rgb: resizeArea(image.rgb, image.width, image.height, side) };
  } catch (error) {
    return { id, status: "failed", reason: errorText(error) };
  }
}

// A codec that fails to load rejects here, outside prepare(), so it surfaces as a
// worker error that stops the build instead of marking every file undecodable.
const codecs = loadDecoders();

self.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  await codecs;
  const reply = await prepare(event.data);
  if (reply.status === "ok") self.postMessage(reply, [reply.rgb.buffer as ArrayBuffer]);
  else self.postMessage(reply);
};
