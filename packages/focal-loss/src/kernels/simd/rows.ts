/**
 * The rows of a [outer, classes, inner] layout as the module wants them, row r = o * inner + i
 * (the core's order), class c of row r at o * classes * inner + c * inner + i:
 *   row-major [rows, classes] (softmax.ts, categorical.ts): with the class axis last
 *     (inner = 1) a chunk of rows is one contiguous block and moves with a single copy;
 *     otherwise it is gathered in and its gradient scattered back;
 *   class-major [classes, stride] (softmax_columns.ts): with inner > 1 each class of a run of
 *     rows is one contiguous block; with the class axis last it is a transpose.
 */
import type { ClassAxisLayout } from '../../core/layout.js';
import type { KernelInput } from './module.js';

export class ClassRows {
  readonly rows: number;
  readonly classes: number;
  private readonly inner: number;

  constructor(layout: ClassAxisLayout) {
    this.rows = layout.outer * layout.inner;
    this.classes = layout.classes;
    this.inner = layout.inner;
  }

  /** Index of row r's class c in the layout. */
  index(r: number, c: number): number {
    const o = Math.floor(r / this.inner);
    return (o * this.classes + c) * this.inner + (r - o * this.inner);
  }

  /** Copies rows [r0, r1) of `src` (the layout) into `dst` from `at`, row-major. */
  gather(src: KernelInput, r0: number, r1: number, dst: Float32Array, at: number): void {
    const { classes, inner } = this;
    if (inner === 1) {
      dst.set(src.subarray(r0 * classes, r1 * classes), at);
      return;
    }
    this.forRuns(r0, r1, (from, row, run) => {
      for (let c = 0; c < classes; c++) {
        for (let k = 0, s = from + c * inner, d = at + row * classes + c; k < run; k++, s++, d += classes) dst[d] = src[s];
      }
    });
  }

  /** The reverse of gather: rows [r0, r1) of `src` (row-major from `at`) into `dst` (the layout). */
  scatter(src: Float32Array, at: number, r0: number, r1: number, dst: Float32Array): void {
    const { classes, inner } = this;
    if (inner === 1) {
      dst.set(src.subarray(at, at + (r1 - r0) * classes), r0 * classes);
      return;
    }
    this.forRuns(r0, r1, (from, row, run) => {
      for (let c = 0; c < classes; c++) {
        for (let k = 0, d = from + c * inner, s = at + row * classes + c; k < run; k++, d++, s += classes) dst[d] = src[s];
      }
    });
  }

  /** Rows [r0, r1) of `src` (the layout) into `dst` class-major: class c of row r at at + c * stride + r - r0. */
  gatherColumns(src: KernelInput, r0: number, r1: number, dst: Float32Array, at: number, stride: number): void {
    const { classes, inner } = this;
    if (inner === 1) {
      for (let r = r0, s = r0 * classes, d = at; r < r1; r++, d++) {
        for (let c = 0, dc = d; c < classes; c++, s++, dc += stride) dst[dc] = src[s];
      }
      return;
    }
    this.forRuns(r0, r1, (from, row, run) => {
      for (let c = 0; c < classes; c++) dst.set(src.subarray(from + c * inner, from + c * inner + run), at + c * stride + row);
    });
  }

  /** The reverse of gatherColumns. */
  scatterColumns(src: Float32Array, at: number, stride: number, r0: number, r1: number, dst: Float32Array): void {
    const { classes, inner } = this;
    if (inner === 1) {
      for (let r = r0, d = r0 * classes, s = at; r < r1; r++, s++) {
        for (let c = 0, sc = s; c < classes; c++, d++, sc += stride) dst[d] = src[sc];
      }
      return;
    }
    this.forRuns(r0, r1, (from, row, run) => {
      for (let c = 0; c < classes; c++) dst.set(src.subarray(at + c * stride + row, at + c * stride + row + run), from + c * inner);
    });
  }

  /**
   * Splits rows [r0, r1) into runs within one outer index: each call gets the layout index
   * of the run's first row at class 0, that row's offset from r0, and the run's length.
   */
  private forRuns(r0: number, r1: number, each: (from: number, to: number, run: number) => void): void {
    const { classes, inner } = this;
    for (let r = r0; r < r1; ) {
      const o = Math.floor(r / inner);
      const i = r - o * inner;
      const run = Math.min(inner - i, r1 - r);
      each(o * classes * inner + i, r - r0, run);
      r += run;
    }
  }
}
