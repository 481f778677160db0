/**
 * The detection ablations side by side (`compare --task detection --full`): each ablation is
 * an experiment of its own that changes one thing against the main one; this puts every
 * contrast of theirs in one table, tests whether focal loss's edge over cross-entropy grows
 * with the anchor imbalance (the paper's claim), and draws the main experiment's learning curve.
 */
import type { TopLevelSpec } from 'vega-lite';
import { fmt, signedBound } from '../compare/aggregate.js';
import { sharedPart, type Outcome } from '../compare/decision.js';
import { DETECTION_BASELINE_LABEL, DETECTION_FOCAL_LABEL } from '../compare/config.js';
import type { CompareResult } from '../compare/run.js';
import type { MeanStd } from '../compare/types.js';
import { dunnettCriticalValue } from '../stats/dunnett.js';
import type { Table } from './table.js';

/** One contrast of an ablation: a setting against the experiment's baseline, with its verdict. */
export interface AblationRow {
  id: string;
  axis: string;
  /** Negative anchors per positive anchor (first seed's training set). */
  imbalance: number;
  seeds: number;
  baseline: { label: string; test: MeanStd };
  other: { label: string; test: MeanStd };
  contrast: { delta: number; ci95: [number, number] | null; outcome: Outcome } | undefined;
}

/** Every contrast of the ablation experiments of a result (those with an `axis`), in run order. */
export function ablationRows(result: CompareResult): AblationRow[] {
  const rows: AblationRow[] = [];
  result.experiments.forEach((experiment, i) => {
    if (experiment.axis === undefined || experiment.anchorImbalance === undefined) return;
    const summary = result.summaries[i]!;
    const base = summary.settings.find((s) => s.baseline);
    if (!base) return;
    const primary = summary.primary;
    for (const other of summary.settings.filter((s) => !s.baseline)) {
      const contrast = summary.verdict?.contrasts.find((c) => c.setting === other.setting.label);
      rows.push({
        id: experiment.id,
        axis: experiment.axis,
        imbalance: experiment.anchorImbalance,
        seeds: experiment.seeds.length,
        baseline: { label: base.setting.label, test: base.test[primary]! },
        other: { label: other.setting.label, test: other.test[primary]! },
        contrast: contrast && { delta: contrast.delta, ci95: contrast.ci95, outcome: contrast.outcome },
      });
    }
  });
  return rows;
}

const pm = (m: MeanStd) => `${fmt(m.mean)} ± ${fmt(m.std)}`;
const signed = (v: number) => `${v >= 0 ? '+' : ''}${fmt(v)}`;
const OUTCOME = { better: 'better', worse: 'worse', 'no-difference': 'no detectable difference' } as const;
const interval = (delta: number, ci95: readonly [number, number] | null) =>
  `${signed(delta)}${ci95 ? ` (${signedBound(ci95[0])} to ${signedBound(ci95[1])})` : ''}`;

/** The ablations as one table, a row per contrast; undefined when the result has none. */
export function ablationTable(result: CompareResult): Table | undefined {
  const rows = ablationRows(result);
  if (rows.length === 0) return undefined;
  return {
    header: [
      'ablation',
      'positive : negative anchors',
      'seeds',
      'setting',
      'test AP',
      'baseline test AP',
      'Δ AP (95 % interval)',
      'verdict',
    ],
    rows: rows.map((r) => [
      `${r.id}: ${r.axis}`,
      `1:${Math.round(r.imbalance)}`,
      String(r.seeds),
      r.other.label,
      pm(r.other.test),
      `${pm(r.baseline.test)} (${r.baseline.label})`,
      r.contrast ? interval(r.contrast.delta, r.contrast.ci95) : 'n/a',
      r.contrast ? OUTCOME[r.contrast.outcome] : 'n/a',
    ]),
  };
}

