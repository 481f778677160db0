/**
 * MaxPoolGrad for the `wasm` backend as one pass over the output on the heap: each output cell
 * sends its gradient to the first largest input of its window (row-major, as tfjs-backend-cpu
 * chooses). tfjs-wasm's native MaxPoolGrad took about 12 ms per call at compare's 96×96 sizes,
 * 4-9 % of a training step; this loop reads each window once. (It also dropped some windows'
 * gradients for a 3×2 filter with strides [1, 2] and 'same' padding, where this kernel and
 * tfjs-backend-cpu agree: test/max_pool_grad.test.ts.)
 *
 * This module does not import `@tensorflow/tfjs-backend-wasm` (see wasm_kernels.ts).
 */
import * as tf from '@tensorflow/tfjs-core';

/** The part of tfjs-backend-wasm's BackendWasm used here. */
interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): tf.backend_util.TypedArray;
}

type KernelArgs = Parameters<tf.KernelFunc>[0];

interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** Gradient of a 2-D max pool (NHWC) with respect to its input. */
function maxPoolGrad(args: KernelArgs, original: tf.KernelConfig | undefined): tf.TensorInfo | tf.TensorInfo[] {
  const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const a = args.attrs as unknown as PoolAttrs;
  if (input.dtype !== 'float32' || dy.dtype !== 'float32') {
    if (original === undefined) throw new Error('fast conv kernels: wasm MaxPoolGrad supports float32 only');
    return original.kernelFunc(args);
  }
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    a.filterSize,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );
  const backend = args.backend as WasmBackend;
  // Allocating can grow the wasm memory and detach views taken before it.
  const out = backend.makeOutput(input.shape.slice(), 'float32');
  const x = backend.typedArrayFromHeap(input) as Float32Array;
  const g = backend.typedArrayFromHeap(dy) as Float32Array;
  const result = backend.typedArrayFromHeap(out) as Float32Array;
  const { batchSize, inHeight, inWidth, inChannels: C, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  // Overlapping windows add several gradients into one input: sum them in float64, as
  // tfjs-backend-cpu does, so that the result is the same to the last bit.
  const overlapping = strideHeight < filterHeight || strideWidth < filterWidth;
  const dx = overlapping ? new Float64Array(result.length) : result.fill(0);
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    const image = b * inHeight * inWidth * C;
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * strideHeight - top;
      const yStart = Math.max(0, y0);
      const yEnd = Math.min(inHeight, y0 + filterHeight);
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = ox * strideWidth - left;
        const xStart = Math.max(0, x0);
        const xEnd = Math.min(inWidth, x0 + filterWidth);
        for (let c = 0; c < C; c++, o++) {
          let best = Number.NEGATIVE_INFINITY;
          let at = -1;
          for (let y = yStart; y < yEnd; y++) {
            for (let xx = xStart; xx < xEnd; xx++) {
              const i = image + (y * inWidth + xx) * C + c;
              const v = x[i]!;
              if (v > best) {
                best = v;
                at = i;
              }
            }
          }
          if (at >= 0) dx[at]! += g[o]!;
        }
      }
    }
  }
  if (overlapping) result.set(dx);
  return out;
}

/** The wasm MaxPoolGrad config, given the backend's original kernel for cases it hands back. */
export function wasmMaxPoolGradConfig(original: tf.KernelConfig | undefined): tf.KernelConfig {
  return { kernelName: tf.MaxPoolGrad, backendName: 'wasm', kernelFunc: (args) => maxPoolGrad(args, original) };
}
