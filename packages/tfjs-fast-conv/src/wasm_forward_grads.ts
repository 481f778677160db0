/**
 * Both convolution gradients on the `wasm` backend as forward convolutions, so that they run
 * in XNNPACK's SIMD Conv2D (about 10 G multiply-adds/s on one core here) instead of scalar
 * loops (about 1.5 G). Only the backend's own kernels are called (Conv2D, Transpose, Reverse,
 * Reshape, PadV2, Slice), on the backend's TensorInfos; every temporary is freed before
 * returning.
 *
 * In one spatial dimension, with stride s, padding p before row 0, filter size k and
 * dy of length m:
 *
 * - Input gradient: dx[i] = Σ_a dy[o] W[a] over o·s + a − p = i. Insert s − 1 zeros between
 *   the rows of dy (D[o·s] = dy[o]) and flip the filter (W'[a] = W[k−1−a], in and out channels
 *   swapped): dx[i] = Σ_a D[i + p − (k−1) + a] W'[a], a stride-1 forward convolution of D
 *   padded by k−1−p before and n + p − len(D) after (n: input length). A negative padding
 *   means rows of D that no input row reaches; they are sliced off instead.
 * - Filter gradient, stride 1: dW[a] = Σ_{b,o} x[b, o + a − p] dy[b, o] is the matrix product
 *   of the shifted copies of x (one row per filter tap a and input channel, one column per
 *   (b, o)) with dy seen as `[batch·m_h·m_w, outChannels]`, in wasm's BatchMatMul (XNNPACK,
 *   12-16 G multiply-adds/s here, 2-8× the convolution below on these shapes). The rows are
 *   built by contiguous copies from x transposed to `[inChannels, batch, H, W]`.
 * - Filter gradient, any stride: dW[a] = Σ_{b,o} x[b, o·s + a − p] dy[b, o]. Seen from the filter, the
 *   channels are the batch: with x as `[inChannels, H, W, batch]` and dy as the filter
 *   `[m_h, m_w, batch, outChannels]`, dilated by s, a stride-1 forward convolution of x padded
 *   by p before (and k + (m−1)·s − n − p after) has exactly k outputs per dimension:
 *   `[inChannels, kh, kw, outChannels]`, transposed into the filter's layout.
 *
 * XNNPACK accumulates in float32 where the loops of conv2d_math.ts accumulate in float64:
 * the filter gradient sums batch·outHeight·outWidth products, so its error relative to the
 * largest entry grows like √(that count) × 6e-8 (about 1e-5 at 16 images of 96×96, measured
 * against tfjs-backend-cpu in test/wasm_kernels.test.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ConvGeometry } from './conv2d_math.js';

type Paddings = [[number, number], [number, number], [number, number], [number, number]];

/** The part of tfjs-backend-wasm's BackendWasm used here (kernel functions receive it untyped). */
interface WasmBackend {
  disposeData(dataId: tf.DataId): void;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): tf.backend_util.TypedArray;
}

/** Calls the wasm backend's own kernels, remembering every result so that temporaries can be freed. */
class WasmKernelCalls {
  private readonly temporaries: tf.TensorInfo[] = [];

  constructor(readonly backend: WasmBackend) {}

