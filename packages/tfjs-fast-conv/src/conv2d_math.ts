/**
 * NHWC 2-D convolution and its two gradients on plain typed arrays, shared by the
 * cpu and wasm kernels. Nothing here knows about TF.js.
 *
 * Layouts: x `[batch, inHeight, inWidth, inChannels]`, filter
 * `[filterHeight, filterWidth, inChannels, outChannels]`, y / dy
 * `[batch, outHeight, outWidth, outChannels]`. Dilation is 1.
 *
 * Each pass is an im2col matrix product: a block of output pixels is unrolled into
 * a `pixels × K` column matrix (K = filterHeight·filterWidth·inChannels), whose rows
 * line up with the filter seen as a `K × outChannels` matrix (its natural memory
 * order). Blocks keep the column buffer near 128 KB so it stays in cache and memory
 * use does not grow with the image or the batch.
 */
import { gemmAccumulate } from './gemm.js';

/** Sizes of one convolution; padding is what is added before row 0 and column 0. */
export interface ConvGeometry {
  /** Images in the batch. */
  batch: number;
  /** Input height in pixels. */
  inHeight: number;
  /** Input width in pixels. */
  inWidth: number;
  /** Input channels. */
  inChannels: number;
  /** Output height in pixels. */
  outHeight: number;
  /** Output width in pixels. */
  outWidth: number;
  /** Output channels (filters). */
  outChannels: number;
  /** Filter height. */
  filterHeight: number;
  /** Filter width. */
  filterWidth: number;
  /** Vertical stride. */
  strideHeight: number;
  /** Horizontal stride. */
  strideWidth: number;
  /** Rows of zero padding above row 0. */
  padTop: number;
  /** Columns of zero padding left of column 0. */
  padLeft: number;
}

const COLUMN_BUFFER_FLOATS = 32768;

/** Output pixels per block, a multiple of 4 so the 4×4 product tiles fill. */
export function blockPixels(g: ConvGeometry): number {
  const k = g.filterHeight * g.filterWidth * g.inChannels;
  return Math.max(4, Math.floor(COLUMN_BUFFER_FLOATS / k) & ~3);
}

/** A 1×1, stride-1, unpadded convolution is already a matrix product over pixels. */
function isPointwise(g: ConvGeometry): boolean {
  return (
    g.filterHeight === 1 &&
    g.filterWidth === 1 &&
    g.strideHeight === 1 &&
    g.strideWidth === 1 &&
    g.padTop === 0 &&
    g.padLeft === 0 &&
    g.outHeight === g.inHeight &&
    g.outWidth === g.inWidth
  );
}

/** Unrolls the receptive fields of output pixels [p0, p1) of image `b`; padding reads as 0. */
function im2colBlock(g: ConvGeometry, x: Float32Array, b: number, p0: number, p1: number, col: Float32Array): void {
  const { inHeight: H, inWidth: W, inChannels: CI, outWidth: OW, filterHeight: FH, filterWidth: FW } = g;
  const imageOff = b * H * W * CI;
  let dst = 0;
  for (let p = p0; p < p1; p++) {
    const oh = (p / OW) | 0;
    const ow = p - oh * OW;
    const ih0 = oh * g.strideHeight - g.padTop;
    const iw0 = ow * g.strideWidth - g.padLeft;
    for (let kh = 0; kh < FH; kh++) {
      const ih = ih0 + kh;
      if (ih < 0 || ih >= H) {
        col.fill(0, dst, dst + FW * CI);
        dst += FW * CI;
        continue;
      }
      const rowOff = imageOff + ih * W * CI;
      if (iw0 >= 0 && iw0 + FW <= W) {
        // Away from the left/right border the whole filter row is one contiguous run of x.
        const run = FW * CI;
        const src = rowOff + iw0 * CI;
        for (let i = 0; i < run; i++) col[dst + i] = x[src + i];
        dst += run;
        continue;
      }
      for (let kw = 0; kw < FW; kw++) {
        const iw = iw0 + kw;
        if (iw < 0 || iw >= W) {
          col.fill(0, dst, dst + CI);
        } else {
          const src = rowOff + iw * CI;
          for (let c = 0; c < CI; c++) col[dst + c] = x[src + c];
        }
        dst += CI;
      }
    }
  }
}

