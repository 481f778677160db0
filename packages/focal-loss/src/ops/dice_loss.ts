/**
 * Soft Dice loss for segmentation as a TF.js op: a composite of TF.js ops (autodiff), the
 * float64 reference is src/core/region.ts.
 */
import { type Tensor, type TensorLike, tidy } from '@tensorflow/tfjs-core';
import { checkOptions, checkReduction } from '../core/options.js';
import type { Reduction } from '../core/reduction.js';
import { DICE_SMOOTH } from '../core/region.js';
import { REGION_OPTIONS, type RegionOptions, resolveRegionOptions } from '../core/region_options.js';
import { perClassLoss, regionTensors, scoreComplement } from './region_common.js';
import type { FocalLossOutput } from './types.js';

/** Options of {@link diceLoss}: the region options plus class weights and whether the background counts. */
export interface DiceLossOptions<R extends Reduction = Reduction> extends RegionOptions<R> {
  /** false: class 0 (the background) is left out of the loss (MONAI's include_background). Default true. */
  includeBackground?: boolean;
  /** One weight >= 0 per class, multiplied into that class's loss before the reduction. */
  classWeights?: number[] | Float32Array | null;
}

const KNOWN = [...REGION_OPTIONS, 'includeBackground', 'classWeights'];

/**
 * Soft Dice loss (Milletari et al. 2016, V-Net), per image and class by default:
 *
 *     p = softmax(logits) (or sigmoid),  TP = Σ t p,  FP = Σ (1 - t) p,  FN = Σ t (1 - p)
 *     L = 1 - (2 TP + ε) / (2 TP + FP + FN + ε)
 *
 * then the mean over images and classes. Computed as (FP + FN) / (2 TP + FP + FN + ε) with
 * 1 - p taken from the logits (σ(-x), or for softmax the other classes' share), so that a nearly perfect
 * prediction keeps its small loss without cancellation. A composite of TF.js ops: the
 * gradient is TF.js autodiff, finite for every finite logit.
 *
 * @param logits [batch, ...spatial, classes] raw scores (channels last).
 * @param targets Masks of the logits' shape (one-hot or soft, in [0, 1]) or, with softmax,
 *   integer labels of the logits' shape without the class axis (`ignoreIndex` allowed).
 * @param given The options: activation ('softmax'), perImage (true), smooth ε (1e-5, MONAI's), ignoreIndex,
 *   includeBackground (true), classWeights, reduction ('mean').
 * @returns A scalar for 'mean' and 'sum'; for 'none' the losses per image and class
 *   [batch, classes kept] ([1, classes kept] with perImage false). Inputs with no pixel (batch
 *   0, or a spatial axis of length 0) have TP = FP = FN = 0, so each score is ε / ε and the loss
 *   0: 'none' gives zeros ([0, classes kept] for an empty batch with perImage), 'sum' and
 *   'mean' give 0 (as the other ops do on empty input), the gradient is 0, on every backend.
 *
 * ```js
 * import * as tf from '@tensorflow/tfjs';
 * import { diceLoss } from 'focal-loss';
 * // Two 2×2 images, 3 classes, integer labels.
 * const logits = tf.randomNormal([2, 2, 2, 3]);
 * const labels = tf.tensor3d([[[0, 1], [2, 2]], [[0, 0], [1, 2]]], undefined, 'int32');
 * diceLoss(logits, labels).print();
 * ```
 */
export function diceLoss<R extends Reduction = 'mean'>(
  logits: Tensor | TensorLike,
  targets: Tensor | TensorLike,
  given: DiceLossOptions<R> | null = {},
): FocalLossOutput<R> {
  const op = 'diceLoss';
  const options = checkOptions(op, given, KNOWN);
  const reduction = checkReduction(op, options.reduction ?? 'mean');
  const { activation, perImage, ignoreIndex, smooth } = resolveRegionOptions(op, options, DICE_SMOOTH);
  return tidy(() => {
    const r = regionTensors(op, logits, targets, { activation, ignoreIndex, perImage });
    return perClassLoss(op, r, options, reduction, (tp, fn, fp) => scoreComplement(tp, fn, fp, 2, 1, 1, smooth));
  }) as FocalLossOutput<R>;
}
