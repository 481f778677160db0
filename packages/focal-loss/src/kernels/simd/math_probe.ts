/**
 * The module's vectorised exp / log / log1p applied to an array, for the accuracy tests
 * (test/simd/math.test.ts), with the error bounds those tests assert.
 */
import { simdKernels } from './module.js';

/**
 * Stated maximum errors against the float64 Math functions: relative, for results of
 * magnitude >= 2^-126 (float32's smallest normal); absolute, 2^-148 (two subnormal steps),
 * below. Measured on dense sweeps: exp 1.7e-7, log 0.9e-7, log1p 1.3e-7 (2.8, 1.4 and 2.3
 * units of 2^-24).
 */
export const SIMD_MATH_BOUNDS = { relative: 2e-7, subnormalAbsolute: 2 ** -148 } as const;

const FUNCTIONS = { exp: 0, log: 1, log1p: 2, log1pUnit: 3 } as const;
/** exp, log, log1p over all float32; log1pUnit is the kernels' log1p for x in [0, 1]. */
export type SimdMathFunction = keyof typeof FUNCTIONS;

export function simdMath(fn: SimdMathFunction, input: Float32Array): Float32Array {
  const k = simdKernels();
  if (k === null) throw new Error('simdMath: WebAssembly SIMD is not available here');
  const out = new Float32Array(input.length);
  for (let start = 0; start < input.length; start += k.chunk) {
    const end = Math.min(input.length, start + k.chunk);
    k.f32.set(input.subarray(start, end), k.x);
    k.exports.mathProbe(FUNCTIONS[fn], end - start);
    out.set(k.f32.subarray(k.l, k.l + end - start), start);
  }
  return out;
}
