/**
 * The segmentation region losses on plain arrays, float64: Dice, focal Tversky and the
 * (asymmetric) Unified Focal loss. They are the reference the TF.js composites
 * (src/ops/dice_loss.ts, focal_tversky_loss.ts, unified_focal_loss.ts) are tested against,
 * loss only: the ops get their gradients from TF.js autodiff, tested against central
 * differences of these functions.
 *
 * Every score is written as its complement without cancellation: with TP = Σ t p,
 * FN = Σ t (1 - p), FP = Σ (1 - t) p over a group of pixels (1 - p from the logits, not by
 * subtraction),
 *     1 - Tversky = (a FN + b FP) / (TP + a FN + b FP + ε)       (a = α, b = β)
 *     1 - Dice    = (FN + FP) / (2 TP + FN + FP + ε)
 * so a nearly perfect prediction keeps its small loss to full relative precision.
 */
import type { NumericArray } from './numerics.js';
import { checkOptions, checkReduction, describe } from './options.js';
import type { Reduction } from './reduction.js';
import {
  type RegionLayout,
  type RegionOptions,
  REGION_OPTIONS,
  checkClassWeights,
  checkFlag,
  checkNonNegative,
  checkRegionLabels,
  checkRegionMasks,
  checkUnitInterval,
  regionLayout,
  resolveRegionOptions,
} from './region_options.js';

/** Probabilities of the logits and what the losses need of them, per (group, pixel, class). */
interface RegionData {
  groups: number;
  /** Pixels per group. */
  pixels: number;
  classes: number;
  p: Float64Array;
  /** 1 - p, computed without cancellation. */
  q: Float64Array;
  logp: Float64Array;
  t: Float64Array;
  /** 1 where the pixel counts, 0 where its label is ignoreIndex. */
  counted: Uint8Array;
}

/**
 * Softmax (last axis) or sigmoid probabilities in float64, the targets as masks (integer
 * labels one-hot), and the pixels grouped per image (perImage) or as one batch group.
 * `binaryAsTwoClasses`: one sigmoid channel becomes [background, foreground] = softmax([0, x]),
 * which is [σ(-x), σ(x)].
 */
function regionData(
  op: string,
  logits: NumericArray,
  targets: NumericArray,
  shape: readonly number[],
  activation: 'softmax' | 'sigmoid',
  ignoreIndex: number | null,
  perImage: boolean,
  binaryAsTwoClasses = false,
): RegionData & { layout: RegionLayout } {
  const size = shape.reduce((a, b) => a * b, 1);
  if (logits.length !== size) throw new Error(`${op}: logits has ${logits.length} values but shape [${shape.join(', ')}] needs ${size}`);
  const layout = regionLayout(op, shape, null, targets.length, activation, ignoreIndex);
  const { batch, pixels, labels } = layout;
  const rows = batch * pixels;
  let classes = layout.classes;
  let x: NumericArray = logits;
  let y: NumericArray = targets;
  let mode = activation;
  if (binaryAsTwoClasses) {
    if (activation !== 'sigmoid') throw new Error(`${op}: internal: the two-class view is of a sigmoid channel`);
    if (classes !== 1) {
      throw new Error(
        `${op}: activation 'sigmoid' is for binary segmentation with one channel (background 1 - p); got ${classes} channels (use 'softmax' with class 0 the background)`,
      );
    }
    checkRegionMasks(op, targets);
    const x2 = new Float64Array(2 * rows);
    const t2 = new Float64Array(2 * rows);
    for (let r = 0; r < rows; r++) {
      x2[2 * r + 1] = logits[r];
      t2[2 * r] = 1 - targets[r];
      t2[2 * r + 1] = targets[r];
    }
    x = x2;
    y = t2;
    classes = 2;
    mode = 'softmax';
  }
  const n = rows * classes;
  const p = new Float64Array(n);
  const q = new Float64Array(n);
  const logp = new Float64Array(n);
  const t = new Float64Array(n);
  const counted = new Uint8Array(rows).fill(1);
  if (labels) {
    checkRegionLabels(op, y, classes, ignoreIndex);
    for (let r = 0; r < rows; r++) {
      const label = y[r];
      if (label === ignoreIndex) {
        counted[r] = 0;
        continue;
      }
      t[r * classes + label] = 1;
    }
  } else {
    checkRegionMasks(op, y);
    for (let i = 0; i < n; i++) t[i] = y[i];
  }
  if (mode === 'sigmoid') {
    for (let i = 0; i < n; i++) {
      const v = x[i];
      // σ(±v) and log σ(v) = -softplus(-v), without overflow.
      const e = Math.exp(-Math.abs(v));
      const big = 1 / (1 + e);
      p[i] = v >= 0 ? big : e * big;
      q[i] = v >= 0 ? e * big : big;
      logp[i] = -(Math.max(-v, 0) + Math.log1p(e));
    }
  } else {
    for (let r = 0; r < rows; r++) softmaxRow(x, r * classes, classes, p, q, logp);
  }
  return { groups: perImage ? batch : 1, pixels: perImage ? pixels : rows, classes, p, q, logp, t, counted, layout };
}

