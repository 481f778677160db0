/**
 * Kernel configs shared by the webgl and webgpu backends: the same plans
 * (elementwise_plans.ts, row_plans.ts), run by the one runner (runner.ts) over each backend's
 * programs.
 */
import { type KernelConfig, type TensorInfo, getKernel, registerKernel } from '@tensorflow/tfjs-core';
import { definitionOf } from '../family/kernel.js';
import { gpuFamilyMember } from '../family/shaders.js';
import { sigmoidFamilyOf } from '../family/sigmoid.js';
import {
  CATEGORICAL_FOCAL_LOSS,
  DISTRIBUTION_FOCAL_LOSS,
  ELEMENTWISE_FOCAL_LOSS,
  SIGMOID_FOCAL_LOSS,
  SOFTMAX_FOCAL_LOSS,
  focalKernelConfig,
} from '../kernel_names.js';
import { runDistributionPlan, runElementwisePlan } from './elementwise_plans.js';
import { runCategoricalFocalPlan, runSoftmaxFocalPlan } from './row_plans.js';
import { FocalProgramRunner, type GpuBackendApi } from './runner.js';

/**
 * Registers the focal-loss kernels (the three, the element-wise family's and DFL's) for the
 * backend `api` names (idempotent). FocalLossSigmoid (focal and FL*) runs as a member of the
 * element-wise family (../family/sigmoid.ts): the same programs and sum tree.
 */
export function registerGpuKernels<Backend extends object, Program>(api: GpuBackendApi<Backend, Program>): void {
  // TF.js hands a kernel its backend untyped; the api's functions say which parts they use.
  const runnerOf = (backend: object): FocalProgramRunner<Backend, Program> => new FocalProgramRunner(backend as Backend, api);
  const weightsOf = (inputs: Record<string, TensorInfo | undefined>): TensorInfo | null => inputs.weights ?? null;
  const kernels: KernelConfig[] = [
    focalKernelConfig(SIGMOID_FOCAL_LOSS, api.name, ({ inputs, backend, attrs }) => {
      const { family, params } = sigmoidFamilyOf(attrs);
      return runElementwisePlan(
        runnerOf(backend),
        inputs.logits as TensorInfo,
        inputs.targets as TensorInfo,
        weightsOf(inputs),
        gpuFamilyMember(family, params),
        attrs.reduction,
      );
    }),
    focalKernelConfig(SOFTMAX_FOCAL_LOSS, api.name, ({ inputs, backend, attrs }) =>
      runSoftmaxFocalPlan(runnerOf(backend), inputs.logits as TensorInfo, inputs.labels as TensorInfo, weightsOf(inputs), attrs),
    ),
    focalKernelConfig(CATEGORICAL_FOCAL_LOSS, api.name, ({ inputs, backend, attrs }) =>
      runCategoricalFocalPlan(runnerOf(backend), inputs.logits as TensorInfo, inputs.targets as TensorInfo, weightsOf(inputs), attrs),
    ),
    focalKernelConfig(ELEMENTWISE_FOCAL_LOSS, api.name, ({ inputs, backend, attrs }) => {
      const { def, params } = definitionOf(attrs);
      return runElementwisePlan(
        runnerOf(backend),
        inputs.logits as TensorInfo,
        inputs.targets as TensorInfo,
        weightsOf(inputs),
        gpuFamilyMember(def.name, params),
        attrs.reduction,
      );
    }),
    focalKernelConfig(DISTRIBUTION_FOCAL_LOSS, api.name, ({ inputs, backend, attrs }) =>
      runDistributionPlan(runnerOf(backend), inputs.logits as TensorInfo, inputs.targets as TensorInfo, weightsOf(inputs), attrs),
    ),
  ];
  for (const kernel of kernels) {
    if (getKernel(kernel.kernelName, kernel.backendName) === undefined) registerKernel(kernel);
  }
}