/** Legend of {@link ablationTable}. */
export function ablationLegend(result: CompareResult): string {
  return (
    'Each ablation is an experiment of its own (its table and verdict are above) that changes one thing against the main experiment; a run that is also a run of the main experiment (same scenes, setting and seed) is trained once and counted in both. ' +
    "Test COCO AP, mean ± std over the ablation's seeds (the first of the main experiment's). " +
    "Δ = the setting minus the baseline on the same seed, with its 95 % interval, simultaneous over the ablation's contrasts (a pair: the paired t interval), plus the test-image noise the seeds share. " +
    `The imbalance is the training set's (first seed) ratio of positive to negative anchors after assignment; the main experiment's is ${mainImbalance(result)}.`
  );
}

const mainImbalance = (result: CompareResult) => {
  const main = result.experiments.find((e) => e.axis === undefined && e.anchorImbalance !== undefined);
  return main ? `1:${Math.round(main.anchorImbalance!)}` : 'not recorded';
};

/** One point of the imbalance trend: focal loss − cross-entropy at one imbalance. */
export interface TrendPoint {
  id: string;
  imbalance: number;
  seeds: number;
  /** Mean over seeds of FL − CE (test AP, paired by seed). */
  delta: number;
  /** Its variance: the spread of the per-seed differences over n, plus the test-image part the seeds share. */
  variance: number;
  /** Its 95 % interval (t with n − 1 degrees of freedom). */
  ci95: [number, number];
}

/** The trend of FL − CE against log2 of the imbalance, and whether it is detected. */
export interface ImbalanceTrend {
  points: TrendPoint[];
  /** Change of FL − CE (AP) per doubling of the negatives per positive. */
  slope: number;
  ci95: [number, number];
  /** Welch-Satterthwaite degrees of freedom of the slope's variance. */
  df: number;
  outcome: Outcome;
}

/**
 * FL − CE (the paper's pair: {@link DETECTION_FOCAL_LABEL} against {@link DETECTION_BASELINE_LABEL})
 * at each imbalance of the experiments marked `imbalanceAxis` (the same steps at every ratio),
 * and its least-squares slope against log2(negatives per positive). The points are separate
 * experiments (different scenes), so their means are independent: the slope Σ cᵢ Δᵢ has
 * variance Σ cᵢ² Vᵢ, with Vᵢ = (per-seed sd)²/nᵢ + the shared test-image part, and its interval
 * uses Welch-Satterthwaite's degrees of freedom. Undefined with fewer than three points.
 */
