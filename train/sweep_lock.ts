/**
 * A lock file that keeps two sweeps out of one runs folder. Two sweeps training the
 * same run would write the same checkpoint and metrics in turn. With the lock, the
 * second sweep stops at its start with a message instead.
 *
 * @module
 */
import { join } from "node:path";

/** Name of the lock file inside the runs folder. */
export const LOCK_FILE = ".sweep.lock";

/** The sweep that owns a lock file: its process, machine and start time. */
interface LockOwner {
  pid: number;
  hostname: string;
  started: string;
}

/** A lock taken by this process. `release` removes the file. */
export interface SweepLock {
  readonly path: string;
  /** Pid of the ended sweep whose lock this one took over, or null. */
  readonly tookOverFrom: number | null;
  release(): void;
}

/** Tells whether process `pid` runs on this machine. */
export type ProcessProbe = (pid: number) => boolean;

/** Looks the process up in /proc on Linux and with `ps` elsewhere. */
export function processExists(pid: number): boolean {
  if (Deno.build.os === "linux") {
    try {
      Deno.statSync(`/proc/${pid}`);
      return true;
    } catch {
      return false;
    }
  }
  try {
    return new Deno.Command("ps", { args: ["-p", String(pid)], stdout: "null", stderr: "null" }).outputSync()
      .success;
  } catch {
    // Without ps there is no way to tell; count the owner as alive, so the user decides.
    return true;
  }
}

function readOwner(path: string): LockOwner | null {
  try {
    const owner = JSON.parse(Deno.readTextFileSync(path)) as LockOwner;
    return Number.isInteger(owner.pid) && typeof owner.hostname === "string" ? owner : null;
  } catch {
    // A lock file cut short by a crash between create and write has no owner.
    return null;
  }
}

/**
 * Takes the lock of `runsDir`, creating the folder when missing. A lock left by a
 * process that no longer runs on this machine is taken over.
 *
 * @throws {Error} when another running sweep owns the lock, naming its pid and the lock file.
 */
export function acquireSweepLock(runsDir: string, isAlive: ProcessProbe = processExists): SweepLock {
  Deno.mkdirSync(runsDir, { recursive: true });
  const path = join(runsDir, LOCK_FILE);
  const owner: LockOwner = { pid: Deno.pid, hostname: Deno.hostname(), started: new Date().toISOString() };

  let tookOverFrom: number | null = null;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      // createNew fails when the file exists, so only one process can create it.
      Deno.writeTextFileSync(path, JSON.stringify(owner), { createNew: true });
      return {
        path,
        tookOverFrom,
        release() {
          Deno.removeSync(path);
        },
      };
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }

    const holder = readOwner(path);
    if (holder && (holder.hostname !== owner.hostname || isAlive(holder.pid))) {
      const where = holder.hostname === owner.hostname ? "" : ` on ${holder.hostname}`;
      throw new Error(
        `Another sweep (pid ${holder.pid}${where}, started ${holder.started}) is using ${runsDir}: ` +
          `wait for it to finish or pass another --runs folder; if it is gone, delete ${path}`,
      );
    }
    tookOverFrom = holder?.pid ?? null;
    Deno.removeSync(path);
  }
  throw new Error(`Could not take the lock ${path}: another sweep took it at the same moment; try again`);
}
