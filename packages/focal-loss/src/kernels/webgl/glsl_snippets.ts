/**
 * GLSL pieces shared by the webgl focal-loss programs. The math is that of src/core (see
 * sigmoid.ts and softmax.ts there for the derivations); here it runs in float32.
 */
import { floatLiteral, type SigmoidMode, type SoftmaxLabelOptions, type RowLayout } from '../gpu/plan.js';

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
 * Kahan-compensated accumulation: declares sum/comp; add with KAHAN_ADD(value). Once the sum
 * is infinite the compensation would be Infinity - Infinity = NaN, so it is dropped.
 */
export const GLSL_KAHAN = `
  #define KAHAN_ADD(v) { float y_ = (v) - comp; float t_ = sum + y_; comp = isinf(t_) ? 0.0 : (t_ - sum) - y_; sum = t_; }
`;

/**
 * vec2 sigmoidTerms(int k): (loss, d loss / d logit) of element k, weights applied.
 * Focal: ce = t softplus(-x) + (1 - t) softplus(x), m = t q + (1 - t) p with p, q =
 * sigmoid(+-x) formed from e = exp(-|x|) (no 1 - p anywhere), FL = a_t m^g ce and
 * dFL/dx = a_t m^g [(p - t) + g (1 - 2t) r ce] with r = p q / m in [0, 1] (0 where m = 0),
 * which stays finite for g < 1 at saturated logits. FL*: softplus(-z) / g, z = g x (2t-1) + b.
 * At x = ±Infinity, sigmoidLimits returns the limits as src/core/sigmoid.ts' limitAtInfinity
 * does (c = a_t w); abs(x) there is the +Infinity of an unbounded loss.
 */
export function glslSigmoidTerms(mode: SigmoidMode, hasAlpha: boolean, hasWeights: boolean): string {
  const alphaT = hasAlpha ? 'uAlpha * t + (1.0 - uAlpha) * (1.0 - t)' : '1.0';
  const limits =
    mode === 'star'
      ? `
    float sgn = 2.0 * t - 1.0;
    if (sgn == 0.0) return vec2(c * (max(-uBeta, 0.0) + log1pNonNeg(exp(-abs(uBeta)))) / uGamma, 0.0);
    return x * sgn > 0.0 ? vec2(0.0) : vec2(c * abs(x), -c * sgn);`
      : `
    float k = x > 0.0 ? 1.0 - t : t;
    if (k == 0.0) return vec2(0.0);
    return vec2(c * abs(x), (x > 0.0 ? c : -c) * powGamma(k, uGamma) * k);`;
  const body =
    mode === 'star'
      ? `
    float sgn = 2.0 * t - 1.0;
    float z = uGamma * x * sgn + uBeta;
    float ez = exp(-abs(z));
    float loss = at * (max(-z, 0.0) + log1pNonNeg(ez)) / uGamma;
    float sigmoidMinusZ = z >= 0.0 ? ez / (1.0 + ez) : 1.0 / (1.0 + ez);
    float grad = -at * sgn * sigmoidMinusZ;`
      : `
    float e = exp(-abs(x));
    float l1pe = log1pNonNeg(e);
    float big = 1.0 / (1.0 + e);
    float small = e * big;
    float p = x >= 0.0 ? big : small;
    float q = x >= 0.0 ? small : big;
    float ce = t * (max(-x, 0.0) + l1pe) + (1.0 - t) * (max(x, 0.0) + l1pe);
    float m = t * q + (1.0 - t) * p;
    float mg = powGamma(m, uGamma);
    float r = m > 0.0 ? p * q / m : 0.0;
    float loss = at * mg * ce;
    float grad = at * mg * ((p - t) + uGamma * (1.0 - 2.0 * t) * r * ce);`;
  return `
  vec2 sigmoidLimits(float x, float t, float c) {
    if (c == 0.0) return vec2(0.0);
    ${limits}
  }
  vec2 sigmoidTerms(int k) {
    float x = getLogits(k);
    if (isnan(x)) return vec2(NAN, NAN);
    float t = getTargets(k) * (1.0 - uSmoothing) + 0.5 * uSmoothing;
    float at = ${alphaT};
    float w = ${hasWeights ? 'getWeights(k)' : '1.0'};
    if (isinf(x)) return sigmoidLimits(x, t, at * w);
    ${body}
    return vec2(loss * w, grad * w);
  }
`;
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
