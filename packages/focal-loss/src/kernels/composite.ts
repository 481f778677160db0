import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { checkTargets } from '../core/options.js';
import { sigmoidOpName } from '../core/sigmoid.js';
import { checkLabels } from '../core/softmax.js';
import type { Reduction } from '../core/reduction.js';
import { dataOnCpu } from './cpu_backends.js';
import { compositeDistribution } from './family/distribution.js';
import { compositeElementwise } from './family/kernel.js';
import {
  CATEGORICAL_FOCAL_LOSS,
  type CategoricalFocalLossAttrs,
  DISTRIBUTION_FOCAL_LOSS,
  ELEMENTWISE_FOCAL_LOSS,
  type FocalKernelAttrs,
  type FocalLossKernelName,
  SIGMOID_FOCAL_LOSS,
  SOFTMAX_FOCAL_LOSS,
  type SigmoidFocalLossAttrs,
  type SoftmaxFocalLossAttrs,
  focalAttrsOf,
} from './kernel_names.js';

/**
 * Composite (plain TF.js ops) implementations of the kernel contract in kernel_names.ts,
 * used on backends with no fused kernel. Each returns `[loss, grad]` exactly as the fused
 * kernels do: the loss reduced as asked, and the closed-form gradient of that reduced loss
 * with respect to the logits (no autodiff). The formulas are those of src/core, written
 * with tensor ops; float32 throughout, so sums follow the backend's own `tf.sum`.
 *
 * Invalid data is handled as the fused kernels handle it: where the backend keeps its data on
 * the CPU (tfjs-node), labels and targets are read and checked with the core's checks, which
 * throw the same errors; elsewhere nothing is read back and, as in the GPU kernels, a label
 * that is neither ignoreIndex nor an integer in [0, C) gives NaN for its row, and targets
 * enter the formulas as they are.
 */
export type CompositeFocalKernel = (inputs: Record<string, Tensor>, attrs: Record<string, unknown>) => [Tensor, Tensor];

type TypedComposite<K extends FocalLossKernelName> = (inputs: Record<string, Tensor>, attrs: FocalKernelAttrs[K]) => [Tensor, Tensor];

/** A composite as a kernel is called: with the attr map the ops passed (kernel_names.ts). */
function withAttrMap<K extends FocalLossKernelName>(kernelName: K, composite: TypedComposite<K>): CompositeFocalKernel {
  return (inputs, attrs) => composite(inputs, focalAttrsOf(kernelName, attrs));
}

/** The composite kernels, keyed by kernel name (see kernel_names.ts). */
export const compositeFocalKernels: Record<string, CompositeFocalKernel> = {
  [SIGMOID_FOCAL_LOSS]: withAttrMap(SIGMOID_FOCAL_LOSS, compositeSigmoidFocalLoss),
  [SOFTMAX_FOCAL_LOSS]: withAttrMap(SOFTMAX_FOCAL_LOSS, compositeSoftmaxFocalLoss),
  [CATEGORICAL_FOCAL_LOSS]: withAttrMap(CATEGORICAL_FOCAL_LOSS, compositeCategoricalFocalLoss),
  [ELEMENTWISE_FOCAL_LOSS]: withAttrMap(ELEMENTWISE_FOCAL_LOSS, compositeElementwise),
  [DISTRIBUTION_FOCAL_LOSS]: withAttrMap(DISTRIBUTION_FOCAL_LOSS, compositeDistribution),
};

/** m^gamma with 0^0 = 1 (the limit the loss needs at gamma = 0). */
function powGamma(m: Tensor, gamma: number): Tensor {
  if (gamma === 0) return tf.onesLike(m);
  if (gamma === 1) return m;
  if (gamma === 2) return tf.square(m);
  return tf.pow(m, tf.scalar(gamma));
}

/**
 * p (-log p) / u, u = 1 - p, as the core's focusFactor: 1 where u = 0, and 0 where p = 0
 * (also where -log p is +Infinity, where the product would be NaN).
 */
