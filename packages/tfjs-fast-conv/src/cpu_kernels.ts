/**
 * Kernel configs for the `cpu` backend: Conv2D, FusedConv2D, Conv2DBackpropFilter
 * and Conv2DBackpropInput. Cases outside the fast path go to the original kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { conv2dBackpropFilter, conv2dBackpropInput, conv2dForward } from './conv2d_math.js';
import { fastPathApplies, geometryOf, inShapeOf, outShapeOf } from './geometry.js';

/** The part of tfjs-backend-cpu's MathBackendCPU these kernels use. */
interface CpuBackend {
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.backend_util.BackendValues): tf.TensorInfo;
}

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** Original kernels by name, to delegate what the fast path does not cover. */
export type OriginalKernels = ReadonlyMap<string, tf.KernelConfig | undefined>;

function valuesOf(backend: CpuBackend, t: tf.TensorInfo): Float32Array {
  const v = backend.readSync(t.dataId);
  return v instanceof Float32Array ? v : Float32Array.from(v as ArrayLike<number>);
}

function delegate(originals: OriginalKernels, name: string, args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const original = originals.get(name);
  if (original === undefined) {
    throw new Error(`fast conv kernels: ${name} case not covered and no original cpu kernel to fall back to`);
  }
  return original.kernelFunc(args);
}

/**
 * Bias as one value per output channel, or null when its shape would broadcast some
 * other way (then the original kernel handles it).
 */
function perChannelBias(backend: CpuBackend, bias: tf.TensorInfo, outChannels: number): Float32Array | null {
  const size = bias.shape.reduce((p, d) => p * d, 1);
  const values = valuesOf(backend, bias);
  if (size === 1) return new Float32Array(outChannels).fill(values[0]!);
  if (size === outChannels && bias.shape[bias.shape.length - 1] === outChannels) return values;
  return null;
}

/** Element-wise activations tfjs fuses; prelu (it takes a tensor) is left to the original. */
const ACTIVATIONS: Record<string, ((v: number, alpha: number) => number) | null> = {
  linear: null,
  relu: (v) => (v < 0 ? 0 : v),
  relu6: (v) => (v < 0 ? 0 : v > 6 ? 6 : v),
  elu: (v) => (v >= 0 ? v : Math.exp(v) - 1),
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  leakyrelu: (v, alpha) => (v < 0 ? alpha * v : v),
};

function conv2d(args: KernelArgs, originals: OriginalKernels): tf.TensorInfo | tf.TensorInfo[] {
  const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
  if (!fastPathApplies(args.attrs, [x, filter])) return delegate(originals, tf.Conv2D, args);
  const backend = args.backend as CpuBackend;
  const g = geometryOf(x.shape, filter.shape, args.attrs);
  const y = new Float32Array(g.batch * g.outHeight * g.outWidth * g.outChannels);
  conv2dForward(g, valuesOf(backend, x), valuesOf(backend, filter), y);
  return backend.makeTensorInfo(outShapeOf(g), 'float32', y);
}

function fusedConv2d(args: KernelArgs, originals: OriginalKernels): tf.TensorInfo | tf.TensorInfo[] {
  const { x, filter, bias } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo; bias?: tf.TensorInfo };
  const attrs = (args.attrs ?? {}) as { activation?: string; leakyreluAlpha?: number };
  const activation = attrs.activation ?? 'linear';
  if (!fastPathApplies(args.attrs, [x, filter, bias]) || !(activation in ACTIVATIONS)) {
    return delegate(originals, tf.FusedConv2D, args);
  }
  const backend = args.backend as CpuBackend;
  const g = geometryOf(x.shape, filter.shape, args.attrs);
  let biasValues: Float32Array | null = null;
  if (bias !== undefined && bias !== null) {
    biasValues = perChannelBias(backend, bias, g.outChannels);
    if (biasValues === null) return delegate(originals, tf.FusedConv2D, args);
  }
  const y = new Float32Array(g.batch * g.outHeight * g.outWidth * g.outChannels);
  conv2dForward(g, valuesOf(backend, x), valuesOf(backend, filter), y, biasValues);
  const f = ACTIVATIONS[activation];
  if (f) {
    const alpha = attrs.leakyreluAlpha ?? 0.2;
    for (let i = 0; i < y.length; i++) y[i] = f(y[i]!, alpha);
  }
  return backend.makeTensorInfo(outShapeOf(g), 'float32', y);
}

function backpropFilter(args: KernelArgs, originals: OriginalKernels): tf.TensorInfo | tf.TensorInfo[] {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  if (!fastPathApplies(args.attrs, [x, dy])) return delegate(originals, tf.Conv2DBackpropFilter, args);
  const backend = args.backend as CpuBackend;
  const filterShape = (args.attrs as { filterShape: number[] }).filterShape;
  const g = geometryOf(x.shape, filterShape, args.attrs);
  const dw = new Float32Array(filterShape.reduce((p, d) => p * d, 1));
  conv2dBackpropFilter(g, valuesOf(backend, x), valuesOf(backend, dy), dw);
  return backend.makeTensorInfo(filterShape.slice(), 'float32', dw);
}

function backpropInput(args: KernelArgs, originals: OriginalKernels): tf.TensorInfo | tf.TensorInfo[] {
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  if (!fastPathApplies(args.attrs, [dy, filter])) return delegate(originals, tf.Conv2DBackpropInput, args);
  const backend = args.backend as CpuBackend;
  const inputShape = (args.attrs as { inputShape: number[] }).inputShape;
  const g = geometryOf(inputShape, filter.shape, args.attrs);
  const dx = new Float32Array(g.batch * g.inHeight * g.inWidth * g.inChannels);
  conv2dBackpropInput(g, valuesOf(backend, dy), valuesOf(backend, filter), dx);
  return backend.makeTensorInfo(inShapeOf(g), 'float32', dx);
}

/** Names of the cpu kernels replaced. */
export const CPU_KERNEL_NAMES = [tf.Conv2D, tf.FusedConv2D, tf.Conv2DBackpropFilter, tf.Conv2DBackpropInput] as const;

/** Kernel configs for the cpu backend; `originals` handles what the fast path does not. */
export function cpuKernelConfigs(originals: OriginalKernels): tf.KernelConfig[] {
  const make = (kernelName: string, f: (a: KernelArgs, o: OriginalKernels) => tf.TensorInfo | tf.TensorInfo[]) => ({
    kernelName,
    backendName: 'cpu',
    kernelFunc: (a: KernelArgs) => f(a, originals),
  });
  return [
    make(tf.Conv2D, conv2d),
    make(tf.FusedConv2D, fusedConv2d),
    make(tf.Conv2DBackpropFilter, backpropFilter),
    make(tf.Conv2DBackpropInput, backpropInput),
  ];
}
