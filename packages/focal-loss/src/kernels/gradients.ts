/**
 * Backward pass of the fused kernels, for every backend: the forward already produced the
 * gradient of the reduced loss, so the backward is one multiply by the upstream gradient.
 * Targets, labels and weights get zero gradient (the loss is not meant to be optimised
 * through them); the saved gradient output is not itself differentiable (no second order).
 */
import {
  type GradConfig, type NamedAttrMap, type Tensor, expandDims, mul, registerGradient, zeros, zerosLike,
} from '@tensorflow/tfjs-core';
import { CATEGORICAL_FOCAL_LOSS, SIGMOID_FOCAL_LOSS, SOFTMAX_FOCAL_LOSS } from './kernel_names.js';

/** dy has the loss's shape: per element (sigmoid), per row, or a scalar. */
export function logitsGradient(dy: Tensor, grad: Tensor, attrs: NamedAttrMap, classAxis: boolean): Tensor {
  if (attrs.reduction === 'none' && classAxis) return mul(grad, expandDims(dy, attrs.axis as number));
  return mul(grad, dy);
}

function rowShape(grad: Tensor, attrs: NamedAttrMap): number[] {
  return grad.shape.filter((_, i) => i !== (attrs.axis as number));
}

const configs: GradConfig[] = [
  {
    kernelName: SIGMOID_FOCAL_LOSS,
    outputsToSave: [false, true],
    gradFunc: (dys, [grad], attrs) => {
      const dy = (dys as Tensor[])[0];
      return {
        logits: () => logitsGradient(dy, grad, attrs, false),
        targets: () => zerosLike(grad),
        weights: () => zerosLike(grad),
      };
    },
  },
  {
    kernelName: SOFTMAX_FOCAL_LOSS,
    outputsToSave: [false, true],
    gradFunc: (dys, [grad], attrs) => {
      const dy = (dys as Tensor[])[0];
      return {
        logits: () => logitsGradient(dy, grad, attrs, true),
        labels: () => zeros(rowShape(grad, attrs)),
        weights: () => zeros(rowShape(grad, attrs)),
      };
    },
  },
  {
    kernelName: CATEGORICAL_FOCAL_LOSS,
    outputsToSave: [false, true],
    gradFunc: (dys, [grad], attrs) => {
      const dy = (dys as Tensor[])[0];
      return {
        logits: () => logitsGradient(dy, grad, attrs, true),
        targets: () => zerosLike(grad),
        weights: () => zeros(rowShape(grad, attrs)),
      };
    },
  },
];

export function registerFocalGradients(): void {
  for (const config of configs) registerGradient(config);
}