export function imbalanceTrend(result: CompareResult): ImbalanceTrend | undefined {
  const points: (TrendPoint & { dof: number; seedPart: number })[] = [];
  result.experiments.forEach((experiment, i) => {
    if (!experiment.imbalanceAxis || experiment.anchorImbalance === undefined) return;
    const score = (label: string, seed: number) =>
      experiment.runs.find((r) => r.setting.label === label && r.seed === seed)?.test[result.summaries[i]!.primary];
    const differences = experiment.seeds
      .map((seed) => (score(DETECTION_FOCAL_LABEL, seed) ?? NaN) - (score(DETECTION_BASELINE_LABEL, seed) ?? NaN))
      .filter(Number.isFinite);
    const n = differences.length;
    if (n < 2) return;
    const delta = differences.reduce((a, b) => a + b, 0) / n;
    const seedPart = differences.reduce((a, d) => a + (d - delta) ** 2, 0) / (n - 1) / n;
    const tv = result.summaries[i]!.verdict?.contrasts.find((c) => c.setting === DETECTION_FOCAL_LABEL)?.testVariance;
    const variance = seedPart + (tv ? sharedPart(tv, n) : 0);
    const half = dunnettCriticalValue({ contrasts: 1, df: n - 1 }) * Math.sqrt(variance);
    points.push({
      id: experiment.id,
      imbalance: experiment.anchorImbalance,
      seeds: n,
      delta,
      variance,
      ci95: [delta - half, delta + half],
      dof: n - 1,
      seedPart,
    });
  });
  if (points.length < 3) return undefined;
  points.sort((a, b) => a.imbalance - b.imbalance);
  const x = points.map((p) => Math.log2(p.imbalance));
  const xMean = x.reduce((a, b) => a + b, 0) / x.length;
  const sxx = x.reduce((a, v) => a + (v - xMean) ** 2, 0);
  const c = x.map((v) => (v - xMean) / sxx);
  const slope = points.reduce((a, p, k) => a + c[k]! * p.delta, 0);
  const variance = points.reduce((a, p, k) => a + c[k]! ** 2 * p.variance, 0);
  // Welch-Satterthwaite on the seed parts (the shared test-image part is taken as known).
  const seedTerms = points.map((p, k) => c[k]! ** 2 * p.seedPart);
  const seedSum = seedTerms.reduce((a, b) => a + b, 0);
  // With no spread over seeds at all (e.g. every run scoring 0), the fewest seeds' df: the most cautious.
  const df =
    seedSum > 0 ? seedSum ** 2 / seedTerms.reduce((a, t, k) => a + t ** 2 / points[k]!.dof, 0) : Math.min(...points.map((p) => p.dof));
  const half = dunnettCriticalValue({ contrasts: 1, df: Math.max(1, df) }) * Math.sqrt(variance);
  const ci95: [number, number] = [slope - half, slope + half];
  return {
    points: points.map(({ dof: _dof, seedPart: _seedPart, ...p }) => p),
    slope,
    ci95,
    df,
    outcome: ci95[0] > 0 ? 'better' : ci95[1] < 0 ? 'worse' : 'no-difference',
  };
}

/** The trend in words: each point with its interval, then the slope, and whether it is detected. */
export function imbalanceTrendText(trend: ImbalanceTrend): string {
  const point = (p: TrendPoint) => `1:${Math.round(p.imbalance)} ${interval(p.delta, p.ci95)} (${p.seeds} seeds)`;
  const slope = `${interval(trend.slope, trend.ci95)} AP per doubling of the negatives per positive`;
  const words =
    trend.outcome === 'better'
      ? "focal loss's edge grows with the imbalance here, as the paper says: the trend is detected"
      : trend.outcome === 'worse'
        ? "focal loss's edge shrinks as the imbalance grows here, against the paper: the trend is detected, in the other direction"
        : 'no trend is detected: the interval holds a flat line, so these runs neither show nor rule out an edge that grows with the imbalance';
  return `Focal loss γ 2 α .25 minus cross-entropy α .75 (test AP, 95 % intervals) at the same steps: ${trend.points.map(point).join('; ')}. Slope ${slope}: ${words}.`;
}

