/**
 * GLSL pieces shared by the webgl focal-loss programs. The math is that of src/core (see
 * sigmoid.ts and softmax.ts there for the derivations); here it runs in float32.
 */
import type { SoftmaxLabelOptions, RowLayout } from '../gpu/program_specs.js';
import { floatLiteral } from '../shader_literals.js';

/**
 * log1p for x >= 0 and m^gamma. GLSL has no log1p, and log(1 + x) loses x below float32's
 * epsilon. With z = x / (2 + x), log(1 + x) = 2 atanh(z) = 2 (z + z^3/3 + z^5/5 + ...): for
 * x < 0.5, z < 0.2 and the series to z^13 is exact to float32; above, 1 + x rounds by at
 * most 6e-8 against a result >= 0.4, so log(1 + x) is fine.
 * powGamma: 0^0 = 1 (the loss at gamma = 0), exact for gamma 1 and 2, 0 at m = 0.
 * focusFactor and weighted: as in src/core/numerics.ts, the limits that keep an infinite
 * logit from producing 0 * Infinity = NaN.
 */
export const GLSL_MATH = `
  float log1pNonNeg(float x) {
    if (x >= 0.5) return log(1.0 + x);
    float z = x / (2.0 + x);
    float z2 = z * z;
    return 2.0 * z * (1.0 + z2 * (1.0 / 3.0 + z2 * (0.2 + z2 * (1.0 / 7.0 +
      z2 * (1.0 / 9.0 + z2 * (1.0 / 11.0 + z2 * (1.0 / 13.0)))))));
  }
  float powGamma(float m, float g) {
    if (g == 0.0) return 1.0;
    if (g == 1.0) return m;
    if (g == 2.0) return m * m;
    if (m <= 0.0) return 0.0;
    return exp2(g * log2(m));
  }
  // p (-log p) / u, u = 1 - p: 1 where u = 0, 0 where p = 0 (-log p may be Infinity there).
  float focusFactor(float p, float nll, float u) {
    if (p == 0.0) return 0.0;
    return p * (u > 0.0 ? nll / u : 1.0);
  }
  // c * loss with 0 * Infinity = 0: a zero weight or alpha silences an infinite loss.
  float weighted(float c, float loss) {
    return c == 0.0 && isinf(loss) ? 0.0 : c * loss;
  }
`;

/**
 * The body of a windowed-sum main(): float sum = the Kahan-compensated sum of `valueOf` (an
 * expression in k) for k in [start, min(start + window, end)), start = output index *
 * window. Every reduction level of the webgl programs (loss windows and the sum tree) is
 * this loop (WGSL: wgslKahanWindow). Once the sum is infinite the compensation would be
 * Infinity - Infinity = NaN, so it is dropped.
 */
export function glslWindowSum(valueOf: string, window: number, end: string): string {
  return `
        int start = getOutputCoords() * ${window};
        float sum = 0.0;
        float comp = 0.0;
        for (int w = 0; w < ${window}; w++) {
          int k = start + w;
          if (k >= ${end}) break;
          float y_ = (${valueOf}) - comp;
          float t_ = sum + y_;
          comp = isinf(t_) ? 0.0 : (t_ - sum) - y_;
          sum = t_;
        }`;
}

/** Constants of the [outer, classes, inner] view, and the first logit of row r. */
export function glslRowLayout({ rows, classes, inner }: RowLayout): string {
  return `
  const int ROWS = ${rows};
  const int CLASSES = ${classes};
  const int INNER = ${inner};
  int rowBase(int r) {
    int o = r / INNER;
    return o * CLASSES * INNER + (r - o * INNER);
  }
`;
}

/**
 * RowTerms rowTerms(int r) for integer labels, from the row stats (max, sum over the other
 * classes of e^(x - max)), with s = 1 + rest:
 *   -log p_y = (max - x_y) + log1p(rest),  u = 1 - p_y = rest / s if x_y is the max,
 *   else (s - e^(x_y - max)) / s  (so neither cancels when p_y -> 1),
 *   FL = a_y u^g (-log p_y),  coef = a_y u^g (1 + g p_y (-log p_y) / u),
 *   dFL/dx_c = coef (p_c - [c = y]) with p_y - 1 written as -u.
 * Where x_y is the max, max - x_y is 0 and e^(x_y - max) 1, also when both are +Infinity.
 * label: the class, -1 for ignoreIndex (all zero), -2 for an invalid label (all NaN).
 */
