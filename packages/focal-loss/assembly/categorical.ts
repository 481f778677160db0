// Categorical focal loss (Keras 3 form, one-hot or soft targets), class axis last: per row
// the max, the exps (cached in G) and their float64 sum run as in softmax.ts; then every
// class's term runs four classes at a time in float32,
//   u_c = 1 - p_c (from the sums, no cancellation), nll_c = (max - x_c) + log s,
//   loss += a_c y_c u_c^g nll_c,  T_c = a_c y_c u_c^g (1 + g p_c nll_c / u_c),
// with T_c and u_c kept in scratch for the gradient pass
//   dFL/dx_k = p_k (sum_c T_c - T_k) - T_k u_k
// (src/core/categorical.ts). A row with a target outside [0, 1] or NaN, a max that is not a
// finite number below 1e30, or a non-finite loss or T goes to the edge list for the JS side.
import { addEdge, clearEdges } from './edges';
import { INFINITY, IOTA, ONE, lanes } from './constants';
import { A, G, L, T, W, X, Y } from './layout';
import { vpowUnit } from './math';
import { rowExps, rowArgmax, rowMax } from './softmax';

/** Per-class scratch: T_c in Y's buffer, u_c in the second half of A's (alpha is f32 in its first half). */
const TERMS: i32 = Y;

/**
 * One call over `rows` rows of `classes` logits in X and targets in T (rows * classes <=
 * CHUNK, classes <= CHUNK / 2), per-row weights in W, per-class alpha as f32 in A.
 */
export function categorical(
  rows: i32, classes: i32, useAlpha: i32, gamma: f32, gammaMode: i32, keep: f32, add: f32,
  hasWeights: i32, wantLoss: i32, wantGrad: i32, gradScale: f32,
): f64 {
  clearEdges();
  const US = A + ((classes * 4 + 15) & ~15);
  const full = classes & ~3;
  const iota = lanes(IOTA);
  const tailMask = i32x4.lt_s(iota, i32x4.splat(classes - full));
  let sum: f64 = 0;
  for (let row = 0; row < rows; row++) {
    const xb = X + row * classes * 4;
    const tb = T + row * classes * 4;
    const gb = G + row * classes * 4;
    const max = rowMax(xb, classes, full, tailMask);
    // Targets in [0, 1] (NaN fails) over the row's lanes.
    let targetsOk = i32x4.splat(-1);
    for (let j = 0; j < classes; j += 4) {
      const t = v128.load(tb + j * 4);
      let ok = v128.and(f32x4.ge(t, f32x4.splat(0.0)), f32x4.le(t, lanes(ONE)));
      if (j + 4 > classes) ok = v128.or(ok, v128.not(tailMask));
      targetsOk = v128.and(targetsOk, ok);
    }
    if (!(Mathf.abs(max) < 1e30) || !v128.all_true<i32>(targetsOk)) {
      addEdge(row);
      continue;
    }
    const argmax = rowArgmax(xb, classes, max);
    const rest = rowExps(xb, gb, classes, max, argmax, tailMask);
    const s = 1 + rest;
    const sv = f32x4.splat(<f32>s);
    const invS = f32x4.splat(<f32>(1 / s));
    const restOverS = <f32>(rest / s);
    const logS = f32x4.splat(<f32>Math.log1p(rest));
    const maxv = f32x4.splat(max);
    const w = hasWeights ? load<f32>(W + row * 4) : <f32>1;
    let lossAcc = f64x2.splat(0);
    let totalAcc = f64x2.splat(0);
    let finite = i32x4.splat(-1);
    for (let j = 0; j < classes; j += 4) {
      const x = v128.load(xb + j * 4);
      const e = v128.load(gb + j * 4);
      const y = f32x4.add(f32x4.mul(v128.load(tb + j * 4), f32x4.splat(keep)), f32x4.splat(add));
      const isArgmax = i32x4.eq(i32x4.add(iota, i32x4.splat(j)), i32x4.splat(argmax));
      // u = (s - e) / s, or rest / s at the argmax (p = 1 / s there).
      const u = v128.bitselect(f32x4.splat(restOverS), f32x4.mul(f32x4.sub(sv, e), invS), isArgmax);
      const atMax = f32x4.eq(x, maxv);
      const nll = f32x4.add(v128.andnot(f32x4.sub(maxv, x), atMax), logS);
      const ug = vpowUnit(u, gamma, gammaMode);
      const alpha = useAlpha ? v128.load(A + j * 4) : lanes(ONE);
      const a = f32x4.mul(f32x4.mul(alpha, y), f32x4.splat(w));
      let inRow = i32x4.splat(-1);
      if (j + 4 > classes) inRow = tailMask;
      const used = v128.and(inRow, f32x4.ne(y, f32x4.splat(0.0)));
      const loss = v128.and(f32x4.mul(a, f32x4.mul(ug, nll)), used);
      const p = f32x4.mul(e, invS);
      const ratio = v128.bitselect(f32x4.div(nll, u), lanes(ONE), f32x4.gt(u, f32x4.splat(0.0)));
      const focus = v128.andnot(f32x4.mul(p, ratio), f32x4.eq(p, f32x4.splat(0.0)));
      const term = v128.and(f32x4.mul(f32x4.mul(a, ug), f32x4.add(lanes(ONE), f32x4.mul(f32x4.splat(gamma), focus))), used);
      finite = v128.and(finite, v128.and(f32x4.lt(f32x4.abs(loss), lanes(INFINITY)), f32x4.lt(f32x4.abs(term), lanes(INFINITY))));
      v128.store(TERMS + j * 4, term);
      v128.store(US + j * 4, u);
      lossAcc = f64x2.add(lossAcc, f64x2.add(f64x2.promote_low_f32x4(loss), f64x2.promote_low_f32x4(i32x4.shuffle(loss, loss, 2, 3, 0, 0))));
      totalAcc = f64x2.add(totalAcc, f64x2.add(f64x2.promote_low_f32x4(term), f64x2.promote_low_f32x4(i32x4.shuffle(term, term, 2, 3, 0, 0))));
    }
    if (!v128.all_true<i32>(finite)) {
      addEdge(row);
      continue;
    }
    const rowLoss = f64x2.extract_lane(lossAcc, 0) + f64x2.extract_lane(lossAcc, 1);
    sum += rowLoss;
    if (wantLoss) store<f32>(L + row * 4, <f32>rowLoss);
    if (wantGrad) {
      const total = f32x4.splat(<f32>(f64x2.extract_lane(totalAcc, 0) + f64x2.extract_lane(totalAcc, 1)));
      const scale = f32x4.splat(gradScale);
      for (let j = 0; j < classes; j += 4) {
        const p = f32x4.mul(v128.load(gb + j * 4), invS);
        const term = v128.load(TERMS + j * 4);
        const g = f32x4.sub(f32x4.mul(p, f32x4.sub(total, term)), f32x4.mul(term, v128.load(US + j * 4)));
        v128.store(gb + j * 4, f32x4.mul(g, scale));
      }
    }
  }
  return sum;
}
