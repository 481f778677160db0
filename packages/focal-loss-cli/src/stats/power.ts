/**
 * The smallest true difference the rule of {@link decide} finds with a given power: what a
 * budget of settings and seeds can detect.
 */
import { chiRatioNodes, dunnettCriticalValue, normalCdf } from './dunnett.js';

/** What {@link detectableEffect} is given. */
export interface DetectableEffectInput {
  /** K, the number of settings, the baseline included (2 for a pair). */
  settings: number;
  /** n, the number of seeds (at least 2). */
  seeds: number;
  /** The standard deviation over seeds of the per-seed difference of two settings' test scores (same units as the result). */
  sd: number;
  /** The chance of calling the real difference "better"; 0.8 unless given. */
  power?: number;
  /** The confidence of {@link decide}'s intervals; 0.95 unless given. */
  confidence?: number;
}

function fail(name: string, expected: string, value: unknown): never {
  throw new RangeError(`detectableEffect: ${name} must be ${expected}, got ${String(value)}`);
}

/**
 * The minimal detectable effect: the smallest true difference δ (setting − baseline, in the
 * units of `sd`) that {@link decide} calls "better" with probability `power`, for K settings
 * and n seeds whose per-seed differences have standard deviation `sd`.
 *
 * Computed as power(δ) = P(select) · E[Φ(z − c·max(S₁, S₂))], z = δ/(sd/√n), solved for δ by
 * bisection: c is Dunnett's critical value for K − 1 contrasts at (K − 1)(n − 1) df; S₁ =
 * √(χ²/df) at that df is the pooled σ̂ relative to the truth and S₂ the same at n − 1 df for the
 * per-seed differences (the guard max(2σ̂²/n, s²/n); taken as independent); P(select) is the
 * chance that validation picks the setting that truly differs among the K − 1, each judged on a
 * mean of n validation scores with sd sd/√2 per seed (1 for a pair). Checked against
 * test/stats/decide.test.ts's simulation: the power measured at the returned δ is 79-82 %.
 *
 * @returns δ, in the units of `sd`.
 * @example
 * ```js
 * import { detectableEffect } from 'focal-loss-cli/stats';
 *
 * // 12 settings, 3 seeds, per-seed differences with sd 0.02 AP; and with twice the seeds:
 * const now = detectableEffect({ settings: 12, seeds: 3, sd: 0.02 });
 * const doubled = detectableEffect({ settings: 12, seeds: 6, sd: 0.02 });
 * console.log(`smallest detectable difference ±${now.toFixed(3)}; with 6 seeds ±${doubled.toFixed(3)}`);
 * ```
 */
export function detectableEffect(input: DetectableEffectInput): number {
  const { settings: K, seeds: n, sd, power = 0.8, confidence = 0.95 } = input;
  if (!Number.isInteger(K) || K < 2) fail('settings', 'an integer ≥ 2', K);
  if (!Number.isInteger(n) || n < 2) fail('seeds', 'an integer ≥ 2', n);
  if (typeof sd !== 'number' || !Number.isFinite(sd) || !(sd >= 0)) fail('sd', 'a finite number ≥ 0', sd);
  if (typeof power !== 'number' || !(power > 0 && power < 1)) fail('power', 'a number in (0, 1)', power);
  if (typeof confidence !== 'number' || !(confidence > 0 && confidence < 1)) fail('confidence', 'a number in (0, 1)', confidence);
  const df = (K - 1) * (n - 1);
  const c = dunnettCriticalValue({ contrasts: K - 1, df, confidence });
  // max(S₁, S₂) as one discrete distribution: a pair has no guard beyond the paired variance itself.
  const ratio = K === 2 ? chiRatioNodes(df) : maxOf(chiRatioNodes(df), chiRatioNodes(n - 1));
  const yNodes = Array.from({ length: 161 }, (_, i) => -8 + i * 0.1);
  // z = δ/SE with SE = sd/√n; the selection is made on a mean of n validation scores per
  // setting, each setting's with sd sd/√2 (half the variance of a difference of two settings).
  const selectedProbability = (z: number): number => {
    if (K === 2) return 1;
    const shift = z * Math.SQRT2;
    return yNodes.reduce((p, y) => p + 0.1 * (Math.exp((-y * y) / 2) / Math.sqrt(2 * Math.PI)) * normalCdf(y + shift) ** (K - 2), 0);
  };
  const powerAt = (z: number): number => {
    let p = 0;
    for (const { s, w } of ratio) p += w * normalCdf(z - c * s);
    return p * selectedProbability(z);
  };
  // Solve for z, then δ = z·sd/√n.
  let lo = 0;
  let hi = 1;
  while (powerAt(hi) < power) hi *= 2;
  for (let i = 0; i < 100 && hi - lo > 1e-7; i++) {
    const mid = (lo + hi) / 2;
    if (powerAt(mid) < power) lo = mid;
    else hi = mid;
  }
  return (((lo + hi) / 2) * sd) / Math.sqrt(n);
}

/** The distribution of max(A, B) for independent discrete A and B (nodes {s, w}, weights summing to 1). */
function maxOf(a: readonly { s: number; w: number }[], b: readonly { s: number; w: number }[]): { s: number; w: number }[] {
  // P(max = x) = P(A = x)·P(B ≤ x) + P(B = x)·P(A < x).
  const sortedA = [...a].sort((x, y) => x.s - y.s);
  const sortedB = [...b].sort((x, y) => x.s - y.s);
  const prefix = (nodes: { s: number; w: number }[]) => {
    let total = 0;
    return nodes.map((node) => (total += node.w));
  };
  // The other distribution's CDF at each node, by a pointer that only moves forward.
  const out: { s: number; w: number }[] = [];
  const cumB = prefix(sortedB);
  let j = -1;
  for (const node of sortedA) {
    while (j + 1 < sortedB.length && sortedB[j + 1]!.s <= node.s) j++;
    out.push({ s: node.s, w: node.w * (j >= 0 ? cumB[j]! : 0) });
  }
  const cumA = prefix(sortedA);
  let i = -1;
  for (const node of sortedB) {
    while (i + 1 < sortedA.length && sortedA[i + 1]!.s < node.s) i++;
    out.push({ s: node.s, w: node.w * (i >= 0 ? cumA[i]! : 0) });
  }
  return out;
}
