/**
 * categoricalFocalLossInto's contract (src/core/categorical.ts) on the SIMD module, class
 * axis last. Rows the module lists as edges (a target outside [0, 1] or NaN, a NaN or
 * infinite logit, a non-finite result) are redone with the float64 core after their targets
 * are checked here, so errors name the same index as the JS loop's.
 */
import type { CategoricalKernelOptions } from '../../core/categorical.js';
import { categoricalFocalLossInto } from '../../core/categorical.js';
import type { FloatArray, NumericArray } from '../../core/numerics.js';
import { checkTarget } from '../../core/options.js';
import type { ClassAxisLayout } from '../../core/softmax.js';
import { type KernelInput, type SimdKernels, gammaModeOf, isKernelInput, simdCalls } from './module.js';

const OP = 'categoricalFocalLoss';

/** Whether the SIMD kernel takes this call: class axis last, float32 data, C <= chunk / 2. */
export function categoricalSimdApplies(
  k: SimdKernels, logits: NumericArray, targets: NumericArray, weights: NumericArray | null, layout: ClassAxisLayout,
  lossOut: FloatArray | null, gradOut: FloatArray | null,
): boolean {
  return layout.inner === 1 && layout.classes >= 1 && layout.classes <= k.chunk / 2
    && isKernelInput(logits) && isKernelInput(targets)
    && (weights === null || isKernelInput(weights))
    && (lossOut === null || lossOut instanceof Float32Array) && (gradOut === null || gradOut instanceof Float32Array);
}

/** As categoricalFocalLossInto (see categoricalSimdApplies); `gradOut` null skips the gradient. */
export function categoricalSimdInto(
  k: SimdKernels, logits: KernelInput, targets: KernelInput, weights: KernelInput | null, layout: ClassAxisLayout,
  options: CategoricalKernelOptions, lossOut: Float32Array | null, gradOut: Float32Array | null,
): number {
  simdCalls.categorical++;
  const { classes } = layout;
  const { alpha, gamma, labelSmoothing, reduction } = options;
  const rows = layout.outer;
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
  let sum = 0;
  for (let r0 = 0; r0 < rows; r0 += rowsPerChunk) {
    const r1 = Math.min(rows, r0 + rowsPerChunk);
    f32.set(logits.subarray(r0 * classes, r1 * classes), k.x);
    f32.set(targets.subarray(r0 * classes, r1 * classes), k.t);
    if (weights !== null) f32.set(weights.subarray(r0, r1), k.w);
    sum += exports.categorical(
      r1 - r0, classes, alpha === null ? 0 : 1, gamma, gammaModeOf(gamma), 1 - labelSmoothing, labelSmoothing / classes,
      weights === null ? 0 : 1, perRow === null ? 0 : 1, gradOut === null ? 0 : 1, gradScale,
    );
    if (perRow !== null) perRow.set(f32.subarray(k.l, k.l + r1 - r0), r0);
    if (gradOut !== null) gradOut.set(f32.subarray(k.g, k.g + (r1 - r0) * classes), r0 * classes);
    const edges = exports.categoricalEdges();
    for (let j = 0; j < edges; j++) {
      const r = r0 + i32[k.e + j];
      const base = r * classes;
      for (let c = 0; c < classes; c++) checkTarget(OP, targets[base + c], base + c);
      const weight = weights === null ? null : weights.subarray(r, r + 1);
      categoricalFocalLossInto(logits.subarray(base, base + classes), targets.subarray(base, base + classes), weight,
        redoLayout, redoOptions, redoLoss, redoGrad);
      if (perRow !== null) perRow[r] = redoLoss[0];
      if (gradOut !== null) for (let c = 0; c < classes; c++) gradOut[base + c] = redoGrad[c] * gradScale;
      sum += redoLoss[0];
    }
  }
  if (reduction === 'none') return NaN;
  return reduction === 'mean' ? (rows > 0 ? sum / rows : 0) : sum;
}
