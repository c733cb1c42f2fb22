/**
 * Versions recorded with every run: Deno, tfjs and the project's git commit.
 *
 * @module
 */
import { version_core as tfjsVersion } from "@tensorflow/tfjs-core";
import type { VersionInfo } from "./records.ts";

/** Returns the git commit of the project checkout, with `-dirty` when it has uncommitted changes, or null. */
export async function gitCommit(): Promise<string | null> {
  const root = new URL("..", import.meta.url).pathname;
  try {
    const head = await new Deno.Command("git", {
      args: ["-C", root, "rev-parse", "HEAD"],
      stdout: "piped",
      stderr: "null",
    })
      .output();
    if (!head.success) return null;
    const status = await new Deno.Command("git", {
      args: ["-C", root, "status", "--porcelain", "--untracked-files=no"],
      stdout: "piped",
      stderr: "null",
    }).output();
    const commit = new TextDecoder().decode(head.stdout).trim();
    const dirty = status.success && new TextDecoder().decode(status.stdout).trim() !== "";
    return dirty ? `${commit}-dirty` : commit;
  } catch {
    // git is not installed: the run is still valid, only unattributed.
    return null;
  }
}

/** Returns the versions of Deno, tfjs and the project. */
export async function projectVersions(): Promise<VersionInfo> {
  return { deno: Deno.version.deno, tfjs: tfjsVersion, commit: await gitCommit() };
}
