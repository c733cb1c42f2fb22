/**
 * Training profiles: `paper` is the study's protocol; `quick` and `smoke` are
 * reduced scales for a CPU machine and for tests.
 *
 * @module
 */
import type { ProfileName, TrainingOptions } from "./records.ts";

/** Profile names in order of scale. */
export const PROFILE_NAMES: readonly ProfileName[] = ["paper", "quick", "smoke"];

/** A profile: its hyperparameters and the size of the built-in dataset it uses. */
export interface Profile {
  name: ProfileName;
  /** Purpose of the profile, for logs. */
  purpose: string;
  training: TrainingOptions;
  /** Images per split of the built-in synthetic dataset when no real data is given. */
  synthetic: { trainImages: number; testImages: number };
  /**
   * Images per epoch and per evaluation by grid size, replacing `training.trainImages`
   * and `training.testImages` on those grids unless a flag sets them.
   */
  imagesByGrid?: Readonly<Record<number, { trainImages: number; testImages: number }>>;
}

/** Returns the profile's training options for a P×P grid, with its per-grid image counts. */
export function trainingForGrid(profile: Profile, grid: number): TrainingOptions {
  const images = profile.imagesByGrid?.[grid];
  return images ? { ...profile.training, ...images } : { ...profile.training };
}

const ADAM = { learningRate: 3e-4, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/** The three profiles. */
export const PROFILES: Readonly<Record<ProfileName, Profile>> = {
  paper: {
    name: "paper",
    purpose: "the study's protocol: COCO 2017, batch 128, 10 epochs, whole splits",
    training: { ...ADAM, epochs: 10, batchSize: 128, trainImages: null, testImages: null },
    synthetic: { trainImages: 118_287, testImages: 40_670 },
  },
  quick: {
    name: "quick",
    purpose: "a reduced scale that trains all 35 configurations in about an hour on a 2-core CPU",
    // Sized by measured WASM step times on a 2-core x86-64 machine: a TRM-12 puzzle costs
    // about 13× more on 6×6 than on 2×2, so larger grids get fewer images. Only 2×2 and
    // 3×3 get enough to learn; the larger grids check the pipeline.
    training: { ...ADAM, learningRate: 1e-3, epochs: 2, batchSize: 16, trainImages: 256, testImages: 128 },
    synthetic: { trainImages: 256, testImages: 128 },
    imagesByGrid: {
      2: { trainImages: 256, testImages: 128 },
      3: { trainImages: 192, testImages: 96 },
      4: { trainImages: 64, testImages: 64 },
      5: { trainImages: 32, testImages: 32 },
      6: { trainImages: 16, testImages: 16 },
    },
  },
  smoke: {
    name: "smoke",
    purpose: "seconds per configuration, to check the pipeline end to end",
    training: { ...ADAM, epochs: 2, batchSize: 4, trainImages: 8, testImages: 4 },
    synthetic: { trainImages: 8, testImages: 4 },
  },
};
