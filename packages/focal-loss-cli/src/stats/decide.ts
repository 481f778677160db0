/**
 * The decision rule for "is the best of K settings better than the baseline?", as one function.
 * See {@link decide} for the formulas and packages/focal-loss-cli/README.md ("The statistics, as
 * a function") for the rates measured in test/stats/decide.test.ts.
 */
import { dunnettCriticalValue } from './dunnett.js';

/** The word for one interval: above 0, below 0, or containing 0. */
export type Outcome = 'better' | 'worse' | 'no-difference';

/**
 * Image-bootstrap variances of one setting's test score minus the baseline's, with the same
 * resample of test images (or scenes) for both settings and every seed. Only the part that the
 * seeds share, max(0, seedMean − perSeedMean / n), is added to the contrast's variance: the rest
 * differs from seed to seed and is already in the spread of the per-seed differences. If you only
 * have each setting's own bootstrap variances, their sums (setting + baseline) are a conservative
 * stand-in.
 */
export interface TestVariance {
  /** Bootstrap variance of the difference of the seed means (mean over seeds, then difference). */
  seedMean: number;
  /** Mean over seeds of the bootstrap variance of that seed's difference. */
  perSeedMean: number;
}

/** The per-seed scores of one setting; higher is better. Every setting lists the same seeds in the same order. */
export interface SettingScores {
  /** Score on the validation split, one per seed: used only to select the setting. */
  validation: readonly number[];
  /** Score on the test split, one per seed: used only to decide. */
  test: readonly number[];
  /** Optional: the image-bootstrap variances of this setting's test score minus the baseline's (ignored on the baseline). */
  testVariance?: TestVariance;
}

/** What {@link decide} is given. */
export interface DecideInput {
  /** The key of `settings` that every other setting is compared with (e.g. cross-entropy). */
  baseline: string;
  /** Per-seed scores of each setting, the baseline included; at least two settings and two seeds. */
  settings: Readonly<Record<string, SettingScores>>;
  /** Simultaneous confidence of the intervals; 0.95 unless given. */
  confidence?: number;
}

/** One setting against the baseline, on test. */
export interface Contrast {
  /** Mean over seeds of (setting − baseline) on test. */
  delta: number;
  /** The interval for `delta` at the requested confidence (named after the default, 0.95); simultaneous over all contrasts. */
  ci95: [number, number];
  /** "better" when the interval lies above 0, "worse" when below, "no-difference" otherwise. */
  outcome: Outcome;
}

/** What {@link decide} returns: the verdict on the selected setting, and every contrast. */
export interface Decision {
  /** The selected setting against the baseline, on test. */
  outcome: Outcome;
  /** The non-baseline setting with the best mean validation score (the first listed on a tie). */
  selected: string;
  /** The selected setting's mean test score minus the baseline's (optimistic: it was selected as the best). */
  delta: number;
  /** The selected setting's interval. */
  ci95: [number, number];
  /** Every non-baseline setting against the baseline, keyed by setting. */
  contrasts: Record<string, Contrast>;
}

