import assert from "node:assert/strict";
import { type Profile, PROFILES, trainingFor } from "./profiles.ts";

const PROFILE: Profile = {
  ...PROFILES.quick,
  imagesByGrid: { 3: { trainImages: 40, testImages: 20 } },
  byArchitecture: { trm: { learningRate: 2e-4 }, eot: { epochs: 5 } },
};

Deno.test("trainingFor applies grid and architecture options", () => {
  const trm = trainingFor(PROFILE, 3, "trm");
  const eot = trainingFor(PROFILE, 3, "eot");
  const otherGrid = trainingFor(PROFILE, 4, "eot");

  assert.equal(trm.learningRate, 2e-4);
  assert.equal(eot.learningRate, PROFILE.training.learningRate);
  assert.deepEqual([eot.epochs, trm.epochs], [5, PROFILE.training.epochs]);
  assert.deepEqual([trm.trainImages, trm.testImages], [40, 20]);
  assert.deepEqual([otherGrid.trainImages, otherGrid.testImages], [
    PROFILE.training.trainImages,
    PROFILE.training.testImages,
  ]);
});

Deno.test("trainingFor leaves the profile unchanged", () => {
  const before = structuredClone(PROFILE.training);

  trainingFor(PROFILE, 3, "trm").learningRate = 1;

  assert.deepEqual(PROFILE.training, before);
});
