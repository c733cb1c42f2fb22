/**
 * Splits a runs folder into comparable groups (same profile, same dataset), one
 * report each, and decides whether a group is a reproduction of the study or only a
 * check of the pipeline at reduced scale.
 *
 * @module
 */
import type { ProfileName } from "../train/records.ts";
import { PROFILE_NAMES } from "../train/profiles.ts";
import type { RunResult } from "./runs.ts";

/** Runs that share a profile and a dataset, so their seeds can be averaged. */
export interface RunGroup {
  profile: ProfileName;
  /** Dataset name as in run names: `coco`, `synthetic`, or a folder's name. */
  datasetName: string;
  /** Whether the dataset is COCO 2017. */
  isCoco: boolean;
  runs: RunResult[];
  /** Base of the report's file names, such as `2026-03-01-quick`. */
  fileBase: string;
}

/**
 * Groups `runs` by profile and dataset, in profile order (`paper`, `quick`, `smoke`).
 * The file base is `<date>-<profile>`, with `-<dataset>` appended when one profile
 * has runs on several datasets, so reports never overwrite each other.
 */
export function groupRuns(runs: readonly RunResult[], date: Date): RunGroup[] {
  const byKey = new Map<string, RunResult[]>();
  for (const run of runs) {
    const key = `${run.config.profile}\u0000${run.config.dataset.name}`;
    byKey.set(key, [...(byKey.get(key) ?? []), run]);
  }

  const day = date.toISOString().slice(0, 10);
  const groups = [...byKey.values()].map((groupRuns) => {
    const { profile, dataset } = groupRuns[0].config;
    return {
      profile,
      datasetName: dataset.name,
      isCoco: dataset.kind === "coco",
      runs: groupRuns,
      fileBase: "",
    };
  });
  for (const group of groups) {
    const shared = groups.filter((other) => other.profile === group.profile).length > 1;
    group.fileBase = shared ? `${day}-${group.profile}-${group.datasetName}` : `${day}-${group.profile}`;
  }

  const order = (profile: string) => {
    const index = (PROFILE_NAMES as readonly string[]).indexOf(profile);
    return index < 0 ? PROFILE_NAMES.length : index;
  };
  return groups.sort((a, b) =>
    order(a.profile) - order(b.profile) || a.profile.localeCompare(b.profile) ||
    a.datasetName.localeCompare(b.datasetName)
  );
}

/** Returns whether a group follows the study's scale: the `paper` profile on COCO 2017. */
export function isReproduction(group: Pick<RunGroup, "profile" | "isCoco">): boolean {
  return group.profile === "paper" && group.isCoco;
}
