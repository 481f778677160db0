/**
 * Class-balanced weights (Cui et al. 2019, "Class-Balanced Loss Based on Effective Number of
 * Samples", arXiv 1901.05555): w_c = (1 - β) / (1 - β^{n_c}), normalised to sum to C, as in
 * the paper's reference code (`weights / sum(weights) * no_of_classes`).
 */
import { checkInRange, describe } from '../options.js';

/**
 * One weight per class from the class counts n_c (each > 0) and β in [0, 1): β = 0 gives
 * equal weights, β -> 1 weights inversely proportional to the counts. The weights sum to
 * the number of classes C, so a weight may exceed 1: use them as per-class `weights` of the
 * sigmoid-family ops (a [C] tensor broadcasts over [..., C]), or rescale (w / max w) for an
 * `alpha` in [0, 1].
 *
 * ```js
 * import { classBalancedAlpha } from 'focal-loss/core';
 * console.log(classBalancedAlpha([1000, 100, 10], 0.999)); // rare classes weigh more
 * ```
 */
export function classBalancedAlpha(counts: ArrayLike<number>, beta: number): number[] {
  const op = 'classBalancedAlpha';
  if (counts === null || typeof counts !== 'object' || typeof counts.length !== 'number' || counts.length === 0) {
    throw new Error(`${op}: counts must be a non-empty array of numbers, got ${describe(counts)}`);
  }
  checkInRange(op, 'beta', beta, 0, 1, '[)');
  const raw: number[] = [];
  for (let c = 0; c < counts.length; c++) {
    const n = counts[c];
    if (typeof n !== 'number' || !(n > 0) || !Number.isFinite(n)) {
      throw new Error(`${op}: counts[${c}] = ${describe(n)} is not a finite number > 0`);
    }
    // (1 - β) / (1 - β^n) without cancellation: -expm1(n log β) = 1 - β^n; β = 0 gives 1.
    raw.push(beta === 0 ? 1 : (1 - beta) / -Math.expm1(n * Math.log(beta)));
  }
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((w) => (w / total) * counts.length);
}
