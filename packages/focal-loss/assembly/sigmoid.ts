// Sigmoid focal loss and FL* on four lanes at a time: the formulas of src/core/sigmoid.ts
// in float32, the sum in float64. A vector with a lane the formulas do not cover (a logit
// that is not finite or has |x| >= 1e30, a target outside [0, 1] or NaN) or whose loss or
// gradient came out non-finite is not summed; its index goes to the edge list and the JS
// side redoes those lanes with the float64 core, so every special case keeps the core's
// exact behaviour.
import { addEdge, clearEdges } from './edges';
import { HUGE, INFINITY, IOTA, ONE, lanes } from './constants';
import { G, L, T, W, X } from './layout';
import { vexp, vlog1pWithInverse, vpowUnit } from './math';

/** Lanes whose inputs the SIMD formulas take: |x| < 1e30 and 0 <= target <= 1 (NaN fails). */
@inline function inputsOk(x: v128, target: v128): v128 {
  const finite = f32x4.lt(f32x4.abs(x), lanes(HUGE));
  return v128.and(finite, v128.and(f32x4.ge(target, f32x4.splat(0.0)), f32x4.le(target, lanes(ONE))));
}

@inline function finiteLanes(v: v128): v128 {
  return f32x4.lt(f32x4.abs(v), lanes(INFINITY));
}

/** Adds the four lanes of v to the two float64 accumulators. */
@inline function accumulate(acc: v128, v: v128): v128 {
  const low = f64x2.promote_low_f32x4(v);
  const high = f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 0));
  return f64x2.add(acc, f64x2.add(low, high));
}

/**
 * The four elements at index i: stores their loss and gradient, and returns the losses to
 * sum (zero for an edge vector, which it lists, and for padding lanes past n).
 */
@inline function sigmoidVector(
  i: i32, n: i32, star: i32, alpha: f32, alphaSlope: f32, gamma: f32, gammaMode: i32, beta: f32, smoothing: bool,
  keep: f32, add: f32, hasWeights: i32, wantLoss: i32, wantGrad: i32, gradScale: f32,
): v128 {
  const o = i * 4;
  const x = v128.load(X + o);
  const target = v128.load(T + o);
  const w = hasWeights ? v128.load(W + o) : lanes(ONE);
  const t = smoothing ? f32x4.add(f32x4.mul(target, f32x4.splat(keep)), f32x4.splat(add)) : target;
  const oneMinusT = f32x4.sub(lanes(ONE), t);
  // a_t = alpha t + (1 - alpha)(1 - t), as (1 - alpha) + (2 alpha - 1) t.
  const at = alpha < 0 ? lanes(ONE) : f32x4.add(f32x4.splat(1.0 - alpha), f32x4.mul(f32x4.splat(alphaSlope), t));
  let loss: v128;
  let grad: v128;
  if (star) {
    const sgn = f32x4.sub(f32x4.add(t, t), lanes(ONE));
    const z = f32x4.add(f32x4.mul(f32x4.mul(f32x4.splat(gamma), x), sgn), f32x4.splat(beta));
    const e = vexp(f32x4.neg(f32x4.abs(z)));
    const inv = f32x4.div(lanes(ONE), f32x4.add(e, lanes(ONE)));
    const softplusMinusZ = f32x4.add(f32x4.pmax(f32x4.neg(z), f32x4.splat(0.0)), vlog1pWithInverse(e, inv));
    loss = f32x4.mul(f32x4.div(f32x4.mul(at, softplusMinusZ), f32x4.splat(gamma)), w);
    const sigmoidMinusZ = v128.bitselect(f32x4.mul(e, inv), inv, f32x4.ge(z, f32x4.splat(0.0)));
    grad = f32x4.mul(f32x4.mul(f32x4.neg(f32x4.mul(at, sgn)), sigmoidMinusZ), w);
  } else {
    const e = vexp(f32x4.neg(f32x4.abs(x)));
    const big = f32x4.div(lanes(ONE), f32x4.add(e, lanes(ONE)));
    const small = f32x4.mul(e, big);
    const l = vlog1pWithInverse(e, big);
    const positive = f32x4.ge(x, f32x4.splat(0.0));
    const p = v128.bitselect(big, small, positive);
    const q = v128.bitselect(small, big, positive);
    const softplusX = f32x4.add(f32x4.pmax(x, f32x4.splat(0.0)), l);
    const softplusMinusX = f32x4.add(f32x4.pmax(f32x4.neg(x), f32x4.splat(0.0)), l);
    const ce = f32x4.add(f32x4.mul(t, softplusMinusX), f32x4.mul(oneMinusT, softplusX));
    const m = f32x4.add(f32x4.mul(t, q), f32x4.mul(oneMinusT, p));
    const mg = vpowUnit(m, gamma, gammaMode);
    const atmg = f32x4.mul(at, mg);
    loss = f32x4.mul(f32x4.mul(atmg, ce), w);
    if (wantGrad) {
      // r = p q / m: p where t = 1, q where t = 0, the division only for soft targets.
      const hard1 = f32x4.eq(t, lanes(ONE));
      const hard0 = f32x4.eq(t, f32x4.splat(0.0));
      let r = v128.bitselect(p, q, hard1);
      const soft = v128.not(v128.or(hard1, hard0));
      if (v128.any_true(soft)) {
        const ratio = f32x4.div(f32x4.mul(p, q), m);
        const safe = v128.and(ratio, f32x4.gt(m, f32x4.splat(0.0)));
        r = v128.bitselect(safe, r, soft);
      }
      const slope = f32x4.mul(f32x4.mul(f32x4.splat(gamma), f32x4.sub(oneMinusT, t)), f32x4.mul(r, ce));
      // p - t as (1 - t) p - t q: -q and p exactly for hard targets, where p - 1 would
      // cancel in float32 as p -> 1.
      const pMinusT = f32x4.sub(f32x4.mul(oneMinusT, p), f32x4.mul(t, q));
      grad = f32x4.mul(f32x4.mul(atmg, f32x4.add(pMinusT, slope)), w);
    } else {
      grad = f32x4.splat(0.0);
    }
  }
  grad = f32x4.mul(grad, f32x4.splat(gradScale));
  if (wantLoss) v128.store(L + o, loss);
  if (wantGrad) v128.store(G + o, grad);
  let ok = v128.and(inputsOk(x, target), finiteLanes(loss));
  if (wantGrad) ok = v128.and(ok, finiteLanes(grad));
  if (!v128.all_true<i32>(ok)) {
    addEdge(i >> 2);
    return f32x4.splat(0.0);
  }
  if (i + 4 > n) {
    // Lanes past n are padding.
    const lane = i32x4.add(i32x4.splat(i), lanes(IOTA));
    return v128.and(loss, i32x4.lt_s(lane, i32x4.splat(n)));
  }
  return loss;
}

