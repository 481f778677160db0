/**
 * Distribution Focal Loss (GFL, Li et al. 2020, arXiv 2006.04388), as mmdetection's
 * `distribution_focal_loss` (mmdet/models/losses/gfocal_loss.py): a box side's offset y in
 * [0, R] (R = regMax) is predicted as a discrete distribution S = softmax(x) over the R + 1
 * bins 0..R, and the loss pulls S towards the two bins around y:
 *
 *     l = floor(y) (R - 1 at y = R), r = l + 1,  w_l = r - y,  w_r = y - l
 *     DFL = -[w_l log S_l + w_r log S_r] = w_l nll_l + w_r nll_r
 *     d DFL / d x_j = S_j - (w_l [j = l] + w_r [j = r])
 *
 * From the logits in log space: with m = max_j x_j (first argmax a) and
 * rest = sum_{j != a} e^(x_j - m), -log S_j = (m - x_j) + log1p(rest) (both terms >= 0, no
 * cancellation, finite for every finite logit), and at the argmax S_a - w = (1 - w) - rest / s,
 * s = 1 + rest. mmdetection's GFL head clamps y to R - 0.01; here y = R is accepted as the
 * limit (w_l = 0). A zero bin weight silences an infinite -log S (0 · ∞ = 0); a NaN logit makes
 * its row NaN; a row with two +Infinity logits is NaN (no limit); one +Infinity logit gives the
 * limits (S one-hot).
 */
import { type FloatArray, type NumericArray, weighted } from '../numerics.js';
import { checkInteger, checkNormalizer, checkOptions, checkReduction, formatShape, invalidEntry, sizeOf } from '../options.js';
import type { Reduction } from '../reduction.js';

export const DISTRIBUTION_OP = 'distributionFocalLoss';

/** regMax: an integer >= 1 (bins = regMax + 1). Default 16 (GFL's reg_max). */
export function checkRegMax(op: string, value: unknown): number {
  return checkInteger(op, 'regMax', value, 1);
}

/** Throws naming the op and argument unless y is a number in [0, regMax]. */
export function checkDistributionTargets(op: string, targets: NumericArray, regMax: number): void {
  for (let i = 0; i < targets.length; i++) {
    const y = targets[i];
    if (!(y >= 0 && y <= regMax)) throw invalidEntry(op, 'targets', i, y, `in [0, regMax] = [0, ${regMax}]`);
  }
}

/**
 * One pass over the rows (bins = regMax + 1 logits each, contiguous): writes the gradient of
 * the reduced loss into `gradOut` (null: forward only, no gradient), the per-row loss into `lossOut` when reduction is 'none',
 * and returns the reduced loss (NaN for 'none'; 'mean' divides by the row count). Weights are
 * per row. Throws on a target outside [0, regMax].
 */
export function distributionLossInto(
  logits: NumericArray,
  targets: NumericArray,
  weights: NumericArray | null,
  bins: number,
  reduction: Reduction,
  lossOut: FloatArray | null,
  gradOut: FloatArray | null,
  op = DISTRIBUTION_OP,
): number {
  const rows = targets.length;
  const regMax = bins - 1;
  checkDistributionTargets(op, targets, regMax);
  const scale = reduction === 'mean' && rows > 0 ? 1 / rows : 1;
  let sum = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * bins;
    const y = targets[r];
    const l = Math.min(Math.floor(y), regMax - 1);
    const wl = l + 1 - y;
    const wr = y - l;
    const w = weights === null ? 1 : weights[r];
    let m = -Infinity;
    let a = 0;
    let nan = false;
    for (let j = 0; j < bins; j++) {
      const x = logits[base + j];
      if (Number.isNaN(x)) nan = true;
      else if (x > m || j === 0) {
        m = x;
        a = j;
      }
    }
    let rest = 0;
    for (let j = 0; j < bins; j++) if (j !== a) rest += Math.exp(logits[base + j] - m);
    if (nan || Number.isNaN(rest)) {
      if (gradOut !== null) for (let j = 0; j < bins; j++) gradOut[base + j] = NaN;
      if (lossOut !== null) lossOut[r] = NaN;
      sum += NaN;
      continue;
    }
    const s = 1 + rest;
    const lse = Math.log1p(rest);
    const nll = (j: number): number => (logits[base + j] === m ? 0 : m - logits[base + j]) + lse;
    const loss = weighted(w, weighted(wl, nll(l)) + weighted(wr, nll(l + 1)));
    if (lossOut !== null) lossOut[r] = loss;
    sum += loss;
    if (gradOut === null) continue;
    const g = w === 0 ? 0 : w * scale;
    for (let j = 0; j < bins; j++) {
      const target = j === l ? wl : j === l + 1 ? wr : 0;
      const d = j === a ? 1 - target - rest / s : Math.exp(logits[base + j] - m) / s - target;
      gradOut[base + j] = g === 0 ? 0 : d * g;
    }
  }
  if (reduction === 'none') return NaN;
  return reduction === 'mean' ? (rows > 0 ? sum / rows : 0) : sum;
}

