/**
 * The one seeded pseudo-random generator of the focal-loss packages: the library's seeded
 * shuffling, the CLI's splits, scenes and batch order, the playground's point clouds and the
 * tests' data all draw from it, so that a seed means the same stream everywhere.
 */

/**
 * mulberry32 (Tommy Ettinger's 32-bit generator): uniforms in [0, 1) from a 32-bit state
 * advanced by a Weyl sequence and mixed by multiply-xorshift. Small and fast, with a period of
 * 2^32: good enough for sampling and shuffling, not for cryptography.
 *
 * @param seed Any number; its low 32 bits (as an unsigned integer) are the initial state.
 * @returns A function returning the next uniform in [0, 1) at each call.
 *
 * ```js
 * import { mulberry32 } from 'focal-loss/core';
 * const random = mulberry32(42);
 * random(); // the same first value on every run
 * ```
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
