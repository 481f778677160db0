/**
 * Fused focal-loss kernels for the webgpu backend (WGSL through backend.runWebGPUProgram).
 * FocalLossSigmoid (focal and star), FocalLossSoftmax and FocalLossCategorical, each a
 * short fixed sequence of programs (see ../webgl/gpu_plan.ts).
 */
import { type KernelConfig, type TensorInfo, getKernel, registerKernel } from '@tensorflow/tfjs-core';
import {
  CATEGORICAL_FOCAL_LOSS,
  type CategoricalFocalLossAttrs,
  SIGMOID_FOCAL_LOSS,
  SOFTMAX_FOCAL_LOSS,
  type SigmoidFocalLossAttrs,
  type SoftmaxFocalLossAttrs,
} from '../kernel_names.js';
import { runCategoricalFocalPlan, runSigmoidFocalPlan, runSoftmaxFocalPlan } from '../webgl/gpu_plan.js';
import { WebGPUFocalRunner } from './webgpu_runner.js';
import type { WebGPUBackendLike } from './webgpu_types.js';

const BACKEND = 'webgpu';

const kernels: KernelConfig[] = [
  {
    kernelName: SIGMOID_FOCAL_LOSS,
    backendName: BACKEND,
    kernelFunc: ({ inputs, backend, attrs }) =>
      runSigmoidFocalPlan(
        new WebGPUFocalRunner(backend as WebGPUBackendLike),
        inputs.logits as TensorInfo,
        inputs.targets as TensorInfo,
        (inputs.weights as TensorInfo | undefined) ?? null,
        attrs as unknown as SigmoidFocalLossAttrs,
      ),
  },
  {
    kernelName: SOFTMAX_FOCAL_LOSS,
    backendName: BACKEND,
    kernelFunc: ({ inputs, backend, attrs }) =>
      runSoftmaxFocalPlan(
        new WebGPUFocalRunner(backend as WebGPUBackendLike),
        inputs.logits as TensorInfo,
        inputs.labels as TensorInfo,
        (inputs.weights as TensorInfo | undefined) ?? null,
        attrs as unknown as SoftmaxFocalLossAttrs,
      ),
  },
  {
    kernelName: CATEGORICAL_FOCAL_LOSS,
    backendName: BACKEND,
    kernelFunc: ({ inputs, backend, attrs }) =>
      runCategoricalFocalPlan(
        new WebGPUFocalRunner(backend as WebGPUBackendLike),
        inputs.logits as TensorInfo,
        inputs.targets as TensorInfo,
        (inputs.weights as TensorInfo | undefined) ?? null,
        attrs as unknown as CategoricalFocalLossAttrs,
      ),
  },
];

/** Registers the fused focal-loss kernels for the webgpu backend (idempotent). */
export function registerWebGPUKernels(): void {
  for (const kernel of kernels) {
    if (getKernel(kernel.kernelName, kernel.backendName) === undefined) registerKernel(kernel);
  }
}
