// Softmax focal loss with integer labels, class axis last: per row, the max and the exps
// run four classes at a time (the exps cached in G, as the JS loop caches them in its
// gradient array), the per-row terms in float64 exactly as src/core/softmax.ts writes them,
// and one vector pass scales the cached exps into the gradient. A row whose max is not a
// finite number below 1e30 (a NaN or infinite logit), or whose loss or gradient factor
// comes out non-finite, goes to the edge list for the JS side to redo with the core.
//
// Vector loads and stores over a row run up to 3 lanes past its end: those lanes are masked
// out of the max and the sum, and what is stored there lands on rows not yet processed
// (which overwrite it) or on the buffer's slack.
import { addEdge, clearEdges } from './edges';
import { IOTA, NEG_INFINITY, lanes } from './constants';
import { A, G, L, W, X, Y } from './layout';
import { vexp } from './math';

@inline function horizontalMax(v: v128): f32 {
  const a = f32x4.max(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
  const b = f32x4.max(a, i32x4.shuffle(a, a, 1, 0, 3, 2));
  return f32x4.extract_lane(b, 0);
}

/** The row's max over its `classes` lanes at xb; NaN propagates (f32x4.max does). */
@inline export function rowMax(xb: i32, classes: i32, full: i32, tailMask: v128): f32 {
  let mv = lanes(NEG_INFINITY);
  for (let j = 0; j < full; j += 4) mv = f32x4.max(mv, v128.load(xb + j * 4));
  if (full < classes) {
    mv = f32x4.max(mv, v128.bitselect(v128.load(xb + full * 4), lanes(NEG_INFINITY), tailMask));
  }
  return horizontalMax(mv);
}

/** The first class holding the (finite) max. */
@inline export function rowArgmax(xb: i32, classes: i32, max: f32): i32 {
  const maxv = f32x4.splat(max);
  for (let j = 0; j < classes; j += 4) {
    const hits = i32x4.bitmask(f32x4.eq(v128.load(xb + j * 4), maxv));
    if (hits != 0) return j + ctz(hits);
  }
  return 0;
}

/**
 * Stores e^(x_c - max) for the row into gb (exactly 1 at the max) and returns their float64
 * sum without the argmax's, so that s = 1 + rest needs no subtraction.
 */
@inline export function rowExps(xb: i32, gb: i32, classes: i32, max: f32, argmax: i32, tailMask: v128): f64 {
  const maxv = f32x4.splat(max);
  const iota = lanes(IOTA);
  const argv = i32x4.splat(argmax);
  let acc = f64x2.splat(0);
  for (let j = 0; j < classes; j += 4) {
    const e = vexp(f32x4.sub(v128.load(xb + j * 4), maxv));
    v128.store(gb + j * 4, e);
    let keep = i32x4.ne(i32x4.add(iota, i32x4.splat(j)), argv);
    if (j + 4 > classes) keep = v128.and(keep, tailMask);
    const kept = v128.and(e, keep);
    acc = f64x2.add(acc, f64x2.add(f64x2.promote_low_f32x4(kept), f64x2.promote_low_f32x4(i32x4.shuffle(kept, kept, 2, 3, 0, 0))));
  }
  return f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
}

@inline function powUnit64(u: f64, gamma: f64, mode: i32): f64 {
  if (mode == 0) return 1;
  if (mode == 1) return u;
  if (mode == 2) return u * u;
  if (mode == 3) return u * u * u;
  if (mode == 4) return (u * u) * (u * u);
  return Math.pow(u, gamma);
}

/**
 * One call over `rows` rows of `classes` logits in X (rows * classes <= CHUNK), labels in Y
 * (-1: ignored row), per-row weights in W, per-class alpha (f64) in A. Writes per-row losses
 * to L when wantLoss and the gradient (times gradScale) to G when wantGrad; returns the
 * float64 sum of the losses of the rows not listed as edges.
 */
export function softmax(
  rows: i32, classes: i32, useAlpha: i32, gamma: f64, gammaMode: i32,
  hasWeights: i32, wantLoss: i32, wantGrad: i32, gradScale: f64,
): f64 {
  clearEdges();
  const full = classes & ~3;
  const iota = lanes(IOTA);
  // Lanes of the last, partial vector of a row that are inside the row.
  const tailMask = i32x4.lt_s(iota, i32x4.splat(classes - full));
  let sum: f64 = 0;
  for (let row = 0; row < rows; row++) {
    const xb = X + row * classes * 4;
    const gb = G + row * classes * 4;
    const y = load<i32>(Y + row * 4);
    if (y < 0) {
      if (wantGrad) for (let j = 0; j < classes; j += 4) v128.store(gb + j * 4, f32x4.splat(0.0));
      if (wantLoss) store<f32>(L + row * 4, 0);
      continue;
    }
    const max = rowMax(xb, classes, full, tailMask);
    if (!(Mathf.abs(max) < 1e30)) {
      addEdge(row);
      continue;
    }
    const argmax = rowArgmax(xb, classes, max);
    const rest = rowExps(xb, gb, classes, max, argmax, tailMask);
    const s = 1 + rest;
    const xy = <f64>load<f32>(xb + y * 4);
    const top = xy == <f64>max;
    const ey: f64 = top ? 1 : <f64>load<f32>(gb + y * 4);
    const nll = (top ? 0 : <f64>max - xy) + Math.log1p(rest);
    const u = y == argmax ? rest / s : (s - ey) / s;
    const ug = powUnit64(u, gamma, gammaMode);
    const a = (useAlpha ? load<f64>(A + y * 8) : 1) * (hasWeights ? <f64>load<f32>(W + row * 4) : 1);
    const py = ey / s;
    const focus = py == 0 ? 0 : py * (u > 0 ? nll / u : 1);
    const g = a * ug * (1 + gamma * focus) * gradScale;
    const raw = ug * nll;
    const loss = a == 0 && raw == Infinity ? 0 : a * raw;
    if (!(Math.abs(loss) < Infinity) || !(Math.abs(g) < Infinity)) {
      addEdge(row);
      continue;
    }
    sum += loss;
    if (wantLoss) store<f32>(L + row * 4, <f32>loss);
    if (wantGrad) {
      const scale = f32x4.splat(<f32>(g / s));
      for (let j = 0; j < classes; j += 4) v128.store(gb + j * 4, f32x4.mul(v128.load(gb + j * 4), scale));
      store<f32>(gb + y * 4, <f32>(-g * u));
    }
  }
  return sum;
}