/** Options of distributionFocalLoss on plain arrays. */
export interface DistributionCoreOptions<R extends Reduction = Reduction> {
  /** Number of bins minus one: the logits' last axis has regMax + 1 entries. Default 16. */
  regMax?: number;
  /** 'none' (per row) | 'sum' | 'mean' (default, over rows). */
  reduction?: R;
  /** One per row (per target), multiplied into its loss. */
  weights?: NumericArray;
  /** With 'mean', divides the summed loss instead of the row count. A number > 0. */
  normalizer?: number;
}

const KNOWN = ['regMax', 'reduction', 'weights', 'normalizer'];

/**
 * Distribution Focal Loss on plain arrays, float64: logits of `shape` [..., regMax + 1]
 * (row-major, bins last), targets one per row (shape without the last axis), values in
 * [0, regMax]. Returns { loss (per row for 'none'), grad (d loss / d logits) }.
 *
 * ```js
 * import { distributionFocalLoss } from 'focal-loss/core';
 * const { loss, grad } = distributionFocalLoss([0, 2, 1, -1], [1.3], [1, 4], { regMax: 3 });
 * ```
 */
export function distributionFocalLoss<R extends Reduction = 'mean'>(
  logits: NumericArray,
  targets: NumericArray,
  shape: readonly number[],
  given: DistributionCoreOptions<R> | null = {},
): {
  /** The reduced loss ('mean', 'sum'), or the loss per row ('none'). */
  loss: R extends 'none' ? Float64Array : number;
  /** d loss / d logits, in the logits' layout. */
  grad: Float64Array;
} {
  const op = DISTRIBUTION_OP;
  const options = checkOptions(op, given, KNOWN);
  const regMax = checkRegMax(op, options.regMax ?? 16);
  const reduction = checkReduction(op, options.reduction ?? 'mean') as R;
  const normalizer = options.normalizer === undefined ? null : checkNormalizer(op, options.normalizer);
  if (shape.length < 1 || shape[shape.length - 1] !== regMax + 1) {
    throw new Error(`${op}: logits need regMax + 1 = ${regMax + 1} bins on the last axis, got shape ${formatShape(shape)}`);
  }
  const n = sizeOf(shape);
  if (logits.length !== n) throw new Error(`${op}: logits has ${logits.length} values but shape ${formatShape(shape)} needs ${n}`);
  const rows = n / (regMax + 1);
  if (targets.length !== rows) throw new Error(`${op}: targets has ${targets.length} values, expected ${rows} (one per row of bins)`);
  const weights = options.weights ?? null;
  if (weights !== null && weights.length !== rows) {
    throw new Error(`${op}: weights has ${weights.length} values, expected ${rows} (one per row of bins)`);
  }
  const grad = new Float64Array(n);
  const lossOut = reduction === 'none' ? new Float64Array(rows) : null;
  const kernelReduction = normalizer !== null && reduction === 'mean' ? 'sum' : reduction;
  let loss = distributionLossInto(logits, targets, weights, regMax + 1, kernelReduction, lossOut, grad, op);
  if (normalizer !== null && reduction === 'mean') {
    for (let i = 0; i < n; i++) grad[i] /= normalizer;
    loss /= normalizer;
  }
  return { loss: (reduction === 'none' ? lossOut : loss) as R extends 'none' ? Float64Array : number, grad };
}
