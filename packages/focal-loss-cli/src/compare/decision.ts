/**
 * The decision rule of `compare`: every setting against a baseline on test, the verdict on
 * the one selected on validation, and what the budget can detect. The rule itself is
 * {@link decide} of focal-loss-cli/stats (src/stats/decide.ts: the pooled residual variance
 * of the setting + seed model, a guard for a noisier setting, Dunnett's critical value); this
 * module feeds it the runs' per-seed scores and the one part of the test noise that the
 * spread over seeds cannot see.
 *
 * The three sources of chance a single number hides:
 *
 * - Seeds: each seed trains every setting from the same initial weights, batches and split,
 *   so differences are paired by seed; their spread over seeds holds the training noise and,
 *   since each run meets the test images anew, the part of the test-image noise that differs
 *   from seed to seed.
 * - The test set: when every seed is scored on the same test set (the built-in tasks), the
 *   part of its sampling noise that all seeds share does not average out. A bootstrap over
 *   test units (examples, images or scenes), with the same resample for every setting and
 *   seed, estimates it: V = max(0, V(seed-mean difference) − mean over seeds of V(one seed's
 *   difference) / n). Adding all of V(seed-mean difference) instead would count the per-seed
 *   part twice. A CSV gets a new split per seed, so there V = 0.
 * - Selection: the verdict's setting is the best on validation. The intervals hold together
 *   for all contrasts, so they hold for the selected one too; its Δ is still optimistic (the
 *   winner's curse).
 */
import { Rng } from '../data/rng.js';
import { decide, residualVariance, type Outcome, type TestVariance } from '../stats/decide.js';
import { dunnettCriticalValue } from '../stats/dunnett.js';
import { detectableEffect } from '../stats/power.js';
import type { TestResample } from './resample.js';

export type { Outcome, TestVariance } from '../stats/decide.js';

/** One setting's per-seed scores, seeds in the experiment's order. */
export interface SettingScores {
  label: string;
  /** Validation score per seed (NaN where missing): only for the record, the caller selects. */
  validation: readonly number[];
  /** Test score per seed. A setting with a non-finite test score is left out of the decision. */
  test: readonly number[];
}

/** One setting against the baseline on test, as written to results.json. */
export interface ContrastVerdict {
  setting: string;
  /** Mean over seeds of the setting's test score minus the baseline's. */
  delta: number;
  /** The 95 % interval, simultaneous over all contrasts of the decision; null with one seed. */
  ci95: [number, number] | null;
  outcome: Outcome;
  /** The image-bootstrap variances that went into the interval (absent: none, the spread over seeds holds all the test noise). */
  testVariance?: TestVariance;
}

/** The smallest true difference found with 80 % power at a number of seeds. */
export interface DetectableAt {
  seeds: number;
  delta: number;
}

/** Machine-readable verdict, as written to results.json: the selected setting's contrast, and every contrast. */
export interface Verdict {
  outcome: Outcome;
  /** The selected setting's Δ (optimistic when it was selected among several). */
  delta: number;
  /** Its interval; null with one seed. */
  ci95: [number, number] | null;
  seeds: number;
  /** K, the settings decided together, the baseline included (2: a pair, the paired t-test). */
  settings: number;
  /** Dunnett's critical value c of the intervals Δ ± c·SE (null with one seed). */
  criticalValue: number | null;
  /** √(2σ̂²): the standard deviation of one seed's difference of two settings, from the pooled residual variance (NaN with one seed). */
  differenceSd: number;
  /** √V of the selected contrast: the test-image noise that all seeds share (0 when not estimated). */
  testSd: number;
  /** The smallest true gain found with 80 % power with these settings, at the seeds run and at twice as many. */
  detectable: DetectableAt[];
  /** True with fewer than 3 seeds: too few to test anything plausible, a preview. */
  preview: boolean;
  /** Every setting against the baseline, in the order given (settings with a non-finite test score are missing). */
  contrasts: ContrastVerdict[];
}

/**
 * The image bootstrap of the shared test set: the primary test metric of every (setting,
 * seed) recomputed under the same resamples of test units, from which the shared part of the
 * test noise of any contrast follows ({@link TestBootstrap.variance}).
 */
export interface TestBootstrap {
  /** The bootstrap variances of `setting` − `baseline` (undefined when either lacks a resampler). */
  variance(setting: string, baseline: string): TestVariance | undefined;
}

/**
 * A {@link TestBootstrap} over `resamplers` (per setting label, one per seed; every seed scored
 * on the same test units). Resamples are drawn once, on first use; resamples in which some
 * metric is not finite (e.g. no positive drawn) are skipped for the contrasts they touch.
 */
