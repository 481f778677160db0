import { type Tensor, type TensorLike, tidy } from '@tensorflow/tfjs-core';
import { checkBeta, checkBinaryAlpha, checkGamma, checkLabelSmoothing, checkOptions, checkReduction } from '../core/options.js';
import type { Reduction } from '../core/reduction.js';
import { SIGMOID_FOCAL_LOSS, type SigmoidFocalLossAttrs } from '../kernels/kernel_names.js';
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
import type { CommonFocalLossOptions } from './types.js';

export interface SigmoidLikeOptions<R extends Reduction> extends CommonFocalLossOptions<R> {
  alpha?: number | null;
  labelSmoothing?: number;
  beta?: number;
}

const KNOWN = ['alpha', 'gamma', 'reduction', 'weights', 'normalizer', 'labelSmoothing'];

/** Shared body of sigmoidFocalLoss and sigmoidFocalLossStar. */
export function sigmoidLikeFocalLoss(
  op: string,
  mode: 'focal' | 'star',
  logits: Tensor | TensorLike,
  targets: Tensor | TensorLike,
  given: SigmoidLikeOptions<Reduction> | null | undefined,
): Tensor {
  const options = checkOptions(op, given, mode === 'star' ? [...KNOWN, 'beta'] : KNOWN);
  const reduction = checkReduction(op, options.reduction ?? 'mean');
  const attrs: SigmoidFocalLossAttrs = {
    mode,
    alpha: checkBinaryAlpha(op, options.alpha === undefined ? 0.25 : options.alpha),
    gamma: checkGamma(op, options.gamma ?? 2, mode === 'star'),
    beta: mode === 'star' ? checkBeta(op, options.beta ?? 1) : 0,
    labelSmoothing: checkLabelSmoothing(op, options.labelSmoothing ?? 0),
    reduction,
  };
  const normalizer = prepareNormalizer(op, options.normalizer);
  return tidy(() => {
    const x = asFloat32(toTensor(logits, 'logits', op), 'logits', op);
    const t = asFloat32(toTensor(targets, 'targets', op), 'targets', op);
    checkSameShape(op, x, t, 'targets');
    const weights = prepareWeights(op, options.weights, x.shape);
    const inputs = withWeights({ logits: x, targets: t }, weights);
    const loss = runFocalKernel(SIGMOID_FOCAL_LOSS, inputs, { ...attrs, reduction: kernelReduction(reduction, normalizer) });
    return applyNormalizer(loss, reduction, normalizer);
  });
}