/**
 * One softmax row: log p_c = x_c - max - log s with s = Σ e^(x_k - max); 1 - p_c for the
 * argmax is the other classes' share (s - 1) / s, for the rest (p_c <= 1/2) 1 - p_c.
 */
function softmaxRow(x: NumericArray, base: number, classes: number, p: Float64Array, q: Float64Array, logp: Float64Array): void {
  let max = -Infinity;
  let argmax = 0;
  for (let c = 0; c < classes; c++) {
    if (x[base + c] > max) {
      max = x[base + c];
      argmax = c;
    }
  }
  let rest = 0;
  for (let c = 0; c < classes; c++) if (c !== argmax) rest += Math.exp(x[base + c] - max);
  const logS = Math.log1p(rest);
  for (let c = 0; c < classes; c++) {
    const i = base + c;
    logp[i] = x[i] - max - logS;
    p[i] = Math.exp(logp[i]);
    q[i] = c === argmax ? rest / (1 + rest) : 1 - p[i];
  }
}

/** TP, FN, FP per (group, class), over the counted pixels. */
function confusion(d: RegionData): { tp: Float64Array; fn: Float64Array; fp: Float64Array } {
  const { groups, pixels, classes } = d;
  const tp = new Float64Array(groups * classes);
  const fn = new Float64Array(groups * classes);
  const fp = new Float64Array(groups * classes);
  for (let g = 0; g < groups; g++) {
    for (let k = 0; k < pixels; k++) {
      const row = g * pixels + k;
      if (d.counted[row] === 0) continue;
      for (let c = 0; c < classes; c++) {
        const i = row * classes + c;
        tp[g * classes + c] += d.t[i] * d.p[i];
        fn[g * classes + c] += d.t[i] * d.q[i];
        fp[g * classes + c] += (1 - d.t[i]) * d.p[i];
      }
    }
  }
  return { tp, fn, fp };
}

/** (a FN + b FP) / (w TP + a FN + b FP + ε): 1 - Tversky (w = 1) or 1 - Dice (w = 2, a = b = 1). */
export function scoreComplement(tp: number, fn: number, fp: number, tpWeight: number, a: number, b: number, smooth: number): number {
  const miss = a * fn + b * fp;
  return miss / (tpWeight * tp + miss + smooth);
}

function reduce(values: Float64Array, reduction: Reduction): number | Float64Array {
  if (reduction === 'none') return values;
  let sum = 0;
  for (const v of values) sum += v;
  return reduction === 'sum' ? sum : values.length > 0 ? sum / values.length : 0;
}

/** What a core region loss returns: the loss only (the TF.js ops differentiate their composites). */
export interface RegionLossResult<R extends Reduction = Reduction> {
  /** The reduced loss ('mean', 'sum'), or the losses of 'none' (their shape is the op's). */
  loss: R extends 'none' ? Float64Array : number;
}

/** Per (group, class) losses of the classes kept, times their weights. */
function perClassLoss(
  op: string,
  d: RegionData,
  options: { includeBackground?: boolean; classWeights?: ArrayLike<number> | null },
  lossOf: (tp: number, fn: number, fp: number) => number,
): Float64Array {
  const weights = checkClassWeights(op, options.classWeights, d.classes);
  const includeBackground = checkFlag(op, 'includeBackground', options.includeBackground ?? true);
  if (!includeBackground && d.classes < 2) {
    throw new Error(`${op}: includeBackground false drops class 0, but the logits have only 1 class`);
  }
  const first = includeBackground ? 0 : 1;
  const kept = d.classes - first;
  const { tp, fn, fp } = confusion(d);
  const out = new Float64Array(d.groups * kept);
  for (let g = 0; g < d.groups; g++) {
    for (let c = first; c < d.classes; c++) {
      const j = g * d.classes + c;
      out[g * kept + c - first] = (weights === null ? 1 : weights[c]) * lossOf(tp[j], fn[j], fp[j]);
    }
  }
  return out;
}

