import type { Tensor, TensorLike } from '@tensorflow/tfjs-core';
import type { Reduction } from '../core/reduction.js';
import { sigmoidLikeFocalLoss } from './sigmoid_common.js';
import type { CommonFocalLossOptions, FocalLossOutput } from './types.js';

/** Options of {@link sigmoidFocalLoss}: the common ones plus alpha and label smoothing. */
export interface SigmoidFocalLossOptions<R extends Reduction = Reduction> extends CommonFocalLossOptions<R> {
  /** Weight of positives in [0, 1]; negatives get 1 - alpha; `null` switches it off. Default 0.25. */
  alpha?: number | null;
  /** In [0, 1): targets become t (1 - s) + s / 2 (Keras' convention). Default 0. */
  labelSmoothing?: number;
}

/**
 * Sigmoid focal loss for binary and multi-label classification and dense detection
 * (Lin et al. 2017, "Focal Loss for Dense Object Detection", https://arxiv.org/abs/1708.02002):
 *
 *     p = sigmoid(logits),  p_t = p t + (1 - p)(1 - t),  α_t = α t + (1 - α)(1 - t)
 *     FL = -α_t (1 - p_t)^γ log(p_t)
 *
 * Computed from logits in log space; loss and gradient are finite for every finite logit,
 * including γ < 1 at saturated logits. The gradient with respect to `logits` comes from
 * the same fused pass; `targets` and `weights` get zero gradient.
 *
 * @param logits Raw scores, any shape (e.g. [batch, anchors, classes]).
 * @param targets Same shape, in [0, 1]; soft targets are allowed.
 * @param options alpha (0.25), gamma (2), reduction ('mean'), weights, normalizer, labelSmoothing (0).
 * @returns A scalar for 'mean' and 'sum'; the logits' shape for 'none'.
 *
 * ```js
 * import * as tf from '@tensorflow/tfjs';
 * import { sigmoidFocalLoss } from 'focal-loss';
 * const logits = tf.tensor2d([[2, -1], [-3, 0.5]]);
 * const targets = tf.tensor2d([[1, 0], [0, 1]]);
 * sigmoidFocalLoss(logits, targets).print();
 * // RetinaNet: sum over anchors and classes, divided by the number of positive anchors.
 * sigmoidFocalLoss(logits, targets, { normalizer: 2 }).print();
 * ```
 */
export function sigmoidFocalLoss<R extends Reduction = 'mean'>(
  logits: Tensor | TensorLike,
  targets: Tensor | TensorLike,
  options: SigmoidFocalLossOptions<R> | null = {},
): FocalLossOutput<R> {
  return sigmoidLikeFocalLoss('sigmoidFocalLoss', 'focal', logits, targets, options) as FocalLossOutput<R>;
}
