// Vectorised exp / log / log1p on four float32 lanes. Polynomials, not tables: the error
// bounds are stated in src/kernels/simd/math_bounds.ts and measured by test/simd/math.test.ts.
// Constants are read from static memory (see constants.ts for why).
import { HALF, INFINITY, NAN, NEG_INFINITY, ONE, TWO, lanes } from './constants';

const LOG2E: f32 = 1.44269504088896341;
// ln 2 split in two: LN2_HI has 9 significant bits, so k * LN2_HI is exact for |k| < 2^15
// and the range reduction r = x - k ln 2 loses nothing to cancellation.
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
const SQRT2: f32 = 1.41421356237;
const MIN_NORMAL: f32 = 1.17549435e-38;

/** 1.5 * 2^23: adding it rounds a float32 below 2^22 in magnitude to an integer in the low mantissa bits. */
const ROUND_MAGIC: f32 = 12582912.0;
const ROUND_MAGIC_BITS: i32 = 0x4b400000;

const V_LOG2E = memory.data<f32>([LOG2E, LOG2E, LOG2E, LOG2E], 16);
const V_LN2_HI = memory.data<f32>([LN2_HI, LN2_HI, LN2_HI, LN2_HI], 16);
const V_LN2_LO = memory.data<f32>([LN2_LO, LN2_LO, LN2_LO, LN2_LO], 16);
const V_SQRT2 = memory.data<f32>([SQRT2, SQRT2, SQRT2, SQRT2], 16);
const V_MIN_NORMAL = memory.data<f32>([MIN_NORMAL, MIN_NORMAL, MIN_NORMAL, MIN_NORMAL], 16);
const V_TWO_23 = memory.data<f32>([8388608.0, 8388608.0, 8388608.0, 8388608.0], 16);
const V_ROUND_MAGIC = memory.data<f32>([ROUND_MAGIC, ROUND_MAGIC, ROUND_MAGIC, ROUND_MAGIC], 16);
const V_ROUND_MAGIC_BITS = memory.data<i32>([ROUND_MAGIC_BITS, ROUND_MAGIC_BITS, ROUND_MAGIC_BITS, ROUND_MAGIC_BITS], 16);
/** vexp's clamp: below -104 the result is 0 after rounding, above 89 it is Infinity. */
const V_EXP_MIN = memory.data<f32>([-104.0, -104.0, -104.0, -104.0], 16);
const V_EXP_MAX = memory.data<f32>([89.0, 89.0, 89.0, 89.0], 16);
/** Taylor coefficients 1/3! .. 1/7! of e^r. */
const V_E3 = memory.data<f32>([<f32>(1.0 / 6.0), <f32>(1.0 / 6.0), <f32>(1.0 / 6.0), <f32>(1.0 / 6.0)], 16);
const V_E4 = memory.data<f32>([<f32>(1.0 / 24.0), <f32>(1.0 / 24.0), <f32>(1.0 / 24.0), <f32>(1.0 / 24.0)], 16);
const V_E5 = memory.data<f32>([<f32>(1.0 / 120.0), <f32>(1.0 / 120.0), <f32>(1.0 / 120.0), <f32>(1.0 / 120.0)], 16);
const V_E6 = memory.data<f32>([<f32>(1.0 / 720.0), <f32>(1.0 / 720.0), <f32>(1.0 / 720.0), <f32>(1.0 / 720.0)], 16);
const V_E7 = memory.data<f32>([<f32>(1.0 / 5040.0), <f32>(1.0 / 5040.0), <f32>(1.0 / 5040.0), <f32>(1.0 / 5040.0)], 16);
/** 2/3, 2/5, 2/7, 2/9: the atanh series of log. */
const V_L3 = memory.data<f32>([<f32>(2.0 / 3.0), <f32>(2.0 / 3.0), <f32>(2.0 / 3.0), <f32>(2.0 / 3.0)], 16);
const V_L5 = memory.data<f32>([<f32>(2.0 / 5.0), <f32>(2.0 / 5.0), <f32>(2.0 / 5.0), <f32>(2.0 / 5.0)], 16);
const V_L7 = memory.data<f32>([<f32>(2.0 / 7.0), <f32>(2.0 / 7.0), <f32>(2.0 / 7.0), <f32>(2.0 / 7.0)], 16);
const V_L9 = memory.data<f32>([<f32>(2.0 / 9.0), <f32>(2.0 / 9.0), <f32>(2.0 / 9.0), <f32>(2.0 / 9.0)], 16);
const V_127 = memory.data<i32>([127, 127, 127, 127], 16);
const V_23 = memory.data<i32>([23, 23, 23, 23], 16);
const V_MANTISSA = memory.data<i32>([0x007fffff, 0x007fffff, 0x007fffff, 0x007fffff], 16);
const V_ONE_BITS = memory.data<i32>([0x3f800000, 0x3f800000, 0x3f800000, 0x3f800000], 16);

