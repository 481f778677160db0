import type { Tensor, TensorLike } from '@tensorflow/tfjs-core';
import type { Reduction } from '../core/reduction.js';
import { sigmoidLikeFocalLoss } from './sigmoid_common.js';
import type { CommonFocalLossOptions, FocalLossOutput } from './types.js';

/** Options of {@link sigmoidFocalLossStar} (FL*): the common ones plus alpha, β and label smoothing. */
export interface SigmoidFocalLossStarOptions<R extends Reduction = Reduction> extends CommonFocalLossOptions<R> {
  /** Weight of positives in [0, 1]; negatives get 1 - alpha; `null` switches it off. Default 0.25. */
  alpha?: number | null;
  /** Shift β of p_t* = sigmoid(γ x_t + β). Default 1. */
  beta?: number;
  /** In [0, 1): targets become t (1 - s) + s / 2. Default 0. */
  labelSmoothing?: number;
}

/**
 * FL*, the alternative form of appendix A of Lin et al. 2017 (https://arxiv.org/abs/1708.02002),
 * for binary targets t:
 *
 *     x_t = x (2t - 1),  p_t* = sigmoid(γ x_t + β),  FL* = -α_t log(p_t*) / γ
 *
 * `gamma` must be > 0 (default 2), `beta` finite (default 1). Gradient as sigmoidFocalLoss.
 *
 * ```js
 * import * as tf from '@tensorflow/tfjs';
 * import { sigmoidFocalLossStar } from 'focal-loss';
 * sigmoidFocalLossStar(tf.tensor1d([3, -2, 0.1]), tf.tensor1d([1, 0, 1]), { gamma: 2, beta: 1 }).print();
 * ```
 */
export function sigmoidFocalLossStar<R extends Reduction = 'mean'>(
  logits: Tensor | TensorLike,
  targets: Tensor | TensorLike,
  options: SigmoidFocalLossStarOptions<R> | null = {},
): FocalLossOutput<R> {
  return sigmoidLikeFocalLoss('sigmoidFocalLossStar', 'star', logits, targets, options) as FocalLossOutput<R>;
}
