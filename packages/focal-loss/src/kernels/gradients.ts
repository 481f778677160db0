/**
 * Backward pass of the fused kernels, for every backend: the forward already produced the
 * gradient of the reduced loss, so the backward is one multiply by the upstream gradient.
 * Targets, labels and weights get zero gradient (the loss is not meant to be optimised
 * through them); the saved gradient output is not itself differentiable (no second order).
 */
import {
  type GradConfig, type NamedAttrMap, type Tensor, clone, expandDims, getBackend, mul, registerGradient, zeros, zerosLike,
} from '@tensorflow/tfjs-core';
import { CATEGORICAL_FOCAL_LOSS, SIGMOID_FOCAL_LOSS, SOFTMAX_FOCAL_LOSS } from './kernel_names.js';

const CPU_BACKENDS = ['cpu', 'wasm'];

/**
 * dy has the loss's shape: per element (sigmoid), per row, or a scalar. When the loss is
 * the final scalar, dy is 1 and the saved gradient is the answer: a clone shares its data,
 * so the backward costs no pass at all (checked only where reading dy does not stall a GPU).
 */
export function logitsGradient(dy: Tensor, grad: Tensor, attrs: NamedAttrMap, classAxis: boolean): Tensor {
  if (attrs.reduction === 'none' && classAxis) return mul(grad, expandDims(dy, attrs.axis as number));
  if (dy.size === 1 && CPU_BACKENDS.includes(getBackend()) && dy.dataSync()[0] === 1) return clone(grad);
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