  run(name: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo {
    const kernel = tf.getKernel(name, 'wasm');
    if (kernel === undefined) throw new Error(`fast conv kernels: the wasm backend has no ${name} kernel`);
    const out = kernel.kernelFunc({ inputs, attrs, backend: this.backend }) as tf.TensorInfo;
    this.temporaries.push(out);
    return out;
  }

  transpose(x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
    return this.run(tf.Transpose, { x }, { perm });
  }

  /** `x` with rows and columns cut to [begin, begin + size) where size ≥ 0, else unchanged. */
  crop(x: tf.TensorInfo, top: number, left: number, height: number, width: number): tf.TensorInfo {
    const [b, h, w, c] = x.shape as number[];
    if (top === 0 && left === 0 && height === h && width === w) return x;
    return this.run(tf.Slice, { x }, { begin: [0, top, left, 0], size: [b!, height, width, c!] });
  }

  /** Stride-1 forward convolution with explicit padding (all ≥ 0) and dilation. */
  conv(x: tf.TensorInfo, filter: tf.TensorInfo, pad: Paddings, dilations: [number, number]): tf.TensorInfo {
    return this.run(tf.Conv2D, { x, filter }, {
      strides: [1, 1],
      pad,
      dilations,
      dataFormat: 'NHWC',
      dimRoundingMode: undefined,
    } as unknown as tf.NamedAttrMap);
  }

  /** Counts a tensor made outside {@link run} as a temporary. */
  keep(t: tf.TensorInfo): void {
    this.temporaries.push(t);
  }

  /** Keeps `result` and frees every other temporary. */
  finish(result: tf.TensorInfo): tf.TensorInfo {
    for (const t of this.temporaries) if (t !== result) this.backend.disposeData(t.dataId);
    return result;
  }
}

/** Padding before row 0 of a stride-1 convolution; a negative one becomes a crop of `length` rows. */
function fitPadding(before: number, after: number, length: number): { crop: [number, number]; pad: [number, number] } {
  const start = Math.max(0, -before);
  const end = length + Math.min(0, after);
  return { crop: [start, end - start], pad: [Math.max(0, before), Math.max(0, after)] };
}

/** dy with s − 1 zero rows (columns) after each row (column): `[b, m_h·s_h, m_w·s_w, c]`. */
function insertZeros(calls: WasmKernelCalls, dy: tf.TensorInfo, sh: number, sw: number): tf.TensorInfo {
  if (sh === 1 && sw === 1) return dy;
  const [b, h, w, c] = dy.shape as number[];
  const six = calls.run(tf.Reshape, { x: dy }, { shape: [b!, h!, 1, w!, 1, c!] });
  const padded = calls.run(
    tf.PadV2,
    { x: six },
    {
      paddings: [
        [0, 0],
        [0, 0],
        [0, sh - 1],
        [0, 0],
        [0, sw - 1],
        [0, 0],
      ],
      constantValue: 0,
    },
  );
  return calls.run(tf.Reshape, { x: padded }, { shape: [b!, h! * sh, w! * sw, c!] });
}

/** Padding after the last row and column that a forward pass of `g` implies (negative: rows it never reads). */
function padAfter(g: ConvGeometry): [number, number] {
  return [
    (g.outHeight - 1) * g.strideHeight + g.filterHeight - g.inHeight - g.padTop,
    (g.outWidth - 1) * g.strideWidth + g.filterWidth - g.inWidth - g.padLeft,
  ];
}

/** dx of a convolution with geometry `g`, as a forward convolution (see the module comment). */
export function backpropInputByForwardConv(backend: object, g: ConvGeometry, dy: tf.TensorInfo, filter: tf.TensorInfo): tf.TensorInfo {
  const calls = new WasmKernelCalls(backend as WasmBackend);
  const dilated = insertZeros(calls, dy, g.strideHeight, g.strideWidth);
  const [, dh, dw] = dilated.shape as number[];
  const rows = fitPadding(g.filterHeight - 1 - g.padTop, g.inHeight + g.padTop - dh!, dh!);
  const cols = fitPadding(g.filterWidth - 1 - g.padLeft, g.inWidth + g.padLeft - dw!, dw!);
  const input = calls.crop(dilated, rows.crop[0], cols.crop[0], rows.crop[1], cols.crop[1]);
  const flipped = calls.run(tf.Reverse, { x: filter }, { dims: [0, 1] });
  const swapped = calls.transpose(flipped, [0, 1, 3, 2]);
  const dx = calls.conv(input, swapped, [[0, 0], rows.pad, cols.pad, [0, 0]], [1, 1]);
  return calls.finish(dx);
}

/**
 * The shifted copies of x for a stride-1 filter gradient: row (i, j, c) of the result, for
 * filter tap (i, j) and input channel c, holds x[b, y + i − padTop, x + j − padLeft, c] at
 * column (b, y, x) of the output grid, 0 outside the input. `planes` is x as
 * `[inChannels, batch, inHeight, inWidth]`. Copies go through one view of the whole heap
 * (copyWithin, fill): a subarray per image row would allocate tens of thousands of views.
 */
function shiftedCopies(calls: WasmKernelCalls, g: ConvGeometry, planes: tf.TensorInfo): tf.TensorInfo {
  const { batch, inHeight: H, inWidth: W, inChannels: C, outHeight: Ho, outWidth: Wo, filterHeight: kh, filterWidth: kw } = g;
  const columns = batch * Ho * Wo;
  const out = calls.backend.makeOutput([kh * kw * C, columns], 'float32');
  calls.keep(out);
  // Allocating can grow the wasm memory and detach views: take them after.
  const srcView = calls.backend.typedArrayFromHeap(planes) as Float32Array;
  const dstView = calls.backend.typedArrayFromHeap(out) as Float32Array;
  const heap = new Float32Array(srcView.buffer);
  const src0 = srcView.byteOffset / 4;
  const dst0 = dstView.byteOffset / 4;
  const plane = batch * H * W;
  const sameGrid = H === Ho && W === Wo;
  for (let i = 0; i < kh; i++) {
    const dy = i - g.padTop;
    for (let j = 0; j < kw; j++) {
      const dx = j - g.padLeft;
      for (let c = 0; c < C; c++) {
        const src = src0 + c * plane;
        const dst = dst0 + ((i * kw + j) * C + c) * columns;
        if (sameGrid) {
          // One shifted copy of all images, then zeros where the shift crossed a row or an image.
          const shift = dy * W + dx;
          const from = Math.max(0, -shift);
          const to = Math.min(plane, plane - shift);
          heap.fill(0, dst, dst + from);
          heap.copyWithin(dst + from, src + from + shift, src + to + shift);
          heap.fill(0, dst + to, dst + plane);
          for (let b = 0; b < batch; b++) {
            for (let y = 0; y < H; y++) {
              const row = dst + (b * H + y) * W;
              if (y + dy < 0 || y + dy >= H) heap.fill(0, row, row + W);
              else if (dx > 0) for (let x = W - dx; x < W; x++) heap[row + x] = 0;
              else for (let x = 0; x < -dx; x++) heap[row + x] = 0;
            }
          }
        } else {
          const xFrom = Math.max(0, -dx);
          const xTo = Math.min(Wo, W - dx);
          heap.fill(0, dst, dst + columns);
          if (xFrom >= xTo) continue;
          for (let b = 0; b < batch; b++) {
            for (let y = Math.max(0, -dy); y < Math.min(Ho, H - dy); y++) {
              const from = src + (b * H + y + dy) * W + xFrom + dx;
              heap.copyWithin(dst + (b * Ho + y) * Wo + xFrom, from, from + xTo - xFrom);
            }
          }
        }
      }
    }
  }
  return out;
}

/** dW of a stride-1 convolution with geometry `g`, as one matrix product (see the module comment). */
function backpropFilterByMatMul(calls: WasmKernelCalls, g: ConvGeometry, x: tf.TensorInfo, dy: tf.TensorInfo): tf.TensorInfo {
  const planes = calls.transpose(x, [3, 0, 1, 2]);
  const rows = shiftedCopies(calls, g, planes);
  const K = g.filterHeight * g.filterWidth * g.inChannels;
  const columns = g.batch * g.outHeight * g.outWidth;
  const a = calls.run(tf.Reshape, { x: rows }, { shape: [1, K, columns] });
  const b = calls.run(tf.Reshape, { x: dy }, { shape: [1, columns, g.outChannels] });
  const product = calls.run(tf.BatchMatMul, { a, b }, { transposeA: false, transposeB: false });
  return calls.run(tf.Reshape, { x: product }, { shape: [g.filterHeight, g.filterWidth, g.inChannels, g.outChannels] });
}

/** dW of a convolution with geometry `g`: a matrix product at stride 1, else a forward convolution (see the module comment). */
export function backpropFilterByForwardConv(backend: object, g: ConvGeometry, x: tf.TensorInfo, dy: tf.TensorInfo): tf.TensorInfo {
  const calls = new WasmKernelCalls(backend as WasmBackend);
  if (g.strideHeight === 1 && g.strideWidth === 1) return calls.finish(backpropFilterByMatMul(calls, g, x, dy));
  const [afterRows, afterCols] = padAfter(g);
  const rows = fitPadding(g.padTop, afterRows, g.inHeight);
  const cols = fitPadding(g.padLeft, afterCols, g.inWidth);
  const cropped = calls.crop(x, rows.crop[0], cols.crop[0], rows.crop[1], cols.crop[1]);
  const channelsAsBatch = calls.transpose(cropped, [3, 1, 2, 0]);
  const dyAsFilter = calls.transpose(dy, [1, 2, 0, 3]);
  const grad = calls.conv(channelsAsBatch, dyAsFilter, [[0, 0], rows.pad, cols.pad, [0, 0]], [g.strideHeight, g.strideWidth]);
  const dW = calls.transpose(grad, [1, 2, 0, 3]);
  return calls.finish(dW);
}
