/**
 * The decision rule of `compare`: is setting A better than baseline B on test, allowing
 * for the three sources of chance that a single number hides?
 *
 * - Seeds: each seed trains A and B from the same initial weights and batches, so the
 *   per-seed difference d_s is paired; its spread over seeds estimates training noise.
 * - The test set: a different sample of test examples would give other numbers. When
 *   every seed is scored on the same test set, that noise is common to all seeds and does
 *   not average out; a paired bootstrap over test units (examples, or scenes) with the
 *   same resample for every seed and both settings estimates its variance V_test. When
 *   each seed draws its own test split, the spread over seeds already contains it.
 * - Selection: A is the best of K settings on validation. Validation and test share the
 *   trained models, so a lucky model looks good on both; the interval is widened to hold
 *   for all K comparisons at once (Bonferroni), so the chance of calling any of the K a
 *   winner when none differs is at most 5 %.
 *
 * The mean difference d̄ gets the standard error SE² = s²/n + V_test (s² the variance of
 * d_s over n seeds) and a Student t interval with n − 1 degrees of freedom. The outcome follows the interval: "better" when it
 * lies above 0, "worse" when below, "no-difference" otherwise.
 */
import { Rng } from '../data/rng.js';

/** The paired evidence for A against B. */
export interface PairedEvidence {
  /** Number of seeds n. */
  seeds: number;
  /** Number of test units (examples or scenes) of seed `s`. */
  units(seed: number): number;
  /** metric(A) − metric(B) for seed `s` with per-unit bootstrap counts (undefined: the test set as it is). */
  delta(seed: number, counts?: Float64Array): number;
  /** True when every seed is scored on the same test set (then its sampling noise is common to all seeds). */
  sharedTestSet: boolean;
}

/** Machine-readable verdict, as written to results.json. */
export interface Verdict {
  outcome: 'better' | 'worse' | 'no-difference';
  /** Mean over seeds of metric(A) − metric(B). */
  delta: number;
  /** The interval for `delta`, at 95 % jointly over `comparisons` settings; null with fewer than 2 seeds. */
  ci95: [number, number] | null;
  seeds: number;
  /** K, the number of settings the compared one was selected from. */
  comparisons: number;
  /** Standard deviation of the per-seed differences. */
  seedSd: number;
  /** Standard deviation of the seed-averaged difference over test-set resamples (0 when not shared). */
  testSd: number;
  /**
   * Where no difference was detected: about how many seeds would make a difference of the
   * observed size detectable at this test set; null when more seeds alone would not (the
   * test set's own noise is too large), undefined where not applicable.
   */
  seedsNeeded?: number | null;
}

/** Options of {@link decide}. */
export interface DecideOptions {
  /** K: settings the compared one was selected from (1: no selection). */
  comparisons: number;
  /** Bootstrap resamples of the test set. */
  resamples?: number;
  /** Seed of the bootstrap. */
  seed?: number;
}

/** Decides A against B (see the module comment). */
export function decide(evidence: PairedEvidence, options: DecideOptions): Verdict {
  const n = evidence.seeds;
  const comparisons = Math.max(1, options.comparisons);
  const perSeed = Array.from({ length: n }, (_, s) => evidence.delta(s));
  const delta = meanOf(perSeed);
  const seedVar = n > 1 ? varianceOf(perSeed) : NaN;
  const testVar = evidence.sharedTestSet ? bootstrapVariance(evidence, options.resamples ?? 400, options.seed ?? 1) : 0;
  const base = { delta, seeds: n, comparisons, seedSd: Math.sqrt(seedVar), testSd: Math.sqrt(testVar) };
  if (n < 2 || !Number.isFinite(delta) || !Number.isFinite(seedVar)) return { ...base, outcome: 'no-difference', ci95: null };

  const half = halfWidth(seedVar, testVar, n, comparisons);
  const ci95: [number, number] = [delta - half, delta + half];
  const outcome = ci95[0] > 0 ? 'better' : ci95[1] < 0 ? 'worse' : 'no-difference';
  const verdict: Verdict = { ...base, outcome, ci95 };
  if (outcome === 'no-difference') verdict.seedsNeeded = seedsToDetect(Math.abs(delta), seedVar, testVar, comparisons);
  return verdict;
}

