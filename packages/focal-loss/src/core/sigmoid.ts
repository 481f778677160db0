import { type FloatArray, type NumericArray, softplus, powGamma } from './numerics.js';
import { checkTarget } from './options.js';
import type { Reduction } from './reduction.js';

/** Options of the elementwise (sigmoid) kernels, already validated. */
export interface SigmoidKernelOptions {
  /** 'focal': a_t (1 - p_t)^gamma ce. 'star': FL* of the paper's appendix A. */
  mode: 'focal' | 'star';
  /** Weight of positives; negatives get 1 - alpha; null: 1 for both. */
  alpha: number | null;
  /** Focusing parameter γ >= 0. */
  gamma: number;
  /** FL* shift; unused by 'focal'. */
  beta: number;
  /** Targets become t (1 - s) + s / 2 first. */
  labelSmoothing: number;
  /** 'none' | 'sum' | 'mean'. */
  reduction: Reduction;
}

/** The op a sigmoid kernel runs for, as its errors name it. */
export function sigmoidOpName(mode: SigmoidKernelOptions['mode']): string {
  return mode === 'star' ? 'sigmoidFocalLossStar' : 'sigmoidFocalLoss';
}

/**
 * One pass over the elements: writes the gradient of the reduced loss into `gradOut` (null:
 * forward only, the gradient is not computed), the per-element loss into `lossOut` when
 * reduction is 'none', and returns the reduced loss (accumulated in float64; NaN for
 * 'none'). Throws on a target outside [0, 1] or NaN.
 *
 * Focal (x logit, t target, p = sigmoid(x), q = 1 - p = sigmoid(-x)):
 *   ce = softplus(x) - t x = t softplus(-x) + (1 - t) softplus(x)   (no cancellation)
 *   m  = 1 - p_t = t q + (1 - t) p
 *   FL = a_t m^g ce
 *   dFL/dx = a_t [m^g (p - t) + g m^(g-1) (1 - 2t) p q ce]
 * For g < 1 the factor m^(g-1) blows up as a logit saturates although the product tends
 * to 0, which is where other implementations produce NaN. Since m is a convex combination
 * of p and q, r = p q / m lies in [0, 1] and m^(g-1) p q = m^g r: every term is m^g times
 * something bounded, and r = 0 when m underflows to 0 (only possible for t in {0, 1}).
 *
 * FL* (z = g x_t + b, x_t = x (2t - 1)):  FL* = a_t softplus(-z) / g,
 *   d(FL*)/dx = -a_t (2t - 1) sigmoid(-z).
 *
 * At x = ±Infinity the formulas meet 0 * Infinity; the loop returns their limits instead
 * (see limitAtInfinity), on a branch that finite logits and valid targets do not take.
 */
export function sigmoidFocalLossInto(
  logits: NumericArray,
  targets: NumericArray,
  weights: NumericArray | null,
  options: SigmoidKernelOptions,
  lossOut: FloatArray | null,
  gradOut: FloatArray | null,
): number {
  const { mode, alpha, gamma, beta, labelSmoothing, reduction } = options;
  const n = logits.length;
  const smoothKeep = 1 - labelSmoothing;
  const smoothAdd = labelSmoothing / 2;
  // 'mean' divides by the element count; fold it into the gradient here.
  const gradScale = reduction === 'mean' && n > 0 ? 1 / n : 1;
  const star = mode === 'star';
  const op = sigmoidOpName(mode);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = logits[i];
    const target = targets[i];
    const t = target * smoothKeep + smoothAdd;
    const w = weights === null ? 1 : weights[i];
    const at = alpha === null ? 1 : alpha * t + (1 - alpha) * (1 - t);
    let loss: number;
    let grad = 0;
    // One branch keeps the formulas to finite logits and targets in [0, 1]; the rare rest is
    // settled apart (atEdge), so the common path pays a single test.
    if (!(Number.isFinite(x) && target >= 0 && target <= 1)) {
      [loss, grad] = atEdge(op, i, x, target, t, at * w, gamma, beta, star);
    } else if (star) {
      const z = gamma * x * (2 * t - 1) + beta;
      loss = ((at * softplus(-z)) / gamma) * w;
      if (gradOut !== null) {
        const e = Math.exp(-Math.abs(z));
        const sigmoidMinusZ = z >= 0 ? e / (1 + e) : 1 / (1 + e);
        grad = -at * (2 * t - 1) * sigmoidMinusZ * w;
      }
    } else {
      const e = Math.exp(-Math.abs(x));
      const log1pE = Math.log1p(e);
      const big = 1 / (1 + e);
      const small = e * big;
      const p = x >= 0 ? big : small;
      const q = x >= 0 ? small : big;
      const softplusX = Math.max(x, 0) + log1pE;
      const softplusMinusX = Math.max(-x, 0) + log1pE;
      const ce = t * softplusMinusX + (1 - t) * softplusX;
      const m = t * q + (1 - t) * p;
      const mg = powGamma(m, gamma);
      loss = at * mg * ce * w;
      if (gradOut !== null) {
        // Hard targets need no division: r is p (t = 1) or q (t = 0).
        const r = t === 1 ? p : t === 0 ? q : m > 0 ? (p * q) / m : 0;
        grad = at * mg * (p - t + gamma * (1 - 2 * t) * r * ce) * w;
      }
    }
    if (lossOut !== null) lossOut[i] = loss;
    if (gradOut !== null) gradOut[i] = grad * gradScale;
    sum += loss;
  }
  if (reduction === 'none') return NaN;
  return reduction === 'mean' ? (n > 0 ? sum / n : 0) : sum;
}

/**
 * [loss, gradient] of an element the formulas do not take: a target outside [0, 1] (or NaN)
 * throws, a NaN logit gives NaN, and x = ±Infinity its limits. c = a_t w.
 */
function atEdge(
  op: string,
  index: number,
  x: number,
  target: number,
  t: number,
  c: number,
  gamma: number,
  beta: number,
  star: boolean,
): [number, number] {
  checkTarget(op, target, index);
  if (Number.isNaN(x)) return [NaN, NaN];
  return limitAtInfinity(x, t, c, gamma, beta, star);
}

/**
 * [loss, gradient] at x = ±Infinity, scaled by c = a_t w: the limits of the formulas above,
 * which meet 0 * Infinity there.
 * Focal: with k = 1 - t at +Infinity and k = t at -Infinity (the weight of the side the logit
 * is wrong about), m -> k and ce -> Infinity unless k = 0, so FL -> c * Infinity for k > 0
 * and 0 for k = 0; the gradient tends to c k^g (p - t) = ±c k^g k (r ce -> 0 as x e^-x does).
 * FL*: z = g x (2t - 1) + b -> ±Infinity, or b for t = 1/2 (then FL* does not depend on x).
 * c = 0 (a zero weight or alpha) gives 0, the loss at every finite logit.
 */
function limitAtInfinity(x: number, t: number, c: number, gamma: number, beta: number, star: boolean): [number, number] {
  if (c === 0) return [0, 0];
  if (star) {
    const sgn = 2 * t - 1;
    if (sgn === 0) return [(c * softplus(-beta)) / gamma, 0];
    // z -> +Infinity: softplus(-z) and sigmoid(-z) -> 0; z -> -Infinity: they -> Infinity and 1.
    return x * sgn > 0 ? [0, 0] : [c * Infinity, -c * sgn];
  }
  const k = x > 0 ? 1 - t : t;
  if (k === 0) return [0, 0];
  return [c * Infinity, (x > 0 ? c : -c) * powGamma(k, gamma) * k];
}