function focusFactor(p: Tensor, nll: Tensor, u: Tensor): Tensor {
  const uPositive = tf.greater(u, 0);
  const nllOverU = tf.where(uPositive, tf.div(nll, tf.where(uPositive, u, tf.onesLike(u))), tf.onesLike(u));
  return tf.where(tf.equal(p, 0), tf.zerosLike(p), tf.mul(p, nllOverU));
}

/** c * loss with 0 * Infinity = 0, as the core's `weighted`: a zero weight silences an infinite loss. */
function weighted(c: Tensor, loss: Tensor): Tensor {
  const product = tf.mul(c, loss);
  return tf.where(tf.logicalAnd(tf.equal(c, 0), tf.equal(loss, Infinity)), tf.zerosLike(product), product);
}

/** Sum or mean of `perItem` and the matching scale of the gradient. */
function reduce(perItem: Tensor, reduction: Reduction, count: Tensor | number): [Tensor, Tensor] {
  if (reduction === 'none') return [perItem, tf.scalar(1)];
  const sum = tf.sum(perItem);
  if (reduction === 'sum') return [sum, tf.scalar(1)];
  const n = typeof count === 'number' ? tf.scalar(count) : count;
  const positive = tf.greater(n, 0);
  const scale = tf.where(positive, tf.div(1, tf.maximum(n, 1)), tf.scalar(0));
  return [tf.mul(sum, scale), scale];
}

/**
 * Sigmoid focal loss and FL*; see src/core/sigmoid.ts for the derivation:
 *   ce = t softplus(-x) + (1 - t) softplus(x),  m = t q + (1 - t) p  (p = sigmoid(x), q = 1 - p)
 *   FL = a_t m^g ce,  dFL/dx = a_t m^g [(p - t) + g (1 - 2t) (p q / m) ce]
 *   FL* = a_t softplus(-z) / g, z = g x (2t - 1) + b,  d(FL*)/dx = -a_t (2t - 1) sigmoid(-z)
 * At x = ±Infinity, where those meet 0 * Infinity, their limits (sigmoidLimits).
 */
function compositeSigmoidFocalLoss(inputs: Record<string, Tensor>, attrs: SigmoidFocalLossAttrs): [Tensor, Tensor] {
  const { mode, alpha, gamma, beta, labelSmoothing, reduction } = attrs;
  if (dataOnCpu()) checkTargets(sigmoidOpName(mode), inputs.targets.dataSync());
  return tf.tidy(() => {
    const x = inputs.logits;
    let t: Tensor = tf.cast(inputs.targets, 'float32');
    if (labelSmoothing !== 0) t = tf.add(tf.mul(t, 1 - labelSmoothing), labelSmoothing / 2);
    const at = alpha === null ? tf.scalar(1) : tf.add(tf.mul(t, alpha), tf.mul(tf.sub(1, t), 1 - alpha));
    const twoTMinusOne = tf.sub(tf.mul(t, 2), 1);
    let loss: Tensor;
    let grad: Tensor;
    if (mode === 'star') {
      const z = tf.add(tf.mul(tf.mul(x, twoTMinusOne), gamma), beta);
      loss = tf.div(tf.mul(at, softplus(tf.neg(z))), gamma);
      grad = tf.neg(tf.mul(tf.mul(at, twoTMinusOne), tf.sigmoid(tf.neg(z))));
    } else {
      const p = tf.sigmoid(x);
      const q = tf.sigmoid(tf.neg(x));
      const oneMinusT = tf.sub(1, t);
      const ce = tf.add(tf.mul(t, softplus(tf.neg(x))), tf.mul(oneMinusT, softplus(x)));
      const m = tf.add(tf.mul(t, q), tf.mul(oneMinusT, p));
      const mg = powGamma(m, gamma);
      const positive = tf.greater(m, 0);
      const r = tf.where(positive, tf.div(tf.mul(p, q), tf.where(positive, m, tf.onesLike(m))), tf.zerosLike(m));
      loss = tf.mul(tf.mul(at, mg), ce);
      const inner = tf.add(tf.sub(p, t), tf.mul(tf.mul(tf.mul(twoTMinusOne, -gamma), r), ce));
      grad = tf.mul(tf.mul(at, mg), inner);
    }
    if (inputs.weights != null) {
      loss = tf.mul(loss, inputs.weights);
      grad = tf.mul(grad, inputs.weights);
    }
    const c = inputs.weights == null ? at : tf.mul(at, inputs.weights);
    const [limitLoss, limitGrad] = sigmoidLimits(x, t, c, attrs);
    const infinite = tf.isInf(x);
    loss = tf.where(infinite, limitLoss, loss);
    grad = tf.where(infinite, limitGrad, grad);
    const [reduced, scale] = reduce(loss, reduction, x.size);
    return [reduced, tf.reshape(tf.mul(grad, scale), x.shape)] as [Tensor, Tensor];
  });
}

