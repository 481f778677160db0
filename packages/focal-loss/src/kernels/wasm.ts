/**
 * Fused focal-loss kernels for tfjs-backend-wasm, in JS on zero-copy views of the wasm heap,
 * calling the focal-loss SIMD module where it is active (js_kernel.ts; its own memory, so
 * the data is streamed through in chunks). (The backend's native kernels are compiled in; a
 * plain JS kernel is the way to add one.) With the attr skipGradient the gradient output is
 * an empty placeholder.
 */
import { type KernelConfig, type Tensor, type TensorInfo, engine, registerKernel } from '@tensorflow/tfjs-core';
import type { FloatArray, NumericArray } from '../core/numerics.js';
import { softmaxFocalLossFromProbsInto } from '../core/softmax.js';
import { lossShapeOf, softmaxOptionsOf } from './attrs.js';
import { JS_KERNELS } from './js_kernel.js';
import {
  FOCAL_LOSS_KERNEL_NAMES,
  type FocalKernelArgs,
  type FocalLossKernelName,
  SOFTMAX_FOCAL_LOSS,
  focalKernelConfig,
} from './kernel_names.js';
import { activeSimdKernels, softmaxSimdMaxClasses } from './simd/index.js';

/** The parts of BackendWasm these kernels use. */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): unknown;
  disposeData(dataId: object): void;
}

type WasmKernel<K extends FocalLossKernelName> = (args: FocalKernelArgs<K>) => TensorInfo[];

function wasmKernel<K extends FocalLossKernelName>(kernelName: K): WasmKernel<K> {
  const spec = JS_KERNELS[kernelName];
  return ({ inputs, backend, attrs, skipGradient }) => {
    const wasm = backend as WasmBackendLike;
    const logits = inputs.logits as TensorInfo;
    const second = inputs[spec.second] as TensorInfo;
    const weights = inputs.weights as TensorInfo | undefined;
    // Allocate both outputs before taking any heap view: allocation may grow the heap and
    // detach views taken earlier.
    const lossInfo = wasm.makeOutput(spec.lossShape(logits.shape, attrs), 'float32');
    const gradInfo = wasm.makeOutput(skipGradient ? [0] : logits.shape, 'float32');
    try {
      spec.run(
        wasm.typedArrayFromHeap(logits) as NumericArray,
        wasm.typedArrayFromHeap(second) as NumericArray,
        weights === undefined ? null : (wasm.typedArrayFromHeap(weights) as NumericArray),
        logits.shape,
        attrs,
        wasm.typedArrayFromHeap(lossInfo) as FloatArray,
        skipGradient ? null : (wasm.typedArrayFromHeap(gradInfo) as FloatArray),
      );
    } catch (error) {
      wasm.disposeData(lossInfo.dataId);
      wasm.disposeData(gradInfo.dataId);
      throw error;
    }
    return [lossInfo, gradInfo];
  };
}

/**
 * Softmax with the class axis last, where the focal-loss SIMD module is not active: the
 * backend's native (SIMD) Softmax kernel does the per-element exps, then one JS pass per row
 * turns the probabilities into loss and gradient, writing the gradient over the
 * probabilities (core: softmaxFocalLossFromProbsInto). Other axes, and the calls the SIMD
 * module takes while it is active (one pass, no softmax tensor), take the generic kernel.
 */
function wasmSoftmaxKernel(generic: WasmKernel<typeof SOFTMAX_FOCAL_LOSS>): WasmKernel<typeof SOFTMAX_FOCAL_LOSS> {
  return (args) => {
    const { inputs, backend, attrs: a, skipGradient: skip } = args;
    const logits = inputs.logits as TensorInfo;
    const simd = activeSimdKernels();
    if (a.axis !== logits.shape.length - 1 || (simd !== null && logits.shape[a.axis] <= softmaxSimdMaxClasses(simd))) {
      return generic(args);
    }
    const wasm = backend as WasmBackendLike;
    const labels = inputs.labels as TensorInfo;
    const weights = inputs.weights as TensorInfo | undefined;
    const probs = engine().runKernel('Softmax', { logits: logits as Tensor }, { dim: a.axis }) as Tensor;
    const lossInfo = wasm.makeOutput(lossShapeOf(logits.shape, a.reduction, a.axis), 'float32');
    const placeholder = skip ? wasm.makeOutput([0], 'float32') : null;
    try {
      const probsView = wasm.typedArrayFromHeap(probs) as Float32Array;
      const lossView = wasm.typedArrayFromHeap(lossInfo) as Float32Array;
      const reduced = softmaxFocalLossFromProbsInto(
        probsView,
        wasm.typedArrayFromHeap(logits) as NumericArray,
        wasm.typedArrayFromHeap(labels) as NumericArray,
        weights === undefined ? null : (wasm.typedArrayFromHeap(weights) as NumericArray),
        logits.shape[a.axis],
        softmaxOptionsOf(a),
        a.reduction === 'none' ? lossView : null,
        skip ? null : probsView,
      );
      if (a.reduction !== 'none') lossView[0] = reduced.loss;
    } catch (error) {
      probs.dispose();
      wasm.disposeData(lossInfo.dataId);
      if (placeholder !== null) wasm.disposeData(placeholder.dataId);
      throw error;
    }
    if (placeholder === null) return [lossInfo, probs];
    probs.dispose();
    return [lossInfo, placeholder];
  };
}

function wasmKernelConfig<K extends FocalLossKernelName>(kernelName: K): KernelConfig {
  return focalKernelConfig(kernelName, 'wasm', wasmKernel(kernelName));
}

export function registerWasmKernels(): void {
  for (const kernelName of FOCAL_LOSS_KERNEL_NAMES) {
    const config =
      kernelName === SOFTMAX_FOCAL_LOSS
        ? focalKernelConfig(SOFTMAX_FOCAL_LOSS, 'wasm', wasmSoftmaxKernel(wasmKernel(SOFTMAX_FOCAL_LOSS)))
        : wasmKernelConfig(kernelName);
    registerKernel(config);
  }
}