export function glslSoftmaxRowTerms(options: SoftmaxLabelOptions): string {
  const { hasAlpha, hasWeights, ignoreIndex } = options;
  return `
  struct RowTerms { float loss; float coef; float u; float mx; float s; int label; };
  int rowLabel(int r) {
    float yf = getLabels(r);
    ${ignoreIndex === null ? '' : `if (yf == ${floatLiteral(ignoreIndex)}) return -1;`}
    if (isnan(yf) || yf < 0.0 || yf >= float(CLASSES)) return -2;
    int y = int(floor(yf + 0.5));
    if (float(y) != yf) return -2;
    return y;
  }
  RowTerms rowTerms(int r) {
    RowTerms rt = RowTerms(0.0, 0.0, 0.0, 0.0, 1.0, -1);
    int y = rowLabel(r);
    rt.label = y;
    if (y == -1) return rt;
    float mx = getStats(r);
    float rest = getStats(ROWS + r);
    if (y == -2 || isnan(mx) || isnan(rest)) {
      rt.loss = NAN; rt.coef = NAN; rt.u = NAN; rt.mx = NAN; rt.label = -2;
      return rt;
    }
    float xy = getLogits(rowBase(r) + y * INNER);
    float s = 1.0 + rest;
    bool top = xy == mx;
    float ey = top ? 1.0 : exp(xy - mx);
    float u = top ? rest / s : (s - ey) / s;
    float nll = (top ? 0.0 : mx - xy) + log1pNonNeg(rest);
    float ug = powGamma(u, uGamma);
    float a = ${hasAlpha ? 'getAlpha(y)' : '1.0'} * ${hasWeights ? 'getWeights(r)' : '1.0'};
    rt.loss = weighted(a, ug * nll);
    rt.coef = a * ug * (1.0 + uGamma * focusFactor(ey / s, nll, u));
    rt.u = u;
    rt.mx = mx;
    rt.s = s;
    return rt;
  }
`;
}

/**
 * Categorical (soft targets y, smoothed y (1 - s) + s / C) per class c of row r, from the
 * row stats, as src/core/categorical.ts:
 *   FL = sum_c a_c y_c u_c^g (-log p_c),  T_c = a_c y_c u_c^g (1 + g p_c (-log p_c) / u_c)
 *   dFL/dx_k = p_k (S - T_k) - T_k u_k,  S = sum_c T_c
 * with u_c = 1 - p_c formed without cancellation as for the softmax (and x_c = max handled
 * as there, for +Infinity). A class with y = 0 contributes nothing. `rowStatsBad(r)` is true
 * when the row holds a NaN or two +Infinity.
 */
export function glslCategoricalTerms(hasAlpha: boolean, hasWeights: boolean): string {
  return `
  struct ClassTerms { float loss; float t; float u; float p; };
  bool rowStatsBad(int r) {
    return isnan(getStats(r)) || isnan(getStats(ROWS + r));
  }
  ClassTerms classTerms(int r, int c) {
    float mx = getStats(r);
    float rest = getStats(ROWS + r);
    float x = getLogits(rowBase(r) + c * INNER);
    float y = getTargets(rowBase(r) + c * INNER) * (1.0 - uSmoothing) + uSmoothing / float(CLASSES);
    float s = 1.0 + rest;
    bool top = x == mx;
    float ec = top ? 1.0 : exp(x - mx);
    ClassTerms ct = ClassTerms(0.0, 0.0, top ? rest / s : (s - ec) / s, ec / s);
    if (y == 0.0) return ct;
    float nll = (top ? 0.0 : mx - x) + log1pNonNeg(rest);
    float ug = powGamma(ct.u, uGamma);
    float a = ${hasAlpha ? 'getAlpha(c)' : '1.0'} * y * ${hasWeights ? 'getWeights(r)' : '1.0'};
    ct.loss = weighted(a, ug * nll);
    ct.t = a * ug * (1.0 + uGamma * focusFactor(ct.p, nll, ct.u));
    return ct;
  }
`;
}
