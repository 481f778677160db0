/**
 * The four focal losses on plain arrays: loss and gradient (with respect to the logits)
 * from one pass, computed in float64. The TF.js ops run the same `*Into` functions.
 */
import { categoricalFocalLossInto } from './categorical.js';
import { classAxisLayout } from './layout.js';
import type { NumericArray } from './numerics.js';
import {
  checkBeta,
  checkBinaryAlpha,
  checkClassAlpha,
  checkGamma,
  checkIgnoreIndex,
  checkOptions,
  checkLabelSmoothing,
  checkNormalizer,
  checkReduction,
  formatShape,
  normalizeAxis,
  sizeOf,
} from './options.js';
import type { Reduction } from './reduction.js';
import { sigmoidFocalLossInto, type SigmoidKernelOptions } from './sigmoid.js';
import { softmaxFocalLossInto } from './softmax.js';

/** Options common to every loss. */
export interface CommonOptions<R extends Reduction = Reduction> {
  /** Focusing parameter γ >= 0 (FL*: > 0). Default 2. */
  gamma?: number;
  /** 'none' | 'sum' | 'mean'. Default 'mean'. */
  reduction?: R;
  /** Multiplied into the per-element loss; same length as that loss. */
  weights?: NumericArray;
  /** With 'mean', divides the summed loss instead of the element count. A number > 0. */
  normalizer?: number;
}

/** Options of {@link sigmoidFocalLoss}: the common ones plus alpha and label smoothing. */
export interface SigmoidOptions<R extends Reduction = Reduction> extends CommonOptions<R> {
  /** Weight of positives in [0, 1] (negatives: 1 - alpha); null: none. Default 0.25. */
  alpha?: number | null;
  /** Targets become t (1 - s) + s / 2. Default 0. */
  labelSmoothing?: number;
}

/** Options of {@link sigmoidFocalLossStar} (FL*): the sigmoid options plus the shift β. */
export interface StarOptions<R extends Reduction = Reduction> extends SigmoidOptions<R> {
  /** FL* shift β: p_t* = sigmoid(γ x_t + β). Default 1. */
  beta?: number;
}

/** Options of {@link softmaxFocalLoss} (integer labels): the common ones plus alpha, ignoreIndex and the class axis. */
export interface SoftmaxOptions<R extends Reduction = Reduction> extends CommonOptions<R> {
  /** null (default), one weight for every class, or one per class. */
  alpha?: number | ArrayLike<number> | null;
  /** Labels equal to this give 0 loss and 0 gradient and are not counted by 'mean'. */
  ignoreIndex?: number;
  /** The class axis of the logits. Default -1. */
  axis?: number;
}

/** Options of {@link categoricalFocalLoss} (one-hot or soft targets): the common ones plus alpha, label smoothing and the class axis. */
export interface CategoricalOptions<R extends Reduction = Reduction> extends CommonOptions<R> {
  /** null (default), one weight for every class, or one per class. */
  alpha?: number | ArrayLike<number> | null;
  /** Targets become y (1 - s) + s / C. Default 0. */
  labelSmoothing?: number;
  /** The class axis of the logits and targets. Default -1. */
  axis?: number;
}

/** Loss (a number, or one value per element/row for 'none') and d loss / d logits. */
export interface FocalLossResult<R extends Reduction = Reduction> {
  /** The reduced loss ('mean', 'sum'), or the loss per element or row ('none'). */
  loss: R extends 'none' ? Float64Array : number;
  /** d loss / d logits, in the logits' layout. */
  grad: Float64Array;
}

const COMMON = ['gamma', 'reduction', 'weights', 'normalizer'] as const;

function checkLengths(
  op: string,
  shape: readonly number[],
  logits: NumericArray,
  other: NumericArray,
  otherName: string,
  otherLength: number,
): void {
  if (logits.length !== sizeOf(shape)) {
    throw new Error(`${op}: logits has ${logits.length} values but shape ${formatShape(shape)} needs ${sizeOf(shape)}`);
  }
  if (other.length !== otherLength) {
    throw new Error(`${op}: ${otherName} has ${other.length} values, expected ${otherLength}`);
  }
}

