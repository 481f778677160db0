/** Shared by the SIMD tests: deterministic data and running an op on both paths. */
import { setFocalLossSimd, simdCalls } from '../../src/kernels/simd/index.js';
import { tf } from '../helpers/backends.js';

/** n uniforms in [0, 1) from a 32-bit LCG. */
export function uniforms(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32;
  }
  return out;
}

export interface PathResult {
  loss: Float32Array;
  grad: Float32Array;
  /** SIMD kernel calls made while computing it. */
  simd: number;
}

/** Loss (as given by `lossOf`) and d sum(loss) / d logits, on the path forced by `simd`. */
export function runPath(simd: boolean, logits: tf.Tensor, lossOf: (x: tf.Tensor) => tf.Tensor): PathResult {
  setFocalLossSimd(simd);
  const before = simdCalls.sigmoid + simdCalls.softmax + simdCalls.categorical;
  try {
    return tf.tidy(() => {
      const loss = lossOf(logits).dataSync() as Float32Array;
      const grad = tf
        .grad((x: tf.Tensor) => tf.sum(lossOf(x)))(logits)
        .dataSync() as Float32Array;
      return { loss, grad, simd: simdCalls.sigmoid + simdCalls.softmax + simdCalls.categorical - before };
    });
  } finally {
    setFocalLossSimd(null);
  }
}

/**
 * |a - b| <= rtol |b| + atol + scale * max |b| everywhere (the last term: float32's rounding
 * of the terms a near-zero value is the difference of), NaN only where b is NaN, equal
 * infinities.
 */
export function assertNear(a: ArrayLike<number>, b: ArrayLike<number>, rtol: number, atol: number, what: string, scale = 1e-6): void {
  if (a.length !== b.length) throw new Error(`${what}: length ${a.length} != ${b.length}`);
  let largest = 0;
  for (let i = 0; i < b.length; i++) if (Number.isFinite(b[i])) largest = Math.max(largest, Math.abs(b[i]));
  for (let i = 0; i < b.length; i++) {
    const ok = Number.isNaN(b[i])
      ? Number.isNaN(a[i])
      : !Number.isFinite(b[i])
        ? a[i] === b[i]
        : Math.abs(a[i] - b[i]) <= rtol * Math.abs(b[i]) + atol + scale * largest;
    if (!ok) throw new Error(`${what}[${i}]: SIMD ${a[i]}, JS ${b[i]} (rtol ${rtol}, atol ${atol} + ${scale} x ${largest})`);
  }
}

/** The message `fn` throws, or 'no error'. */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
}
