import { type FloatArray, type NumericArray, focusFactor, powGamma, weighted } from './numerics.js';
import { checkTarget } from './options.js';
import type { Reduction } from './reduction.js';
import type { ClassAxisLayout } from './layout.js';
import { scanRow } from './softmax.js';

/** Options of the categorical (one-hot or soft targets) kernel, already validated. */
export interface CategoricalKernelOptions {
  /** One weight per class, or null for none. */
  alpha: ArrayLike<number> | null;
  /** Focusing parameter γ >= 0. */
  gamma: number;
  /** Targets become y (1 - s) + s / C first. */
  labelSmoothing: number;
  /** 'none' | 'sum' | 'mean'. */
  reduction: Reduction;
}

/**
 * Keras 3's categorical focal loss per row: FL = sum_c a_c y_c u_c^g (-log p_c), with
 * u_c = 1 - p_c. Each class term has the softmax gradient of softmax.ts with y = c, so
 *   dFL/dx_k = sum_c a_c y_c G_c (p_k - [k = c]),  G_c = u_c^g (1 + g p_c (-log p_c) / u_c)
 *            = p_k (S - T_k) - T_k u_k,            T_c = a_c y_c G_c,  S = sum_c T_c
 * which uses 1 - p_k = u_k rather than subtracting. u_c is formed as in softmax.ts, and
 * infinite logits give the limits as there: 0 for a class at the row's +Infinity max,
 * +Infinity for a class with y_c > 0 and p_c = 0 (NaN for two +Infinity in a row).
 * Writes the gradient of the reduced loss into `gradOut` (null: forward only, no gradient), per-row losses into `lossOut`
 * for 'none', and returns the reduced loss ('mean' divides by the number of rows). Throws on
 * a target outside [0, 1] or NaN.
 */
export function categoricalFocalLossInto(
  logits: NumericArray,
  targets: NumericArray,
  weights: NumericArray | null,
  layout: ClassAxisLayout,
  options: CategoricalKernelOptions,
  lossOut: FloatArray | null,
  gradOut: FloatArray | null,
): number {
  const { outer, classes, inner } = layout;
  const { alpha, gamma, labelSmoothing, reduction } = options;
  const rows = outer * inner;
  const gradScale = reduction === 'mean' && rows > 0 ? 1 / rows : 1;
  const smoothKeep = 1 - labelSmoothing;
  const smoothAdd = labelSmoothing / classes;
  const scratch = new Float64Array(2);
  // Per-class terms of the current row: T_c and u_c.
  const terms = new Float64Array(classes);
  const us = new Float64Array(classes);
  let sum = 0;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const row = o * inner + i;
      const base = o * classes * inner + i;
      const argmax = scanRow(logits, base, inner, classes, scratch, gradOut);
      const max = scratch[0];
      const sumRest = scratch[1];
      const s = 1 + sumRest;
      const logS = Math.log1p(sumRest);
      const w = weights === null ? 1 : weights[row];
      let loss = 0;
      let total = 0;
      for (let c = 0; c < classes; c++) {
        const idx = base + c * inner;
        const target = targets[idx];
        checkTarget('categoricalFocalLoss', target, idx);
        const y = target * smoothKeep + smoothAdd;
        const ec = c === argmax ? 1 : Math.exp(logits[idx] - max);
        const u = c === argmax ? sumRest / s : (s - ec) / s;
        us[c] = u;
        if (y === 0) {
          terms[c] = 0;
          continue;
        }
        // max - x_c is 0 at the max (also where both are +Infinity, which would give NaN).
        const nll = (logits[idx] === max ? 0 : max - logits[idx]) + logS;
        const ug = powGamma(u, gamma);
        const a = (alpha === null ? 1 : alpha[c]) * y * w;
        loss += weighted(a, ug * nll);
        const t = a * ug * (1 + gamma * focusFactor(ec / s, nll, u));
        terms[c] = t;
        total += t;
      }
      sum += loss;
      if (lossOut !== null) lossOut[row] = loss;
      if (gradOut === null) continue;
      for (let c = 0; c < classes; c++) {
        const idx = base + c * inner;
        const pc = gradOut[idx] / s;
        gradOut[idx] = (pc * (total - terms[c]) - terms[c] * us[c]) * gradScale;
      }
    }
  }
  if (reduction === 'none') return NaN;
  return reduction === 'mean' ? (rows > 0 ? sum / rows : 0) : sum;
}