function checkWeights(op: string, weights: NumericArray | undefined, length: number): NumericArray | null {
  if (weights === undefined) return null;
  if (weights.length !== length) {
    throw new Error(`${op}: weights has ${weights.length} values, expected ${length} (one per loss element)`);
  }
  return weights;
}

/**
 * Applies a normalizer after a 'sum' pass: the loss and the gradient are both divided.
 */
function finish<R extends Reduction>(
  loss: number,
  lossPerElement: Float64Array | null,
  grad: Float64Array,
  normalizer: number | null,
  reduction: R,
): FocalLossResult<R> {
  if (normalizer !== null && reduction === 'mean') {
    for (let i = 0; i < grad.length; i++) grad[i] /= normalizer;
    loss /= normalizer;
  }
  const value = reduction === 'none' ? lossPerElement : loss;
  return { loss: value as FocalLossResult<R>['loss'], grad };
}

function sigmoidLike<R extends Reduction>(
  op: string,
  mode: 'focal' | 'star',
  logits: NumericArray,
  targets: NumericArray,
  shape: readonly number[],
  given: StarOptions<R> | null,
): FocalLossResult<R> {
  const known = mode === 'star' ? [...COMMON, 'alpha', 'labelSmoothing', 'beta'] : [...COMMON, 'alpha', 'labelSmoothing'];
  const options = checkOptions(op, given, known);
  const n = sizeOf(shape);
  checkLengths(op, shape, logits, targets, 'targets', n);
  const reduction = checkReduction(op, options.reduction ?? 'mean') as R;
  const normalizer = options.normalizer === undefined ? null : checkNormalizer(op, options.normalizer);
  const kernelOptions: SigmoidKernelOptions = {
    mode,
    alpha: checkBinaryAlpha(op, options.alpha === undefined ? 0.25 : options.alpha),
    gamma: checkGamma(op, options.gamma ?? 2, mode === 'star'),
    beta: mode === 'star' ? checkBeta(op, options.beta ?? 1) : 0,
    labelSmoothing: checkLabelSmoothing(op, options.labelSmoothing ?? 0),
    reduction: normalizer !== null && reduction === 'mean' ? 'sum' : reduction,
  };
  const weights = checkWeights(op, options.weights, n);
  const grad = new Float64Array(n);
  const lossOut = reduction === 'none' ? new Float64Array(n) : null;
  const loss = sigmoidFocalLossInto(logits, targets, weights, kernelOptions, lossOut, grad);
  return finish(loss, lossOut, grad, normalizer, reduction);
}

/**
 * Sigmoid focal loss (binary and multi-label) of Lin et al. 2017, arXiv 1708.02002:
 * FL = -α_t (1 - p_t)^γ log(p_t), p = sigmoid(logits), elementwise.
 *
 * @param logits Raw scores, `shape` row-major.
 * @param targets Same length, in [0, 1] (soft targets allowed).
 * @param shape The logits' shape (checked against the lengths).
 * @param options alpha (default 0.25), gamma (2), reduction ('mean'), weights, normalizer, labelSmoothing.
 * @returns The loss and its gradient with respect to the logits, in float64.
 *
 * ```js
 * import { sigmoidFocalLoss } from 'focal-loss/core';
 * const { loss, grad } = sigmoidFocalLoss([2, -1, 0.5], [1, 0, 0], [3]);
 * console.log(loss, grad);
 * ```
 */
export function sigmoidFocalLoss<R extends Reduction = 'mean'>(
  logits: NumericArray,
  targets: NumericArray,
  shape: readonly number[],
  options: SigmoidOptions<R> | null = {},
): FocalLossResult<R> {
  return sigmoidLike('sigmoidFocalLoss', 'focal', logits, targets, shape, options);
}

/**
 * FL* of the paper's appendix A: p_t* = sigmoid(γ x_t + β), FL* = -α_t log(p_t*) / γ, with
 * x_t = x (2t - 1) for binary targets t.
 *
 * ```js
 * import { sigmoidFocalLossStar } from 'focal-loss/core';
 * const { loss } = sigmoidFocalLossStar([2, -1], [1, 0], [2], { gamma: 2, beta: 1 });
 * ```
 */
