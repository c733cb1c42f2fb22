import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { Adam } from "./adam.ts";
import type { ModelConfig } from "./config.ts";
import { fisherYatesLoss } from "./loss.ts";
import { TRUNCATED_NORMAL_STD_CORRECTION } from "./parameters.ts";
import { TinyRecursiveModel } from "./trm.ts";
import { disposeResult, maxDifference, randomBatch, snapshot, tinyConfig } from "./_test_helpers.ts";

await tf.setBackend("cpu");

const CONFIG = tinyConfig("trm");
const ADAM = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/** Stands in for Adam: keeps a copy of each step's gradients and changes no weight. */
class GradientRecorder {
  readonly steps: Record<string, tf.Tensor>[] = [];

  applyGradients(grads: Record<string, tf.Tensor>): void {
    this.steps.push(
      Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, tf.keep(tf.clone(g))])),
    );
  }

  dispose(): void {
    for (const grads of this.steps) tf.dispose(Object.values(grads));
  }
}

function asAdam(recorder: GradientRecorder): Adam {
  return recorder as unknown as Adam;
}

Deno.test("TRM initialState broadcasts the truncated-normal states", () => {
  const model = new TinyRecursiveModel(CONFIG, 1);

  const { answer, latent } = model.initialState(3);

  assert.deepEqual(answer.shape, [3, 4, CONFIG.hidden]);
  assert.deepEqual(latent.shape, [3, 4, CONFIG.hidden]);
  const answer0 = model.buffers.get("answer0")!;
  const latent0 = model.buffers.get("latent0")!;
  assert.equal(maxDifference(tf.slice(answer, [2, 0, 0], [1, -1, -1]).reshape(answer0.shape), answer0), 0);
  assert.notDeepEqual(answer0.dataSync(), latent0.dataSync());
  const bound = 2 * TRUNCATED_NORMAL_STD_CORRECTION;
  for (const state of [answer0, latent0]) {
    assert.ok(state.dataSync().every((v) => Math.abs(v) <= bound + 1e-6));
  }
  assert.ok(!model.trainable.has("answer0"), "the initial states are not learned");
  tf.dispose([answer, latent]);
  model.dispose();
});

Deno.test("TRM trainMacroStep returns loss, logits and a new state with one Adam step", () => {
  const model = new TinyRecursiveModel(CONFIG, 1);
  const optimizer = new Adam(model.trainable, ADAM);
  const { tiles, offsets } = randomBatch(CONFIG, 2, 2);
  const state = model.initialState(2);

  const result = model.trainMacroStep(tiles, offsets, state, optimizer, 0);

  assert.deepEqual(result.loss.shape, []);
  assert.deepEqual(result.logits.shape, [2, 3, 4]);
  assert.deepEqual(result.state.answer.shape, [2, 4, CONFIG.hidden]);
  assert.deepEqual(result.state.latent.shape, [2, 4, CONFIG.hidden]);
  assert.ok(maxDifference(result.state.answer, state.answer) > 1e-3, "the answer changed");
  assert.ok(!state.answer.isDisposed, "the caller's state stays alive");
  assert.equal(optimizer.step, 1);
  tf.dispose([tiles, offsets, state.answer, state.latent, result.loss, result.logits]);
  tf.dispose([result.state.answer, result.state.latent]);
  optimizer.dispose();
  model.dispose();
});

Deno.test("TRM trainBatch takes one Adam step per macro-step", () => {
  const model = new TinyRecursiveModel(tinyConfig("trm", { macroSteps: 3 }), 1);
  const optimizer = new Adam(model.trainable, ADAM);
  const { tiles, offsets } = randomBatch(CONFIG, 2, 2);

  const result = model.trainBatch(tiles, offsets, optimizer, 0);

  assert.equal(optimizer.step, 3);
  assert.deepEqual(result.loss.shape, []);
  assert.deepEqual(result.logits.shape, [2, 3, 4]);
  disposeResult(result);
  tf.dispose([tiles, offsets]);
  optimizer.dispose();
  model.dispose();
});

Deno.test("TRM predict returns the logits of every macro-step", () => {
  const model = new TinyRecursiveModel(tinyConfig("trm", { macroSteps: 3 }), 1);
  const { tiles, offsets } = randomBatch(CONFIG, 2, 2);
  const buffers = snapshot(model.buffers);

  const logits = model.predict(tiles);

  assert.equal(logits.length, 3);
  for (const step of logits) assert.deepEqual(step.shape, [2, 3, 4]);
  assert.ok(maxDifference(logits[0], logits[2]) > 1e-4, "later macro-steps refine the answer");
  assert.deepEqual(snapshot(model.buffers), buffers, "evaluation leaves the running statistics alone");
  tf.dispose([tiles, offsets, ...logits]);
  model.dispose();
});

