/**
 * The contract between the ops (src/ops) and the fused kernels of every backend: each
 * kernel's name, inputs and attrs, typed once here, and the two functions that cross TF.js's
 * untyped attr map (the library's only casts between typed attrs and that map).
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
 *            the number of elements (sigmoid, star, family), of rows (categorical, DFL), or
 *            of labels that are not ignoreIndex (softmax); count 0 gives loss 0 and gradient 0.
 * A user `normalizer` is applied by the ops outside the kernel ('sum' kernel, then divide).
 */
import type { KernelConfig, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { Reduction } from '../core/reduction.js';
import type { SigmoidKernelOptions } from '../core/sigmoid.js';

/** Sigmoid focal loss (mode 'focal') and FL* (mode 'star'), elementwise. */
export const SIGMOID_FOCAL_LOSS = 'FocalLossSigmoid';
/**
 * The core's options of the sigmoid loop, as they are: mode ('focal': a_t (1 - p_t)^gamma ce;
 * 'star': a_t (-log sigmoid(gamma x_t + beta)) / gamma), alpha (weight of positives in
 * [0, 1], negatives 1 - alpha; null: none), gamma, beta (FL* only; 0 for 'focal'),
 * labelSmoothing (targets become t (1 - s) + s / 2 first; 0 for none), reduction.
 */
export type SigmoidFocalLossAttrs = SigmoidKernelOptions;
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
 * Every element-wise member of the focal family (src/core/family), one kernel. Inputs as the
 * sigmoid kernel's; the targets' domain is the definition's.
 */
export const ELEMENTWISE_FOCAL_LOSS = 'FocalLossElementwise';
export interface ElementwiseFocalLossAttrs {
  /** The op name of the definition (a key of src/core/family's FAMILY). */
  family: string;
  reduction: Reduction;
  /** The definition's parameters, checked, by name. */
  [param: string]: unknown;
}

/**
 * Distribution Focal Loss. Inputs: logits [..., regMax + 1] (bins last), targets (one per
 * row, float32, in [0, regMax]), optional weights (per row, broadcast).
 */
export const DISTRIBUTION_FOCAL_LOSS = 'FocalLossDistribution';
export interface DistributionFocalLossAttrs {
  regMax: number;
  reduction: Reduction;
  /** The bins axis: always the last. */
  axis: number;
}

/**
 * Pass-through of the loss that puts targets, labels and weights on the gradient tape with a
 * zero gradient, created only if asked for. Inputs: `loss` and the constants by name; attrs:
 * `shapes`, the constants' shapes by name. Output: the loss.
 */
export const FOCAL_LOSS_CONSTANTS = 'FocalLossConstants';
export interface FocalLossConstantsAttrs {
  shapes: Record<string, number[]>;
}

/** The attrs of each loss kernel, by kernel name. */
export interface FocalLossKernelAttrs {
  [SIGMOID_FOCAL_LOSS]: SigmoidFocalLossAttrs;
  [SOFTMAX_FOCAL_LOSS]: SoftmaxFocalLossAttrs;
  [CATEGORICAL_FOCAL_LOSS]: CategoricalFocalLossAttrs;
  [ELEMENTWISE_FOCAL_LOSS]: ElementwiseFocalLossAttrs;
  [DISTRIBUTION_FOCAL_LOSS]: DistributionFocalLossAttrs;
}
/** A loss kernel: takes logits, returns [loss, grad]. */
export type FocalLossKernelName = keyof FocalLossKernelAttrs;
/** Every kernel of the library with its attrs: the loss kernels and the constants' pass-through. */
export interface FocalKernelAttrs extends FocalLossKernelAttrs {
  [FOCAL_LOSS_CONSTANTS]: FocalLossConstantsAttrs;
}
export type FocalKernelName = keyof FocalKernelAttrs;

export const FOCAL_LOSS_KERNEL_NAMES: readonly FocalLossKernelName[] = [
  SIGMOID_FOCAL_LOSS,
  SOFTMAX_FOCAL_LOSS,
  CATEGORICAL_FOCAL_LOSS,
  ELEMENTWISE_FOCAL_LOSS,
  DISTRIBUTION_FOCAL_LOSS,
];

/**
 * The axis that a loss kernel's per-row loss removes (attrs.axis: the class axis, or DFL's
 * bins axis), or null for the element-wise kernels, whose loss has the logits' shape.
 */
export function classAxisOf<K extends FocalLossKernelName>(kernelName: K, attrs: FocalKernelAttrs[K]): number | null {
  if (kernelName === SIGMOID_FOCAL_LOSS || kernelName === ELEMENTWISE_FOCAL_LOSS) return null;
  return (attrs as SoftmaxFocalLossAttrs | CategoricalFocalLossAttrs | DistributionFocalLossAttrs).axis;
}

/**
 * Attr that runFocalKernel adds for the cpu and wasm fused kernels when no gradient tape is
 * recording: the kernel may then skip the gradient and return an empty placeholder for it.
 * (GPU kernels never receive it.)
 */
export const SKIP_GRADIENT_ATTR = 'skipGradient';

// ---------------------------------------------------------------------------------------
// Crossing TF.js's attr map. The engine hands attrs to the kernel and the gradient exactly
// as given; its type (NamedAttrMap) knows no null, which our attrs use for "none" (alpha,
// ignoreIndex), hence the two casts below. Ops call runFocalKernel with typed attrs and
// kernels are registered through focalKernelConfig, so no other code casts attrs.

/** The attr map to pass to engine().runKernel for `kernelName`. */
export function attrMapOf<K extends FocalKernelName>(_kernelName: K, attrs: FocalKernelAttrs[K]): NamedAttrMap {
  return attrs as unknown as NamedAttrMap;
}

/** The typed attrs of a call of `kernelName` (what attrMapOf made of them). */
export function focalAttrsOf<K extends FocalKernelName>(_kernelName: K, attrs: object | undefined): FocalKernelAttrs[K] {
  return attrs as FocalKernelAttrs[K];
}

/** What a fused kernel of `kernelName` is called with: its attrs typed, skipGradient read. */
export interface FocalKernelArgs<K extends FocalKernelName> {
  inputs: NamedTensorInfoMap;
  /** The backend instance (each backend file types the parts it uses). */
  backend: object;
  attrs: FocalKernelAttrs[K];
  /** See SKIP_GRADIENT_ATTR. */
  skipGradient: boolean;
}

/** A fused kernel written against typed attrs, as TF.js registers it. */
export function focalKernelFunc<K extends FocalKernelName>(
  kernelName: K,
  run: (args: FocalKernelArgs<K>) => TensorInfo | TensorInfo[],
): KernelFunc {
  return ({ inputs, backend, attrs }) =>
    run({
      inputs,
      backend,
      attrs: focalAttrsOf(kernelName, attrs),
      skipGradient: attrs?.[SKIP_GRADIENT_ATTR] === true,
    });
}

/** The KernelConfig of `kernelName` on `backendName`, run with typed attrs. */
export function focalKernelConfig<K extends FocalKernelName>(
  kernelName: K,
  backendName: string,
  run: (args: FocalKernelArgs<K>) => TensorInfo | TensorInfo[],
): KernelConfig {
  return { kernelName, backendName, kernelFunc: focalKernelFunc(kernelName, run) };
}
