/**
 * The SIMD module's exp / log / log1p against Math.* over dense sweeps: the maximum error
 * measured must stay below SIMD_MATH_BOUNDS, and special values must match Math's.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { SIMD_MATH_BOUNDS, type SimdMathFunction, simdMath } from '../../src/kernels/simd/index.js';

const MIN_NORMAL = 2 ** -126;

/** n float32 points from lo to hi, evenly spaced, or evenly in log space (same sign). */
function sweep(lo: number, hi: number, n: number, logSpaced = false): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const f = i / (n - 1);
    out[i] = logSpaced ? Math.sign(lo) * Math.exp(Math.log(Math.abs(lo)) * (1 - f) + Math.log(Math.abs(hi)) * f) : lo + (hi - lo) * f;
  }
  return out;
}

function maxError(
  fn: SimdMathFunction,
  reference: (x: number) => number,
  xs: Float32Array,
): { relative: number; absolute: number; at: number } {
  const ys = simdMath(fn, xs);
  let relative = 0;
  let absolute = 0;
  let at = NaN;
  for (let i = 0; i < xs.length; i++) {
    const want = reference(xs[i]);
    if (!Number.isFinite(want)) continue;
    const error = Math.abs(ys[i] - want);
    if (Math.abs(want) >= MIN_NORMAL) {
      if (error / Math.abs(want) > relative) {
        relative = error / Math.abs(want);
        at = xs[i];
      }
    } else {
      absolute = Math.max(absolute, error);
    }
  }
  return { relative, absolute, at };
}

const SWEEPS: Array<[SimdMathFunction, (x: number) => number, Float32Array, string]> = [
  ['exp', Math.exp, sweep(-87.3, 88.7, 1_000_001), '[-87.3, 88.7]'],
  ['exp', Math.exp, sweep(-104, -87.3, 200_001), 'subnormal results [-104, -87.3]'],
  ['exp', Math.exp, sweep(-1e-3, 1e-3, 200_001), '[-1e-3, 1e-3]'],
  ['log', Math.log, sweep(1e-45, 3.4e38, 1_000_001, true), '[1e-45, 3.4e38] log-spaced'],
  ['log', Math.log, sweep(0.5, 2, 1_000_001), '[0.5, 2]'],
  ['log1p', Math.log1p, sweep(-0.9999, 1e6, 1_000_001), '[-0.9999, 1e6]'],
  ['log1p', Math.log1p, sweep(1e-30, 1, 500_001, true), '[1e-30, 1] log-spaced'],
  ['log1p', Math.log1p, sweep(-0.9999, -1e-30, 500_001, true), '[-0.9999, -1e-30] log-spaced'],
  ['log1pUnit', Math.log1p, sweep(0, 1, 1_000_001), '[0, 1]'],
  ['log1pUnit', Math.log1p, sweep(1e-40, 1, 500_001, true), '[1e-40, 1] log-spaced'],
];

for (const [fn, reference, xs, range] of SWEEPS) {
  test(`SIMD ${fn} over ${range}: max error within the stated bound`, () => {
    const { relative, absolute, at } = maxError(fn, reference, xs);
    assert.ok(relative <= SIMD_MATH_BOUNDS.relative, `${fn}: relative error ${relative} at x = ${at} > ${SIMD_MATH_BOUNDS.relative}`);
    assert.ok(absolute <= SIMD_MATH_BOUNDS.subnormalAbsolute, `${fn}: absolute error ${absolute} on subnormal results`);
    // The bound is not vacuous: float32 itself cannot do much better than half a unit.
    assert.ok(relative > 2 ** -26, `${fn}: suspiciously exact (${relative}); is the sweep reaching the module?`);
  });
}

test("SIMD exp / log / log1p give Math's special values", () => {
  const specials = Float32Array.of(0, -0, 1, -1, -2, Infinity, -Infinity, NaN, 1e-45, 3.4e38, -104, 89, -1e30, 1e30);
  for (const [fn, reference] of [
    ['exp', Math.exp],
    ['log', Math.log],
    ['log1p', Math.log1p],
  ] as const) {
    const ys = simdMath(fn, specials);
    specials.forEach((x, i) => {
      const want = Math.fround(reference(x));
      const got = ys[i];
      if (Number.isNaN(want) || !Number.isFinite(want) || want === 0) {
        assert.ok(Object.is(got, want) || (want === 0 && got === 0), `${fn}(${x}) = ${got}, expected ${want}`);
      } else {
        assert.ok(Math.abs(got - want) <= SIMD_MATH_BOUNDS.relative * Math.abs(want), `${fn}(${x}) = ${got}, expected ${want}`);
      }
    });
  }
});
