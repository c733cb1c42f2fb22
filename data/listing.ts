/**
 * The source listing of a split folder: every candidate image file with its size and
 * modification time. The listing decides the order of images in a cache and, hashed,
 * whether a cache still matches its source.
 *
 * @module
 */
import { join } from "node:path";

/** A file that may contain an image. Its magic bytes decide later whether it does. */
export interface SourceFile {
  /** Path relative to the split folder, with `/` separators. */
  path: string;
  /** Size in bytes. */
  size: number;
  /** Modification time in milliseconds since the epoch, or 0 where the file system has none. */
  mtimeMs: number;
}

/**
 * Lists the regular files under `folder`, recursively and sorted by relative path
 * (UTF-16 code-unit order, independent of the locale). Hidden files and folders
 * (names starting with `.`) are left out. Symbolic links to regular files count as
 * files, and symbolic links to folders are not followed, so a link cycle cannot
 * loop forever.
 *
 * @throws {Deno.errors.NotFound} if `folder` does not exist.
 */
export async function listSourceFiles(folder: string): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  await walk(folder, "", files);
  files.sort(comparePaths);
  return files;
}

/** Number of `Deno.stat` calls in flight while listing. */
const STAT_CHUNK = 256;

type ListedEntry = { path: string; folder: true } | {
  path: string;
  folder: false;
  size: number;
  mtimeMs: number;
};

async function statEntry(root: string, relative: string, entry: Deno.DirEntry): Promise<ListedEntry | null> {
  const path = relative ? `${relative}/${entry.name}` : entry.name;
  if (entry.isDirectory) return { path, folder: true };
  if (!entry.isFile && !entry.isSymlink) return null;
  try {
    const info = await Deno.stat(join(root, path));
    if (!info.isFile) return null;
    return { path, folder: false, size: info.size, mtimeMs: info.mtime?.getTime() ?? 0 };
  } catch (error) {
    // A dangling symbolic link is not a file.
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

function comparePaths(a: SourceFile, b: SourceFile): number {
  if (a.path < b.path) return -1;
  if (a.path > b.path) return 1;
  return 0;
}

async function walk(root: string, relative: string, files: SourceFile[]): Promise<void> {
  const folder = relative ? join(root, relative) : root;
  const entries: Deno.DirEntry[] = [];
  for await (const entry of Deno.readDir(folder)) {
    if (!entry.name.startsWith(".")) entries.push(entry);
  }

  // Stat in parallel, in chunks: a COCO split has over 100,000 files.
  const found: (ListedEntry | null)[] = [];
  for (let start = 0; start < entries.length; start += STAT_CHUNK) {
    const chunk = entries.slice(start, start + STAT_CHUNK);
    found.push(...await Promise.all(chunk.map((entry) => statEntry(root, relative, entry))));
  }

  for (const item of found) {
    if (item === null) continue;
    if (item.folder) await walk(root, item.path, files);
    else files.push({ path: item.path, size: item.size, mtimeMs: item.mtimeMs });
  }
}
