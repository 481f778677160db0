/**
 * Kernel configs for the `wasm` backend: Conv2DBackpropFilter, which tfjs 4.22's wasm build
 * lacks (so it cannot train convolutions), and Conv2DBackpropInput, whose native kernel runs at
 * about 1-1.5 G multiply-adds/s here. Both run in the backend's own XNNPACK kernels
 * (wasm_forward_grads.ts): the input gradient as a forward convolution, the filter gradient as a
 * matrix product (stride 1) or a forward convolution, at 5-16 G.
 *
 * This module does not import `@tensorflow/tfjs-backend-wasm`: importing it makes
 * wasm the default backend, which must stay the user's choice.
 */
import * as tf from '@tensorflow/tfjs-core';
import { fastPathApplies, geometryOf } from './geometry.js';
import { backpropFilterByForwardConv, backpropInputByForwardConv } from './wasm_forward_grads.js';

type KernelArgs = Parameters<tf.KernelFunc>[0];

function uncovered(name: string): never {
  throw new Error(`fast conv kernels: wasm ${name} supports NHWC float32 with dilation 1 only`);
}

function backpropFilter(args: KernelArgs): tf.TensorInfo {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  if (!fastPathApplies(args.attrs, [x, dy])) uncovered(tf.Conv2DBackpropFilter);
  const filterShape = (args.attrs as { filterShape: number[] }).filterShape;
  return backpropFilterByForwardConv(args.backend, geometryOf(x.shape, filterShape, args.attrs), x, dy);
}

/**
 * The wasm kernel configs, given the backend's original Conv2DBackpropInput (if any): cases
 * outside the fast path (NCHW, dilation > 1, other dtypes) go to it.
 */
export function wasmKernelConfigs(originalBackpropInput: tf.KernelConfig | undefined): tf.KernelConfig[] {
  const backpropInput = (args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] => {
    const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    if (!fastPathApplies(args.attrs, [dy, filter])) {
      if (originalBackpropInput === undefined) uncovered(tf.Conv2DBackpropInput);
      return originalBackpropInput.kernelFunc(args);
    }
    const inputShape = (args.attrs as { inputShape: number[] }).inputShape;
    const g = geometryOf(inputShape, filter.shape, args.attrs);
    // One input channel with a stride (an image's first layer): the zero-filled dy costs
    // stride² more work and XNNPACK is slow at one output channel; the native kernel wins
    // there (2.8 against 6.9 ms at 16×64×64×1→16 stride 2; bench/conv.bench.ts).
    if (g.inChannels === 1 && g.strideHeight * g.strideWidth > 1 && originalBackpropInput !== undefined) {
      return originalBackpropInput.kernelFunc(args);
    }
    return backpropInputByForwardConv(args.backend, g, dy, filter);
  };
  return [
    { kernelName: tf.Conv2DBackpropFilter, backendName: 'wasm', kernelFunc: backpropFilter },
    { kernelName: tf.Conv2DBackpropInput, backendName: 'wasm', kernelFunc: backpropInput },
  ];
}