/** Adds the column-gradient rows of output pixels [p0, p1) back onto one image's dx. */
function col2imBlockAdd(g: ConvGeometry, dcol: Float64Array, p0: number, p1: number, dxImage: Float64Array): void {
  const { inHeight: H, inWidth: W, inChannels: CI, outWidth: OW, filterHeight: FH, filterWidth: FW } = g;
  let src = 0;
  for (let p = p0; p < p1; p++) {
    const oh = (p / OW) | 0;
    const ow = p - oh * OW;
    const ih0 = oh * g.strideHeight - g.padTop;
    const iw0 = ow * g.strideWidth - g.padLeft;
    for (let kh = 0; kh < FH; kh++) {
      const ih = ih0 + kh;
      if (ih < 0 || ih >= H) {
        src += FW * CI;
        continue;
      }
      const rowOff = ih * W * CI;
      if (iw0 >= 0 && iw0 + FW <= W) {
        const run = FW * CI;
        const dst = rowOff + iw0 * CI;
        for (let i = 0; i < run; i++) dxImage[dst + i] += dcol[src + i];
        src += run;
        continue;
      }
      for (let kw = 0; kw < FW; kw++) {
        const iw = iw0 + kw;
        if (iw >= 0 && iw < W) {
          let dst = rowOff + iw * CI;
          for (let c = 0; c < CI; c++) dxImage[dst++] += dcol[src + c];
        }
        src += CI;
      }
    }
  }
}

/**
 * y = conv2d(x, filter) (+ bias per output channel). `y` must have room for
 * batch·outHeight·outWidth·outChannels floats; every element is written.
 *
 * @param g The convolution's sizes, strides and padding.
 * @param x Input, NHWC: batch·inHeight·inWidth·inChannels floats.
 * @param filter Filter, [filterHeight, filterWidth, inChannels, outChannels] (TF.js's layout).
 * @param y Output, NHWC, written in place.
 * @param bias One per output channel, or null for none.
 */
export function conv2dForward(
  g: ConvGeometry,
  x: Float32Array,
  filter: Float32Array,
  y: Float32Array,
  bias: Float32Array | null = null,
): void {
  const K = g.filterHeight * g.filterWidth * g.inChannels;
  const CO = g.outChannels;
  const P = g.outHeight * g.outWidth;
  const block = blockPixels(g);
  const pointwise = isPointwise(g);
  const col = pointwise ? x : new Float32Array(block * K);
  const acc = new Float64Array(block * CO);
  const w = { data: filter, off: 0, rowStride: CO, colStride: 1 };
  const a = { data: col, off: 0, rowStride: K, colStride: 1 };
  const c = { data: acc, off: 0, rowStride: CO, colStride: 1 };
  for (let b = 0; b < g.batch; b++) {
    for (let p0 = 0; p0 < P; p0 += block) {
      const p1 = Math.min(P, p0 + block);
      const n = p1 - p0;
      if (pointwise) {
        a.off = (b * P + p0) * K;
      } else {
        im2colBlock(g, x, b, p0, p1, col);
      }
      acc.fill(0, 0, n * CO);
      gemmAccumulate(n, CO, K, a, w, c);
      const yOff = (b * P + p0) * CO;
      if (bias === null) {
        for (let i = 0; i < n * CO; i++) y[yOff + i] = acc[i];
      } else {
        let i = 0;
        for (let q = 0; q < n; q++) {
          for (let o = 0; o < CO; o++, i++) y[yOff + i] = acc[i] + bias[o];
        }
      }
    }
  }
}