/**
 * [loss, grad] at x = ±Infinity, scaled by c = a_t w, as the core's limitAtInfinity (src/core/sigmoid.ts):
 * focal, k = 1 - t at +Infinity and t at -Infinity: loss c * Infinity (0 if k = 0), gradient
 * ±c k^g k; FL*: 0 and 0 where z -> +Infinity, c * Infinity and -c (2t - 1) where z -> -Infinity,
 * and z = b for t = 1/2. c = 0 gives 0 and 0. Only read where x is infinite.
 */
function sigmoidLimits(x: Tensor, t: Tensor, c: Tensor, attrs: SigmoidFocalLossAttrs): [Tensor, Tensor] {
  const zero = tf.zerosLike(x);
  const silent = tf.equal(c, 0);
  if (attrs.mode === 'star') {
    const sgn = tf.sub(tf.mul(t, 2), 1);
    const half = tf.equal(sgn, 0);
    const right = tf.logicalOr(silent, tf.greater(tf.mul(x, sgn), 0));
    const loss = tf.where(
      half,
      tf.div(tf.mul(c, softplus(tf.scalar(-attrs.beta))), attrs.gamma),
      tf.where(right, zero, tf.mul(c, Infinity)),
    );
    const grad = tf.where(tf.logicalOr(half, right), zero, tf.neg(tf.mul(c, sgn)));
    return [tf.where(silent, zero, loss), grad];
  }
  const positive = tf.greater(x, 0);
  const k = tf.where(positive, tf.sub(1, t), t);
  const unbounded = tf.logicalAnd(tf.logicalNot(silent), tf.greater(k, 0));
  const loss = tf.where(unbounded, tf.mul(c, Infinity), zero);
  const grad = tf.mul(tf.mul(tf.where(positive, c, tf.neg(c)), powGamma(k, attrs.gamma)), k);
  return [loss, tf.where(unbounded, grad, zero)];
}

/** log(1 + e^x) = max(x, 0) + log1p(e^-|x|), finite for every finite x. */
function softplus(x: Tensor): Tensor {
  return tf.add(tf.relu(x), tf.log1p(tf.exp(tf.neg(tf.abs(x)))));
}

/** Logits moved to [rows, C] (class axis last), with the permutation to undo it. */
interface RowsView {
  rows: Tensor;
  perm: number[] | null;
  permutedShape: number[];
}

function classAxisLast(logits: Tensor, axis: number): RowsView {
  const rank = logits.rank;
  const classes = logits.shape[axis];
  let moved = logits;
  let perm: number[] | null = null;
  if (axis !== rank - 1) {
    perm = [...Array(rank).keys()].filter((d) => d !== axis).concat(axis);
    moved = tf.transpose(logits, perm);
  }
  return { rows: tf.reshape(moved, [-1, classes]), perm, permutedShape: moved.shape };
}

function undoClassAxisLast(grad2d: Tensor, view: RowsView): Tensor {
  const moved = tf.reshape(grad2d, view.permutedShape);
  if (view.perm === null) return moved;
  const inverse = new Array<number>(view.perm.length);
  view.perm.forEach((d, i) => (inverse[d] = i));
  return tf.transpose(moved, inverse);
}

/** Per-row softmax statistics as in src/core/softmax.ts (scanRow): no cancellation. */
interface RowStats {
  /** Row max, [rows, 1]. */
  max: Tensor;
  /** One-hot of the argmax, [rows, C]. */
  argmaxMask: Tensor;
  /** sum over the non-argmax classes of e^(x_c - max), [rows, 1]. */
  sumRest: Tensor;
  /** s = 1 + sumRest. */
  s: Tensor;
  /** e^(x - max), [rows, C]. */
  e: Tensor;
}