/**
 * One call over n <= CHUNK elements in X, T (and W): writes the per-element loss to L when
 * wantLoss, the gradient times gradScale to G when wantGrad, and returns the float64 sum of
 * the losses of the vectors it did not list as edges.
 *   mode 0: focal, 1: FL*.  gammaMode: 0, 1, 2, 3, 4 for those exact exponents, 5 otherwise.
 *   Targets become t keep + add (label smoothing); alpha < 0 means no alpha.
 */
export function sigmoid(
  n: i32, star: i32, alpha: f32, gamma: f32, gammaMode: i32, beta: f32, keep: f32, add: f32,
  hasWeights: i32, wantLoss: i32, wantGrad: i32, gradScale: f32,
): f64 {
  clearEdges();
  // Pad to whole pairs of vectors with harmless lanes (x = 0, t = 0, w = 0); their loss is masked out.
  const padded = (n + 7) & ~7;
  for (let i = n; i < padded; i++) {
    store<f32>(X + i * 4, 0);
    store<f32>(T + i * 4, 0);
    store<f32>(W + i * 4, 0);
  }
  let acc = f64x2.splat(0);
  let acc2 = f64x2.splat(0);
  const smoothing = keep != 1 || add != 0;
  const alphaSlope: f32 = 2 * alpha - 1;
  // Two independent vectors per iteration: one vector's chain of dependent operations
  // (exp, then a division, then log) leaves the core idle; two in flight fill it.
  for (let i = 0; i < padded; i += 8) {
    const first = sigmoidVector(i, n, star, alpha, alphaSlope, gamma, gammaMode, beta, smoothing, keep, add, hasWeights, wantLoss, wantGrad, gradScale);
    const second = sigmoidVector(i + 4, n, star, alpha, alphaSlope, gamma, gammaMode, beta, smoothing, keep, add, hasWeights, wantLoss, wantGrad, gradScale);
    acc = accumulate(acc, first);
    acc2 = accumulate(acc2, second);
  }
  acc = f64x2.add(acc, acc2);
  return f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
}
