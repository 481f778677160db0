/**
 * Kernel configs for the `wasm` backend, which (in tfjs 4.22) has no
 * Conv2DBackpropFilter and therefore cannot train convolutions. The loops are the
 * same JS as on cpu, reading and writing the wasm heap through zero-copy views.
 *
 * This module does not import `@tensorflow/tfjs-backend-wasm`: importing it makes
 * wasm the default backend, which must stay the user's choice.
 */
import * as tf from '@tensorflow/tfjs-core';
import { conv2dBackpropFilter, conv2dBackpropInput } from './conv2d_math.js';
import { fastPathApplies, geometryOf, inShapeOf } from './geometry.js';

/** The part of tfjs-backend-wasm's BackendWasm these kernels use. */
interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): tf.backend_util.TypedArray;
}

type KernelArgs = Parameters<tf.KernelFunc>[0];

function unsupported(name: string): never {
  throw new Error(`fast conv kernels: wasm ${name} supports NHWC float32 with dilation 1 only`);
}

function backpropFilter(args: KernelArgs): tf.TensorInfo {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  if (!fastPathApplies(args.attrs, [x, dy])) unsupported(tf.Conv2DBackpropFilter);
  const backend = args.backend as WasmBackend;
  const filterShape = (args.attrs as { filterShape: number[] }).filterShape;
  const g = geometryOf(x.shape, filterShape, args.attrs);
  // Allocating can grow the wasm memory and detach views taken before it.
  const out = backend.makeOutput(filterShape.slice(), 'float32');
  const xv = backend.typedArrayFromHeap(x) as Float32Array;
  const dyv = backend.typedArrayFromHeap(dy) as Float32Array;
  conv2dBackpropFilter(g, xv, dyv, backend.typedArrayFromHeap(out) as Float32Array);
  return out;
}

function backpropInput(args: KernelArgs): tf.TensorInfo {
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  if (!fastPathApplies(args.attrs, [dy, filter])) unsupported(tf.Conv2DBackpropInput);
  const backend = args.backend as WasmBackend;
  const inputShape = (args.attrs as { inputShape: number[] }).inputShape;
  const g = geometryOf(inputShape, filter.shape, args.attrs);
  const out = backend.makeOutput(inShapeOf(g), 'float32');
  const dyv = backend.typedArrayFromHeap(dy) as Float32Array;
  const fv = backend.typedArrayFromHeap(filter) as Float32Array;
  conv2dBackpropInput(g, dyv, fv, backend.typedArrayFromHeap(out) as Float32Array);
  return out;
}

/** Conv2DBackpropFilter for wasm, which has none of its own. */
export const wasmBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: backpropFilter,
};

/**
 * Conv2DBackpropInput for wasm, registered only where the wasm build lacks one:
 * tfjs 4.22's native kernel (about 1.6 G multiply-adds/s here) is as fast as these
 * loops, so it is kept.
 */
export const wasmBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: backpropInput,
};
