/**
 * sigmoidFocalLossInto's contract (src/core/sigmoid.ts) on the SIMD module: the arrays
 * stream through the module's buffers in chunks; the lanes the module lists as edges
 * (non-finite or huge logits, invalid targets, a non-finite result) are redone here with the
 * float64 core, so errors, limits at ±Infinity and NaN are exactly the core's.
 */
import type { FloatArray, NumericArray } from '../../core/numerics.js';
import { checkTarget } from '../../core/options.js';
import { type SigmoidKernelOptions, sigmoidFocalLossInto, sigmoidOpName } from '../../core/sigmoid.js';
import { type KernelInput, type SimdKernels, gammaModeOf, isKernelInput, simdCalls } from './module.js';

/** Whether the SIMD kernel takes these arrays (float32 in and out, as the cpu and wasm backends give). */
export function sigmoidSimdApplies(
  logits: NumericArray,
  targets: NumericArray,
  weights: NumericArray | null,
  lossOut: FloatArray | null,
  gradOut: FloatArray | null,
): boolean {
  return (
    isKernelInput(logits) &&
    isKernelInput(targets) &&
    (weights === null || isKernelInput(weights)) &&
    (lossOut === null || lossOut instanceof Float32Array) &&
    (gradOut === null || gradOut instanceof Float32Array)
  );
}

/**
 * As sigmoidFocalLossInto, on float32 arrays (see sigmoidSimdApplies); `gradOut` null skips
 * the gradient (forward only).
 */
export function sigmoidSimdInto(
  k: SimdKernels,
  logits: KernelInput,
  targets: KernelInput,
  weights: KernelInput | null,
  options: SigmoidKernelOptions,
  lossOut: Float32Array | null,
  gradOut: Float32Array | null,
): number {
  simdCalls.sigmoid++;
  const { mode, alpha, gamma, beta, labelSmoothing, reduction } = options;
  const n = logits.length;
  const gradScale = reduction === 'mean' && n > 0 ? 1 / n : 1;
  const perElement = reduction === 'none' ? lossOut : null;
  const redo = new EdgeRedo(logits, targets, weights, options, gradScale, perElement, gradOut);
  const { f32, i32, exports } = k;
  let sum = 0;
  for (let start = 0; start < n; start += k.chunk) {
    const end = Math.min(n, start + k.chunk);
    f32.set(logits.subarray(start, end), k.x);
    f32.set(targets.subarray(start, end), k.t);
    if (weights !== null) f32.set(weights.subarray(start, end), k.w);
    sum += exports.sigmoid(
      end - start,
      mode === 'star' ? 1 : 0,
      alpha === null ? -1 : alpha,
      gamma,
      gammaModeOf(gamma),
      beta,
      1 - labelSmoothing,
      labelSmoothing / 2,
      weights === null ? 0 : 1,
      perElement === null ? 0 : 1,
      gradOut === null ? 0 : 1,
      gradScale,
    );
    if (perElement !== null) perElement.set(f32.subarray(k.l, k.l + end - start), start);
    if (gradOut !== null) gradOut.set(f32.subarray(k.g, k.g + end - start), start);
    const edges = exports.edges();
    for (let j = 0; j < edges; j++) {
      const first = start + 4 * i32[k.e + j];
      for (let i = first; i < Math.min(first + 4, end); i++) sum += redo.element(i);
    }
  }
  if (reduction === 'none') return NaN;
  return reduction === 'mean' ? (n > 0 ? sum / n : 0) : sum;
}

/** One element through the float64 core, written where the SIMD lanes would have been. */
class EdgeRedo {
  private readonly loss = new Float64Array(1);
  private readonly grad = new Float64Array(1);
  private readonly options: SigmoidKernelOptions;
  private readonly op: string;

  constructor(
    private readonly logits: KernelInput,
    private readonly targets: KernelInput,
    private readonly weights: KernelInput | null,
    options: SigmoidKernelOptions,
    private readonly gradScale: number,
    private readonly lossOut: Float32Array | null,
    private readonly gradOut: Float32Array | null,
  ) {
    this.options = { ...options, reduction: 'none' };
    this.op = sigmoidOpName(options.mode);
  }

  /** Returns the element's loss; throws the core's error (with this index) on a bad target. */
  element(i: number): number {
    checkTarget(this.op, this.targets[i], i);
    const weight = this.weights === null ? null : this.weights.subarray(i, i + 1);
    sigmoidFocalLossInto(this.logits.subarray(i, i + 1), this.targets.subarray(i, i + 1), weight, this.options, this.loss, this.grad);
    if (this.lossOut !== null) this.lossOut[i] = this.loss[0];
    if (this.gradOut !== null) this.gradOut[i] = this.grad[0] * this.gradScale;
    return this.loss[0];
  }
}