/**
 * e^x: x = k ln 2 + r with |r| <= ln 2 / 2, e^r by its Taylor polynomial of degree 7 (the
 * truncation, r^8/8! <= 5e-9, is below float32 rounding; Estrin's evaluation order), times 2^k built in the exponent
 * bits in two halves so that results in the subnormal range underflow gradually and k = 128
 * overflows to Infinity. k is rounded with the 1.5 * 2^23 trick, which also yields it as an
 * integer (cheaper than nearest + trunc_sat). The clamp uses pmin/pmax (single instructions)
 * and keeps NaN, which then propagates through the polynomial.
 */
@inline export function vexp(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, lanes(V_EXP_MIN)), lanes(V_EXP_MAX));
  const shifted = f32x4.add(f32x4.mul(x, lanes(V_LOG2E)), lanes(V_ROUND_MAGIC));
  const k = f32x4.sub(shifted, lanes(V_ROUND_MAGIC));
  const ki = i32x4.sub(shifted, lanes(V_ROUND_MAGIC_BITS));
  let r = f32x4.sub(x, f32x4.mul(k, lanes(V_LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(k, lanes(V_LN2_LO)));
  // Estrin's scheme: (1 + r + r^2 (1/2 + r/6)) + r^4 ((1/24 + r/120) + r^2 (1/720 + r/5040)),
  // a dependency chain of 5 steps instead of Horner's 14, so more lanes of work overlap.
  const r2 = f32x4.mul(r, r);
  const r4 = f32x4.mul(r2, r2);
  const a = f32x4.add(lanes(ONE), r);
  const b = f32x4.add(lanes(HALF), f32x4.mul(r, lanes(V_E3)));
  const c = f32x4.add(lanes(V_E4), f32x4.mul(r, lanes(V_E5)));
  const d = f32x4.add(lanes(V_E6), f32x4.mul(r, lanes(V_E7)));
  const low = f32x4.add(a, f32x4.mul(r2, b));
  const high = f32x4.add(c, f32x4.mul(r2, d));
  const p = f32x4.add(low, f32x4.mul(r4, high));
  const k1 = i32x4.shr_s(ki, 1);
  const k2 = i32x4.sub(ki, k1);
  const s1 = i32x4.shl(i32x4.add(k1, lanes(V_127)), 23);
  const s2 = i32x4.shl(i32x4.add(k2, lanes(V_127)), 23);
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

/**
 * log x for x >= 0 finite (0 gives about -104, not -Infinity: callers that meet 0 select
 * their own value). x = 2^e m with m in [sqrt(1/2), sqrt(2)); f = m - 1 is exact there, and
 * log m = 2 atanh(s), s = f / (2 + f), |s| <= 0.172, written as f - s (f - R) with
 * R = s^2 (2/3 + 2/5 s^2 + 2/7 s^4 + 2/9 s^6): the leading term f carries no rounding, and
 * the series' truncation is below 1e-9. Subnormal x is scaled by 2^23 first.
 */
@inline export function vlogFinite(x: v128): v128 {
  const tiny = f32x4.lt(x, lanes(V_MIN_NORMAL));
  x = v128.bitselect(f32x4.mul(x, lanes(V_TWO_23)), x, tiny);
  let e = i32x4.sub(i32x4.shr_u(x, 23), lanes(V_127));
  e = i32x4.sub(e, v128.and(tiny, lanes(V_23)));
  let m = v128.or(v128.and(x, lanes(V_MANTISSA)), lanes(V_ONE_BITS));
  const high = f32x4.gt(m, lanes(V_SQRT2));
  m = v128.bitselect(f32x4.mul(m, lanes(HALF)), m, high);
  e = i32x4.sub(e, high); // high lanes are -1
  return withExponent(logMantissa(m), f32x4.convert_i32x4_s(e));
}

/** log m for m in [sqrt(1/2), sqrt(2)] (see vlogFinite). */
@inline function logMantissa(m: v128): v128 {
  const f = f32x4.sub(m, lanes(ONE));
  const s = f32x4.div(f, f32x4.add(f, lanes(TWO)));
  const s2 = f32x4.mul(s, s);
  let q = f32x4.add(f32x4.mul(s2, lanes(V_L9)), lanes(V_L7));
  q = f32x4.add(f32x4.mul(q, s2), lanes(V_L5));
  q = f32x4.add(f32x4.mul(q, s2), lanes(V_L3));
  const R = f32x4.mul(q, s2);
  return f32x4.sub(f, f32x4.mul(s, f32x4.sub(f, R)));
}

/** logm + e ln 2, with ln 2 split so that e * LN2_HI is exact. */
@inline function withExponent(logm: v128, ef: v128): v128 {
  return f32x4.add(f32x4.mul(ef, lanes(V_LN2_HI)), f32x4.add(logm, f32x4.mul(ef, lanes(V_LN2_LO))));
}

/**
 * log u for u in [1, 2] (1 + e^-|x| in the sigmoid kernels): the range reduction is one
 * compare, halving u above sqrt(2), with no exponent bits to extract.
 */
@inline function vlogOneToTwo(u: v128): v128 {
  const high = f32x4.gt(u, lanes(V_SQRT2));
  const m = v128.bitselect(f32x4.mul(u, lanes(HALF)), u, high);
  return withExponent(logMantissa(m), v128.and(high, lanes(ONE)));
}

/** log x with the special values of Math.log: log 0 = -Infinity, log(x < 0) = NaN, log Inf = Inf, NaN. */
@inline export function vlog(x: v128): v128 {
  let r = vlogFinite(x);
  r = v128.bitselect(lanes(NEG_INFINITY), r, f32x4.eq(x, f32x4.splat(0.0)));
  r = v128.bitselect(lanes(NAN), r, f32x4.lt(x, f32x4.splat(0.0)));
  r = v128.bitselect(lanes(INFINITY), r, f32x4.eq(x, lanes(INFINITY)));
  return v128.bitselect(x, r, f32x4.ne(x, x));
}

/**
 * log(1 + x) for x in [0, 1], given inv = 1 / (1 + x) (the sigmoid kernel has it already):
 * u = 1 + x rounds, u - 1 is exact (u in [1, 2] or Sterbenz), and the rounding error
 * x - (u - 1) enters as its first-order correction (x - (u - 1)) / u.
 */
@inline export function vlog1pWithInverse(x: v128, inv: v128): v128 {
  const u = f32x4.add(x, lanes(ONE));
  const lost = f32x4.sub(x, f32x4.sub(u, lanes(ONE)));
  return f32x4.add(vlogOneToTwo(u), f32x4.mul(lost, inv));
}

/** log(1 + x) for every x, with Math.log1p's special values (-1 gives -Infinity, below it NaN). */
@inline export function vlog1p(x: v128): v128 {
  const u = f32x4.add(x, lanes(ONE));
  const lost = f32x4.sub(x, f32x4.sub(u, lanes(ONE)));
  let r = f32x4.add(vlogFinite(u), f32x4.div(lost, u));
  r = v128.bitselect(lanes(NEG_INFINITY), r, f32x4.eq(u, f32x4.splat(0.0)));
  r = v128.bitselect(lanes(NAN), r, f32x4.lt(u, f32x4.splat(0.0)));
  r = v128.bitselect(lanes(INFINITY), r, f32x4.eq(x, lanes(INFINITY)));
  return v128.bitselect(x, r, f32x4.ne(x, x));
}

/**
 * m^gamma for m in [0, 1], gamma > 0, by exp(gamma log m); 0^gamma is 0. `mode` picks
 * exact products for the common exponents (see gammaMode in the kernels).
 */
@inline export function vpowUnit(m: v128, gamma: f32, mode: i32): v128 {
  if (mode == 0) return lanes(ONE);
  if (mode == 1) return m;
  if (mode == 2) return f32x4.mul(m, m);
  if (mode == 3) return f32x4.mul(f32x4.mul(m, m), m);
  if (mode == 4) {
    const m2 = f32x4.mul(m, m);
    return f32x4.mul(m2, m2);
  }
  const r = vexp(f32x4.mul(f32x4.splat(gamma), vlogFinite(m)));
  return v128.andnot(r, f32x4.eq(m, f32x4.splat(0.0)));
}
