import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { Adam } from "./adam.ts";
import { type Architecture, modelConfig, parameterCount, STUDY_GRIDS, STUDY_MODELS } from "./config.ts";
import { EncoderOnlyTransformer } from "./eot.ts";
import { createModel } from "./factory.ts";
import { TinyRecursiveModel } from "./trm.ts";
import { randomBatch, snapshot, tinyConfig } from "./_test_helpers.ts";

await tf.setBackend("cpu");

const ADAM = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

// Parameter counts of the study's table: EOT-2 (= TRM), EOT-4, EOT-6, EOT-8, EOT-12 by grid.
const STUDY_COUNTS: Record<number, number[]> = {
  2: [709_513, 1_233_801, 1_758_089, 2_282_377, 3_330_953],
  3: [714_668, 1_238_956, 1_763_244, 2_287_532, 3_336_108],
  4: [727_303, 1_251_591, 1_775_879, 2_300_167, 3_348_743],
  5: [752_836, 1_277_124, 1_801_412, 2_325_700, 3_374_276],
  6: [798_233, 1_322_521, 1_846_809, 2_371_097, 3_419_673],
};
const COLUMN: Record<string, number> = {
  "eot-2": 0,
  "eot-4": 1,
  "eot-6": 2,
  "eot-8": 3,
  "eot-12": 4,
  "trm-8": 0,
  "trm-12": 0,
};

Deno.test("createModel has the study's parameter count for all 35 configurations", () => {
  for (const id of STUDY_MODELS) {
    for (const grid of STUDY_GRIDS) {
      const config = modelConfig(id, grid);
      const model = createModel(config, 0);
      const count = [...model.trainable.values()].reduce((sum, variable) => sum + variable.size, 0);
      model.dispose();
      assert.equal(count, STUDY_COUNTS[grid][COLUMN[id]], `${id} on ${grid}×${grid}`);
      assert.equal(count, parameterCount(config), `parameterCount of ${id} on ${grid}×${grid}`);
    }
  }
});

Deno.test("createModel builds the architecture of the configuration", () => {
  const eot = createModel(tinyConfig("eot"), 0);
  const trm = createModel(tinyConfig("trm"), 0);

  assert.ok(eot instanceof EncoderOnlyTransformer);
  assert.ok(trm instanceof TinyRecursiveModel);
  assert.deepEqual([...trm.buffers.keys()].slice(-2), ["answer0", "latent0"]);
  assert.throws(() => createModel({ ...tinyConfig("eot"), architecture: "rnn" as Architecture }, 0), {
    name: "RangeError",
    message: /Invalid architecture "rnn"/,
  });
  eot.dispose();
  trm.dispose();
});

Deno.test("createModel releases every variable on dispose", () => {
  const before = tf.memory().numTensors;
  const model = createModel(tinyConfig("trm"), 0);

  model.dispose();

  assert.equal(tf.memory().numTensors, before);
});

for (const architecture of ["eot", "trm"] as const) {
  const config = tinyConfig(architecture, { macroSteps: 1 });

  const trainOnce = (seed: number) => {
    const model = createModel(config, seed);
    const optimizer = new Adam(model.trainable, ADAM);
    const { tiles, offsets } = randomBatch(config, 2, 2);
    const initial = snapshot(model.trainable);
    const buffers = snapshot(model.buffers);

    const { loss, logits } = model.trainBatch(tiles, offsets, optimizer, 3);
    const result = { initial, buffers, loss: loss.dataSync()[0], trained: snapshot(model.trainable) };

    tf.dispose([tiles, offsets, loss, logits]);
    optimizer.dispose();
    model.dispose();
    return result;
  };

  Deno.test(`createModel ${architecture} is reproducible from its seed`, () => {
    const first = trainOnce(7);
    const second = trainOnce(7);

    assert.deepEqual(second.initial, first.initial);
    assert.deepEqual(second.buffers, first.buffers);
    assert.equal(second.loss, first.loss);
    assert.deepEqual(second.trained, first.trained);
  });

  Deno.test(`createModel ${architecture} differs between seeds`, () => {
    const first = trainOnce(7);
    const other = trainOnce(8);

    for (const [name, values] of first.initial) {
      const isConstant = name.endsWith(".scale") || name.endsWith(".shift");
      if (!isConstant) assert.notDeepEqual(other.initial.get(name), values, name);
    }
    assert.notEqual(other.loss, first.loss);
  });
}