export function sigmoidFocalLossStar<R extends Reduction = 'mean'>(
  logits: NumericArray,
  targets: NumericArray,
  shape: readonly number[],
  options: StarOptions<R> | null = {},
): FocalLossResult<R> {
  return sigmoidLike('sigmoidFocalLossStar', 'star', logits, targets, shape, options);
}

/**
 * Softmax focal loss with integer labels: FL = -α_y (1 - p_y)^γ log(p_y), p = softmax over
 * the class axis. `labels` has the logits' shape without the class axis.
 *
 * ```js
 * import { softmaxFocalLoss } from 'focal-loss/core';
 * const { loss } = softmaxFocalLoss([2, 0, -1, 0, 3, 1], [0, 2], [2, 3], { ignoreIndex: -1 });
 * ```
 */
export function softmaxFocalLoss<R extends Reduction = 'mean'>(
  logits: NumericArray,
  labels: NumericArray,
  shape: readonly number[],
  given: SoftmaxOptions<R> | null = {},
): FocalLossResult<R> {
  const op = 'softmaxFocalLoss';
  const options = checkOptions(op, given, [...COMMON, 'alpha', 'ignoreIndex', 'axis']);
  const axis = normalizeAxis(op, options.axis ?? -1, shape.length);
  const layout = classAxisLayout(shape, axis);
  const rows = layout.outer * layout.inner;
  checkLengths(op, shape, logits, labels, 'labels', rows);
  const reduction = checkReduction(op, options.reduction ?? 'mean') as R;
  const normalizer = options.normalizer === undefined ? null : checkNormalizer(op, options.normalizer);
  const weights = checkWeights(op, options.weights, rows);
  const grad = new Float64Array(logits.length);
  const lossOut = reduction === 'none' ? new Float64Array(rows) : null;
  const { loss } = softmaxFocalLossInto(
    logits,
    labels,
    weights,
    layout,
    {
      alpha: checkClassAlpha(op, options.alpha ?? null, layout.classes),
      gamma: checkGamma(op, options.gamma ?? 2),
      ignoreIndex: checkIgnoreIndex(op, options.ignoreIndex),
      reduction: normalizer !== null && reduction === 'mean' ? 'sum' : reduction,
    },
    lossOut,
    grad,
  );
  return finish(loss, lossOut, grad, normalizer, reduction);
}

/**
 * Categorical focal loss (Keras 3's form) with one-hot or soft targets on the class axis:
 * per row, FL = Σ_c α_c y_c (1 - p_c)^γ (-log p_c).
 *
 * ```js
 * import { categoricalFocalLoss } from 'focal-loss/core';
 * const { loss } = categoricalFocalLoss([2, 0, -1], [1, 0, 0], [1, 3], { labelSmoothing: 0.1 });
 * ```
 */
export function categoricalFocalLoss<R extends Reduction = 'mean'>(
  logits: NumericArray,
  targets: NumericArray,
  shape: readonly number[],
  given: CategoricalOptions<R> | null = {},
): FocalLossResult<R> {
  const op = 'categoricalFocalLoss';
  const options = checkOptions(op, given, [...COMMON, 'alpha', 'labelSmoothing', 'axis']);
  const axis = normalizeAxis(op, options.axis ?? -1, shape.length);
  const layout = classAxisLayout(shape, axis);
  const rows = layout.outer * layout.inner;
  checkLengths(op, shape, logits, targets, 'targets', logits.length);
  const reduction = checkReduction(op, options.reduction ?? 'mean') as R;
  const normalizer = options.normalizer === undefined ? null : checkNormalizer(op, options.normalizer);
  const weights = checkWeights(op, options.weights, rows);
  const grad = new Float64Array(logits.length);
  const lossOut = reduction === 'none' ? new Float64Array(rows) : null;
  const loss = categoricalFocalLossInto(
    logits,
    targets,
    weights,
    layout,
    {
      alpha: checkClassAlpha(op, options.alpha ?? null, layout.classes),
      gamma: checkGamma(op, options.gamma ?? 2),
      labelSmoothing: checkLabelSmoothing(op, options.labelSmoothing ?? 0),
      reduction: normalizer !== null && reduction === 'mean' ? 'sum' : reduction,
    },
    lossOut,
    grad,
  );
  return finish(loss, lossOut, grad, normalizer, reduction);
}
