/**
 * The asymmetric Unified Focal loss (Yeung et al. 2022) as a TF.js op: a composite of TF.js
 * ops (autodiff), the float64 reference is src/core/region.ts.
 */
import { type Tensor, type TensorLike, add, div, maximum, mul, neg, scalar, slice, sum, tidy } from '@tensorflow/tfjs-core';
import { checkOptions, checkReduction } from '../core/options.js';
import type { Reduction } from '../core/reduction.js';
import { UNIFIED_SMOOTH, resolveUnified } from '../core/region.js';
import { REGION_OPTIONS, type RegionOptions, resolveRegionOptions } from '../core/region_options.js';
import { confusion, emptyRegionLoss, powFiniteGrad, reduceRegion, regionTensors, scoreComplement } from './region_common.js';
import type { FocalLossOutput } from './types.js';

/** Options of {@link unifiedFocalLoss}: the region options plus λ, δ and γ. */
export interface UnifiedFocalLossOptions<R extends Reduction = Reduction> extends RegionOptions<R> {
  /** λ: weight of the asymmetric focal loss; 1 - λ weighs the asymmetric focal Tversky loss. Default 0.5. */
  lambda?: number;
  /**
   * δ in [0, 1]: in the focal part the weight of the rare classes (1..C-1; 1 - δ: class 0, the
   * background); in the Tversky index the weight of false negatives (1 - δ: false positives). Default 0.6.
   */
  delta?: number;
  /** γ in [0, 1]: background suppression (1 - p_0)^γ and rare-class enhancement (1 - TI)^(1 - γ). Default 0.5. */
  gamma?: number;
}

const KNOWN = [...REGION_OPTIONS, 'lambda', 'delta', 'gamma'];

/**
 * Asymmetric Unified Focal loss (Yeung et al. 2022, "Unified Focal loss: Generalising Dice and
 * cross entropy-based losses to handle class imbalanced medical image segmentation",
 * arXiv 2102.04525), class 0 the background and classes 1..C-1 the rare ones (with one
 * sigmoid channel: background 1 - p, foreground p). Per image g (or the batch, perImage false):
 *
 *     aF   = mean over pixels of  (1 - δ) t_0 (1 - p_0)^γ (-log p_0) + δ Σ_{c>=1} t_c (-log p_c)
 *     aFTL = mean over classes of  c = 0: 1 - TI_0,  c >= 1: (1 - TI_c)^(1 - γ)
 *            TI_c = (TP + ε) / (TP + δ FN + (1 - δ) FP + ε)
 *     L_g  = λ aF + (1 - λ) aFTL
 *
 * The asymmetric focal part suppresses only the background's loss (its focal factor), the
 * asymmetric focal Tversky part enhances only the rare classes'. log p is log-softmax (or
 * log-sigmoid) of the logits, never log of a clamped p, and 1 - p_0 is the other classes' share, so loss
 * and gradient are finite for every finite logit; powers below 1 get their limit gradient 0
 * where their base is exactly 0 in float32.
 *
 * Against the reference code (github.com/mlyg/unified-focal-loss, loss_functions.py,
 * asym_unified_focal_loss): the paper weighs the focal part by λ, as here; the code returns
 * weight · aFTL + (1 - weight) · aF (the same at the default λ = 0.5). The code clamps p to
 * [1e-7, 1 - 1e-7] before the logs; here the logs come from the logits.
 *
 * @param logits [batch, ...spatial, classes] raw scores (channels last); with 'sigmoid' one channel.
 * @param targets Masks of the logits' shape, or with softmax integer labels without the class axis.
 * @param given The options: lambda (0.5), delta (0.6), gamma (0.5), activation ('softmax'), perImage (true),
 *   smooth ε (1e-7, the reference code's), ignoreIndex, reduction ('mean').
 * @returns A scalar for 'mean' and 'sum'; for 'none' the loss per image [batch] ([1] with perImage false).
 *   Inputs with no pixel (batch 0, or a spatial axis of length 0) give loss 0 (no pixel to
 *   average, each Tversky index ε / ε): 'none' zeros ([0] for an empty batch with perImage),
 *   'sum' and 'mean' 0 (as the other ops do on empty input), gradient 0, on every backend.
 *
 * ```js
 * import * as tf from '@tensorflow/tfjs';
 * import { unifiedFocalLoss } from 'focal-loss';
 * // Background, kidney, tumour: 3 classes, labels 255 ignored.
 * const logits = tf.randomNormal([1, 2, 3, 3]);
 * const labels = tf.tensor3d([[[0, 0, 1], [2, 255, 0]]], undefined, 'int32');
 * unifiedFocalLoss(logits, labels, { ignoreIndex: 255 }).print();
 * ```
 */
export function unifiedFocalLoss<R extends Reduction = 'mean'>(
  logits: Tensor | TensorLike,
  targets: Tensor | TensorLike,
  given: UnifiedFocalLossOptions<R> | null = {},
): FocalLossOutput<R> {
  const op = 'unifiedFocalLoss';
  const options = checkOptions(op, given, KNOWN);
  const reduction = checkReduction(op, options.reduction ?? 'mean');
  const { activation, perImage, ignoreIndex, smooth } = resolveRegionOptions(op, options, UNIFIED_SMOOTH);
  const { lambda, delta, gamma } = resolveUnified(op, options);
  return tidy(() => {
    const r = regionTensors(op, logits, targets, { activation, ignoreIndex, perImage, binaryAsTwoClasses: activation === 'sigmoid' });
    if (r.empty) return emptyRegionLoss(r.logits, [r.groups], reduction);
    const { classes } = r;
    const background = (x: Tensor) => slice(x, [0, 0, 0], [-1, -1, 1]);
    const rare = (x: Tensor) => slice(x, [0, 0, 1], [-1, -1, -1]);
    // Per pixel [groups, pixels, 1]; ignored pixels have t = 0 and add nothing.
    const backgroundTerm = mul(mul(background(r.t), powFiniteGrad(background(r.q), gamma)), neg(background(r.logp)));
    const rareTerm = sum(mul(rare(r.t), neg(rare(r.logp))), 2, true);
    const perPixel = add(mul(backgroundTerm, 1 - delta), mul(rareTerm, delta));
    const pixels = r.counted === null ? scalar(r.p.shape[1] as number) : sum(r.counted, [1, 2]);
    // A group with no counted pixel has a zero sum: dividing by max(count, 1) gives it 0, with finite gradients.
    const focal = div(sum(perPixel, [1, 2]), maximum(pixels, 1));
    const { tp, fn, fp } = confusion(r);
    const miss = scoreComplement(tp, fn, fp, 1, delta, 1 - delta, smooth);
    const backgroundMiss = slice(miss, [0, 0], [-1, 1]);
    const rareMiss = powFiniteGrad(slice(miss, [0, 1], [-1, -1]), 1 - gamma);
    const tversky = div(add(sum(backgroundMiss, 1), sum(rareMiss, 1)), classes);
    return reduceRegion(add(mul(focal, lambda), mul(tversky, 1 - lambda)), reduction);
  }) as FocalLossOutput<R>;
}
