import { type Tensor, type TensorLike, tidy } from '@tensorflow/tfjs-core';
import {
  checkClassAlpha,
  checkGamma,
  checkIgnoreIndex,
  checkOptions,
  checkReduction,
  formatShape,
  normalizeAxis,
  shapesEqual,
} from '../core/options.js';
import type { Reduction } from '../core/reduction.js';
import { SOFTMAX_FOCAL_LOSS, type SoftmaxFocalLossAttrs } from '../kernels/kernel_names.js';
import { runFocalKernel } from '../kernels/run_focal_kernel.js';
import { applyNormalizer, asFloat32, withWeights, kernelReduction, prepareNormalizer, prepareWeights, toTensor } from './inputs.js';
import type { CommonFocalLossOptions, FocalLossOutput } from './types.js';

/** Options of {@link softmaxFocalLoss} (integer labels): the common ones plus alpha, ignoreIndex and the class axis. */
export interface SoftmaxFocalLossOptions<R extends Reduction = Reduction> extends CommonFocalLossOptions<R> {
  /** `null` (default): no weighting; one number for every class; or one number per class. */
  alpha?: number | number[] | null;
  /**
   * Labels equal to this give 0 loss and 0 gradient and are not counted by 'mean'
   * (segmentation's 255 or -1 for "void").
   */
  ignoreIndex?: number;
  /** The class axis of the logits. Default -1 (channels-last, NHWC). */
  axis?: number;
}

const KNOWN = ['alpha', 'gamma', 'reduction', 'weights', 'normalizer', 'ignoreIndex', 'axis'];

/**
 * Softmax focal loss for multi-class classification and segmentation with integer labels
 * (Lin et al. 2017, https://arxiv.org/abs/1708.02002):
 *
 *     p = softmax(logits, axis),  FL = -α_y (1 - p_y)^γ log(p_y)
 *
 * Computed from logits with a log-sum-exp that forms 1 - p_y without cancellation; loss and
 * gradient are finite for every finite logit, also for γ < 1. `labels` and `weights` get
 * zero gradient. Labels are checked (integers in [0, C) or `ignoreIndex`) on the cpu and wasm
 * backends; the webgl and webgpu kernels do not read them back to check.
 *
 * @param logits Raw scores with a class axis (`axis`, default last), e.g. [N, C] or NHWC.
 * @param labels Integer class indices, the logits' shape without the class axis.
 * @param given The options: alpha (null), gamma (2), reduction ('mean'), weights, normalizer, ignoreIndex, axis (-1).
 * @returns A scalar for 'mean' and 'sum'; the labels' shape for 'none'.
 *
 * ```js
 * import * as tf from '@tensorflow/tfjs';
 * import { softmaxFocalLoss } from 'focal-loss';
 * // Segmentation: [batch, height, width, classes] logits, 255 marks pixels to ignore.
 * const logits = tf.randomNormal([1, 4, 4, 3]);
 * const labels = tf.tensor3d([[[0, 1, 2, 255], [0, 0, 1, 1], [2, 2, 0, 0], [1, 255, 0, 2]]], undefined, 'int32');
 * softmaxFocalLoss(logits, labels, { ignoreIndex: 255 }).print();
 * ```
 */
export function softmaxFocalLoss<R extends Reduction = 'mean'>(
  logits: Tensor | TensorLike,
  labels: Tensor | TensorLike,
  given: SoftmaxFocalLossOptions<R> | null = {},
): FocalLossOutput<R> {
  const op = 'softmaxFocalLoss';
  const options = checkOptions(op, given, KNOWN);
  const reduction = checkReduction(op, options.reduction ?? 'mean');
  const gamma = checkGamma(op, options.gamma ?? 2);
  const ignoreIndex = checkIgnoreIndex(op, options.ignoreIndex);
  const normalizer = prepareNormalizer(op, options.normalizer);
  return tidy(() => {
    const x = asFloat32(toTensor(logits, 'logits', op), 'logits', op);
    // The dtype as given (not int32, which would truncate 2.5 or NaN before the kernel checks it).
    const y = toTensor(labels, 'labels', op, null);
    if (y.dtype !== 'int32' && y.dtype !== 'float32') {
      throw new Error(`${op}: labels must be int32 or float32 holding integers, got dtype ${y.dtype}`);
    }
    const axis = normalizeAxis(op, options.axis ?? -1, x.rank);
    const rowShape = x.shape.filter((_, i) => i !== axis);
    if (!shapesEqual(y.shape, rowShape)) {
      throw new Error(
        `${op}: labels shape ${formatShape(y.shape)} must be the logits' shape ${formatShape(x.shape)} without the class axis ${axis}, i.e. ${formatShape(rowShape)}`,
      );
    }
    const attrs: SoftmaxFocalLossAttrs = {
      alpha: checkClassAlpha(op, options.alpha ?? null, x.shape[axis]),
      gamma,
      ignoreIndex,
      axis,
      reduction: kernelReduction(reduction, normalizer),
    };
    const weights = prepareWeights(op, options.weights, rowShape);
    const inputs = withWeights({ logits: x, labels: y }, weights);
    const loss = runFocalKernel(SOFTMAX_FOCAL_LOSS, inputs, attrs);
    return applyNormalizer(loss, reduction, normalizer);
  }) as FocalLossOutput<R>;
}