Deno.test("TRM gradients skip the first cycle as if its state were an input", () => {
  // Without dropout both runs see identical forward values.
  const twoCycles = new TinyRecursiveModel(tinyConfig("trm", { cycles: 2, attentionDropout: 0 }), 4);
  const oneCycle = new TinyRecursiveModel(tinyConfig("trm", { cycles: 1, attentionDropout: 0 }), 4);
  const { tiles, offsets } = randomBatch(CONFIG, 2, 3);
  const start = twoCycles.initialState(2);
  const recorded = new GradientRecorder();
  const reference = new GradientRecorder();

  // One cycle from y₀, z₀ gives the state after the first, gradient-free cycle of the
  // two-cycle model. The one-cycle model then continues from that state as a constant.
  const full = twoCycles.trainMacroStep(tiles, offsets, start, asAdam(recorded), 0);
  const firstCycle = oneCycle.trainMacroStep(tiles, offsets, start, asAdam(new GradientRecorder()), 0);
  const fromDetached = oneCycle.trainMacroStep(tiles, offsets, firstCycle.state, asAdam(reference), 0);

  assert.ok(maxDifference(full.logits, fromDetached.logits) < 1e-5, "same forward result");
  const [actual] = recorded.steps;
  const [expected] = reference.steps;
  assert.deepEqual(Object.keys(actual), Object.keys(expected));
  for (const name of Object.keys(expected)) {
    const scale = tf.tidy(() => tf.max(tf.abs(expected[name])).dataSync()[0]);
    assert.ok(maxDifference(actual[name], expected[name]) <= 1e-4 * scale + 1e-7, `${name} gradient differs`);
  }
  for (const result of [full, firstCycle, fromDetached]) {
    tf.dispose([result.loss, result.logits, result.state.answer, result.state.latent]);
  }
  tf.dispose([tiles, offsets, start.answer, start.latent]);
  recorded.dispose();
  reference.dispose();
  twoCycles.dispose();
  oneCycle.dispose();
});

Deno.test("TRM backprop runs no kernel for the cycles without gradients", async () => {
  const { tiles, offsets } = randomBatch(CONFIG, 2, 3);
  const configFor = (cycles: number): ModelConfig =>
    tinyConfig("trm", { cycles, macroSteps: 1, attentionDropout: 0 });

  const trainingKernels = async (cycles: number) => {
    const model = new TinyRecursiveModel(configFor(cycles), 1);
    const recorder = new GradientRecorder();
    const state = model.initialState(2);
    const profile = await tf.profile(() => {
      const result = model.trainMacroStep(tiles, offsets, state, asAdam(recorder), 0);
      tf.dispose([result.loss, result.logits, result.state.answer, result.state.latent]);
    });
    tf.dispose([state.answer, state.latent]);
    recorder.dispose();
    model.dispose();
    return profile.kernels.length;
  };
  const evaluationKernels = async (cycles: number) => {
    const model = new TinyRecursiveModel(configFor(cycles), 1);
    const profile = await tf.profile(() => tf.dispose(model.predict(tiles)));
    model.dispose();
    return profile.kernels.length;
  };

  // One more gradient-free cycle must cost exactly its forward kernels, as in evaluation.
  const forwardOfOneCycle = await evaluationKernels(3) - await evaluationKernels(2);
  const trainingCostOfOneCycle = await trainingKernels(3) - await trainingKernels(2);

  assert.ok(forwardOfOneCycle > 0);
  assert.equal(trainingCostOfOneCycle, forwardOfOneCycle);
  tf.dispose([tiles, offsets]);
});

Deno.test("TRM training lowers the loss on a repeated batch", () => {
  const model = new TinyRecursiveModel(CONFIG, 1);
  const optimizer = new Adam(model.trainable, ADAM);
  const { tiles, offsets } = randomBatch(CONFIG, 4, 2);
  const lastLoss = () =>
    tf.tidy(() => {
      const logits = model.predict(tiles);
      return fisherYatesLoss(logits[logits.length - 1], offsets).dataSync()[0];
    });
  const before = lastLoss();

  for (let step = 0; step < 4; step++) disposeResult(model.trainBatch(tiles, offsets, optimizer, step));

  const after = lastLoss();
  assert.ok(after < before - 0.1, `loss went from ${before} to ${after}`);
  tf.dispose([tiles, offsets]);
  optimizer.dispose();
  model.dispose();
});

Deno.test("TRM trainBatch and predict keep the tensor count stable", () => {
  const model = new TinyRecursiveModel(CONFIG, 1);
  const optimizer = new Adam(model.trainable, ADAM);
  const { tiles, offsets } = randomBatch(CONFIG, 2, 2);
  disposeResult(model.trainBatch(tiles, offsets, optimizer, 0));
  tf.dispose(model.predict(tiles));
  const before = tf.memory().numTensors;

  for (let step = 1; step < 3; step++) {
    disposeResult(model.trainBatch(tiles, offsets, optimizer, step));
    tf.dispose(model.predict(tiles));
    assert.equal(tf.memory().numTensors, before, `after step ${step}`);
  }
  tf.dispose([tiles, offsets]);
  optimizer.dispose();
  model.dispose();
});

Deno.test("TRM rejects invalid recursion settings", () => {
  assert.throws(() => new TinyRecursiveModel(tinyConfig("trm", { cycles: 0 }), 0), {
    name: "RangeError",
    message: /Invalid cycles 0/,
  });
  assert.throws(() => new TinyRecursiveModel(tinyConfig("eot"), 0), { name: "RangeError", message: /"eot"/ });
});
