/**
 * The contract between the ops (src/ops) and the fused kernels of every backend.
 *
 * Each kernel takes logits (float32) plus targets or labels, and returns TWO outputs in one
 * pass: the loss and the gradient of that (already reduced) loss with respect to the logits.
 * The registered gradient (kernels/gradients.ts) multiplies the saved gradient by the
 * upstream gradient, so the backward pass is one elementwise multiply.
 *
 * Reductions happen inside the kernel so that sums accumulate in float64 on cpu and wasm:
 *   'none' → loss has the per-element shape, grad[i] = d loss[i] / d logits[i]
 *   'sum'  → loss is a scalar, grad = d sum / d logits
 *   'mean' → loss is a scalar, grad = d mean / d logits, mean = sum / count, where count is
 *            the number of elements (sigmoid, star), of rows (categorical), or of labels that
 *            are not ignoreIndex (softmax); count 0 gives loss 0 and gradient 0.
 * A user `normalizer` is applied by the ops outside the kernel ('sum' kernel, then divide).
 */

export type Reduction = 'none' | 'sum' | 'mean';

/** Sigmoid focal loss (mode 'focal') and FL* (mode 'star'), elementwise. */
export const SIGMOID_FOCAL_LOSS = 'FocalLossSigmoid';
export interface SigmoidFocalLossAttrs {
  /** 'focal': a_t (1 - p_t)^gamma ce.  'star': a_t (-log sigmoid(gamma x_t + beta)) / gamma. */
  mode: 'focal' | 'star';
  /** Weight of positives in [0, 1]; negatives get 1 - alpha; null: no weighting. */
  alpha: number | null;
  gamma: number;
  /** FL* only; 0 for 'focal'. */
  beta: number;
  /** Targets become t (1 - s) + s / 2 before everything else; 0 for none. */
  labelSmoothing: number;
  reduction: Reduction;
}
/**
 * Inputs: `logits` (float32), `targets` (float32, logits' shape, values in [0, 1]),
 * optional `weights` (float32, already broadcast to the logits' shape).
 * Outputs: [loss, grad]. Kernels whose data is on the CPU throw on a target outside [0, 1]
 * or NaN.
 */
export type SigmoidFocalLossInputs = 'logits' | 'targets' | 'weights';

/** Softmax focal loss with integer labels (class axis removed). */
export const SOFTMAX_FOCAL_LOSS = 'FocalLossSoftmax';
export interface SoftmaxFocalLossAttrs {
  /** One weight per class (length C), or null: no weighting. */
  alpha: number[] | null;
  gamma: number;
  /** Labels equal to this give 0 loss, 0 gradient and are not counted by 'mean'; null: none. */
  ignoreIndex: number | null;
  /** Class axis, non-negative. Logits are viewed as [outer, C, inner]. */
  axis: number;
  reduction: Reduction;
}
/**
 * Inputs: `logits` (float32), `labels` (int32 or float32 holding integers; the logits' shape
 * without the class axis), optional `weights` (float32, the labels' shape).
 * Outputs: [loss, grad]. Kernels whose data is on the CPU throw on non-integer labels and
 * labels outside [0, C) that are not ignoreIndex.
 */
export type SoftmaxFocalLossInputs = 'logits' | 'labels' | 'weights';

/** Categorical focal loss (Keras 3 form) with one-hot or soft targets on the class axis. */
export const CATEGORICAL_FOCAL_LOSS = 'FocalLossCategorical';
export interface CategoricalFocalLossAttrs {
  alpha: number[] | null;
  gamma: number;
  /** Targets become y (1 - s) + s / C. */
  labelSmoothing: number;
  axis: number;
  reduction: Reduction;
}
/**
 * Inputs: `logits`, `targets` (same shape, values in [0, 1]), optional `weights` (the shape
 * without the class axis). Outputs: [loss, grad]. Kernels whose data is on the CPU throw on
 * a target outside [0, 1] or NaN.
 */
export type CategoricalFocalLossInputs = 'logits' | 'targets' | 'weights';

/**
 * Pass-through of the loss that puts targets, labels and weights on the gradient tape with a
 * zero gradient, created only if asked for. Inputs: `loss` and the constants by name; attrs:
 * `shapes`, the constants' shapes by name. Output: the loss.
 */
export const FOCAL_LOSS_CONSTANTS = 'FocalLossConstants';