function fail(name: string, expected: string, value: unknown): never {
  throw new RangeError(`decide: ${name} must be ${expected}, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`);
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * σ̂² of {@link decide}: the residual variance of the additive two-way model (setting + seed)
 * over K settings × n seeds of scores, Σ (x_{k,s} − x̄_k − x̄_s + x̄)² / ((K − 1)(n − 1)).
 * Used by `compare` (src/compare/decision.ts) for its budget figures; not part of the public
 * entry point.
 */
export function residualVariance(scores: readonly (readonly number[])[]): number {
  const K = scores.length;
  const n = scores[0]!.length;
  const rowMeans = scores.map(mean);
  const seedMeans = Array.from({ length: n }, (_, s) => mean(scores.map((xs) => xs[s]!)));
  const grand = mean(rowMeans);
  let residual = 0;
  scores.forEach((xs, k) => {
    xs.forEach((x, s) => {
      residual += (x - rowMeans[k]! - seedMeans[s]! + grand) ** 2;
    });
  });
  return residual / ((K - 1) * (n - 1));
}

/**
 * Decides whether the best of several settings beats a baseline, from per-seed scores on a
 * validation split (to select) and a test split (to decide), with at most `1 − confidence`
 * chance of any wrong word when nothing differs, the selection included.
 *
 * The rule, for K settings (the baseline included) and n seeds, on test:
 *
 * - Δ_k = mean over seeds of (x_{k,s} − x_{baseline,s}) for every setting k ≠ baseline.
 * - σ̂² = the residual variance of the additive two-way model (setting + seed) over all K × n
 *   test scores: Σ (x_{k,s} − x̄_k − x̄_s + x̄)² / ((K − 1)(n − 1)). The seed term removes what a
 *   seed does to every setting alike (shared initial weights, batches, splits).
 * - SE_k² = max(2σ̂²/n, s_k²/n) + V_k, with s_k² the variance over seeds of the per-seed
 *   difference (setting k − baseline) — a guard for a setting noisier than the rest, which
 *   the pooled σ̂² would understate — and V_k = max(0, seedMean − perSeedMean/n) from
 *   `testVariance` (0 when not given): the test-image noise that every seed shares, which
 *   the spread over seeds cannot see.
 * - c = Dunnett's two-sided many-to-one critical value for K − 1 contrasts at (K − 1)(n − 1)
 *   degrees of freedom, computed by quadrature (with K = 2 it is Student's t at n − 1 df,
 *   and the rule is the paired t-test).
 * - Each contrast's interval is Δ_k ± c·SE_k and its word follows the interval. The
 *   intervals hold together, so they also hold for the setting picked by validation however
 *   that pick depends on the same training luck: that is why no separate correction for the
 *   selection is needed, and why Δ of the selected setting is still optimistic (the winner's
 *   curse) while its interval is not.
 *
 * Measured in test/stats/decide.test.ts (training luck shared by a run's validation and test
 * scores, 2,000 experiments per cell): false winners 1-4 % under no difference, for 2 and 12
 * settings at 3 and 5 seeds, one setting 3× noisier included; see the package README for the
 * table and the power.
 *
 * @example
 * ```js
 * import { decide } from 'focal-loss-cli/stats';
 *
 * const result = decide({
 *   baseline: 'ce',
 *   settings: {
 *     ce: { validation: [0.61, 0.58, 0.6], test: [0.6, 0.57, 0.59] },
 *     'fl γ2': { validation: [0.67, 0.65, 0.66], test: [0.66, 0.64, 0.66] },
 *     'fl γ5': { validation: [0.45, 0.44, 0.46], test: [0.44, 0.43, 0.45] },
 *   },
 * });
 * console.log(result.selected, result.outcome, result.delta.toFixed(3), result.ci95.map((x) => x.toFixed(3))); // fl γ2 better 0.067 [ '0.051', '0.082' ]
 * console.log(result.contrasts['fl γ5'].outcome); // 'worse'
 * ```
 */
export function decide(input: DecideInput): Decision {
  if (input === null || typeof input !== 'object') fail('its argument', 'an object { baseline, settings, confidence? }', input);
  const { baseline, settings, confidence = 0.95 } = input;
  if (settings === null || typeof settings !== 'object') fail('settings', 'an object of { validation, test } per setting', settings);
  const names = Object.keys(settings);
  if (names.length < 2) fail('settings', 'at least two settings (the baseline and one other)', names.length);
  if (typeof baseline !== 'string' || !Object.hasOwn(settings, baseline))
    fail('baseline', `a key of settings (${names.join(', ')})`, baseline);
  if (typeof confidence !== 'number' || !(confidence > 0 && confidence < 1)) fail('confidence', 'a number in (0, 1)', confidence);
  const n = settings[baseline]!.test?.length;
  for (const name of names) {
    const s = settings[name]!;
    for (const split of ['validation', 'test'] as const) {
      const xs = s?.[split];
      const label = `settings[${JSON.stringify(name)}].${split}`;
      if (!Array.isArray(xs)) fail(label, 'an array of per-seed scores', xs);
      if (xs.length !== n) fail(`${label}.length`, `${n}, the number of seeds of the baseline's test scores`, xs.length);
      xs.forEach((x, i) => {
        if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${label}[${i}]`, 'a finite number', x);
      });
    }
    if (s.testVariance !== undefined && name !== baseline) {
      for (const key of ['seedMean', 'perSeedMean'] as const) {
        const v = s.testVariance[key];
        if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v))
          fail(`settings[${JSON.stringify(name)}].testVariance.${key}`, 'a finite number ≥ 0', v);
      }
    }
  }
  if (!(n >= 2)) fail('the number of seeds', 'at least 2', n);

  const K = names.length;
  const df = (K - 1) * (n - 1);
  const pooled = residualVariance(names.map((name) => settings[name]!.test));
  const c = dunnettCriticalValue({ contrasts: K - 1, df, confidence });

  const base = settings[baseline]!.test;
  const contrasts: Record<string, Contrast> = {};
  let selected = '';
  let bestValidation = Number.NEGATIVE_INFINITY;
  for (const name of names) {
    if (name === baseline) continue;
    const { validation, test: xs, testVariance } = settings[name]!;
    const v = mean(validation);
    if (v > bestValidation) {
      bestValidation = v;
      selected = name;
    }
    const d = xs.map((x, s) => x - base[s]!);
    const delta = mean(d);
    const paired = d.reduce((a, x) => a + (x - delta) ** 2, 0) / (n - 1);
    const shared = testVariance === undefined ? 0 : Math.max(0, testVariance.seedMean - testVariance.perSeedMean / n);
    const se = Math.sqrt(Math.max((2 * pooled) / n, paired / n) + shared);
    const ci95: [number, number] = [delta - c * se, delta + c * se];
    contrasts[name] = { delta, ci95, outcome: ci95[0] > 0 ? 'better' : ci95[1] < 0 ? 'worse' : 'no-difference' };
  }
  const chosen = contrasts[selected]!;
  return { outcome: chosen.outcome, selected, delta: chosen.delta, ci95: [...chosen.ci95], contrasts };
}
