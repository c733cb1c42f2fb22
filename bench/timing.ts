/**
 * The timed section of every benchmark case: start the clock, queue the work, read its
 * outputs back to the host, stop the clock. The read-back is what makes the figure
 * include the device work. tfjs on WebGPU returns from a kernel call as soon as the
 * kernel is queued, and only an awaited `data()` waits for the GPU to finish.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/** The clock of a `deno bench` case: `Deno.BenchContext`, or a stand-in in tests. */
export type Stopwatch = Pick<Deno.BenchContext, "start" | "end">;

/**
 * Runs `work` `repeats` times between `stopwatch.start()` and `stopwatch.end()`, awaiting
 * the read-back of every tensor that `work` returns before the next repeat and before the
 * clock stops. Disposes those tensors afterwards, outside the timed section.
 * Returns the timed milliseconds as measured by `performance.now()`.
 *
 * A WebGPU queue runs its commands in submission order, and tfjs submits every queued
 * kernel before it copies a tensor out. So reading back a step's last output, its loss for
 * example, also waits for kernels that the output does not depend on, such as the Adam
 * update queued before the read-back.
 */
export async function timeOnDevice(
  stopwatch: Stopwatch,
  work: () => tf.Tensor[],
  repeats = 1,
): Promise<number> {
  if (!Number.isInteger(repeats) || repeats < 1) {
    throw new RangeError(`Invalid repeats ${repeats}: expected a positive integer`);
  }
  const produced: tf.Tensor[] = [];
  try {
    stopwatch.start();
    const started = performance.now();

    for (let repeat = 0; repeat < repeats; repeat++) {
      const outputs = work();
      produced.push(...outputs);
      await Promise.all(outputs.map((tensor) => tensor.data()));
    }

    const elapsed = performance.now() - started;
    stopwatch.end();
    return elapsed;
  } finally {
    tf.dispose(produced);
  }
}