/**
 * [rows, C] bool, true at each row's class `indices[row]` (int32 [rows]). Unlike tf.oneHot,
 * which needs depth >= 2, this also works for a class axis of size 1.
 */
function classMask(indices: Tensor, classes: number): Tensor {
  return tf.equal(tf.reshape(indices, [-1, 1]), tf.range(0, classes, 1, 'int32'));
}

function rowStats(x: Tensor): RowStats {
  const classes = x.shape[1] as number;
  const max = tf.max(x, 1, true);
  const argmaxMask = tf.cast(classMask(tf.argMax(x, 1), classes), 'float32');
  // 1 at the argmax, also where the max is +Infinity (exp(Infinity - Infinity) would be NaN).
  const e = tf.where(tf.cast(argmaxMask, 'bool'), tf.onesLike(x), tf.exp(tf.sub(x, max)));
  const sumRest = tf.sum(tf.mul(e, tf.sub(1, argmaxMask)), 1, true);
  return { max, argmaxMask, sumRest, s: tf.add(sumRest, 1), e };
}

/**
 * Integer-label softmax focal loss; see src/core/softmax.ts:
 *   -log p_y = (max - x_y) + log1p(s - 1),  u = 1 - p_y = (s - e_y) / s or (s - 1) / s at the argmax
 *   dFL/dx_c = a_y u^g (1 + g p_y (-log p_y) / u) (p_c - [c = y])
 */
function compositeSoftmaxFocalLoss(inputs: Record<string, Tensor>, attrs: SoftmaxFocalLossAttrs): [Tensor, Tensor] {
  const { alpha, gamma, ignoreIndex, axis, reduction } = attrs;
  const logits = inputs.logits;
  const classes = logits.shape[axis];
  if (dataOnCpu()) checkLabels(inputs.labels.dataSync(), classes, ignoreIndex);
  return tf.tidy(() => {
    const view = classAxisLast(logits, axis);
    const x = view.rows;
    // Float, so that 2.5 or NaN is seen as it is rather than truncated by a cast to int32.
    const labelsFlat = tf.cast(tf.reshape(inputs.labels, [-1]), 'float32');
    const counted = ignoreIndex === null ? tf.ones(labelsFlat.shape, 'bool') : tf.notEqual(labelsFlat, ignoreIndex);
    const isClass = tf.logicalAnd(
      tf.logicalAnd(tf.greaterEqual(labelsFlat, 0), tf.less(labelsFlat, classes)),
      tf.equal(tf.floor(labelsFlat), labelsFlat),
    );
    const validCol = tf.reshape(tf.logicalAnd(counted, isClass), [-1, 1]);
    // A counted label that is no class index gives NaN for its row, as in the GPU kernels.
    const invalidCol = tf.reshape(tf.logicalAnd(counted, tf.logicalNot(isClass)), [-1, 1]);
    const safeLabels = tf.cast(tf.where(isClass, labelsFlat, tf.zerosLike(labelsFlat)), 'int32');
    const labelMask = tf.cast(classMask(safeLabels, classes), 'float32');
    const { max, argmaxMask, sumRest, s, e } = rowStats(x);
    // Picked with where, not a product with the mask: an infinite logit times 0 is NaN.
    const xy = tf.sum(tf.where(tf.cast(labelMask, 'bool'), x, tf.zerosLike(x)), 1, true);
    // x_y = max: 0 and 1, not max - x_y and its exp, which are NaN where both are +Infinity.
    const top = tf.equal(xy, max);
    const ey = tf.where(top, tf.onesLike(xy), tf.exp(tf.sub(xy, max)));
    const nll = tf.add(tf.where(top, tf.zerosLike(xy), tf.sub(max, xy)), tf.log1p(sumRest));
    const labelIsArgmax = tf.greater(tf.sum(tf.mul(argmaxMask, labelMask), 1, true), 0);
    const u = tf.div(tf.where(labelIsArgmax, sumRest, tf.sub(s, ey)), s);
    const ug = powGamma(u, gamma);
    let a: Tensor = tf.scalar(1);
    if (alpha !== null) a = tf.mul(a, tf.reshape(tf.gather(tf.tensor1d(alpha), safeLabels), [-1, 1]));
    if (inputs.weights != null) a = tf.mul(a, tf.reshape(inputs.weights, [-1, 1]));
    const nan = tf.scalar(NaN);
    // Ignored rows give exactly 0, even where their logits are not finite.
    const lossRows = tf.where(invalidCol, nan, tf.where(validCol, weighted(a, tf.mul(ug, nll)), tf.zerosLike(nll)));
    const g = tf.mul(tf.mul(a, ug), tf.add(1, tf.mul(focusFactor(tf.div(ey, s), nll, u), gamma)));
    const p = tf.div(e, s);
    // p_y - 1 = -u: use u for the label's entry rather than subtracting.
    const pMinusY = tf.where(tf.cast(labelMask, 'bool'), tf.neg(tf.mul(u, tf.onesLike(p))), p);
    const grad2d = tf.where(invalidCol, nan, tf.where(validCol, tf.mul(g, pMinusY), tf.zerosLike(p)));
    const [reduced, scale] = reduce(tf.reshape(lossRows, inputs.labels.shape), reduction, tf.sum(tf.cast(counted, 'float32')));
    return [reduced, tf.mul(undoClassAxisLast(grad2d, view), scale)] as [Tensor, Tensor];
  });
}

