/**
 * Turns kernel attrs (kernel_names.ts) into the core's options and shapes, for the JS kernels.
 * (The sigmoid kernel's attrs are the core's options as they are: nothing to turn.)
 */
import type { CategoricalKernelOptions } from '../core/categorical.js';
import { type ClassAxisLayout, classAxisLayout } from '../core/layout.js';
import type { SoftmaxKernelOptions } from '../core/softmax.js';
import type { CategoricalFocalLossAttrs, SoftmaxFocalLossAttrs } from './kernel_names.js';

export function softmaxOptionsOf(attrs: SoftmaxFocalLossAttrs): SoftmaxKernelOptions {
  return { alpha: attrs.alpha, gamma: attrs.gamma, ignoreIndex: attrs.ignoreIndex, reduction: attrs.reduction };
}

export function categoricalOptionsOf(attrs: CategoricalFocalLossAttrs): CategoricalKernelOptions {
  return { alpha: attrs.alpha, gamma: attrs.gamma, labelSmoothing: attrs.labelSmoothing, reduction: attrs.reduction };
}

export function layoutOf(logitsShape: readonly number[], axis: number): ClassAxisLayout {
  return classAxisLayout(logitsShape, axis);
}

/** The loss output's shape: per element, per row (class axis removed), or a scalar. */
export function lossShapeOf(logitsShape: readonly number[], reduction: string, classAxis: number | null): number[] {
  if (reduction !== 'none') return [];
  return classAxis === null ? [...logitsShape] : logitsShape.filter((_, i) => i !== classAxis);
}