/** Half-width of the joint 95 % interval for n seeds. */
function halfWidth(seedVar: number, testVar: number, n: number, comparisons: number): number {
  const seedPart = seedVar / n;
  const se2 = seedPart + testVar;
  if (se2 === 0) return 0;
  // n − 1 degrees of freedom, as if all of SE² were estimated from the n seeds: conservative when
  // the bootstrap term dominates. (Welch–Satterthwaite's larger df let a by-chance small s² from
  // 2 seeds through: 4.7 % false winners in the null simulation of the tests, none with n − 1.)
  return studentTQuantile(1 - 0.05 / comparisons / 2, n - 1) * Math.sqrt(se2);
}

/** Smallest n ≤ 1000 at which |delta| would clear the interval, assuming the same variances; null if none. */
function seedsToDetect(size: number, seedVar: number, testVar: number, comparisons: number): number | null {
  if (!(size > 0) || halfWidth(seedVar, testVar, 1000, comparisons) >= size) return null;
  // The half-width falls as n grows: bisect for the first n below `size`.
  let lo = 1;
  let hi = 1000;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (halfWidth(seedVar, testVar, mid, comparisons) < size) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Variance of the seed-averaged difference over bootstrap resamples of the shared test set. */
function bootstrapVariance(evidence: PairedEvidence, resamples: number, seed: number): number {
  const rng = new Rng(seed);
  const m = evidence.units(0);
  const counts = new Float64Array(m);
  const values: number[] = [];
  for (let b = 0; b < resamples; b++) {
    counts.fill(0);
    for (let k = 0; k < m; k++) counts[rng.int(m)]!++;
    let sum = 0;
    for (let s = 0; s < evidence.seeds; s++) sum += evidence.delta(s, counts);
    const v = sum / evidence.seeds;
    if (Number.isFinite(v)) values.push(v);
  }
  return values.length > 1 ? varianceOf(values) : 0;
}

function meanOf(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function varianceOf(xs: readonly number[]): number {
  const m = meanOf(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
}

/** The p-quantile of Student's t with `df` degrees of freedom (p > 0.5), by bisection on the CDF. */
export function studentTQuantile(p: number, df: number): number {
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** CDF of Student's t: 1 − I_x(df/2, 1/2)/2 for t > 0, x = df / (df + t²). */
export function studentTCdf(t: number, df: number): number {
  const tail = regularizedBeta(df / (df + t * t), df / 2, 0.5) / 2;
  return t >= 0 ? 1 - tail : tail;
}

/** Regularised incomplete beta I_x(a, b), by its continued fraction (modified Lentz). */
function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
  if (x > (a + 1) / (a + b + 2)) return 1 - regularizedBeta(1 - x, b, a);
  const front = Math.exp(a * Math.log(x) + b * Math.log(1 - x) - logBeta(a, b)) / a;
  const tiny = 1e-300;
  let f = 1;
  let c = 1;
  let d = 0;
  for (let i = 0; i <= 400; i++) {
    const m = i >> 1;
    let numerator: number;
    if (i === 0) numerator = 1;
    else if (i % 2 === 0) numerator = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    else numerator = -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 + numerator * d;
    if (Math.abs(d) < tiny) d = tiny;
    d = 1 / d;
    c = 1 + numerator / c;
    if (Math.abs(c) < tiny) c = tiny;
    const cd = c * d;
    f *= cd;
    if (Math.abs(1 - cd) < 1e-14) break;
  }
  return front * (f - 1);
}

function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** log Γ(x) for x > 0 (Lanczos, g = 7, n = 9; about 15 digits). */
function logGamma(x: number): number {
  const g = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let sum = g[0]!;
  for (let i = 1; i < 9; i++) sum += g[i]! / (x + i);
  const t = x + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
}
