import { type Tensor, type TensorLike, tidy } from '@tensorflow/tfjs-core';
import { checkClassAlpha, checkGamma, checkLabelSmoothing, checkOptions, checkReduction, normalizeAxis } from '../core/options.js';
import type { Reduction } from '../core/reduction.js';
import { CATEGORICAL_FOCAL_LOSS, type CategoricalFocalLossAttrs } from '../kernels/kernel_names.js';
import { runFocalKernel } from '../kernels/run_focal_kernel.js';
import {
  applyNormalizer,
  asFloat32,
  withWeights,
  checkSameShape,
  kernelReduction,
  prepareNormalizer,
  prepareWeights,
  toTensor,
} from './inputs.js';
import type { CommonFocalLossOptions, FocalLossOutput } from './types.js';

/** Options of {@link categoricalFocalLoss} (one-hot or soft targets): the common ones plus alpha, label smoothing and the class axis. */
export interface CategoricalFocalLossOptions<R extends Reduction = Reduction> extends CommonFocalLossOptions<R> {
  /** `null` (default): no weighting; one number for every class; or one number per class. */
  alpha?: number | number[] | null;
  /** In [0, 1): targets become y (1 - s) + s / C (Keras' convention). Default 0. */
  labelSmoothing?: number;
  /** The class axis. Default -1. */
  axis?: number;
}

const KNOWN = ['alpha', 'gamma', 'reduction', 'weights', 'normalizer', 'labelSmoothing', 'axis'];

/**
 * Categorical focal loss with one-hot or soft targets on the class axis, in the form of
 * Keras 3's CategoricalFocalCrossentropy (Lin et al. 2017, https://arxiv.org/abs/1708.02002):
 *
 *     p = softmax(logits, axis),  FL = Σ_c α_c y_c (1 - p_c)^γ (-log p_c)   (one value per row)
 *
 * From logits, in log space, finite for every finite logit; `targets` and `weights` get zero
 * gradient. 'mean' divides by the number of rows.
 *
 * @param logits Raw scores with a class axis.
 * @param targets Same shape: one-hot or a probability distribution per row.
 * @param given The options: alpha (null), gamma (2), reduction ('mean'), weights (per row), normalizer, labelSmoothing (0), axis (-1).
 * @returns A scalar for 'mean' and 'sum'; the shape without the class axis for 'none'.
 *
 * ```js
 * import * as tf from '@tensorflow/tfjs';
 * import { categoricalFocalLoss } from 'focal-loss';
 * const logits = tf.tensor2d([[2, 0.5, -1], [0, 0, 3]]);
 * const targets = tf.oneHot(tf.tensor1d([0, 2], 'int32'), 3);
 * categoricalFocalLoss(logits, targets, { alpha: [0.25, 0.25, 0.5] }).print();
 * ```
 */
export function categoricalFocalLoss<R extends Reduction = 'mean'>(
  logits: Tensor | TensorLike,
  targets: Tensor | TensorLike,
  given: CategoricalFocalLossOptions<R> | null = {},
): FocalLossOutput<R> {
  const op = 'categoricalFocalLoss';
  const options = checkOptions(op, given, KNOWN);
  const reduction = checkReduction(op, options.reduction ?? 'mean');
  const gamma = checkGamma(op, options.gamma ?? 2);
  const labelSmoothing = checkLabelSmoothing(op, options.labelSmoothing ?? 0);
  const normalizer = prepareNormalizer(op, options.normalizer);
  return tidy(() => {
    const x = asFloat32(toTensor(logits, 'logits', op), 'logits', op);
    const t = asFloat32(toTensor(targets, 'targets', op), 'targets', op);
    checkSameShape(op, x, t, 'targets');
    const axis = normalizeAxis(op, options.axis ?? -1, x.rank);
    const attrs: CategoricalFocalLossAttrs = {
      alpha: checkClassAlpha(op, options.alpha ?? null, x.shape[axis]),
      gamma,
      labelSmoothing,
      axis,
      reduction: kernelReduction(reduction, normalizer),
    };
    const weights = prepareWeights(
      op,
      options.weights,
      x.shape.filter((_, i) => i !== axis),
    );
    const inputs = withWeights({ logits: x, targets: t }, weights);
    const loss = runFocalKernel(CATEGORICAL_FOCAL_LOSS, inputs, attrs);
    return applyNormalizer(loss, reduction, normalizer);
  }) as FocalLossOutput<R>;
}
