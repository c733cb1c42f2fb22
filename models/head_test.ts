import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { FisherYatesHead, MASKED_LOGIT, packedLogitCount } from "./head.ts";
import { ParameterBuilder } from "./parameters.ts";
import { maxDifference } from "./_test_helpers.ts";

await tf.setBackend("cpu");

const TILES = 4;
const HIDDEN = 5;

/** Computes position i's logits from the packed weight with one slice per position. */
function referenceLogits(tokens: tf.Tensor3D, weight: tf.Tensor, bias: tf.Tensor): tf.Tensor[] {
  const logits: tf.Tensor[] = [];
  let column = 0;
  for (let i = 0; i < TILES - 1; i++) {
    const width = TILES - i;
    const token = tf.reshape(tf.slice(tokens, [0, i, 0], [-1, 1, -1]), [-1, HIDDEN]);
    const layerWeight = tf.slice(weight, [0, column], [HIDDEN, width]);
    const layerBias = tf.slice(bias, [column], [width]);
    logits.push(tf.add(tf.matMul(token, layerWeight as tf.Tensor2D), layerBias));
    column += width;
  }
  return logits;
}

Deno.test("packedLogitCount counts S(S + 1) / 2 − 1 logits", () => {
  assert.equal(packedLogitCount(4), 4 + 3 + 2);
  assert.equal(packedLogitCount(36), 665);
});

Deno.test("FisherYatesHead matches one linear layer per position", () => {
  const builder = new ParameterBuilder(3);
  const head = new FisherYatesHead(builder, "head", TILES, HIDDEN);
  const weight = builder.trainable.get("head.weight")!;
  const bias = builder.trainable.get("head.bias")!;
  const tokens = tf.randomNormal([2, TILES, HIDDEN], 0, 1, "float32", 5) as tf.Tensor3D;

  const logits = head.forward(tokens);
  const expected = referenceLogits(tokens, weight, bias);

  assert.deepEqual(logits.shape, [2, TILES - 1, TILES]);
  for (let i = 0; i < TILES - 1; i++) {
    const real = tf.slice(logits, [0, i, 0], [-1, 1, TILES - i]).reshape([2, TILES - i]);
    assert.ok(maxDifference(real, expected[i]) < 1e-5, `position ${i} differs`);
    const masked = tf.slice(logits, [0, i, TILES - i], [-1, 1, i]).dataSync();
    assert.ok(masked.every((value) => value === MASKED_LOGIT), `position ${i}: masked entries ${masked}`);
    tf.dispose([real]);
  }
  tf.dispose([tokens, logits, ...expected]);
  builder.dispose();
});

Deno.test("FisherYatesHead gradients match one linear layer per position", () => {
  const builder = new ParameterBuilder(4);
  const head = new FisherYatesHead(builder, "head", TILES, HIDDEN);
  const weight = builder.trainable.get("head.weight")!;
  const bias = builder.trainable.get("head.bias")!;
  const tokens = tf.randomNormal([3, TILES, HIDDEN], 0, 1, "float32", 6) as tf.Tensor3D;
  const upstream = tf.randomNormal([3, TILES - 1, TILES], 0, 1, "float32", 7);

  // Only real entries get an upstream gradient: masked logits are constants.
  const packedUpstream: tf.Tensor[] = [];
  for (let i = 0; i < TILES - 1; i++) {
    packedUpstream.push(tf.reshape(tf.slice(upstream, [0, i, 0], [-1, 1, TILES - i]), [3, TILES - i]));
  }
  const actual = tf.variableGrads(() => tf.sum(tf.mul(head.forward(tokens), upstream)), [weight, bias]).grads;
  const expected = tf.variableGrads(() => {
    const logits = referenceLogits(tokens, weight, bias);
    return tf.addN(logits.map((l, i) => tf.sum(tf.mul(l, packedUpstream[i])))) as tf.Scalar;
  }, [weight, bias]).grads;

  assert.ok(maxDifference(actual[weight.name], expected[weight.name]) < 1e-5, "weight gradient differs");
  assert.ok(maxDifference(actual[bias.name], expected[bias.name]) < 1e-5, "bias gradient differs");
  const tokenGradient = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(head.forward(x as tf.Tensor3D), upstream)))(
    tokens,
  );
  const lastToken = tf.slice(tokenGradient, [0, TILES - 1, 0], [-1, 1, -1]).dataSync();
  assert.ok(lastToken.every((value) => value === 0), "the last token feeds no logit");

  tf.dispose([
    tokens,
    upstream,
    tokenGradient,
    ...packedUpstream,
    ...Object.values(actual),
    ...Object.values(expected),
  ]);
  builder.dispose();
});

Deno.test("FisherYatesHead packs parameters as [D, K] and [K]", () => {
  const builder = new ParameterBuilder(0);
  new FisherYatesHead(builder, "head", 6, HIDDEN);

  assert.deepEqual(builder.trainable.get("head.weight")!.shape, [HIDDEN, packedLogitCount(6)]);
  assert.deepEqual(builder.trainable.get("head.bias")!.shape, [packedLogitCount(6)]);
  const bound = 1 / Math.sqrt(HIDDEN);
  for (const name of ["head.weight", "head.bias"]) {
    const values = builder.trainable.get(name)!.dataSync();
    assert.ok(values.every((value) => Math.abs(value) <= bound), `${name} outside ±1/√D`);
  }
  builder.dispose();
});
