// Softmax focal loss for few classes: four rows at a time, one per lane. With a handful of
// classes (segmentation's usual case) softmax.ts's vectors over a row are mostly empty and
// its per-row scalar work dominates; here every step fills four lanes.
//
// Layout: the JS side stores the chunk class-major, X[c * stride + r] (stride: the rows,
// rounded up to 4), so that class c of rows r..r+3 is one vector load; G (the cached exps,
// then the gradient) has the same layout. Labels in Y (-1: an ignored or padding row),
// per-row weights in W, per-class alpha (f64) in A.
//
// Per row, as src/core/softmax.ts: s = 1 + rest with rest the sum of e^(x_c - max) over
// every class but the (first) argmax, summed in float64 and without a subtraction (a class
// tying the max adds exactly 1); u = 1 - p_y as rest / s at the argmax, else (s - e_y) / s,
// in float64; log1p(rest), the focal factor and the gradient in float32. A row whose max is
// not a finite number below 1e30, or whose loss or gradient factor comes out non-finite, goes
// to the edge list.
import { addEdge, clearEdges } from './edges';
import { HUGE, INFINITY, NEG_INFINITY, ONE, lanes } from './constants';
import { A, G, L, W, X, Y } from './layout';
import { vexp, vlog1p, vpowUnit } from './math';

@inline function promoteLow(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

@inline function promoteHigh(v: v128): v128 {
  return f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 0));
}

/** Four float32 lanes from two float64 pairs. */
@inline function demote(low: v128, high: v128): v128 {
  return i32x4.shuffle(f32x4.demote_f64x2_zero(low), f32x4.demote_f64x2_zero(high), 0, 1, 4, 5);
}

/** The low / high pair of a four-lane mask as 64-bit masks. */
@inline function maskLow(m: v128): v128 {
  return i64x2.extend_low_i32x4_s(m);
}

@inline function maskHigh(m: v128): v128 {
  return i64x2.extend_high_i32x4_s(m);
}

/** u = rest / s where the label is the argmax, else (s - e_y) / s, on one float64 pair. */
@inline function oneMinusPy(rest: v128, s: v128, ey: v128, yIsMax: v128): v128 {
  return f64x2.div(v128.bitselect(rest, f64x2.sub(s, ey), yIsMax), s);
}

/**
 * One call over `rows` rows (stride >= rows, a multiple of 4, padding rows labelled -1) of
 * `classes` logits each, class-major in X. Writes per-row losses to L when wantLoss, the
 * gradient (times gradScale, class-major) to G when wantGrad, and returns the float64 sum of
 * the losses of the rows it did not list as edges.
 */
