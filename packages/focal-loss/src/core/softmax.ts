import { type FloatArray, type NumericArray, focusFactor, powGamma, weighted } from './numerics.js';
import type { ClassAxisLayout } from './layout.js';
import { invalidEntry } from './options.js';
import type { Reduction } from './reduction.js';

/** Options of the integer-label softmax kernel, already validated. */
export interface SoftmaxKernelOptions {
  /** One weight per class, or null for none. */
  alpha: ArrayLike<number> | null;
  /** Focusing parameter γ >= 0. */
  gamma: number;
  /** Label value that contributes nothing and is not counted by 'mean'; null: none. */
  ignoreIndex: number | null;
  /** 'none' | 'sum' | 'mean'. */
  reduction: Reduction;
}

/** Result of {@link softmaxFocalLossInto}: the reduced loss and the rows that counted. */
export interface ReducedLoss {
  /** The summed loss ('sum'), the mean over the counted rows ('mean'), or NaN for 'none' (the rows are in `lossOut`). */
  loss: number;
  /** The number of rows whose label is not `ignoreIndex`. */
  count: number;
}

/**
 * Scans one row (class c at base + c * stride): returns the argmax and leaves in `scratch`
 * the max and sum over the other classes of e^(x_c - max), so that s = 1 + scratch[1]
 * needs no subtraction later. Each e^(x_c - max) is also stored in `exps` at the class's
 * index (1 at the argmax), so the gradient pass needs no second exp; null where there is no
 * gradient pass. A NaN logit wins the max, so it propagates.
 */
export function scanRow(
  logits: NumericArray,
  base: number,
  stride: number,
  classes: number,
  scratch: Float64Array,
  exps: FloatArray | null,
): number {
  let max = -Infinity;
  let argmax = 0;
  for (let c = 0; c < classes; c++) {
    const v = logits[base + c * stride];
    if (v > max || v !== v) {
      max = v;
      argmax = c;
      if (v !== v) break;
    }
  }
  let sumRest = 0;
  for (let c = 0; c < classes; c++) {
    const idx = base + c * stride;
    const e = c === argmax ? 1 : Math.exp(logits[idx] - max);
    if (c !== argmax) sumRest += e;
    if (exps !== null) exps[idx] = e;
  }
  scratch[0] = max;
  scratch[1] = sumRest;
  return argmax;
}

/**
 * Writes the gradient of the reduced loss into `gradOut` (logits' layout; null: forward
 * only, no gradient), the per-row
 * loss into `lossOut` for 'none', and returns the reduced loss with the count of rows whose
 * label is not `ignoreIndex`. Throws on a label that is not an integer in [0, C).
 *
 * Per row, with s = sum_c e^(x_c - max) (see `scanRow`):
 *   -log p_y = (max - x_y) + log1p(s - 1)
 *   u = 1 - p_y = (s - e^(x_y - max)) / s, or (s - 1) / s when y is the argmax
 * so neither the loss nor u cancels when p_y is close to 1. The gradient is
 *   dFL/dx_c = a_y (p_c - [c = y]) u^g (1 + g p_y (-log p_y) / u),
 * where (-log p_y) / u -> 1 as u -> 0 keeps it finite for g < 1, and p_y - 1 = -u.
 * Infinite logits give the limits (see logitsRowInto); two +Infinity logits in a row, or a
 * row of -Infinity, have none and give NaN.
 */
export function softmaxFocalLossInto(
  logits: NumericArray,
  labels: NumericArray,
  weights: NumericArray | null,
  layout: ClassAxisLayout,
  options: SoftmaxKernelOptions,
  lossOut: FloatArray | null,
  gradOut: FloatArray | null,
): ReducedLoss {
  const { outer, classes, inner } = layout;
  const { alpha, gamma, ignoreIndex, reduction } = options;
  const count = countCounted(labels, ignoreIndex);
  // 'mean' divides by the counted rows; fold it into the gradient as it is written.
  const gradScale = reduction === 'mean' ? (count > 0 ? 1 / count : 0) : 1;
  const scratch = new Float64Array(2);
  let sum = 0;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const row = o * inner + i;
      const base = o * classes * inner + i;
      const y = labels[row];
      if (y === ignoreIndex) {
        if (gradOut !== null) for (let c = 0; c < classes; c++) gradOut[base + c * inner] = 0;
        if (lossOut !== null) lossOut[row] = 0;
        continue;
      }
      checkLabel(y, row, classes, ignoreIndex);
      const a = (alpha === null ? 1 : alpha[y]) * (weights === null ? 1 : weights[row]);
      const loss = logitsRowInto(logits, base, inner, classes, y, a, gamma, gradScale, scratch, gradOut);
      sum += loss;
      if (lossOut !== null) lossOut[row] = loss;
    }
  }
  if (reduction === 'mean') return { loss: count > 0 ? sum / count : 0, count };
  return { loss: reduction === 'none' ? NaN : sum, count };
}

/**
 * One row of {@link softmaxFocalLossInto} (class c at base + c * stride, label y, a = alpha_y
 * times the weight): writes the row's gradient, scaled by gradScale, unless gradOut is null,
 * and returns its loss.
 * At infinite logits: x_y = max = +Infinity makes max - x_y and x_y - max 0 (not NaN), so
 * loss and gradient are 0; a +Infinity elsewhere or x_y = -Infinity gives p_y = 0, loss
 * +Infinity and the gradient's limit a (p_c - [c = y]) (see focusFactor).
 */
