/**
 * The rows of a [outer, classes, inner] layout as the module wants them: row-major
 * [rows, classes] in its buffers, row r = o * inner + i (the core's order), class c of row r
 * at o * classes * inner + c * inner + i. With the class axis last (inner = 1) a chunk of
 * rows is one contiguous block and moves with a single copy; otherwise it is gathered in and
 * its gradient scattered back, walking the source contiguously within each class.
 */
import type { ClassAxisLayout } from '../../core/softmax.js';
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
    this.forRuns(r0, r1, (from, to, run) => {
      for (let c = 0; c < classes; c++) {
        for (let k = 0, s = from + c * inner, d = at + to + c; k < run; k++, s++, d += classes) dst[d] = src[s];
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
    this.forRuns(r0, r1, (from, to, run) => {
      for (let c = 0; c < classes; c++) {
        for (let k = 0, d = from + c * inner, s = at + to + c; k < run; k++, d++, s += classes) dst[d] = src[s];
      }
    });
  }

  /**
   * Splits rows [r0, r1) into runs within one outer index: each call gets the layout index
   * of the run's first row at class 0, its offset in the row-major block and its length.
   */
  private forRuns(r0: number, r1: number, each: (from: number, to: number, run: number) => void): void {
    const { classes, inner } = this;
    for (let r = r0; r < r1;) {
      const o = Math.floor(r / inner);
      const i = r - o * inner;
      const run = Math.min(inner - i, r1 - r);
      each(o * classes * inner + i, (r - r0) * classes, run);
      r += run;
    }
  }
}
