/**
 * Kernel configs shared by the webgl and webgpu backends: the same plans (plan.ts), run
 * through each backend's own program runner.
 */
import { type KernelConfig, type TensorInfo, getKernel, registerKernel } from '@tensorflow/tfjs-core';
import {
  CATEGORICAL_FOCAL_LOSS, type CategoricalFocalLossAttrs, SIGMOID_FOCAL_LOSS, SOFTMAX_FOCAL_LOSS,
  type SigmoidFocalLossAttrs, type SoftmaxFocalLossAttrs,
} from '../kernel_names.js';
import { DISTRIBUTION_FOCAL_LOSS, type DistributionFocalLossAttrs } from '../family/distribution.js';
import { type ElementwiseFocalLossAttrs, ELEMENTWISE_FOCAL_LOSS, definitionOf } from '../family/kernel.js';
import { familyUniformValues } from '../family/shaders.js';
import { sigmoidFamilyOf } from '../family/sigmoid.js';
import {
  type GpuProgramRunner, runCategoricalFocalPlan, runDistributionPlan, runElementwisePlan, runSoftmaxFocalPlan,
} from './plan.js';

/**
 * Registers the focal-loss kernels (the three, the element-wise family's and DFL's) for
 * `backendName` (idempotent). FocalLossSigmoid (focal and FL*) runs as a member of the
 * element-wise family (../family/sigmoid.ts): the same programs and sum tree.
 */
export function registerGpuKernels(backendName: string, runnerOf: (backend: unknown) => GpuProgramRunner): void {
  const weightsOf = (inputs: Record<string, TensorInfo | undefined>): TensorInfo | null => inputs.weights ?? null;
  const kernels: KernelConfig[] = [
    {
      kernelName: SIGMOID_FOCAL_LOSS,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const a = attrs as unknown as SigmoidFocalLossAttrs;
        const { family, params } = sigmoidFamilyOf(a);
        return runElementwisePlan(runnerOf(backend), inputs.logits as TensorInfo, inputs.targets as TensorInfo,
          weightsOf(inputs), family, params, a.reduction, familyUniformValues(family, params));
      },
    },
    {
      kernelName: SOFTMAX_FOCAL_LOSS,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => runSoftmaxFocalPlan(runnerOf(backend),
        inputs.logits as TensorInfo, inputs.labels as TensorInfo, weightsOf(inputs), attrs as unknown as SoftmaxFocalLossAttrs),
    },
    {
      kernelName: CATEGORICAL_FOCAL_LOSS,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => runCategoricalFocalPlan(runnerOf(backend),
        inputs.logits as TensorInfo, inputs.targets as TensorInfo, weightsOf(inputs), attrs as unknown as CategoricalFocalLossAttrs),
    },
    {
      kernelName: ELEMENTWISE_FOCAL_LOSS,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const a = attrs as unknown as ElementwiseFocalLossAttrs;
        const { def, params } = definitionOf(a);
        return runElementwisePlan(runnerOf(backend), inputs.logits as TensorInfo, inputs.targets as TensorInfo,
          weightsOf(inputs), def.name, params, a.reduction, familyUniformValues(def.name, params));
      },
    },
    {
      kernelName: DISTRIBUTION_FOCAL_LOSS,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => runDistributionPlan(runnerOf(backend),
        inputs.logits as TensorInfo, inputs.targets as TensorInfo, weightsOf(inputs), attrs as unknown as DistributionFocalLossAttrs),
    },
  ];
  for (const kernel of kernels) {
    if (getKernel(kernel.kernelName, kernel.backendName) === undefined) registerKernel(kernel);
  }
}
