/**
 * Fisher–Yates label encoding: a permutation of S tiles as S − 1 swap offsets,
 * the target the models predict.
 *
 * @module
 */

/**
 * Encodes `perm` (position k holds original tile `perm[k]`) as S − 1 offsets,
 * with `0 <= offsets[i] <= S - 1 - i`.
 */
export function encodePermutation(perm: ArrayLike<number>): Int32Array {
  const size = perm.length;
  const state = Int32Array.from({ length: size }, (_, i) => i);
  // where[v] is the position of value v in state, so each step is O(1).
  const where = Int32Array.from({ length: size }, (_, i) => i);
  const offsets = new Int32Array(Math.max(size - 1, 0));

  for (let i = 0; i < size - 1; i++) {
    const value = perm[i];
    if (!(value >= 0 && value < size) || where[value] < i) {
      throw new RangeError(`Not a permutation of 0..${size - 1}: ${Array.from(perm).join(" ")}`);
    }
    const j = where[value];
    offsets[i] = j - i;

    const displaced = state[i];
    state[j] = displaced;
    where[displaced] = j;
    state[i] = value;
    where[value] = i;
  }
  if (size > 0 && where[perm[size - 1]] !== size - 1) {
    throw new RangeError(`Not a permutation of 0..${size - 1}: ${Array.from(perm).join(" ")}`);
  }
  return offsets;
}

/** Decodes S − 1 offsets back to the permutation of S tiles; any in-range offsets give a valid one. */
export function decodeOffsets(offsets: ArrayLike<number>, size = offsets.length + 1): Int32Array {
  if (offsets.length !== size - 1) {
    throw new RangeError(`Expected ${size - 1} offsets for ${size} tiles, got ${offsets.length}`);
  }
  const perm = Int32Array.from({ length: size }, (_, i) => i);
  for (let i = 0; i < size - 1; i++) {
    const offset = offsets[i];
    if (!(Number.isInteger(offset) && offset >= 0 && offset <= size - 1 - i)) {
      throw new RangeError(`Offset ${i} is ${offset}, outside 0..${size - 1 - i}`);
    }
    const j = i + offset;
    const tmp = perm[i];
    perm[i] = perm[j];
    perm[j] = tmp;
  }
  return perm;
}
