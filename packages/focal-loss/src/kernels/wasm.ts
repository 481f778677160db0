/**
 * Fused focal-loss kernels for tfjs-backend-wasm, in JS on zero-copy views of the wasm heap.
 * (The backend's native kernels are compiled in; a plain JS kernel is the way to add one.)
 */
import { type KernelConfig, type KernelFunc, type TensorInfo, registerKernel } from '@tensorflow/tfjs-core';
import type { FloatArray, NumericArray } from '../core/numerics.js';
import { JS_KERNELS, type JsKernelSpec } from './js_kernel.js';

/** The parts of BackendWasm these kernels use. */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): unknown;
  disposeData(dataId: object): void;
}

function wasmKernelFunc(spec: JsKernelSpec): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const wasm = backend as unknown as WasmBackendLike;
    const logits = inputs.logits as TensorInfo;
    const second = inputs[spec.second] as TensorInfo;
    const weights = inputs.weights as TensorInfo | undefined;
    // Allocate both outputs before taking any heap view: allocation may grow the heap and
    // detach views taken earlier.
    const lossInfo = wasm.makeOutput(spec.lossShape(logits.shape, attrs as object), 'float32');
    const gradInfo = wasm.makeOutput(logits.shape, 'float32');
    try {
      spec.run(
        wasm.typedArrayFromHeap(logits) as NumericArray,
        wasm.typedArrayFromHeap(second) as NumericArray,
        weights === undefined ? null : (wasm.typedArrayFromHeap(weights) as NumericArray),
        logits.shape, attrs as object,
        wasm.typedArrayFromHeap(lossInfo) as FloatArray,
        wasm.typedArrayFromHeap(gradInfo) as FloatArray,
      );
    } catch (error) {
      wasm.disposeData(lossInfo.dataId);
      wasm.disposeData(gradInfo.dataId);
      throw error;
    }
    return [lossInfo, gradInfo];
  };
}

export function registerWasmKernels(): void {
  for (const [kernelName, spec] of Object.entries(JS_KERNELS)) {
    const config: KernelConfig = { kernelName, backendName: 'wasm', kernelFunc: wasmKernelFunc(spec) };
    registerKernel(config);
  }
}