/** Options of {@link diceLoss} on plain arrays: the region options plus class weights and whether the background counts. */
export interface DiceCoreOptions<R extends Reduction = Reduction> extends RegionOptions<R> {
  /** Drop class 0 from the loss (MONAI's include_background=False). Default true (kept). */
  includeBackground?: boolean;
  /** One weight >= 0 per class, multiplied into that class's loss. */
  classWeights?: ArrayLike<number> | null;
}

/** Options of {@link focalTverskyLoss} on plain arrays: the Dice options plus the Tversky weights α, β and the focal exponent γ. */
export interface FocalTverskyCoreOptions<R extends Reduction = Reduction> extends DiceCoreOptions<R> {
  /** Weight of the false negatives α. Default 0.7. */
  alpha?: number;
  /** Weight of the false positives β. Default 1 - alpha. */
  beta?: number;
  /** Focal exponent γ > 0 on (1 - TI). Default 0.75. */
  gamma?: number;
}

/** Options of {@link unifiedFocalLoss} on plain arrays: the region options plus λ, δ and γ. */
export interface UnifiedFocalCoreOptions<R extends Reduction = Reduction> extends RegionOptions<R> {
  /** λ: weight of the asymmetric focal loss; 1 - λ weighs the asymmetric focal Tversky loss. Default 0.5. */
  lambda?: number;
  /** δ: weight of the rare (foreground) classes and of false negatives; 1 - δ of background and false positives. Default 0.6. */
  delta?: number;
  /** γ in [0, 1]: background suppression (1 - p)^γ and foreground enhancement (1 - TI)^(1 - γ). Default 0.5. */
  gamma?: number;
}

const DICE_KNOWN = [...REGION_OPTIONS, 'includeBackground', 'classWeights'];
const TVERSKY_KNOWN = [...DICE_KNOWN, 'alpha', 'beta', 'gamma'];
const UNIFIED_KNOWN = [...REGION_OPTIONS, 'lambda', 'delta', 'gamma'];

/** Default smoothing of each loss: that of the library it follows (docs/focal-family.md). */
export const DICE_SMOOTH = 1e-5;
export const FOCAL_TVERSKY_SMOOTH = 1e-6;
export const UNIFIED_SMOOTH = 1e-7;

/**
 * Soft Dice loss on plain arrays: per group (image, or the batch) and class,
 * 1 - (2 TP + ε) / (2 TP + FP + FN + ε); 'none' gives them as [groups, classes kept]
 * (groups: the batch, or 1 with perImage false).
 */
export function diceLoss<R extends Reduction = 'mean'>(
  logits: NumericArray,
  targets: NumericArray,
  shape: readonly number[],
  given: DiceCoreOptions<R> | null = {},
): RegionLossResult<R> {
  const op = 'diceLoss';
  const options = checkOptions(op, given, DICE_KNOWN);
  const reduction = checkReduction(op, options.reduction ?? 'mean');
  const { activation, perImage, ignoreIndex, smooth } = resolveRegionOptions(op, options, DICE_SMOOTH);
  const d = regionData(op, logits, targets, shape, activation, ignoreIndex, perImage);
  const values = perClassLoss(op, d, options, (tp, fn, fp) => scoreComplement(tp, fn, fp, 2, 1, 1, smooth));
  return { loss: reduce(values, reduction) as RegionLossResult<R>['loss'] };
}

/** Focal Tversky loss on plain arrays: per group and class (1 - TI)^γ, TI with α on FN and β on FP. */
export function focalTverskyLoss<R extends Reduction = 'mean'>(
  logits: NumericArray,
  targets: NumericArray,
  shape: readonly number[],
  given: FocalTverskyCoreOptions<R> | null = {},
): RegionLossResult<R> {
  const op = 'focalTverskyLoss';
  const options = checkOptions(op, given, TVERSKY_KNOWN);
  const reduction = checkReduction(op, options.reduction ?? 'mean');
  const { activation, perImage, ignoreIndex, smooth } = resolveRegionOptions(op, options, FOCAL_TVERSKY_SMOOTH);
  const { alpha, beta, gamma } = resolveTversky(op, options);
  const d = regionData(op, logits, targets, shape, activation, ignoreIndex, perImage);
  const values = perClassLoss(op, d, options, (tp, fn, fp) => Math.pow(scoreComplement(tp, fn, fp, 1, alpha, beta, smooth), gamma));
  return { loss: reduce(values, reduction) as RegionLossResult<R>['loss'] };
}