function logitsRowInto(
  logits: NumericArray,
  base: number,
  stride: number,
  classes: number,
  y: number,
  a: number,
  gamma: number,
  gradScale: number,
  scratch: Float64Array,
  gradOut: FloatArray | null,
): number {
  const argmax = scanRow(logits, base, stride, classes, scratch, gradOut);
  const max = scratch[0];
  const sumRest = scratch[1];
  const s = 1 + sumRest;
  const xy = logits[base + y * stride];
  const top = xy === max;
  const ey = top ? 1 : Math.exp(xy - max);
  const nll = (top ? 0 : max - xy) + Math.log1p(sumRest);
  const u = y === argmax ? sumRest / s : (s - ey) / s;
  const ug = powGamma(u, gamma);
  if (gradOut !== null) {
    const g = a * ug * (1 + gamma * focusFactor(ey / s, nll, u)) * gradScale;
    for (let c = 0; c < classes; c++) {
      const idx = base + c * stride;
      gradOut[idx] = c === y ? -g * u : g * (gradOut[idx] / s);
    }
  }
  return weighted(a, ug * nll);
}

function countCounted(labels: NumericArray, ignoreIndex: number | null): number {
  if (ignoreIndex === null) return labels.length;
  let count = 0;
  for (let k = 0; k < labels.length; k++) if (labels[k] !== ignoreIndex) count++;
  return count;
}

/** A label that is not ignoreIndex must be a class index: an integer in [0, C). */
function checkLabel(y: number, row: number, classes: number, ignoreIndex: number | null): void {
  if (Number.isInteger(y) && y >= 0 && y < classes) return;
  const ignored = ignoreIndex === null ? '' : ` and is not ignoreIndex (${ignoreIndex})`;
  throw invalidEntry('softmaxFocalLoss', 'labels', row, y, `an integer in [0, ${classes})${ignored}`);
}

/** checkLabel over every label that is not ignoreIndex (for paths that do not loop over them). */
export function checkLabels(labels: NumericArray, classes: number, ignoreIndex: number | null): void {
  for (let row = 0; row < labels.length; row++) {
    if (labels[row] !== ignoreIndex) checkLabel(labels[row], row, classes, ignoreIndex);
  }
}

/** Below this, a float32 probability is too close to underflow for -log(p). */
const TINY_PROBABILITY = 1e-30;

/**
 * The same loss and gradient as {@link softmaxFocalLossInto}, class axis last, from
 * probabilities p = softmax(x) computed by a fast native kernel (the wasm backend's): the
 * per-element work is then additions and one multiply, the exps and logs are per row.
 * Precision is kept where it matters: when p_y >= 1/2, u = 1 - p_y is summed from the other
 * classes' p (no cancellation) and -log p_y = -log1p(-u); where p_y is about to
 * underflow the log-sum-exp is taken from the logits instead. `gradOut` may be `probs`
 * itself: each row is read before it is overwritten. A row whose p_y is NaN (a +Infinity
 * logit makes the native softmax compute Infinity - Infinity) is computed from the logits.
 */
export function softmaxFocalLossFromProbsInto(
  probs: NumericArray,
  logits: NumericArray,
  labels: NumericArray,
  weights: NumericArray | null,
  classes: number,
  options: SoftmaxKernelOptions,
  lossOut: FloatArray | null,
  gradOut: FloatArray | null,
): ReducedLoss {
  const { alpha, gamma, ignoreIndex, reduction } = options;
  const rows = labels.length;
  const count = countCounted(labels, ignoreIndex);
  const gradScale = reduction === 'mean' ? (count > 0 ? 1 / count : 0) : 1;
  let scratch: Float64Array | null = null;
  let sum = 0;
  for (let row = 0; row < rows; row++) {
    const base = row * classes;
    const y = labels[row];
    if (y === ignoreIndex) {
      if (gradOut !== null) for (let c = 0; c < classes; c++) gradOut[base + c] = 0;
      if (lossOut !== null) lossOut[row] = 0;
      continue;
    }
    checkLabel(y, row, classes, ignoreIndex);
    const a = (alpha === null ? 1 : alpha[y]) * (weights === null ? 1 : weights[row]);
    const py = probs[base + y];
    if (py !== py) {
      scratch ??= new Float64Array(2);
      const loss = logitsRowInto(logits, base, 1, classes, y, a, gamma, gradScale, scratch, gradOut);
      sum += loss;
      if (lossOut !== null) lossOut[row] = loss;
      continue;
    }
    // For p_y < 1/2, 1 - p_y is as exact as p_y; above, sum the other classes instead.
    let u = 1 - py;
    if (py >= 0.5) {
      u = 0;
      for (let c = 0; c < y; c++) u += probs[base + c];
      for (let c = y + 1; c < classes; c++) u += probs[base + c];
    }
    const nll = py >= 0.5 ? -Math.log1p(-u) : py >= TINY_PROBABILITY ? -Math.log(py) : logSumExp(logits, base, classes) - logits[base + y];
    const ug = powGamma(u, gamma);
    const loss = weighted(a, ug * nll);
    sum += loss;
    if (lossOut !== null) lossOut[row] = loss;
    if (gradOut === null) continue;
    const g = a * ug * (1 + gamma * focusFactor(py, nll, u)) * gradScale;
    for (let c = 0; c < classes; c++) gradOut[base + c] = g * probs[base + c];
    gradOut[base + y] = -g * u;
  }
  if (reduction === 'mean') return { loss: count > 0 ? sum / count : 0, count };
  return { loss: reduction === 'none' ? NaN : sum, count };
}

function logSumExp(logits: NumericArray, base: number, classes: number): number {
  let max = -Infinity;
  for (let c = 0; c < classes; c++) max = Math.max(max, logits[base + c]);
  let s = 0;
  for (let c = 0; c < classes; c++) s += Math.exp(logits[base + c] - max);
  return max + Math.log(s);
}
