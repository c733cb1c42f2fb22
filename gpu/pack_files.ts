/**
 * Lists the files of `node_modules/` that the GPU check needs on a machine without network,
 * for `gpu/pack.sh` to archive. It prints paths relative to the project root, one per line.
 *
 * Deno 2.9.6 looks for the `.initialized` marker of every locked package at start-up (seen
 * with strace), even of packages the program never loads. So every package keeps its marker,
 * its `package.json` and the symbolic links between packages. Only the packages that the
 * entry points import, with their dependencies, keep their code and type declarations.
 *
 * ```sh
 * deno run --allow-read --allow-run gpu/pack_files.ts gpu/check.ts bench/jigsaw_bench.ts
 * ```
 *
 * @module
 */
import { join, relative } from "node:path";

/** The part of `deno info --json` output this module reads. */
export interface DenoInfo {
  modules: { kind?: string; npmPackage?: string }[];
  npmPackages: Record<string, { dependencies: string[]; localPath?: string }>;
}

// Source maps, minified bundles, bundle-size reports, TypeScript sources (type checks read the
// .d.ts files) and WeChat mini-program builds, none of which Deno loads for the check.
const UNUSED_FILE = /(\.map|\.min\.js|\.html)$|^src\/.*(?<!\.d)\.ts$|(^|\/)miniprogram\//;

/**
 * Returns the ids (`name@version_peers`) of the npm packages that the graph imports,
 * with all their dependencies.
 */
export function importedPackages(info: DenoInfo): Set<string> {
  const pending = info.modules.flatMap((module) =>
    module.kind === "npm" && module.npmPackage ? [module.npmPackage] : []
  );
  const closure = new Set<string>();

  while (pending.length > 0) {
    const id = pending.pop()!;
    if (closure.has(id)) continue;
    const entry = info.npmPackages[id];
    if (!entry) throw new Error(`npm package ${id} is missing from the deno info output; run "deno install"`);
    closure.add(id);
    pending.push(...entry.dependencies);
  }
  return closure;
}

/** Returns whether a file of an imported package, given by its path inside the package, is packed. */
export function isPackedFile(pathInPackage: string): boolean {
  return !UNUSED_FILE.test(pathInPackage);
}

async function denoInfo(entry: string): Promise<DenoInfo> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
  })
    .output();
  if (code !== 0) {
    throw new Error(`deno info --json ${entry} failed: ${new TextDecoder().decode(stderr)}`);
  }
  return JSON.parse(new TextDecoder().decode(stdout)) as DenoInfo;
}

async function* walkFiles(directory: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(directory)) {
    const path = join(directory, entry.name);
    if (entry.isDirectory) yield* walkFiles(path);
    else yield path;
  }
}

async function* packedPaths(entries: string[], root: string): AsyncGenerator<string> {
  const infos = await Promise.all(entries.map(denoInfo));
  const imported = new Set(infos.flatMap((info) => [...importedPackages(info)]));
  const packages = Object.assign({}, ...infos.map((info) => info.npmPackages)) as DenoInfo["npmPackages"];

  // Deno's own state files, and the symbolic links that make up the package layout.
  const modules = join(root, "node_modules");
  for await (const path of walkLinksAndState(modules)) yield relative(root, path);

  for (const [id, entry] of Object.entries(packages)) {
    if (!entry.localPath) continue;
    // localPath is node_modules/.deno/<folder>/node_modules/<name>; the marker sits in <folder>.
    const folder = join(entry.localPath, "..", entry.localPath.includes("/node_modules/@") ? "../.." : "..");
    for (const marker of [".initialized", ".scripts-warned"]) {
      if (await exists(join(folder, marker))) yield relative(root, join(folder, marker));
    }

    if (!imported.has(id)) {
      yield relative(root, join(entry.localPath, "package.json"));
      continue;
    }
    for await (const path of walkFiles(entry.localPath)) {
      if (isPackedFile(relative(entry.localPath, path))) yield relative(root, path);
    }
  }
}

async function* walkLinksAndState(directory: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(directory)) {
    const path = join(directory, entry.name);
    if (entry.isSymlink) yield path;
    else if (entry.isFile && directory.endsWith("/.deno")) yield path;
    else if (entry.isDirectory) yield* walkLinksAndState(path);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

if (import.meta.main) {
  if (Deno.args.length === 0) {
    console.error("Usage: deno run --allow-read --allow-run gpu/pack_files.ts ENTRY.ts...");
    Deno.exit(2);
  }
  const root = new URL("..", import.meta.url).pathname;
  const seen = new Set<string>();
  for await (const path of packedPaths(Deno.args, root)) {
    if (seen.has(path)) continue;
    seen.add(path);
    console.log(path);
  }
}
