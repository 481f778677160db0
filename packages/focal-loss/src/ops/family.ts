/**
 * The element-wise members of the focal family as TF.js ops. Each op is built from its
 * definition (src/core/family) by `elementwiseOp`: the shared options (reduction, weights,
 * normalizer), option checks, input handling and the one kernel 'FocalLossElementwise'
 * (fused float64 JS on cpu and wasm; a composite of TF.js ops with the same closed-form
 * gradient elsewhere, src/kernels/family).
 */
import { type Tensor, type TensorLike, tidy } from '@tensorflow/tfjs-core';
import {
  ASYMMETRIC,
  type AsymmetricParams,
  GAUSSIAN,
  type GaussianParams,
  POLY,
  type PolyParams,
  QUALITY,
  type QualityParams,
  VARIFOCAL,
  type VarifocalParams,
} from '../core/family/index.js';
import { type ElementwiseDefinition, type ParamsOf, knownOptions, resolveParams } from '../core/family/definition.js';
import { checkOptions, checkReduction } from '../core/options.js';
import type { Reduction } from '../core/reduction.js';
import { ELEMENTWISE_FOCAL_LOSS, type ElementwiseFocalLossAttrs } from '../kernels/kernel_names.js';
import { runFocalKernel } from '../kernels/run_focal_kernel.js';
import {
  applyNormalizer,
  asFloat32,
  checkSameShape,
  kernelReduction,
  prepareNormalizer,
  prepareWeights,
  toTensor,
  withWeights,
} from './inputs.js';
import type { FocalLossOutput } from './types.js';

/** Options every family op takes, besides the loss's own parameters. */
export interface FamilyOptions<R extends Reduction = Reduction> {
  /** 'none' | 'sum' | 'mean' (default): 'mean' divides by the number of elements. */
  reduction?: R;
  /** Multiplied into the per-element loss; broadcastable to the logits' shape. Gets zero gradient. */
  weights?: Tensor | TensorLike;
  /** With 'mean', the summed loss is divided by it instead (e.g. the number of positives or peaks). */
  normalizer?: number | import('@tensorflow/tfjs-core').Scalar;
}

/** A family op: (logits, targets, options) -> loss; differentiable with respect to logits. */
export type FamilyOp<P extends ParamsOf<P>> = <R extends Reduction = 'mean'>(
  logits: Tensor | TensorLike,
  targets: Tensor | TensorLike,
  options?: (FamilyOptions<R> & Partial<P>) | null,
) => FocalLossOutput<R>;

/** Builds the TF.js op of an element-wise definition. */
export function elementwiseOp<P extends ParamsOf<P>>(def: ElementwiseDefinition<P>): FamilyOp<P> {
  const op = def.name;
  const known = knownOptions(def);
  return (<R extends Reduction = 'mean'>(
    logits: Tensor | TensorLike,
    targets: Tensor | TensorLike,
    given: (FamilyOptions<R> & Partial<P>) | null = {},
  ) => {
    const options = checkOptions(op, given, known) as FamilyOptions<R> & Record<string, unknown>;
    const reduction = checkReduction(op, options.reduction ?? 'mean');
    const params = resolveParams(def, options);
    const normalizer = prepareNormalizer(op, options.normalizer);
    return tidy(() => {
      const x = asFloat32(toTensor(logits, 'logits', op), 'logits', op);
      const t = asFloat32(toTensor(targets, 'targets', op), 'targets', op);
      checkSameShape(op, x, t, 'targets');
      const weights = prepareWeights(op, options.weights, x.shape);
      const attrs: ElementwiseFocalLossAttrs = { ...params, family: op, reduction: kernelReduction(reduction, normalizer) };
      const loss = runFocalKernel(ELEMENTWISE_FOCAL_LOSS, withWeights({ logits: x, targets: t }, weights), attrs);
      return applyNormalizer(loss, reduction, normalizer);
    }) as FocalLossOutput<R>;
  }) as FamilyOp<P>;
}

/**
 * Quality Focal Loss (GFL, Li et al. 2020): |t - p|^β BCE(x, t) with soft quality targets t
 * in [0, 1] (IoU at the labelled class, 0 elsewhere), as mmdetection's quality_focal_loss.
 * Options: beta (2), reduction, weights, normalizer.
 *
 * ```js
 * import * as tf from '@tensorflow/tfjs';
 * import { qualityFocalLoss } from 'focal-loss';
 * qualityFocalLoss(tf.tensor2d([[1.5, -2]]), tf.tensor2d([[0.8, 0]])).print();
 * ```
 */
