/**
 * Fused focal-loss kernels for tfjs-backend-cpu: the SIMD module or the core's loops (see
 * js_kernel.ts) run directly on the backend's value arrays (readSync returns them without
 * copying) and write two fresh outputs. With the attr skipGradient (runFocalKernel sets it
 * when no tape records) the gradient output is an empty placeholder.
 */
import { type KernelConfig, type KernelFunc, type TensorInfo, registerKernel } from '@tensorflow/tfjs-core';
import type { NumericArray } from '../core/numerics.js';
import { sizeOf } from '../core/options.js';
import { JS_KERNELS, type JsKernelSpec } from './js_kernel.js';
import { SKIP_GRADIENT_ATTR } from './simd/forward_only.js';

/** The parts of MathBackendCPU these kernels use. */
interface CpuBackendLike {
  readSync(dataId: object): unknown;
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

function cpuKernelFunc(spec: JsKernelSpec): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const cpu = backend as unknown as CpuBackendLike;
    const logits = inputs.logits as TensorInfo;
    const second = inputs[spec.second] as TensorInfo;
    const weights = inputs.weights as TensorInfo | undefined;
    const lossShape = spec.lossShape(logits.shape, attrs as object);
    const loss = new Float32Array(sizeOf(lossShape));
    const skip = (attrs as Record<string, unknown>)[SKIP_GRADIENT_ATTR] === true;
    const gradShape = skip ? [0] : logits.shape;
    const grad = new Float32Array(sizeOf(gradShape));
    spec.run(
      cpu.readSync(logits.dataId) as NumericArray,
      cpu.readSync(second.dataId) as NumericArray,
      weights === undefined ? null : (cpu.readSync(weights.dataId) as NumericArray),
      logits.shape, attrs as object, loss, skip ? null : grad,
    );
    return [cpu.makeTensorInfo(lossShape, 'float32', loss), cpu.makeTensorInfo(gradShape, 'float32', grad)];
  };
}

export function registerCpuKernels(): void {
  for (const [kernelName, spec] of Object.entries(JS_KERNELS)) {
    const config: KernelConfig = { kernelName, backendName: 'cpu', kernelFunc: cpuKernelFunc(spec) };
    registerKernel(config);
  }
}
