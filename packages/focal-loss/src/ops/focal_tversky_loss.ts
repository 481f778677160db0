/**
 * Focal Tversky loss for segmentation as a TF.js op: a composite of TF.js ops (autodiff), the
 * float64 reference is src/core/region.ts.
 */
import { type Tensor, type TensorLike, tidy } from '@tensorflow/tfjs-core';
import { checkOptions, checkReduction } from '../core/options.js';
import type { Reduction } from '../core/reduction.js';
import { FOCAL_TVERSKY_SMOOTH, resolveTversky } from '../core/region.js';
import { resolveRegionOptions } from '../core/region_options.js';
import type { DiceLossOptions } from './dice_loss.js';
import { perClassLoss, powFiniteGrad, regionTensors, scoreComplement } from './region_common.js';
import type { FocalLossOutput } from './types.js';

/** Options of {@link focalTverskyLoss}: the Dice options plus the Tversky weights α, β and the focal exponent γ. */
export interface FocalTverskyLossOptions<R extends Reduction = Reduction> extends DiceLossOptions<R> {
  /** α: weight of the false negatives. Default 0.7. */
  alpha?: number;
  /** β: weight of the false positives. Default 1 - alpha (alpha must then be in [0, 1]). */
  beta?: number;
  /** γ > 0: the exponent on 1 - TI (γ < 1 raises the loss of poorly segmented classes). Default 0.75. */
  gamma?: number;
}

const KNOWN = [
  'activation',
  'perImage',
  'ignoreIndex',
  'smooth',
  'reduction',
  'includeBackground',
  'classWeights',
  'alpha',
  'beta',
  'gamma',
];

/**
 * Focal Tversky loss (Abraham & Khan 2019, arXiv 1810.07842), per image and class by default:
 *
 *     TI = (TP + ε) / (TP + α FN + β FP + ε),  L = (1 - TI)^γ
 *
 * with TP, FP, FN as in {@link diceLoss}, then the mean over images and classes. α = 0.7
 * weighs false negatives, β = 1 - α false positives; γ = 0.75 is the paper's 1/γ with γ = 4/3.
 * 1 - TI = (α FN + β FP) / (TP + α FN + β FP + ε) is formed without cancellation, and the
 * power's gradient is taken as its limit 0 where 1 - TI is exactly 0 in float32 (saturated
 * logits), where autodiff of a power below 1 would give NaN. A composite of TF.js ops.
 *
 * @param logits [batch, ...spatial, classes] raw scores (channels last).
 * @param targets Masks of the logits' shape, or with softmax integer labels without the class axis.
 * @param given The options: alpha (0.7), beta (1 - alpha), gamma (0.75), activation ('softmax'), perImage
 *   (true), smooth ε (1e-6, the Unified Focal loss code's), ignoreIndex, includeBackground (true),
 *   classWeights, reduction ('mean').
 * @returns A scalar for 'mean' and 'sum'; for 'none' [batch, classes kept] ([1, classes kept] with perImage false).
 *   Inputs with no pixel (batch 0, or a spatial axis of length 0) give loss 0 as in {@link diceLoss}:
 *   'none' zeros ([0, classes kept] for an empty batch with perImage), 'sum' and 'mean' 0, gradient 0.
 *
 * ```js
 * import * as tf from '@tensorflow/tfjs';
 * import { focalTverskyLoss } from 'focal-loss';
 * // Binary segmentation with one sigmoid channel: 2 images of 3×3 pixels.
 * const logits = tf.randomNormal([2, 3, 3, 1]);
 * const masks = tf.randomUniform([2, 3, 3, 1]).greater(0.7).cast('float32');
 * focalTverskyLoss(logits, masks, { activation: 'sigmoid' }).print();
 * ```
 */
export function focalTverskyLoss<R extends Reduction = 'mean'>(
  logits: Tensor | TensorLike,
  targets: Tensor | TensorLike,
  given: FocalTverskyLossOptions<R> | null = {},
): FocalLossOutput<R> {
  const op = 'focalTverskyLoss';
  const options = checkOptions(op, given, KNOWN);
  const reduction = checkReduction(op, options.reduction ?? 'mean');
  const { activation, perImage, ignoreIndex, smooth } = resolveRegionOptions(op, options, FOCAL_TVERSKY_SMOOTH);
  const { alpha, beta, gamma } = resolveTversky(op, options);
  return tidy(() => {
    const r = regionTensors(op, logits, targets, { activation, ignoreIndex, perImage });
    return perClassLoss(op, r, options, reduction, (tp, fn, fp) =>
      powFiniteGrad(scoreComplement(tp, fn, fp, 1, alpha, beta, smooth), gamma),
    );
  }) as FocalLossOutput<R>;
}
