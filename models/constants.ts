/**
 * Device-resident constants (scalars, masks, index maps) created once per backend and
 * reused by every step, so training steps upload nothing that never changes.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

const cache = new Map<string, tf.Tensor>();

/**
 * Returns the constant stored under `key` on the current backend, building it with
 * `build` on first use. The tensor is kept (no `tf.tidy` disposes it), so callers must
 * not dispose it; {@linkcode disposeConstants} releases all of them.
 */
export function cachedConstant<T extends tf.Tensor>(key: string, build: () => T): T {
  const fullKey = `${tf.getBackend()}/${key}`;
  const cached = cache.get(fullKey);
  if (cached !== undefined && !cached.isDisposed) return cached as T;

  const tensor = tf.keep(tf.tidy(build));
  cache.set(fullKey, tensor);
  return tensor;
}

/** Returns a cached scalar constant of `value`. */
export function scalarConstant(value: number, dtype: "float32" | "int32" = "float32"): tf.Scalar {
  return cachedConstant(`scalar/${dtype}/${value}`, () => tf.scalar(value, dtype));
}

/** Releases every cached constant of every backend; later calls rebuild them on demand. */
export function disposeConstants(): void {
  for (const tensor of cache.values()) tensor.dispose();
  cache.clear();
}