export const qualityFocalLoss: FamilyOp<QualityParams> = elementwiseOp(QUALITY);

/**
 * Varifocal Loss (Zhang et al. 2021): t > 0: t BCE(x, t) (iouWeighted; else BCE); t = 0:
 * α p^γ (-log(1 - p)), as mmdetection's varifocal_loss. Options: alpha (0.75), gamma (2),
 * iouWeighted (true), reduction, weights, normalizer.
 *
 * ```js
 * import * as tf from '@tensorflow/tfjs';
 * import { varifocalLoss } from 'focal-loss';
 * // Targets: the IoU of the predicted box at its class (positives), 0 elsewhere (negatives).
 * const logits = tf.tensor2d([[1.2, -0.7], [-2, 0.3]]);
 * const targets = tf.tensor2d([[0.9, 0], [0, 0.6]]);
 * varifocalLoss(logits, targets).print();
 * // Sum divided by the number of positives, as mmdetection's avg_factor.
 * varifocalLoss(logits, targets, { alpha: 0.75, gamma: 2, normalizer: 2 }).print();
 * ```
 */
export const varifocalLoss: FamilyOp<VarifocalParams> = elementwiseOp(VARIFOCAL);

/**
 * Gaussian focal loss (CornerNet / CenterNet heatmaps) from logits: peaks (t = 1)
 * (1 - p)^α (-log p), the rest (1 - t)^γ p^α (-log(1 - p)); pass the number of peaks as
 * `normalizer`. Options: alpha (2), gamma (4), posWeight (1), negWeight (1), reduction, weights, normalizer.
 *
 * ```js
 * import * as tf from '@tensorflow/tfjs';
 * import { gaussianFocalLoss } from 'focal-loss';
 * // A 1 x 4 x 4 heatmap with one peak (t = 1) and a Gaussian falloff around it.
 * const heatmap = tf.tensor3d([[[0, 0.1, 0, 0], [0.3, 1, 0.3, 0], [0, 0.3, 0.1, 0], [0, 0, 0, 0]]]);
 * const logits = tf.randomNormal([1, 4, 4]);
 * gaussianFocalLoss(logits, heatmap, { normalizer: 1 }).print();
 * ```
 */
export const gaussianFocalLoss: FamilyOp<GaussianParams> = elementwiseOp(GAUSSIAN);

/**
 * Poly-1 focal loss (PolyLoss, Leng et al. 2022): α_t (1 - p_t)^γ BCE + ε (1 - p_t)^(γ+1).
 * Options: alpha (0.25, or null), gamma (2), epsilon (1), reduction, weights, normalizer.
 *
 * ```js
 * import * as tf from '@tensorflow/tfjs';
 * import { polyFocalLoss } from 'focal-loss';
 * const logits = tf.tensor2d([[2, -1], [-3, 0.5]]);
 * const targets = tf.tensor2d([[1, 0], [0, 1]]);
 * polyFocalLoss(logits, targets).print();
 * polyFocalLoss(logits, targets, { epsilon: -1, reduction: 'none' }).print();
 * ```
 */
export const polyFocalLoss: FamilyOp<PolyParams> = elementwiseOp(POLY);

/**
 * Asymmetric Loss (Ridnik et al. 2021) for multi-label targets in {0, 1}: positives
 * (1 - p)^γ+ (-log p), negatives p_m^γ- (-log(1 - p_m)), p_m = max(p - clip, 0).
 * Options: gammaPos (0), gammaNeg (4), clip (0.05), detachFocalWeight (false: the gradient is
 * the loss's derivative; true: the focusing weight is held constant in the gradient, as the
 * reference code's default disable_torch_grad_focal_loss=True), reduction, weights, normalizer.
 *
 * ```js
 * import * as tf from '@tensorflow/tfjs';
 * import { asymmetricLoss } from 'focal-loss';
 * // Multi-label: 2 images, 3 labels each, targets 0 or 1.
 * const logits = tf.tensor2d([[2, -1, -3], [0.5, -2, 1]]);
 * const targets = tf.tensor2d([[1, 0, 0], [1, 0, 1]]);
 * asymmetricLoss(logits, targets).print();
 * asymmetricLoss(logits, targets, { gammaPos: 1, gammaNeg: 4, clip: 0.05 }).print();
 * ```
 */
export const asymmetricLoss: FamilyOp<AsymmetricParams> = elementwiseOp(ASYMMETRIC);
