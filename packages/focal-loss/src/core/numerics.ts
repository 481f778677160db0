/**
 * Scalar helpers shared by every loss. All arithmetic here is float64 (JS numbers).
 */

/** Any typed array the losses read from or write into. */
export type FloatArray = Float32Array | Float64Array;
/** Inputs may also be plain arrays or integer typed arrays (labels). */
export type NumericArray = ArrayLike<number>;

/** log(1 + e^x) without overflow: max(x, 0) + log1p(e^-|x|). */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/**
 * m^gamma with the common exponents special-cased (Math.pow dominates the inner loop
 * otherwise). 0^0 is 1, as the limit of the loss at gamma = 0 requires.
 */
export function powGamma(m: number, gamma: number): number {
  if (gamma === 2) return m * m;
  if (gamma === 1) return m;
  if (gamma === 0) return 1;
  return Math.pow(m, gamma);
}

/**
 * p (-log p) / u with u = 1 - p, the factor of gamma in the softmax gradients: it tends to 1
 * as u -> 0, and to 0 as p -> 0, also where -log p is +Infinity (an infinite logit), where
 * the product would be 0 * Infinity = NaN.
 */
export function focusFactor(p: number, nll: number, u: number): number {
  return p === 0 ? 0 : p * (u > 0 ? nll / u : 1);
}

/**
 * c * loss with 0 * Infinity = 0: a zero weight (or alpha) makes the loss 0 at every finite
 * logit, so its limit at an infinite logit is 0 as well. NaN stays NaN.
 */
export function weighted(c: number, loss: number): number {
  return c === 0 && loss === Infinity ? 0 : c * loss;
}