/**
 * dFilter = Σ over batch and output pixels of (receptive field of x) ⊗ dy.
 * `dFilter` gets filterHeight·filterWidth·inChannels·outChannels floats.
 *
 * @param g The convolution's sizes, strides and padding.
 * @param x Input, NHWC.
 * @param dy Gradient of the output, NHWC.
 * @param dFilter Gradient of the filter, [filterHeight, filterWidth, inChannels, outChannels], written in place.
 */
export function conv2dBackpropFilter(g: ConvGeometry, x: Float32Array, dy: Float32Array, dFilter: Float32Array): void {
  const K = g.filterHeight * g.filterWidth * g.inChannels;
  const CO = g.outChannels;
  const P = g.outHeight * g.outWidth;
  const block = blockPixels(g);
  const pointwise = isPointwise(g);
  const col = pointwise ? x : new Float32Array(block * K);
  // Sums over the whole batch run in float64 and are rounded once at the end.
  const acc = new Float64Array(K * CO);
  const colsT = { data: col, off: 0, rowStride: 1, colStride: K };
  const dyRows = { data: dy, off: 0, rowStride: CO, colStride: 1 };
  const c = { data: acc, off: 0, rowStride: CO, colStride: 1 };
  for (let b = 0; b < g.batch; b++) {
    for (let p0 = 0; p0 < P; p0 += block) {
      const p1 = Math.min(P, p0 + block);
      if (pointwise) {
        colsT.off = (b * P + p0) * K;
      } else {
        im2colBlock(g, x, b, p0, p1, col);
      }
      dyRows.off = (b * P + p0) * CO;
      gemmAccumulate(K, CO, p1 - p0, colsT, dyRows, c);
    }
  }
  for (let i = 0; i < K * CO; i++) dFilter[i] = acc[i];
}

/**
 * dx = the transpose of conv2d applied to dy: each output pixel's gradient row times
 * the filter's transpose, scattered back over its receptive field.
 * `dx` gets batch·inHeight·inWidth·inChannels floats; every element is written.
 *
 * @param g The convolution's sizes, strides and padding.
 * @param dy Gradient of the output, NHWC.
 * @param filter Filter, [filterHeight, filterWidth, inChannels, outChannels].
 * @param dx Gradient of the input, NHWC, written in place.
 */
export function conv2dBackpropInput(g: ConvGeometry, dy: Float32Array, filter: Float32Array, dx: Float32Array): void {
  const K = g.filterHeight * g.filterWidth * g.inChannels;
  const CO = g.outChannels;
  const P = g.outHeight * g.outWidth;
  const imageSize = g.inHeight * g.inWidth * g.inChannels;
  const block = blockPixels(g);
  const pointwise = isPointwise(g);
  const dxImage = new Float64Array(imageSize);
  const dcol = pointwise ? dxImage : new Float64Array(block * K);
  const dyRows = { data: dy, off: 0, rowStride: CO, colStride: 1 };
  const filterT = { data: filter, off: 0, rowStride: 1, colStride: CO };
  const c = { data: dcol, off: 0, rowStride: K, colStride: 1 };
  for (let b = 0; b < g.batch; b++) {
    dxImage.fill(0);
    for (let p0 = 0; p0 < P; p0 += block) {
      const p1 = Math.min(P, p0 + block);
      dyRows.off = (b * P + p0) * CO;
      if (pointwise) {
        c.off = p0 * K;
        gemmAccumulate(p1 - p0, K, CO, dyRows, filterT, c);
      } else {
        dcol.fill(0, 0, (p1 - p0) * K);
        gemmAccumulate(p1 - p0, K, CO, dyRows, filterT, c);
        col2imBlockAdd(g, dcol, p0, p1, dxImage);
      }
    }
    const off = b * imageSize;
    for (let i = 0; i < imageSize; i++) dx[off + i] = dxImage[i];
  }
}
