/**
 * softmaxFocalLossInto's contract (src/core/softmax.ts) on the SIMD module, for a class axis
 * anywhere (rows.ts moves the rows into the module's row-major buffers). Labels are checked
 * here first (the core's checkLabels, same errors); rows the module lists as edges (a NaN or
 * infinite logit, a non-finite loss) are redone with the float64 core.
 */
import type { FloatArray, NumericArray } from '../../core/numerics.js';
import type { ClassAxisLayout } from '../../core/layout.js';
import { type ReducedLoss, type SoftmaxKernelOptions, checkLabels, softmaxFocalLossInto } from '../../core/softmax.js';
import { type KernelInput, type SimdKernels, gammaModeOf, isKernelInput, simdCalls } from './module.js';
import { ClassRows } from './rows.js';

/**
 * Whether the four-rows-at-a-time kernel (assembly/softmax_columns.ts) takes the call rather
 * than the row kernel (softmax.ts, vectors across a row's classes): where the class axis is
 * not last, so a chunk moves into its class-major layout by contiguous copies, and where a
 * last class axis is too short to fill the row kernel's vectors. The limits come from a
 * one-off A/B with the choice forced (forward + backward on [8, C, 64, 64], cpu, M elem/s,
 * columns vs rows): axis 1, C = 12: 92 vs 56, C = 48: 133 vs 73; last axis, C = 5: 52 vs 36,
 * C = 12: 43 vs 78. bench/layout_cells.ts times the chosen path against the JS loop.
 */
function columnKernelTakes(layout: ClassAxisLayout): boolean {
  return layout.inner > 1 ? layout.classes <= 1024 : layout.classes <= 8;
}

/** Most classes the SIMD kernel takes: per-class alpha is held as float64 in one chunk-sized buffer. */
export function softmaxSimdMaxClasses(k: SimdKernels): number {
  return k.chunk / 2;
}

/** Whether the SIMD kernel takes this call: float32 data, C <= softmaxSimdMaxClasses. */
export function softmaxSimdApplies(
  k: SimdKernels,
  logits: NumericArray,
  labels: NumericArray,
  weights: NumericArray | null,
  layout: ClassAxisLayout,
  lossOut: FloatArray | null,
  gradOut: FloatArray | null,
): boolean {
  return (
    layout.classes >= 1 &&
    layout.classes <= softmaxSimdMaxClasses(k) &&
    isKernelInput(logits) &&
    ArrayBuffer.isView(labels) &&
    (weights === null || isKernelInput(weights)) &&
    (lossOut === null || lossOut instanceof Float32Array) &&
    (gradOut === null || gradOut instanceof Float32Array)
  );
}

/** As softmaxFocalLossInto (see softmaxSimdApplies); `gradOut` null skips the gradient. */
export function softmaxSimdInto(
  k: SimdKernels,
  logits: KernelInput,
  labels: NumericArray,
  weights: KernelInput | null,
  layout: ClassAxisLayout,
  options: SoftmaxKernelOptions,
  lossOut: Float32Array | null,
  gradOut: Float32Array | null,
): ReducedLoss {
  simdCalls.softmax++;
  const { classes } = layout;
  const { alpha, gamma, ignoreIndex, reduction } = options;
  checkLabels(labels, classes, ignoreIndex);
  const layoutRows = new ClassRows(layout);
  const rows = labels.length;
  let count = rows;
  if (ignoreIndex !== null) for (let r = 0; r < rows; r++) if (labels[r] === ignoreIndex) count--;
  const gradScale = reduction === 'mean' ? (count > 0 ? 1 / count : 0) : 1;
  const perRow = reduction === 'none' ? lossOut : null;
  const { f32, i32, f64, exports } = k;
  if (alpha !== null) for (let c = 0; c < classes; c++) f64[k.a + c] = alpha[c];
  const columns = columnKernelTakes(layout);
  // The column kernel's chunk is class-major with rows padded to a multiple of 4.
  const rowsPerChunk = columns ? Math.floor(k.chunk / classes) & ~3 : Math.floor(k.chunk / classes);
  const redo = new RowRedo(logits, labels, weights, layoutRows, options, gradScale, perRow, gradOut);
  const flags = [
    alpha === null ? 0 : 1,
    gamma,
    gammaModeOf(gamma),
    weights === null ? 0 : 1,
    perRow === null ? 0 : 1,
    gradOut === null ? 0 : 1,
    gradScale,
  ] as const;
  let sum = 0;
  for (let r0 = 0; r0 < rows; r0 += rowsPerChunk) {
    const r1 = Math.min(rows, r0 + rowsPerChunk);
    const stride = (r1 - r0 + 3) & ~3;
    if (columns) layoutRows.gatherColumns(logits, r0, r1, f32, k.x, stride);
    else layoutRows.gather(logits, r0, r1, f32, k.x);
    for (let r = r0; r < r1; r++) i32[k.y + r - r0] = labels[r] === ignoreIndex ? -1 : labels[r];
    if (weights !== null) f32.set(weights.subarray(r0, r1), k.w);
    sum += columns ? exports.softmaxColumns(r1 - r0, stride, classes, ...flags) : exports.softmax(r1 - r0, classes, ...flags);
    if (perRow !== null) perRow.set(f32.subarray(k.l, k.l + r1 - r0), r0);
    if (gradOut !== null) {
      if (columns) layoutRows.scatterColumns(f32, k.g, stride, r0, r1, gradOut);
      else layoutRows.scatter(f32, k.g, r0, r1, gradOut);
    }
    const edges = exports.edges();
    for (let j = 0; j < edges; j++) sum += redo.row(r0 + i32[k.e + j]);
  }
  if (reduction === 'mean') return { loss: count > 0 ? sum / count : 0, count };
  return { loss: reduction === 'none' ? NaN : sum, count };
}

/** One row through the float64 core, written where the module's row would have been. */
class RowRedo {
  private readonly loss = new Float64Array(1);
  private readonly logitsRow: Float32Array;
  private readonly grad: Float64Array;
  private readonly options: SoftmaxKernelOptions;
  private readonly layout: ClassAxisLayout;

  constructor(
    private readonly logits: KernelInput,
    private readonly labels: NumericArray,
    private readonly weights: KernelInput | null,
    private readonly rows: ClassRows,
    options: SoftmaxKernelOptions,
    private readonly gradScale: number,
    private readonly lossOut: Float32Array | null,
    private readonly gradOut: Float32Array | null,
  ) {
    this.logitsRow = new Float32Array(rows.classes);
    this.grad = new Float64Array(rows.classes);
    this.options = { ...options, reduction: 'none' };
    this.layout = { outer: 1, classes: rows.classes, inner: 1 };
  }

  row(r: number): number {
    const { classes } = this.rows;
    for (let c = 0; c < classes; c++) this.logitsRow[c] = this.logits[this.rows.index(r, c)];
    const weight = this.weights === null ? null : this.weights.subarray(r, r + 1);
    softmaxFocalLossInto(this.logitsRow, [this.labels[r]], weight, this.layout, this.options, this.loss, this.grad);
    if (this.lossOut !== null) this.lossOut[r] = this.loss[0];
    if (this.gradOut !== null) for (let c = 0; c < classes; c++) this.gradOut[this.rows.index(r, c)] = this.grad[c] * this.gradScale;
    return this.loss[0];
  }
}
