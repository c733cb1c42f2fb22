/**
 * Training profiles: `paper` is the study's protocol; `quick` and `smoke` are
 * reduced scales for a CPU machine and for tests.
 *
 * @module
 */
import type { Architecture } from "../models/config.ts";
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
  /** Options by architecture, replacing those above (and the per-grid image counts) unless a flag sets them. */
  byArchitecture?: Readonly<Partial<Record<Architecture, Partial<TrainingOptions>>>>;
}

/**
 * Returns the profile's training options for a P×P grid and an architecture: its
 * defaults, then the grid's image counts, then the architecture's options.
 */
export function trainingFor(profile: Profile, grid: number, architecture: Architecture): TrainingOptions {
  return { ...profile.training, ...profile.imagesByGrid?.[grid], ...profile.byArchitecture?.[architecture] };
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
    // Sized by measured WASM step times at batch 16 on a 2-core x86-64 machine (bench/RESULTS.md).
    // Summed over the 7 models, a batch costs about 14 s on 2×2 and 20 s on 3×3, and the TRMs take
    // about 80% of it. A batch on 4×4 to 6×6 costs about 2×, 3× and 4× one on 3×3, so 2×2 and 3×3
    // get 24 and 32 batches per epoch and the larger grids get one: enough to run, not to learn.
    // EOTs train 4 epochs, because at 2 epochs EOT-6 to EOT-12 were still at the chance level.
    // The study's learning rate, 3e-4, suits both architectures. At 1e-3, EOT-8 and EOT-12 on 2×2
    // stayed at chance after 96 steps (85% and 69% test at 3e-4). TRM-8 on 3×3 takes s Adam steps
    // on each batch, and at 1e-3 it fitted its batches (26% test after 32 batches, 30% at 3e-4).
    training: { ...ADAM, epochs: 2, batchSize: 16, trainImages: 384, testImages: 128 },
    byArchitecture: { eot: { epochs: 4 } },
    synthetic: { trainImages: 512, testImages: 128 },
    imagesByGrid: {
      2: { trainImages: 384, testImages: 128 },
      3: { trainImages: 512, testImages: 96 },
      4: { trainImages: 16, testImages: 16 },
      5: { trainImages: 16, testImages: 16 },
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
