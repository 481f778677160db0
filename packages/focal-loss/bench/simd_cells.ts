/**
 * The SIMD rows of the loss benchmark (docs/speed-and-memory.md, SIMD kernels), measured in the
 * same run as the others:
 *   fused      (cpu, wasm)  the public op, SIMD path (the default where WebAssembly SIMD exists)
 *   fused-js   (cpu, wasm)  the public op with the SIMD path forced off (the float64 JS loops)
 *   fused-fwd  (cpu, wasm)  the public op, SIMD, forward only (no tape: the gradient is skipped)
 *   fused-js-fwd (cpu, wasm) the same with the SIMD path forced off (the JS loops skip it too)
 *   simd-kernel (js)        the SIMD kernel on plain arrays, no TF.js (compare with js-floor)
 *   mem-pass   (js)         sigmoid only: a plain pass reading logits and targets (8 bytes)
 *                           and writing one float (4 bytes) per element, over the same arrays
 */
import type * as tfNamespace from '@tensorflow/tfjs';
import { activeSimdKernels, setFocalLossSimd, sigmoidSimdInto, softmaxSimdInto } from '../src/kernels/simd/index.js';
import { ALPHA, type BenchData, GAMMA, type SigmoidData } from './data.js';
import { type CellResult, timeCell } from './measure.js';
import { runTfCell } from './tf_cell.js';
import { sigmoidFocalLoss, softmaxFocalLoss } from '../src/index.js';

/** The public op on the current backend with the SIMD path forced on or off (forward + backward). */
export async function fusedCell(tf: typeof tfNamespace, data: BenchData, simd: boolean): Promise<CellResult> {
  setFocalLossSimd(simd);
  try {
    return await runTfCell(tf, data, 'fused');
  } finally {
    setFocalLossSimd(null);
  }
}

/** The public op, forward only, SIMD path or the JS loops: what inference pays. */
export async function forwardOnlyCell(tf: typeof tfNamespace, data: BenchData, simd: boolean): Promise<CellResult> {
  setFocalLossSimd(simd);
  const logits = tf.tensor(data.logits, data.shape);
  const target = data.kind === 'sigmoid' ? tf.tensor(data.targets, data.shape) : tf.tensor1d(data.labels, 'int32');
  const options = { alpha: ALPHA, gamma: GAMMA, reduction: 'mean' as const };
  const forward = (): tfNamespace.Tensor =>
    data.kind === 'sigmoid' ? sigmoidFocalLoss(logits, target, options) : softmaxFocalLoss(logits, target, options);
  try {
    const once = async (): Promise<number> => {
      const loss = forward();
      const value = (await loss.data())[0];
      loss.dispose();
      return value;
    };
    const timing = await timeCell(once, () => performance.now());
    const before = tf.memory().numBytes;
    const info = await tf.profile(async () => {
      const loss = forward();
      await loss.data();
      loss.dispose();
    });
    return { ...timing, peakExtraBytes: info.peakBytes - before };
  } finally {
    tf.dispose([logits, target]);
    setFocalLossSimd(null);
  }
}

/** One step of the SIMD kernel on the benchmark arrays (mean loss and a fresh gradient), or null without SIMD. */
export function simdKernelOnce(data: BenchData): (() => number) | null {
  setFocalLossSimd(true);
  const k = activeSimdKernels();
  setFocalLossSimd(null);
  if (k === null) return null;
  const n = data.logits.length;
  return () => {
    const grad = new Float32Array(n);
    if (data.kind === 'sigmoid') {
      const options = { mode: 'focal' as const, alpha: ALPHA, gamma: GAMMA, beta: 0, labelSmoothing: 0, reduction: 'mean' as const };
      return sigmoidSimdInto(k, data.logits, data.targets, null, options, null, grad);
    }
    const [rows, classes] = data.shape;
    const options = { alpha: new Array<number>(classes).fill(ALPHA), gamma: GAMMA, ignoreIndex: null, reduction: 'mean' as const };
    return softmaxSimdInto(k, data.logits, data.labels, null, { outer: rows, classes, inner: 1 }, options, null, grad).loss;
  };
}

/** The SIMD kernel itself on the benchmark arrays: mean loss and gradient, no TF.js. */
export async function simdKernelCell(data: BenchData): Promise<CellResult | null> {
  const once = simdKernelOnce(data);
  if (once === null) return null;
  return {
    ...(await timeCell(
      async () => once(),
      () => performance.now(),
    )),
    peakExtraBytes: 4 * data.logits.length,
  };
}

/**
 * The memory floor: read 8 bytes, write 4 per element over the same arrays (a fresh output,
 * as each step allocates its gradient). Its "loss" is the exact one passed in, so the table's
 * error column stays 0 for it.
 */
export async function memoryPassCell(data: SigmoidData, exactLoss: number): Promise<CellResult> {
  const { logits, targets } = data;
  const n = logits.length;
  const once = async (): Promise<number> => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = logits[i] * targets[i];
    return out[n - 1] * 0 + exactLoss;
  };
  return { ...(await timeCell(once, () => performance.now())), peakExtraBytes: 4 * n };
}
