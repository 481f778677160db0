/**
 * The detection --full report's schedule and imbalance trend: the learning curve averages the
 * runs' recorded points per setting and step, the plateau sentence follows the last doubling,
 * and the trend's slope and interval are the least-squares slope of FL − CE on log2 of the
 * imbalance with the points' variances, checked here against a hand computation.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DETECTION_BASELINE_LABEL, DETECTION_FOCAL_LABEL } from '../../src/compare/config.js';
import type { CompareResult } from '../../src/compare/run.js';
import type { ExperimentResult, RunRecord } from '../../src/compare/types.js';
import { imbalanceTrend, imbalanceTrendText, learningCurves, plateauText } from '../../src/report/ablations.js';
import { dunnettCriticalValue } from '../../src/stats/dunnett.js';

const run = (label: string, seed: number, ap: number, curve?: [number, number][]): RunRecord => ({
  experiment: 'x',
  setting: { gamma: label === DETECTION_BASELINE_LABEL ? 0 : 2, alpha: 0.25, label },
  seed,
  epochs: 1,
  trainLoss: [1],
  diverged: false,
  seconds: 1,
  validation: { AP: ap },
  test: { AP: ap },
  ...(curve ? { curves: { apBySteps: curve.map(([steps, test]) => ({ steps, test })) } } : {}),
});

/** An experiment on the imbalance axis whose FL − CE per seed is `differences` (CE scores 0.2 + seed / 100). */
function point(id: string, imbalance: number, differences: number[], axis = true): { experiment: ExperimentResult; summary: never } {
  const seeds = differences.map((_, s) => s);
  const runs = seeds.flatMap((s) => [
    run(DETECTION_BASELINE_LABEL, s, 0.2 + s / 100),
    run(DETECTION_FOCAL_LABEL, s, 0.2 + s / 100 + differences[s]!),
  ]);
  return {
    experiment: {
      id,
      title: id,
      task: 'detection',
      kind: 'detection',
      description: '',
      training: '',
      metrics: { primary: 'AP', names: ['AP'], lowerIsBetter: [] },
      grid: [],
      seeds,
      runs,
      anchorImbalance: imbalance,
      ...(axis ? { imbalanceAxis: true } : {}),
    },
    // The shared test-image variance of the contrast: 0.0001 at every point (perSeedMean 0).
    summary: {
      primary: 'AP',
      verdict: { contrasts: [{ setting: DETECTION_FOCAL_LABEL, testVariance: { seedMean: 1e-4, perSeedMean: 0 } }] },
    } as never,
  };
}

const resultOf = (points: ReturnType<typeof point>[]) =>
  ({
    experiments: points.map((p) => p.experiment),
    summaries: points.map((p) => p.summary),
    seeds: [0, 1, 2, 3, 4],
  }) as unknown as CompareResult;

test('imbalanceTrend: the least-squares slope of FL − CE on log2(imbalance), its variance from the points, Welch df', () => {
  const a = [0.0, 0.01, -0.01, 0.02, 0.0];
  const b = [0.03, 0.05, 0.02, 0.04, 0.06];
  const c = [0.08, 0.1, 0.07];
  const result = resultOf([point('mid', 400, b), point('low', 100, a), point('high', 1600, c), point('other', 50, [1, 1], false)]);
  const trend = imbalanceTrend(result)!;
  assert.deepEqual(
    trend.points.map((p) => p.id),
    ['low', 'mid', 'high'],
    'sorted by imbalance; experiments off the axis left out',
  );
  // x = log2: 6.64, 8.64, 10.64: centred -2, 0, 2, Sxx = 8, so the slope is (Δ_high − Δ_low) / 4.
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const varOfMean = (xs: number[]) => xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1) / xs.length;
  assert.ok(Math.abs(trend.slope - (mean(c) - mean(a)) / 4) < 1e-12);
  const seedA = varOfMean(a);
  const seedC = varOfMean(c);
  const variance = (seedA + 1e-4 + seedC + 1e-4) / 16;
  const df = (seedA + seedC) ** 2 / (seedA ** 2 / 4 + seedC ** 2 / 2);
  assert.ok(Math.abs(trend.df - df) < 1e-9, `${trend.df} vs ${df}`);
  const half = dunnettCriticalValue({ contrasts: 1, df }) * Math.sqrt(variance);
  assert.ok(Math.abs(trend.ci95[0] - (trend.slope - half)) < 1e-12 && Math.abs(trend.ci95[1] - (trend.slope + half)) < 1e-12);
  assert.equal(trend.outcome, 'better');
  assert.match(
    imbalanceTrendText(trend),
    /1:100 \+0\.004 .*; 1:400 \+0\.040 .*; 1:1600 \+0\.083 .*\(3 seeds\)\. Slope \+0\.020 \(.*\) AP per doubling .*: focal loss's edge grows with the imbalance here/,
  );
  // A flat trend is not detected, and the words say so.
  const flat = imbalanceTrend(resultOf([point('low', 100, b), point('mid', 400, a), point('high', 1600, b)]))!;
  assert.equal(flat.outcome, 'no-difference');
  assert.match(imbalanceTrendText(flat), /no trend is detected/);
  // Fewer than three points: no trend.
  assert.equal(imbalanceTrend(resultOf([point('low', 100, a), point('high', 1600, c)])), undefined);
});

test('learningCurves and plateauText: the mean over seeds per step, and the last doubling against 10 %', () => {
  const experiment = point('main', 572, [0.01, 0.02]).experiment;
  experiment.runs = [
    run(DETECTION_BASELINE_LABEL, 0, 0.2, [
      [960, 0.1],
      [1920, 0.18],
      [3840, 0.19],
    ]),
    run(DETECTION_BASELINE_LABEL, 1, 0.2, [
      [960, 0.12],
      [1920, 0.2],
      [3840, 0.21],
    ]),
    run(DETECTION_FOCAL_LABEL, 0, 0.2, [
      [960, 0.1],
      [1920, 0.15],
      [3840, 0.2],
    ]),
    run(DETECTION_FOCAL_LABEL, 1, 0.2),
  ];
  const curves = learningCurves({ experiments: [experiment], summaries: [] } as unknown as CompareResult);
  assert.equal(curves.length, 1);
  const [ce, fl] = curves[0]!.settings;
  assert.deepEqual(
    ce!.points.map((p) => [p.steps, Number(p.mean.toFixed(6)), p.seeds]),
    [
      [960, 0.11, 2],
      [1920, 0.19, 2],
      [3840, 0.2, 2],
    ],
  );
  assert.equal(fl!.points.at(-1)!.seeds, 1, 'a run without a curve adds nothing');
  // CE adds 5 %, FL 33 %: not a plateau.
  assert.match(
    plateauText(curves[0]!),
    /γ=0 α=0\.75 0\.190 → 0\.200 from 1920 to 3840 steps \(\+5\.3 %\); γ=2 α=0\.25 0\.150 → 0\.200 .*\(\+33\.3 %\)\. The last doubling added 10 % or more/,
  );
  experiment.runs = experiment.runs.slice(0, 2);
  assert.match(
    plateauText(learningCurves({ experiments: [experiment], summaries: [] } as unknown as CompareResult)[0]!),
    /the schedule is at a plateau/,
  );
});
