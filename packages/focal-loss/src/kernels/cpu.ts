/**
 * Fused focal-loss kernels for tfjs-backend-cpu: the SIMD module or the core's loops (see
 * js_kernel.ts) run directly on the backend's value arrays (readSync returns them without
 * copying) and write two fresh outputs. With the attr skipGradient (runFocalKernel sets it
 * when no tape records) the gradient output is an empty placeholder.
 */
import { type KernelConfig, type TensorInfo, registerKernel } from '@tensorflow/tfjs-core';
import type { NumericArray } from '../core/numerics.js';
import { sizeOf } from '../core/options.js';
import { JS_KERNELS } from './js_kernel.js';
import { FOCAL_LOSS_KERNEL_NAMES, type FocalLossKernelName, focalKernelConfig } from './kernel_names.js';

/** The parts of MathBackendCPU these kernels use. */
interface CpuBackendLike {
  readSync(dataId: object): unknown;
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

function cpuKernelConfig<K extends FocalLossKernelName>(kernelName: K): KernelConfig {
  const spec = JS_KERNELS[kernelName];
  return focalKernelConfig(kernelName, 'cpu', ({ inputs, backend, attrs, skipGradient }) => {
    const cpu = backend as CpuBackendLike;
    const logits = inputs.logits as TensorInfo;
    const second = inputs[spec.second] as TensorInfo;
    const weights = inputs.weights as TensorInfo | undefined;
    const lossShape = spec.lossShape(logits.shape, attrs);
    const loss = new Float32Array(sizeOf(lossShape));
    const gradShape = skipGradient ? [0] : logits.shape;
    const grad = new Float32Array(sizeOf(gradShape));
    spec.run(
      cpu.readSync(logits.dataId) as NumericArray,
      cpu.readSync(second.dataId) as NumericArray,
      weights === undefined ? null : (cpu.readSync(weights.dataId) as NumericArray),
      logits.shape,
      attrs,
      loss,
      skipGradient ? null : grad,
    );
    return [cpu.makeTensorInfo(lossShape, 'float32', loss), cpu.makeTensorInfo(gradShape, 'float32', grad)];
  });
}

export function registerCpuKernels(): void {
  for (const kernelName of FOCAL_LOSS_KERNEL_NAMES) registerKernel(cpuKernelConfig(kernelName));
}
