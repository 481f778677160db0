/**
 * Dunnett's many-to-one critical value: the quantile of max_i |T_i| (or max_i T_i, one-sided)
 * for m contrasts of m settings against one baseline, all with the same standard error and an
 * error variance on `df` degrees of freedom, so that the m intervals hold together with the
 * given confidence. Computed by deterministic quadrature, no tables and no Monte Carlo.
 *
 * With equal standard errors the contrasts have correlation 1/2, which is the correlation of
 * (Y_i − Y_0)/√2 for independent standard normals Y_0, …, Y_m. Given Y_0 = y and the ratio
 * S = σ̂/σ (distributed as √(χ²_df/df)), the contrasts are independent, so
 *
 *     P(max_i |T_i| ≤ c) = E_S ∫ φ(y) [Φ(y + c√2·S) − Φ(y − c√2·S)]^m dy
 *
 * (one-sided: [Φ(y + c√2·S)]^m). The y integral is a trapezoid rule on [−9, 9] (spectrally
 * accurate for a smooth integrand with Gaussian tails); the S integral is a trapezoid rule in
 * log S over the density of √(χ²_df/df). The critical value is then found by bisection.
 */

/** Φ, the standard normal distribution function (relative error below 1.2e-7 in its tails). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  // erfc(z), Numerical Recipes' Chebyshev-fitted rational approximation (|relative error| < 1.2e-7).
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

const Y_NODES = (() => {
  const step = 0.1;
  const nodes: { y: number; w: number }[] = [];
  for (let y = -9; y <= 9 + 1e-9; y += step) nodes.push({ y, w: (step * Math.exp((-y * y) / 2)) / Math.sqrt(2 * Math.PI) });
  return nodes;
})();

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms). */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const xx = x - 1;
  let a = c[0]!;
  const t = xx + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (xx + i);
  return 0.5 * Math.log(2 * Math.PI) + (xx + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * Quadrature nodes {s, w} for S = √(χ²_df / df): Σ w·g(s) ≈ E g(S). A single node s = 1 for
 * df = Infinity (the variance known).
 */
export function chiRatioNodes(df: number): { s: number; w: number }[] {
  if (df === Number.POSITIVE_INFINITY) return [{ s: 1, w: 1 }];
  // density of S: f(s) = 2 (df/2)^(df/2) / Γ(df/2) · s^(df−1) · exp(−df·s²/2); in u = ln s, f(s)·s.
  const logConst = Math.log(2) + (df / 2) * Math.log(df / 2) - logGamma(df / 2);
  const logDensityU = (u: number) => logConst + df * u - (df * Math.exp(2 * u)) / 2;
  // The log-density in u peaks at u = 0 with curvature −2·df; cover ±(a wide margin) around it.
  const spread = 1 / Math.sqrt(2 * df);
  const lo = Math.min(-14 * spread, -0.5) - (df < 3 ? 6 : 0);
  const hi = Math.max(10 * spread, 0.5);
  const count = 300;
  const step = (hi - lo) / count;
  const nodes: { s: number; w: number }[] = [];
  let total = 0;
  for (let i = 0; i <= count; i++) {
    const u = lo + i * step;
    const w = Math.exp(logDensityU(u)) * step * (i === 0 || i === count ? 0.5 : 1);
    if (w < 1e-300) continue;
    nodes.push({ s: Math.exp(u), w });
    total += w;
  }
  // The mass outside [lo, hi] is negligible; renormalise away the quadrature's rounding.
  for (const node of nodes) node.w /= total;
  return nodes;
}

/**
 * P(max_i |T_i| ≤ c) for `m` equicorrelated (ρ = 1/2) t statistics on `df` degrees of freedom
 * (one-sided: P(max_i T_i ≤ c)).
 */
export function dunnettProbability(c: number, m: number, df: number, sides: 1 | 2 = 2, sNodes = chiRatioNodes(df)): number {
  let p = 0;
  for (const { s, w: ws } of sNodes) {
    const h = c * Math.SQRT2 * s;
    let inner = 0;
    for (const { y, w } of Y_NODES) {
      const upper = normalCdf(y + h);
      const q = sides === 2 ? upper - normalCdf(y - h) : upper;
      inner += w * q ** m;
    }
    p += ws * inner;
  }
  return p;
}

const cache = new Map<string, number>();

/**
 * Dunnett's critical value c: m intervals Δ̂_i ± c·SE, each of a setting against the same
 * baseline with equal standard errors whose variance estimate has `df` degrees of freedom,
 * hold together with probability `confidence`. m = 1 gives Student's t quantile. Two-sided
 * unless `sides` is 1; `confidence` 0.95 unless given. Accurate to about 1e-4 (checked against
 * Student's t, Dunnett's tables and a Monte Carlo in test/stats/dunnett.test.ts).
 *
 * @example
 * ```js
 * import { dunnettCriticalValue } from 'focal-loss-cli/stats';
 *
 * // 11 settings against cross-entropy, 3 seeds: (12 − 1)(3 − 1) = 22 degrees of freedom.
 * console.log(dunnettCriticalValue({ contrasts: 11, df: 22 }).toFixed(2)); // 2.99
 * console.log(dunnettCriticalValue({ contrasts: 1, df: 2 }).toFixed(3)); // 4.303, Student's t
 * ```
 */
export function dunnettCriticalValue(options: { contrasts: number; df: number; confidence?: number; sides?: 1 | 2 }): number {
  const { contrasts: m, df, confidence = 0.95, sides = 2 } = options;
  if (!Number.isInteger(m) || m < 1) throw new RangeError(`dunnettCriticalValue: contrasts must be an integer ≥ 1, got ${m}`);
  if (!(df > 0)) throw new RangeError(`dunnettCriticalValue: df must be a number > 0 (Infinity for a known variance), got ${df}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`dunnettCriticalValue: confidence must be in (0, 1), got ${confidence}`);
  if (sides !== 1 && sides !== 2) throw new RangeError(`dunnettCriticalValue: sides must be 1 or 2, got ${sides}`);
  const key = `${m}|${df}|${confidence}|${sides}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  const nodes = chiRatioNodes(df);
  let lo = 0;
  let hi = 1;
  while (dunnettProbability(hi, m, df, sides, nodes) < confidence) hi *= 2;
  for (let i = 0; i < 60 && hi - lo > 1e-6; i++) {
    const mid = (lo + hi) / 2;
    if (dunnettProbability(mid, m, df, sides, nodes) < confidence) lo = mid;
    else hi = mid;
  }
  const c = (lo + hi) / 2;
  cache.set(key, c);
  return c;
}
