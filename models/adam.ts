/**
 * Adam with PyTorch's update rule (`torch.optim.Adam`, no weight decay, no AMSGrad),
 * which tfjs's built-in optimizer does not reproduce, with moments held as variables
 * so checkpoints can save and restore them.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/** Adam hyperparameters. */
export interface AdamOptions {
  /** Learning rate (the study uses 3e-4). */
  learningRate: number;
  /** Decay of the first-moment average (the study uses 0.9). */
  beta1: number;
  /** Decay of the second-moment average (the study uses 0.999). */
  beta2: number;
  /** Added to the denominator for stability (the study uses 1e-8). */
  epsilon: number;
}

/**
 * Adam optimizer. For step t (from 1) and gradient g of parameter p:
 * `m ← β1·m + (1 − β1)·g`, `v ← β2·v + (1 − β2)·g²`,
 * `p ← p − (lr / (1 − β1^t)) · m / (sqrt(v) / sqrt(1 − β2^t) + ε)`, the form PyTorch computes.
 *
 * @example
 * ```ts
 * const optimizer = new Adam(model.trainable, { learningRate: 3e-4, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
 * model.trainBatch(tiles, offsets, optimizer, dropoutSeed);
 * ```
 */
export class Adam {
  readonly #params: ReadonlyMap<string, tf.Variable>;
  readonly #firstMoments = new Map<string, tf.Variable>();
  readonly #secondMoments = new Map<string, tf.Variable>();
  readonly #options: AdamOptions;
  readonly #constants: {
    beta1: tf.Scalar;
    oneMinusBeta1: tf.Scalar;
    beta2: tf.Scalar;
    oneMinusBeta2: tf.Scalar;
    epsilon: tf.Scalar;
  };
  #step = 0;

  /** Creates zero moments for every parameter of `params`, keyed by the same names. */
  constructor(params: ReadonlyMap<string, tf.Variable>, options: AdamOptions) {
    const { learningRate, beta1, beta2, epsilon } = options;
    if (!(learningRate >= 0)) throw new RangeError(`Invalid learning rate ${learningRate}: expected >= 0`);
    if (!(beta1 >= 0 && beta1 < 1)) throw new RangeError(`Invalid beta1 ${beta1}: expected 0 <= beta1 < 1`);
    if (!(beta2 >= 0 && beta2 < 1)) throw new RangeError(`Invalid beta2 ${beta2}: expected 0 <= beta2 < 1`);
    if (!(epsilon >= 0)) throw new RangeError(`Invalid epsilon ${epsilon}: expected >= 0`);
    this.#params = params;
    this.#options = { ...options };

    for (const [name, param] of params) {
      this.#firstMoments.set(name, zeroVariable(param));
      this.#secondMoments.set(name, zeroVariable(param));
    }
    this.#constants = {
      beta1: tf.keep(tf.scalar(beta1)),
      oneMinusBeta1: tf.keep(tf.scalar(1 - beta1)),
      beta2: tf.keep(tf.scalar(beta2)),
      oneMinusBeta2: tf.keep(tf.scalar(1 - beta2)),
      epsilon: tf.keep(tf.scalar(epsilon)),
    };
  }

  /** Number of updates applied so far (PyTorch's `state["step"]`). */
  get step(): number {
    return this.#step;
  }

  /** Sets the update count, to resume from a checkpoint together with {@linkcode Adam.moments}. */
  set step(count: number) {
    if (!Number.isInteger(count) || count < 0) {
      throw new RangeError(`Invalid Adam step ${count}: expected a non-negative integer`);
    }
    this.#step = count;
  }

  /**
   * Applies one update with `grads` keyed by parameter name and increments the step.
   * Parameters without a gradient keep their value and moments, as in PyTorch.
   * The caller keeps ownership of the gradients.
   */
  applyGradients(grads: Record<string, tf.Tensor>): void {
    for (const name of Object.keys(grads)) {
      if (!this.#params.has(name)) {
        throw new RangeError(`Gradient for unknown parameter "${name}": the optimizer was built without it`);
      }
    }
    this.#step += 1;

    // Bias corrections are computed in float64 on the host, as PyTorch does, and
    // uploaded as two scalars per step.
    const { learningRate, beta1, beta2 } = this.#options;
    const biasCorrection1 = 1 - beta1 ** this.#step;
    const biasCorrection2 = 1 - beta2 ** this.#step;
    const c = this.#constants;

    tf.tidy(() => {
      const stepSize = tf.scalar(learningRate / biasCorrection1);
      const biasCorrection2Sqrt = tf.scalar(Math.sqrt(biasCorrection2));

      for (const [name, grad] of Object.entries(grads)) {
        const param = this.#params.get(name)!;
        const m = this.#firstMoments.get(name)!;
        const v = this.#secondMoments.get(name)!;

        m.assign(tf.add(tf.mul(m, c.beta1), tf.mul(grad, c.oneMinusBeta1)));
        v.assign(tf.add(tf.mul(v, c.beta2), tf.mul(tf.square(grad), c.oneMinusBeta2)));
        const denominator = tf.add(tf.div(tf.sqrt(v), biasCorrection2Sqrt), c.epsilon);
        param.assign(tf.sub(param, tf.mul(tf.div(m, denominator), stepSize)));
      }
    });
  }

  /** Returns the moment variables as `adam.m.<param>` and `adam.v.<param>`, for checkpoints. */
  moments(): Map<string, tf.Variable> {
    const moments = new Map<string, tf.Variable>();
    for (const [name, m] of this.#firstMoments) moments.set(`adam.m.${name}`, m);
    for (const [name, v] of this.#secondMoments) moments.set(`adam.v.${name}`, v);
    return moments;
  }

  /** Releases the moments and constants; the parameters belong to the model. */
  dispose(): void {
    for (const m of this.#firstMoments.values()) m.dispose();
    for (const v of this.#secondMoments.values()) v.dispose();
    tf.dispose(Object.values(this.#constants));
  }
}

function zeroVariable(like: tf.Tensor): tf.Variable {
  const zeros = tf.zerosLike(like);
  const variable = tf.variable(zeros, false);
  zeros.dispose();
  return variable;
}
