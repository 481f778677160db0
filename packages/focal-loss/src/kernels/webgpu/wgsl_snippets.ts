/**
 * WGSL pieces shared by the webgpu focal-loss programs: the same float32 math as the GLSL
 * in ../webgl/glsl_snippets.ts (derivations there and in src/core).
 *
 * Logits, targets and weights are read through f32(): webgpu's Cast from int32 to float32
 * only relabels the tensor, so a float32 input can sit in an int32 buffer, which tfjs binds
 * as array<i32> (labels are read the same way). For array<f32>, f32() changes nothing.
 */
import type { RowLayout, SoftmaxLabelOptions } from '../gpu/program_specs.js';
import { floatLiteral } from '../shader_literals.js';

/**
 * log1p for x >= 0 (2 atanh(x / (2 + x)) by its series below 0.5) and m^gamma (0^0 = 1);
 * focusFactor and weighted as in src/core/numerics.ts (no 0 * Infinity at infinite logits).
 */
export const WGSL_MATH = `
  fn log1pNonNeg(x : f32) -> f32 {
    if (x >= 0.5) { return log(1.0 + x); }
    let z = x / (2.0 + x);
    let z2 = z * z;
    return 2.0 * z * (1.0 + z2 * (1.0 / 3.0 + z2 * (0.2 + z2 * (1.0 / 7.0 +
      z2 * (1.0 / 9.0 + z2 * (1.0 / 11.0 + z2 * (1.0 / 13.0)))))));
  }
  fn powGamma(m : f32, g : f32) -> f32 {
    if (g == 0.0) { return 1.0; }
    if (g == 1.0) { return m; }
    if (g == 2.0) { return m * m; }
    if (m <= 0.0) { return 0.0; }
    return exp2(g * log2(m));
  }
  fn focusFactor(p : f32, nll : f32, u : f32) -> f32 {
    if (p == 0.0) { return 0.0; }
    if (u > 0.0) { return p * (nll / u); }
    return p;
  }
  fn weighted(c : f32, loss : f32) -> f32 {
    if (c == 0.0 && isinf(loss)) { return 0.0; }
    return c * loss;
  }
`;

/**
 * Kahan-compensated window sum of `valueOf(k)` for k in [start, min(start + window, end)).
 * Once the sum is infinite the compensation would be NaN, so it is dropped.
 */
export function wgslKahanWindow(valueOf: string, window: number, end: string): string {
  return `
    var sum = 0.0;
    var comp = 0.0;
    for (var w = 0; w < ${window}; w++) {
      let k = start + w;
      if (k >= ${end}) { break; }
      let y = ${valueOf} - comp;
      let t = sum + y;
      comp = select((t - sum) - y, 0.0, isinf(t));
      sum = t;
    }`;
}

/** Row layout constants ([outer, classes, inner] view) and the first logit of row r. */
export function wgslRowLayout({ rows, classes, inner }: RowLayout): string {
  return `
  const ROWS = ${rows};
  const CLASSES = ${classes};
  const INNER = ${inner};
  fn rowBase(r : i32) -> i32 {
    let o = r / INNER;
    return o * CLASSES * INNER + (r - o * INNER);
  }
`;
}

/** fn rowTerms(r) -> RowTerms: as glslSoftmaxRowTerms (label -1 ignored, -2 invalid). */
export function wgslSoftmaxRowTerms(options: SoftmaxLabelOptions): string {
  const { hasAlpha, hasWeights, ignoreIndex } = options;
  return `
  struct RowTerms { loss : f32, coef : f32, u : f32, mx : f32, s : f32, label : i32, };
  fn rowLabel(r : i32) -> i32 {
    let yf = f32(labels[r]);
    ${ignoreIndex === null ? '' : `if (yf == ${floatLiteral(ignoreIndex)}) { return -1; }`}
    if (isnan(yf) || yf < 0.0 || yf >= f32(CLASSES)) { return -2; }
    let y = i32(floor(yf + 0.5));
    if (f32(y) != yf) { return -2; }
    return y;
  }
  fn rowTerms(r : i32) -> RowTerms {
    var rt = RowTerms(0.0, 0.0, 0.0, 0.0, 1.0, -1);
    let y = rowLabel(r);
    rt.label = y;
    if (y == -1) { return rt; }
    let mx = stats[r];
    let rest = stats[ROWS + r];
    if (y == -2 || isnan(mx) || isnan(rest)) {
      let nan = uniforms.NAN;
      return RowTerms(nan, nan, nan, nan, 1.0, -2);
    }
    let xy = f32(logits[rowBase(r) + y * INNER]);
    let s = 1.0 + rest;
    let top = xy == mx;
    let ey = select(exp(xy - mx), 1.0, top);
    let u = select((s - ey) / s, rest / s, top);
    let nll = select(mx - xy, 0.0, top) + log1pNonNeg(rest);
    let ug = powGamma(u, uniforms.uGamma);
    let a = ${hasAlpha ? 'alpha[y]' : '1.0'} * ${hasWeights ? 'f32(weights[r])' : '1.0'};
    rt.loss = weighted(a, ug * nll);
    rt.coef = a * ug * (1.0 + uniforms.uGamma * focusFactor(ey / s, nll, u));
    rt.u = u;
    rt.mx = mx;
    rt.s = s;
    return rt;
  }
`;
}

/** fn classTerms(r, c) -> ClassTerms: as glslCategoricalTerms (../webgl/glsl_snippets.ts). */
export function wgslCategoricalTerms(hasAlpha: boolean, hasWeights: boolean): string {
  return `
  struct ClassTerms { loss : f32, t : f32, u : f32, p : f32, };
  fn rowStatsBad(r : i32) -> bool {
    return isnan(stats[r]) || isnan(stats[ROWS + r]);
  }
  fn classTerms(r : i32, c : i32) -> ClassTerms {
    let mx = stats[r];
    let rest = stats[ROWS + r];
    let k = rowBase(r) + c * INNER;
    let x = f32(logits[k]);
    let y = f32(targets[k]) * (1.0 - uniforms.uSmoothing) + uniforms.uSmoothing / f32(CLASSES);
    let s = 1.0 + rest;
    let top = x == mx;
    let ec = select(exp(x - mx), 1.0, top);
    var ct = ClassTerms(0.0, 0.0, select((s - ec) / s, rest / s, top), ec / s);
    if (y == 0.0) { return ct; }
    let nll = select(mx - x, 0.0, top) + log1pNonNeg(rest);
    let ug = powGamma(ct.u, uniforms.uGamma);
    let a = ${hasAlpha ? 'alpha[c]' : '1.0'} * y * ${hasWeights ? 'f32(weights[r])' : '1.0'};
    ct.loss = weighted(a, ug * nll);
    ct.t = a * ug * (1.0 + uniforms.uGamma * focusFactor(ct.p, nll, ct.u));
    return ct;
  }
`;
}