export function testBootstrap(resamplers: ReadonlyMap<string, readonly TestResample[]>, resamples = 400, seed = 1): TestBootstrap {
  let table: Map<string, Float64Array[]> | undefined; // label → per seed, the metric of each resample
  const draw = (): Map<string, Float64Array[]> => {
    const out = new Map<string, Float64Array[]>();
    const all = [...resamplers.values()].flat();
    const units = all[0]?.units ?? 0;
    if (units === 0 || all.some((r) => r.units !== units)) return out;
    for (const [label, perSeed] of resamplers)
      out.set(
        label,
        perSeed.map(() => new Float64Array(resamples)),
      );
    const rng = new Rng(seed);
    const counts = new Float64Array(units);
    for (let b = 0; b < resamples; b++) {
      counts.fill(0);
      for (let k = 0; k < units; k++) counts[rng.int(units)]!++;
      for (const [label, perSeed] of resamplers) perSeed.forEach((r, s) => (out.get(label)![s]![b] = r.metric(counts)));
    }
    return out;
  };
  return {
    variance(setting, baseline) {
      table ??= draw();
      const a = table.get(setting);
      const b = table.get(baseline);
      if (!a || !b || a.length !== b.length || a.length === 0) return undefined;
      const seedMeans: number[] = [];
      const perSeed: number[][] = a.map(() => []);
      for (let r = 0; r < resamples; r++) {
        const d = a.map((xs, s) => xs[r]! - b[s]![r]!);
        if (!d.every(Number.isFinite)) continue;
        seedMeans.push(mean(d));
        d.forEach((x, s) => perSeed[s]!.push(x));
      }
      if (seedMeans.length < 2) return undefined;
      return { seedMean: variance(seedMeans), perSeedMean: mean(perSeed.map(variance)) };
    },
  };
}

/** What {@link decideContrasts} is given. */
export interface ContrastInput {
  /** The label of the baseline among `settings`. */
  baseline: string;
  /** The settings decided together, the baseline included. */
  settings: readonly SettingScores[];
  /** The label of the setting the verdict is about (selected on validation by the caller). */
  selected: string;
  /** The shared test-image variance of a contrast, where known (see {@link TestBootstrap}). */
  testVariance?: (setting: string, baseline: string) => TestVariance | undefined;
}

/**
 * Every setting against the baseline with {@link decide}, and the verdict on `selected`.
 * Settings with a non-finite test score are left out (they are reported without an interval
 * by the caller). With one seed there is no interval: every outcome is "no-difference".
 */
export function decideContrasts(input: ContrastInput): Verdict {
  const usable = input.settings.filter((s) => s.test.length > 0 && s.test.every(Number.isFinite));
  const n = input.settings[0]?.test.length ?? 0;
  const K = usable.length;
  const base = usable.find((s) => s.label === input.baseline);
  const differences = (s: SettingScores) => (base ? s.test.map((x, i) => x - base.test[i]!) : s.test.map(() => NaN));
  const others = usable.filter((s) => s !== base);
  const variances = new Map(
    others.flatMap((s) => {
      const v = input.testVariance?.(s.label, input.baseline);
      return v ? [[s.label, v] as const] : [];
    }),
  );
  let contrasts: ContrastVerdict[];
  let criticalValue: number | null = null;
  let differenceSd = NaN;
  if (base && n >= 2 && others.length > 0) {
    const decision = decide({
      baseline: input.baseline,
      settings: Object.fromEntries(
        usable.map((s) => [
          s.label,
          {
            // decide() selects on these; `compare` selects itself (a diverged run is never
            // selected), and the intervals hold for any selection. Non-finite values cannot be
            // selected either way.
            validation: s.validation.map((v) => (Number.isFinite(v) ? v : -Number.MAX_VALUE / (n + 1))),
            test: s.test,
            ...(variances.has(s.label) ? { testVariance: variances.get(s.label)! } : {}),
          },
        ]),
      ),
    });
    contrasts = others.map((s) => ({
      setting: s.label,
      ...decision.contrasts[s.label]!,
      ...(variances.has(s.label) ? { testVariance: variances.get(s.label)! } : {}),
    }));
    criticalValue = dunnettCriticalValue({ contrasts: K - 1, df: (K - 1) * (n - 1) });
    differenceSd = Math.sqrt(2 * residualVariance(usable.map((s) => s.test)));
  } else {
    contrasts = others.map((s) => ({ setting: s.label, delta: mean(differences(s)), ci95: null, outcome: 'no-difference' }));
  }
  const chosen = contrasts.find((c) => c.setting === input.selected);
  const shared = chosen?.testVariance ? sharedPart(chosen.testVariance, n) : 0;
  return {
    outcome: chosen?.outcome ?? 'no-difference',
    delta: chosen?.delta ?? NaN,
    ci95: chosen?.ci95 ? [...chosen.ci95] : null,
    seeds: n,
    settings: K,
    criticalValue,
    differenceSd,
    testSd: Math.sqrt(shared),
    detectable: Number.isFinite(differenceSd) && K >= 2 ? detectableAt(K, n, differenceSd, shared) : [],
    preview: n < 3,
    contrasts,
  };
}

/** The test-image variance that all n seeds share: max(0, seedMean − perSeedMean / n), as {@link decide} adds it. */
export function sharedPart(v: TestVariance, n: number): number {
  return Math.max(0, v.seedMean - v.perSeedMean / n);
}

/**
 * The minimal detectable effect (80 % power, {@link detectableEffect}) for K settings at n and
 * 2n seeds, when one seed's difference of two settings has standard deviation `sd` and the test
 * images add `shared` to the variance of every contrast whatever the seeds: SE² = sd²/m + shared,
 * which is detectableEffect's SE at sd' = √(sd² + m·shared).
 */
export function detectableAt(K: number, n: number, sd: number, shared: number): DetectableAt[] {
  return [n, 2 * n]
    .filter((m) => m >= 2)
    .map((m) => ({ seeds: m, delta: detectableEffect({ settings: K, seeds: m, sd: Math.sqrt(sd * sd + m * shared) }) }));
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function variance(xs: readonly number[]): number {
  const m = mean(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
}
