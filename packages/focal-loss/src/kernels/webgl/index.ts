/**
 * Fused focal-loss kernels for the webgl backend (GLSL through backend.runWebGLProgram).
 * FocalLossSigmoid (focal and star), FocalLossSoftmax and FocalLossCategorical, each a
 * short fixed sequence of programs (see gpu_plan.ts).
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
import { runCategoricalFocalPlan, runSigmoidFocalPlan, runSoftmaxFocalPlan } from './gpu_plan.js';
import { WebGLFocalRunner } from './webgl_runner.js';
import type { WebGLBackendLike } from './webgl_types.js';

const BACKEND = 'webgl';

const kernels: KernelConfig[] = [
  {
    kernelName: SIGMOID_FOCAL_LOSS,
    backendName: BACKEND,
    kernelFunc: ({ inputs, backend, attrs }) =>
      runSigmoidFocalPlan(
        new WebGLFocalRunner(backend as WebGLBackendLike),
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
        new WebGLFocalRunner(backend as WebGLBackendLike),
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
        new WebGLFocalRunner(backend as WebGLBackendLike),
        inputs.logits as TensorInfo,
        inputs.targets as TensorInfo,
        (inputs.weights as TensorInfo | undefined) ?? null,
        attrs as unknown as CategoricalFocalLossAttrs,
      ),
  },
];

/** Registers the fused focal-loss kernels for the webgl backend (idempotent). */
export function registerWebGLKernels(): void {
  for (const kernel of kernels) {
    if (getKernel(kernel.kernelName, kernel.backendName) === undefined) registerKernel(kernel);
  }
}
