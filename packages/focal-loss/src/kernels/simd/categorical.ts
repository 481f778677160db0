/**
 * categoricalFocalLossInto's contract (src/core/categorical.ts) on the SIMD module, for a
 * class axis anywhere (rows.ts moves the rows into the module's row-major buffers). Rows
 * the module lists as edges (a target outside [0, 1] or NaN, a NaN or infinite logit, a
 * non-finite result) are redone with the float64 core after their targets are checked
 * here, so errors name the same index as the JS loop's.
 */
import type { CategoricalKernelOptions } from '../../core/categorical.js';
import { categoricalFocalLossInto } from '../../core/categorical.js';
import type { FloatArray, NumericArray } from '../../core/numerics.js';
import { checkTarget } from '../../core/options.js';
import type { ClassAxisLayout } from '../../core/layout.js';
import { type KernelInput, type SimdKernels, gammaModeOf, isKernelInput, simdCalls } from './module.js';
import { ClassRows } from './rows.js';

const OP = 'categoricalFocalLoss';

/** Whether the SIMD kernel takes this call: float32 data, C <= chunk / 2. */
export function categoricalSimdApplies(
  k: SimdKernels,
  logits: NumericArray,
  targets: NumericArray,
  weights: NumericArray | null,
  layout: ClassAxisLayout,
  lossOut: FloatArray | null,
  gradOut: FloatArray | null,
): boolean {
  return (
    layout.classes >= 1 &&
    layout.classes <= k.chunk / 2 &&
    isKernelInput(logits) &&
    isKernelInput(targets) &&
    (weights === null || isKernelInput(weights)) &&
    (lossOut === null || lossOut instanceof Float32Array) &&
    (gradOut === null || gradOut instanceof Float32Array)
  );
}

/** As categoricalFocalLossInto (see categoricalSimdApplies); `gradOut` null skips the gradient. */
export function categoricalSimdInto(
  k: SimdKernels,
  logits: KernelInput,
  targets: KernelInput,
  weights: KernelInput | null,
  layout: ClassAxisLayout,
  options: CategoricalKernelOptions,
  lossOut: Float32Array | null,
  gradOut: Float32Array | null,
): number {
  simdCalls.categorical++;
  const { classes } = layout;
  const { alpha, gamma, labelSmoothing, reduction } = options;
  const layoutRows = new ClassRows(layout);
  const rows = layoutRows.rows;
  const gradScale = reduction === 'mean' && rows > 0 ? 1 / rows : 1;
  const perRow = reduction === 'none' ? lossOut : null;
  const { f32, i32, exports } = k;
  const alphaAt = k.a * 2; // A's offset in f32 elements: alpha is float32 for this kernel
  if (alpha !== null) for (let c = 0; c < classes; c++) f32[alphaAt + c] = alpha[c];
  const rowsPerChunk = Math.floor(k.chunk / classes);
  const redoOptions: CategoricalKernelOptions = { ...options, reduction: 'none' };
  const redoLayout: ClassAxisLayout = { outer: 1, classes, inner: 1 };
  const redoLoss = new Float64Array(1);
  const redoGrad = new Float64Array(classes);
  const redoLogits = new Float32Array(classes);
  const redoTargets = new Float32Array(classes);
  let sum = 0;
  for (let r0 = 0; r0 < rows; r0 += rowsPerChunk) {
    const r1 = Math.min(rows, r0 + rowsPerChunk);
    layoutRows.gather(logits, r0, r1, f32, k.x);
    layoutRows.gather(targets, r0, r1, f32, k.t);
    if (weights !== null) f32.set(weights.subarray(r0, r1), k.w);
    sum += exports.categorical(
      r1 - r0,
      classes,
      alpha === null ? 0 : 1,
      gamma,
      gammaModeOf(gamma),
      1 - labelSmoothing,
      labelSmoothing / classes,
      weights === null ? 0 : 1,
      perRow === null ? 0 : 1,
      gradOut === null ? 0 : 1,
      gradScale,
    );
    if (perRow !== null) perRow.set(f32.subarray(k.l, k.l + r1 - r0), r0);
    if (gradOut !== null) layoutRows.scatter(f32, k.g, r0, r1, gradOut);
    const edges = exports.edges();
    for (let j = 0; j < edges; j++) {
      const r = r0 + i32[k.e + j];
      for (let c = 0; c < classes; c++) {
        const at = layoutRows.index(r, c);
        checkTarget(OP, targets[at], at);
        redoLogits[c] = logits[at];
        redoTargets[c] = targets[at];
      }
      const weight = weights === null ? null : weights.subarray(r, r + 1);
      categoricalFocalLossInto(redoLogits, redoTargets, weight, redoLayout, redoOptions, redoLoss, redoGrad);
      if (perRow !== null) perRow[r] = redoLoss[0];
      if (gradOut !== null) for (let c = 0; c < classes; c++) gradOut[layoutRows.index(r, c)] = redoGrad[c] * gradScale;
      sum += redoLoss[0];
    }
  }
  if (reduction === 'none') return NaN;
  return reduction === 'mean' ? (rows > 0 ? sum / rows : 0) : sum;
}