/** FL − CE against the imbalance, with the per-point 95 % intervals. */
export function apVsImbalanceSpec(result: CompareResult): TopLevelSpec | undefined {
  const trend = imbalanceTrend(result);
  if (!trend) return undefined;
  const values = trend.points.map((p) => ({
    negativesPerPositive: p.imbalance,
    delta: p.delta,
    low: p.ci95[0],
    high: p.ci95[1],
    experiment: p.id,
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Focal loss − cross-entropy (test AP) against the anchor imbalance, same steps (95 % intervals)',
    data: { values },
    width: 360,
    height: 220,
    encoding: {
      x: { field: 'negativesPerPositive', type: 'quantitative', scale: { type: 'log' }, title: 'negative anchors per positive anchor' },
    },
    layer: [
      { mark: { type: 'rule', strokeDash: [4, 4] }, encoding: { y: { datum: 0 } }, data: { values: [{}] } },
      {
        mark: { type: 'line', point: true },
        encoding: { y: { field: 'delta', type: 'quantitative', title: 'FL γ 2 α .25 − CE α .75, test AP' } },
      },
      { mark: 'errorbar', encoding: { y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } },
    ],
  } as TopLevelSpec;
}

/** The learning curve of the experiments whose runs recorded one: mean test AP over seeds against steps, per setting. */
export interface LearningCurve {
  experiment: string;
  settings: { label: string; points: { steps: number; mean: number; std: number; seeds: number }[] }[];
}

/** The learning curve of the main experiment(s) (not the ablations, which may share its runs); empty when no run recorded one. */
export function learningCurves(result: CompareResult): LearningCurve[] {
  return result.experiments.flatMap((experiment) => {
    if (experiment.axis !== undefined) return [];
    const labels = [...new Set(experiment.runs.filter((r) => r.curves?.apBySteps).map((r) => r.setting.label))];
    if (labels.length === 0) return [];
    return [
      {
        experiment: experiment.id,
        settings: labels.map((label) => {
          const byStep = new Map<number, number[]>();
          for (const run of experiment.runs.filter((r) => r.setting.label === label))
            for (const p of run.curves?.apBySteps ?? []) byStep.set(p.steps, [...(byStep.get(p.steps) ?? []), p.test]);
          return {
            label,
            points: [...byStep.entries()]
              .sort((a, b) => a[0] - b[0])
              .map(([steps, xs]) => {
                const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
                const std = xs.length > 1 ? Math.sqrt(xs.reduce((a, v) => a + (v - mean) ** 2, 0) / (xs.length - 1)) : 0;
                return { steps, mean, std, seeds: xs.length };
              }),
          };
        }),
      },
    ];
  });
}

/** What the last doubling of the steps added to a setting's mean test AP (undefined without a doubling). */
function lastDoubling(points: LearningCurve['settings'][number]['points']) {
  const last = points.at(-1);
  const half = last && points.find((p) => p.steps * 2 === last.steps);
  return last && half ? { half, last, gain: last.mean / half.mean - 1 } : undefined;
}

/** The plateau in words: what the last doubling of the steps added, per setting (mean over seeds). */
export function plateauText(curve: LearningCurve): string {
  const doublings = curve.settings.map((s) => ({ label: s.label, d: lastDoubling(s.points) }));
  const parts = doublings.map(({ label, d }) =>
    d
      ? `${label} ${fmt(d.half.mean)} → ${fmt(d.last.mean)} from ${d.half.steps} to ${d.last.steps} steps (${d.gain >= 0 ? '+' : ''}${(100 * d.gain).toFixed(1)} %)`
      : `${label}: no doubling recorded`,
  );
  const plateau = doublings.every(({ d }) => d !== undefined && d.gain < 0.1);
  return `Learning curve of ${curve.experiment} (test AP, mean over seeds; Adam's rate is constant, so the model after s steps is that of an s-step run): ${parts.join('; ')}. ${
    plateau
      ? 'The last doubling added less than 10 % for each: the schedule is at a plateau.'
      : 'The last doubling added 10 % or more for some setting: the schedule is not at a plateau.'
  }`;
}

/** The learning curve as a chart: test AP (mean ± std over seeds) against steps, log scale. */
export function learningCurveSpec(curve: LearningCurve): TopLevelSpec {
  const values = curve.settings.flatMap((s) =>
    s.points.map((p) => ({ steps: p.steps, setting: s.label, mean: p.mean, low: p.mean - p.std, high: p.mean + p.std })),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Learning curve of ${curve.experiment}: test AP against steps (mean ± std over seeds)`,
    data: { values },
    width: 360,
    height: 220,
    encoding: {
      x: { field: 'steps', type: 'quantitative', scale: { type: 'log', base: 2 }, title: 'optimiser steps' },
      color: { field: 'setting', type: 'nominal', title: 'loss' },
    },
    layer: [
      { mark: { type: 'line', point: true }, encoding: { y: { field: 'mean', type: 'quantitative', title: 'test COCO AP' } } },
      { mark: 'errorbar', encoding: { y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } },
    ],
  } as TopLevelSpec;
}