export function softmaxColumns(
  rows: i32, stride: i32, classes: i32, useAlpha: i32, gamma: f32, gammaMode: i32,
  hasWeights: i32, wantLoss: i32, wantGrad: i32, gradScale: f32,
): f64 {
  clearEdges();
  for (let r = rows; r < stride; r++) store<i32>(Y + r * 4, -1);
  let sum = f64x2.splat(0);
  const column = stride * 4;
  for (let r = 0; r < rows; r += 4) {
    const o = r * 4;
    const y = v128.load(Y + o);
    const counted = i32x4.ge_s(y, i32x4.splat(0));
    // The max; f32x4.max propagates NaN.
    let max = lanes(NEG_INFINITY);
    for (let c = 0; c < classes; c++) max = f32x4.max(max, v128.load(X + o + c * column));
    // One pass: the exps (cached in G), the first argmax, x_y and e_y, and rest.
    let argmax = i32x4.splat(-1);
    let ties = i32x4.splat(0);
    let xy = f32x4.splat(0);
    let ey = f32x4.splat(0);
    let restLow = f64x2.splat(0);
    let restHigh = f64x2.splat(0);
    let alpha = lanes(ONE);
    for (let c = 0; c < classes; c++) {
      const at = o + c * column;
      const x = v128.load(X + at);
      const e = vexp(f32x4.sub(x, max));
      v128.store(G + at, e);
      const atMax = f32x4.eq(x, max);
      argmax = v128.bitselect(i32x4.splat(c), argmax, v128.and(atMax, i32x4.lt_s(argmax, i32x4.splat(0))));
      ties = i32x4.sub(ties, atMax); // atMax lanes are -1
      const notMax = v128.andnot(e, atMax);
      restLow = f64x2.add(restLow, promoteLow(notMax));
      restHigh = f64x2.add(restHigh, promoteHigh(notMax));
      const isY = i32x4.eq(y, i32x4.splat(c));
      xy = v128.bitselect(x, xy, isY);
      ey = v128.bitselect(e, ey, isY);
      if (useAlpha) alpha = v128.bitselect(f32x4.splat(<f32>load<f64>(A + c * 8)), alpha, isY);
    }
    // Classes tying the max beyond the first each add e = 1 exactly.
    const extra = f32x4.convert_i32x4_s(i32x4.sub(ties, i32x4.splat(1)));
    restLow = f64x2.add(restLow, promoteLow(extra));
    restHigh = f64x2.add(restHigh, promoteHigh(extra));
    const sLow = f64x2.add(restLow, f64x2.splat(1));
    const sHigh = f64x2.add(restHigh, f64x2.splat(1));
    const yIsMax = i32x4.eq(y, argmax);
    const uLow = oneMinusPy(restLow, sLow, promoteLow(ey), maskLow(yIsMax));
    const uHigh = oneMinusPy(restHigh, sHigh, promoteHigh(ey), maskHigh(yIsMax));
    const u = demote(uLow, uHigh);
    const py = demote(f64x2.div(promoteLow(ey), sLow), f64x2.div(promoteHigh(ey), sHigh));
    const invS = demote(f64x2.div(f64x2.splat(1), sLow), f64x2.div(f64x2.splat(1), sHigh));
    // -log p_y = (max - x_y) + log1p(rest); max - x_y is 0 at the max.
    const gap = v128.andnot(f32x4.sub(max, xy), f32x4.eq(xy, max));
    const nll = f32x4.add(gap, vlog1p(demote(restLow, restHigh)));
    const ug = vpowUnit(u, gamma, gammaMode);
    const a = hasWeights ? f32x4.mul(alpha, v128.load(W + o)) : alpha;
    // focus = p_y nll / u (-> p_y as u -> 0), 0 where p_y is 0.
    const ratio = v128.bitselect(f32x4.div(nll, u), lanes(ONE), f32x4.gt(u, f32x4.splat(0)));
    const focus = v128.andnot(f32x4.mul(py, ratio), f32x4.eq(py, f32x4.splat(0)));
    const g = f32x4.mul(f32x4.mul(f32x4.mul(a, ug), f32x4.add(lanes(ONE), f32x4.mul(f32x4.splat(gamma), focus))), f32x4.splat(gradScale));
    // a = 0 with an infinite loss is 0 (the core's `weighted`).
    const raw = f32x4.mul(ug, nll);
    const loss = v128.andnot(f32x4.mul(a, raw), f32x4.eq(a, f32x4.splat(0)));
    const inRange = f32x4.lt(f32x4.abs(max), lanes(HUGE));
    const finite = v128.and(f32x4.lt(f32x4.abs(loss), lanes(INFINITY)), f32x4.lt(f32x4.abs(g), lanes(INFINITY)));
    const edge = v128.andnot(counted, v128.and(inRange, finite));
    if (v128.any_true(edge)) {
      const bits = i32x4.bitmask(edge);
      for (let lane = 0; lane < 4; lane++) if (bits & (1 << lane)) addEdge(r + lane);
    }
    const kept = v128.andnot(counted, edge);
    const summed = v128.and(loss, kept);
    sum = f64x2.add(sum, f64x2.add(promoteLow(summed), promoteHigh(summed)));
    if (wantLoss) v128.store(L + o, summed);
    if (wantGrad) {
      const gs = f32x4.mul(g, invS);
      const gy = f32x4.neg(f32x4.mul(g, u));
      for (let c = 0; c < classes; c++) {
        const at = o + c * column;
        const grad = v128.bitselect(gy, f32x4.mul(gs, v128.load(G + at)), i32x4.eq(y, i32x4.splat(c)));
        v128.store(G + at, v128.and(grad, kept));
      }
    }
  }
  return f64x2.extract_lane(sum, 0) + f64x2.extract_lane(sum, 1);
}