/**
 * alpha (0.7), beta (1 - alpha), gamma (0.75 > 0), checked: alpha and beta finite and >= 0,
 * not both 0. When beta is not given it is 1 - alpha, so alpha must then be in [0, 1]; an
 * alpha above 1 is reported as alpha's fault (the caller never passed beta).
 */
export function resolveTversky(
  op: string,
  options: { alpha?: number; beta?: number; gamma?: number },
): { alpha: number; beta: number; gamma: number } {
  const alpha = checkNonNegative(op, 'alpha', options.alpha ?? 0.7);
  if ((options.beta ?? null) === null && alpha > 1) {
    throw new Error(`${op}: alpha must be in [0, 1] when beta is not given (beta defaults to 1 - alpha), got ${describe(alpha)}`);
  }
  const beta = checkNonNegative(op, 'beta', options.beta ?? 1 - alpha);
  const gamma = checkNonNegative(op, 'gamma', options.gamma ?? 0.75);
  if (gamma === 0) throw new Error(`${op}: gamma must be > 0 ((1 - TI)^0 is constant), got 0`);
  if (alpha + beta === 0) throw new Error(`${op}: alpha and beta are both 0: the loss would be 0 whatever the prediction`);
  return { alpha, beta, gamma };
}

/** lambda (0.5), delta (0.6), gamma (0.5), each in [0, 1], checked. */
export function resolveUnified(
  op: string,
  options: { lambda?: number; delta?: number; gamma?: number },
): { lambda: number; delta: number; gamma: number } {
  return {
    lambda: checkUnitInterval(op, 'lambda', options.lambda ?? 0.5),
    delta: checkUnitInterval(op, 'delta', options.delta ?? 0.6),
    gamma: checkUnitInterval(op, 'gamma', options.gamma ?? 0.5),
  };
}

/**
 * Asymmetric Unified Focal loss on plain arrays (Yeung et al. 2022), per group g (image, or
 * the batch), class 0 the background and classes 1.. the rare ones (one sigmoid channel:
 * background 1 - p, foreground p):
 *     aF   = mean over the group's counted pixels of
 *            (1 - δ) t_0 (1 - p_0)^γ (-log p_0) + δ Σ_{c>=1} t_c (-log p_c)
 *     aFTL = mean over classes of: c = 0: 1 - TI_0;  c >= 1: (1 - TI_c)^(1 - γ)
 *            TI_c = (TP + ε) / (TP + δ FN + (1 - δ) FP + ε)
 *     L_g  = λ aF + (1 - λ) aFTL
 * 'none' gives L per group: [batch], or [1] with perImage false.
 */
export function unifiedFocalLoss<R extends Reduction = 'mean'>(
  logits: NumericArray,
  targets: NumericArray,
  shape: readonly number[],
  given: UnifiedFocalCoreOptions<R> | null = {},
): RegionLossResult<R> {
  const op = 'unifiedFocalLoss';
  const options = checkOptions(op, given, UNIFIED_KNOWN);
  const reduction = checkReduction(op, options.reduction ?? 'mean');
  const { activation, perImage, ignoreIndex, smooth } = resolveRegionOptions(op, options, UNIFIED_SMOOTH);
  const { lambda, delta, gamma } = resolveUnified(op, options);
  const d = regionData(op, logits, targets, shape, activation, ignoreIndex, perImage, activation === 'sigmoid');
  const { groups, pixels, classes } = d;
  const { tp, fn, fp } = confusion(d);
  const out = new Float64Array(groups);
  for (let g = 0; g < groups; g++) {
    let focal = 0;
    let count = 0;
    for (let k = 0; k < pixels; k++) {
      const row = g * pixels + k;
      if (d.counted[row] === 0) continue;
      count++;
      const b = row * classes;
      focal += (1 - delta) * d.t[b] * Math.pow(d.q[b], gamma) * -d.logp[b];
      for (let c = 1; c < classes; c++) focal += delta * d.t[b + c] * -d.logp[b + c];
    }
    let tversky = 0;
    for (let c = 0; c < classes; c++) {
      const j = g * classes + c;
      const miss = scoreComplement(tp[j], fn[j], fp[j], 1, delta, 1 - delta, smooth);
      tversky += c === 0 ? miss : Math.pow(miss, 1 - gamma);
    }
    out[g] = lambda * (count > 0 ? focal / count : 0) + (1 - lambda) * (tversky / classes);
  }
  return { loss: reduce(out, reduction) as RegionLossResult<R>['loss'] };
}