/**
 * Categorical (soft-target) focal loss; see src/core/categorical.ts:
 *   FL = sum_c a_c y_c u_c^g (-log p_c),  T_c = a_c y_c u_c^g (1 + g p_c (-log p_c) / u_c)
 *   dFL/dx_k = p_k (S - T_k) - T_k u_k,  S = sum_c T_c
 */
function compositeCategoricalFocalLoss(inputs: Record<string, Tensor>, attrs: CategoricalFocalLossAttrs): [Tensor, Tensor] {
  const { alpha, gamma, labelSmoothing, axis, reduction } = attrs;
  if (dataOnCpu()) checkTargets('categoricalFocalLoss', inputs.targets.dataSync());
  return tf.tidy(() => {
    const logits = inputs.logits;
    const classes = logits.shape[axis];
    const view = classAxisLast(logits, axis);
    const x = view.rows;
    let y: Tensor = classAxisLast(tf.cast(inputs.targets, 'float32'), axis).rows;
    if (labelSmoothing !== 0) y = tf.add(tf.mul(y, 1 - labelSmoothing), labelSmoothing / classes);
    const { max, argmaxMask, sumRest, s, e } = rowStats(x);
    // max - x_c is 0 at the max (NaN where both are +Infinity).
    const nll = tf.add(tf.where(tf.equal(x, max), tf.zerosLike(x), tf.sub(max, x)), tf.log1p(sumRest));
    const u = tf.div(tf.where(tf.cast(argmaxMask, 'bool'), tf.mul(sumRest, tf.onesLike(e)), tf.sub(s, e)), s);
    const ug = powGamma(u, gamma);
    let a: Tensor = y;
    if (alpha !== null) a = tf.mul(a, tf.tensor1d(alpha));
    if (inputs.weights != null) a = tf.mul(a, tf.reshape(inputs.weights, [-1, 1]));
    const present = tf.notEqual(y, 0);
    // A class with y = 0 contributes nothing, even where its nll is not finite.
    const lossTerms = tf.where(present, weighted(a, tf.mul(ug, nll)), tf.zerosLike(nll));
    const p = tf.div(e, s);
    const terms = tf.where(present, tf.mul(tf.mul(a, ug), tf.add(1, tf.mul(focusFactor(p, nll, u), gamma))), tf.zerosLike(p));
    const total = tf.sum(terms, 1, true);
    const grad2d = tf.sub(tf.mul(p, tf.sub(total, terms)), tf.mul(terms, u));
    const rowShape = logits.shape.filter((_, d) => d !== axis);
    const lossRows = tf.reshape(tf.sum(lossTerms, 1), rowShape);
    const [reduced, scale] = reduce(lossRows, reduction, lossRows.size);
    return [reduced, tf.mul(undoClassAxisLast(grad2d, view), scale)] as [Tensor, Tensor];
  });
}
