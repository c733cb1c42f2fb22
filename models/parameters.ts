/**
 * Creation of model parameters with PyTorch's default initialisations, drawn on the
 * host from keyed streams so that a seed alone fixes every weight, and gradient
 * computation keyed by parameter name.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
// tfjs-core 4.22 registers no gradient functions by itself; the union package
// registers all of them in the shared global registry when it loads.
import "@tensorflow/tfjs";
// Then replaces the matMul gradient with one that is fast on WASM.
import "./matmul_gradient.ts";
import { Rng, Stream } from "../data/rng.ts";

/** Scale that gives a normal truncated at ±2 standard deviations a standard deviation of 1. */
export const TRUNCATED_NORMAL_STD_CORRECTION = 1.1368472343385565;

let nextScope = 0;

/**
 * Creates the learned parameters and buffers of one model or model part.
 *
 * The k-th learned parameter created (k from 0, in creation order) draws its values
 * from `Rng.forKeys(seed, Stream.init, k)`, so changing the creation order changes
 * the initialisation. Buffers draw no random values.
 */
export class ParameterBuilder {
  /** Learned parameters by name, in creation order. */
  readonly trainable = new Map<string, tf.Variable>();
  /** Saved but not learned state by name, in creation order. */
  readonly buffers = new Map<string, tf.Variable>();

  readonly #seed: number;
  // tfjs registers variables globally by name, so each builder prefixes its own scope.
  readonly #scope = `jigsaw${nextScope++}`;
  #parameterIndex = 0;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new RangeError(`Invalid seed ${seed}: expected an integer`);
    this.#seed = seed;
  }

  /** Creates a learned parameter drawn from U(low, high). */
  uniform(name: string, shape: number[], low: number, high: number): tf.Variable {
    const rng = this.#nextStream();
    const values = new Float32Array(shapeSize(shape));
    for (let i = 0; i < values.length; i++) values[i] = low + (high - low) * rng.float();
    return this.#addTrainable(name, tf.tensor(values, shape));
  }

  /** Creates a linear or convolution weight or bias with PyTorch's default U(±1/√fanIn). */
  fanInUniform(name: string, shape: number[], fanIn: number): tf.Variable {
    const bound = 1 / Math.sqrt(fanIn);
    return this.uniform(name, shape, -bound, bound);
  }

  /** Creates a weight with Xavier-uniform initialisation, U(±√(6 / (fanIn + fanOut))). */
  xavierUniform(name: string, shape: number[], fanIn: number, fanOut: number): tf.Variable {
    const bound = Math.sqrt(6 / (fanIn + fanOut));
    return this.uniform(name, shape, -bound, bound);
  }

  /** Creates a learned parameter filled with `value`; it still takes a stream index. */
  constant(name: string, shape: number[], value: number): tf.Variable {
    this.#nextStream();
    return this.#addTrainable(name, tf.fill(shape, value));
  }

  /** Creates a buffer (saved, not learned) holding `values`, or filled with a number. */
  buffer(name: string, shape: number[], values: number | Float32Array): tf.Variable {
    if (this.buffers.has(name) || this.trainable.has(name)) {
      throw new Error(`Parameter "${name}" is already defined: use a unique name`);
    }
    const tensor = typeof values === "number" ? tf.fill(shape, values) : tf.tensor(values, shape);
    const variable = tf.variable(tensor, false, `${this.#scope}/${name}`);
    tensor.dispose();
    this.buffers.set(name, variable);
    return variable;
  }

  /** Releases every parameter and buffer created by this builder. */
  dispose(): void {
    for (const variable of this.trainable.values()) variable.dispose();
    for (const variable of this.buffers.values()) variable.dispose();
    this.trainable.clear();
    this.buffers.clear();
  }

  #nextStream(): Rng {
    return Rng.forKeys(this.#seed, Stream.init, this.#parameterIndex++);
  }

  #addTrainable(name: string, tensor: tf.Tensor): tf.Variable {
    if (this.trainable.has(name) || this.buffers.has(name)) {
      tensor.dispose();
      throw new Error(`Parameter "${name}" is already defined: use a unique name`);
    }
    const variable = tf.variable(tensor, true, `${this.#scope}/${name}`);
    tensor.dispose();
    this.trainable.set(name, variable);
    return variable;
  }
}

/**
 * Draws `count` values from a normal of standard deviation 1 truncated at ±2 (by
 * rejection) and scales them by {@linkcode TRUNCATED_NORMAL_STD_CORRECTION}, so the
 * result has standard deviation 1 and lies within ±2 · 1.1368….
 */
export function truncatedNormal(rng: Rng, count: number): Float32Array {
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    let value = rng.normal();
    while (Math.abs(value) > 2) value = rng.normal();
    values[i] = value * TRUNCATED_NORMAL_STD_CORRECTION;
  }
  return values;
}

/**
 * Computes `f()` and its gradients with respect to every parameter of `trainable`,
 * returning the gradients under the parameters' names (not tfjs's variable names).
 * The caller disposes the value and the gradients.
 */
export function parameterGradients(
  f: () => tf.Scalar,
  trainable: ReadonlyMap<string, tf.Variable>,
): { value: tf.Scalar; grads: Record<string, tf.Tensor> } {
  const variables = [...trainable.values()];
  const { value, grads } = tf.variableGrads(f, variables);

  const named: Record<string, tf.Tensor> = {};
  for (const [name, variable] of trainable) {
    const grad = grads[variable.name];
    if (grad != null) named[name] = grad;
  }
  return { value, grads: named };
}

function shapeSize(shape: number[]): number {
  return shape.reduce((product, size) => product * size, 1);
}
