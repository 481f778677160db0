/**
 * Distribution Focal Loss (GFL) as a TF.js op; the math and its conventions are in
 * src/core/family/distribution.ts. Fused float64 kernel on cpu and wasm, fused GPU programs
 * (float32) on webgl and webgpu, a composite of TF.js ops with the same closed-form gradient
 * elsewhere.
 */
import { type Scalar, type Tensor, type TensorLike, tidy } from '@tensorflow/tfjs-core';
import { DISTRIBUTION_OP, checkRegMax } from '../core/family/distribution.js';
import { checkOptions, checkReduction, formatShape, shapesEqual } from '../core/options.js';
import type { Reduction } from '../core/reduction.js';
import { DISTRIBUTION_FOCAL_LOSS, type DistributionFocalLossAttrs } from '../kernels/kernel_names.js';
import { runFocalKernel } from '../kernels/run_focal_kernel.js';
import { applyNormalizer, asFloat32, kernelReduction, prepareNormalizer, prepareWeights, toTensor, withWeights } from './inputs.js';
import type { FocalLossOutput } from './types.js';

/** Options of {@link distributionFocalLoss}. */
export interface DistributionFocalLossOptions<R extends Reduction = Reduction> {
  /** The logits' last axis has regMax + 1 bins (0..regMax). Default 16 (GFL's reg_max). */
  regMax?: number;
  /** 'none' (per row) | 'sum' | 'mean' (default, over rows). */
  reduction?: R;
  /** Per row (the targets' shape or broadcastable to it), multiplied into its loss. */
  weights?: Tensor | TensorLike;
  /** With 'mean', divides the summed loss instead of the number of rows (mmdetection's avg_factor). */
  normalizer?: number | Scalar;
}

const KNOWN = ['regMax', 'reduction', 'weights', 'normalizer'];

/**
 * Distribution Focal Loss (GFL, Li et al. 2020): -[(r - y) log S_l + (y - l) log S_r] with
 * S = softmax over the regMax + 1 bins of the last axis, l = floor(y), r = l + 1, targets y in
 * [0, regMax] (one per row), as mmdetection's distribution_focal_loss; from logits in log space.
 *
 * @param logits Bin scores [..., regMax + 1], bins on the last axis.
 * @param targets One continuous offset per row in [0, regMax]: the logits' shape without the last axis.
 * @param given The options: regMax (16), reduction ('mean'), weights, normalizer.
 * @returns A scalar for 'mean' and 'sum'; the targets' shape for 'none'.
 *
 * ```js
 * import * as tf from '@tensorflow/tfjs';
 * import { distributionFocalLoss } from 'focal-loss';
 * // 2 box sides, 5 bins each (regMax 4), offsets 1.3 and 3.9 in bin units.
 * distributionFocalLoss(tf.randomNormal([2, 5]), tf.tensor1d([1.3, 3.9]), { regMax: 4 }).print();
 * ```
 */
export function distributionFocalLoss<R extends Reduction = 'mean'>(
  logits: Tensor | TensorLike,
  targets: Tensor | TensorLike,
  given: DistributionFocalLossOptions<R> | null = {},
): FocalLossOutput<R> {
  const op = DISTRIBUTION_OP;
  const options = checkOptions(op, given, KNOWN);
  const regMax = checkRegMax(op, options.regMax ?? 16);
  const reduction = checkReduction(op, options.reduction ?? 'mean');
  const normalizer = prepareNormalizer(op, options.normalizer);
  return tidy(() => {
    const x = asFloat32(toTensor(logits, 'logits', op), 'logits', op);
    const y = asFloat32(toTensor(targets, 'targets', op), 'targets', op);
    if (x.rank < 1 || x.shape[x.rank - 1] !== regMax + 1) {
      throw new Error(`${op}: logits need regMax + 1 = ${regMax + 1} bins on the last axis, got shape ${formatShape(x.shape)}`);
    }
    const rowShape = x.shape.slice(0, -1);
    if (!shapesEqual(y.shape, rowShape)) {
      throw new Error(
        `${op}: targets shape ${formatShape(y.shape)} must be the logits' shape ${formatShape(x.shape)} without the bins axis, i.e. ${formatShape(rowShape)}`,
      );
    }
    const attrs: DistributionFocalLossAttrs = {
      regMax,
      axis: x.rank - 1,
      reduction: kernelReduction(reduction, normalizer),
    };
    const weights = prepareWeights(op, options.weights, rowShape);
    const loss = runFocalKernel(DISTRIBUTION_FOCAL_LOSS, withWeights({ logits: x, targets: y }, weights), attrs);
    return applyNormalizer(loss, reduction, normalizer);
  }) as FocalLossOutput<R>;
}
