/**
 * compare's verdicts through focal-loss-cli/stats' decide (src/compare/decision.ts): the
 * image bootstrap of the shared test set, the contrasts and the verdict, the budget, and a
 * null simulation of whole experiments in which the test images favour some settings by
 * chance (a difference every seed shares): the bootstrap's shared part keeps the false
 * winners at 5 %, and without it they are well above.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summariseExperiment } from '../../src/compare/aggregate.js';
import { decideContrasts, detectableAt, sharedPart, testBootstrap } from '../../src/compare/decision.js';
import type { ExperimentResult, RunRecord, TestResample } from '../../src/compare/types.js';
import { Rng } from '../../src/data/rng.js';
import { decide, detectableEffect } from '../../src/stats/index.js';

/** A resampler of the mean of per-unit values: the metric of a test set of `values.length` units under bootstrap counts. */
function meanResampler(values: Float64Array): TestResample {
  return {
    units: values.length,
    metric: (counts) => {
      let sum = 0;
      let total = 0;
      for (let i = 0; i < values.length; i++) {
        sum += counts[i]! * values[i]!;
        total += counts[i]!;
      }
      return sum / total;
    },
  };
}

test('the bootstrap finds the test-image noise that seeds share, and none where each seed meets its own noise', () => {
  const rng = new Rng(1);
  const m = 400;
  const n = 4;
  const noise = () => Float64Array.from({ length: m }, () => rng.normal());
  // Shared: the same per-unit difference for every seed. Own: a new one per seed.
  const shared = noise();
  const zero = new Float64Array(m);
  const resamplers = new Map<string, TestResample[]>([
    ['base', Array.from({ length: n }, () => meanResampler(zero))],
    ['shared', Array.from({ length: n }, () => meanResampler(shared))],
    ['own', Array.from({ length: n }, () => meanResampler(noise()))],
  ]);
  const bootstrap = testBootstrap(resamplers, 600, 7);
  const a = bootstrap.variance('shared', 'base')!;
  const b = bootstrap.variance('own', 'base')!;
  // One unit of variance 1 over m units: a seed's difference has bootstrap variance about 1/m.
  assert.ok(Math.abs(a.perSeedMean * m - 1) < 0.2, `per seed ${a.perSeedMean * m}`);
  assert.ok(Math.abs(a.seedMean * m - 1) < 0.2, `shared: the seed mean keeps it all (${a.seedMean * m})`);
  assert.ok(Math.abs(b.seedMean * m - 1 / n) < 0.06, `own: the seed mean averages it (${b.seedMean * m})`);
  assert.ok(sharedPart(a, n) * m > 0.6, `shared part ${sharedPart(a, n) * m}`);
  assert.ok(sharedPart(b, n) * m < 0.05, `own part ${sharedPart(b, n) * m}`);
  assert.equal(bootstrap.variance('shared', 'missing'), undefined);
});

const scores = (label: string, test: number[], validation = test) => ({ label, validation, test });

test('decideContrasts: every contrast from decide(), the verdict on the given setting, the budget at n and 2n seeds', () => {
  const settings = [
    scores('ce', [0.6, 0.61, 0.57, 0.62]),
    scores('a', [0.62, 0.66, 0.59, 0.65], [0.9, 0.9, 0.9, 0.9]),
    scores('b', [0.45, 0.44, 0.43, 0.47]),
    scores('diverged', [0.6, Number.NaN, 0.6, 0.6]),
  ];
  const v = decideContrasts({ baseline: 'ce', settings, selected: 'a' });
  const reference = decide({
    baseline: 'ce',
    settings: Object.fromEntries(settings.slice(0, 3).map((s) => [s.label, { validation: s.validation, test: s.test }])),
  });
  assert.deepEqual(
    v.contrasts.map((c) => c.setting),
    ['a', 'b'],
    'the setting without a finite test score is left out',
  );
  for (const c of v.contrasts) {
    assert.deepEqual(c.ci95, reference.contrasts[c.setting]!.ci95);
    assert.equal(c.outcome, reference.contrasts[c.setting]!.outcome);
  }
  assert.equal(v.contrasts[1]!.outcome, 'worse');
  assert.equal(v.settings, 3);
  assert.deepEqual(
    [v.outcome, v.delta, v.ci95],
    [reference.contrasts.a!.outcome, reference.contrasts.a!.delta, reference.contrasts.a!.ci95],
  );
  assert.equal(v.preview, false);
  assert.deepEqual(
    v.detectable.map((d) => d.seeds),
    [4, 8],
  );
  assert.ok(Math.abs(v.detectable[0]!.delta - detectableEffect({ settings: 3, seeds: 4, sd: v.differenceSd })) < 1e-12);
  assert.ok(v.detectable[1]!.delta < v.detectable[0]!.delta);
  assert.equal(v.testSd, 0);
});

test('decideContrasts: the shared test-image variance widens the interval and stays in the budget at 2n seeds', () => {
  const settings = [scores('ce', [0.6, 0.61, 0.57]), scores('fl', [0.64, 0.66, 0.62])];
  const plain = decideContrasts({ baseline: 'ce', settings, selected: 'fl' });
  const testVariance = { seedMean: 0.0004, perSeedMean: 0.0003 };
  const noisy = decideContrasts({ baseline: 'ce', settings, selected: 'fl', testVariance: () => testVariance });
  assert.ok(noisy.ci95![1] - noisy.ci95![0] > plain.ci95![1] - plain.ci95![0]);
  assert.deepEqual(noisy.contrasts[0]!.testVariance, testVariance);
  assert.ok(Math.abs(noisy.testSd - Math.sqrt(0.0004 - 0.0003 / 3)) < 1e-12);
  // More seeds shrink the seeds' part, not the test images': the gain of doubling is smaller.
  const [now, doubled] = detectableAt(2, 3, 0.02, 0.0003);
  const [nowClean, doubledClean] = detectableAt(2, 3, 0.02, 0);
  assert.ok(now!.delta > nowClean!.delta && doubled!.delta / now!.delta > doubledClean!.delta / nowClean!.delta);
});

test('decideContrasts with one or two seeds: no interval with one, a preview with two', () => {
  const one = decideContrasts({ baseline: 'ce', settings: [scores('ce', [0.5]), scores('fl', [0.7])], selected: 'fl' });
  assert.deepEqual([one.ci95, one.outcome, one.preview, one.detectable], [null, 'no-difference', true, []]);
  assert.ok(Math.abs(one.delta - 0.2) < 1e-12);
  const two = decideContrasts({ baseline: 'ce', settings: [scores('ce', [0.5, 0.52]), scores('fl', [0.7, 0.69])], selected: 'fl' });
  assert.equal(two.preview, true);
  assert.ok(two.ci95 !== null);
});

/**
 * One experiment of K settings and n seeds scored on one test set of `units` images. Setting k
 * gets image i right with probability p_i + e_{k,i} + its run's luck: e_{k,i} (sd `imageSd`)
 * averages 0 over images in general, but not on this test set, and every seed meets the same
 * e: a test-set difference the seeds share. Nothing differs in truth.
 */
function nullExperiment(rng: Rng, K: number, n: number, units: number, imageSd: number): ExperimentResult {
  const p = Float64Array.from({ length: units }, () => 0.3 + 0.5 * rng.next());
  const grid = Array.from({ length: K }, (_, k) => ({ gamma: k, alpha: null, label: k === 0 ? 'CE' : `γ=${k}` }));
  const affinity = grid.map(() => Float64Array.from({ length: units }, () => imageSd * rng.normal()));
  const runs: RunRecord[] = [];
  for (let seed = 0; seed < n; seed++) {
    const seedShift = 0.02 * rng.normal();
    grid.forEach((setting, k) => {
      const luck = seedShift + 0.01 * rng.normal();
      const correct = Float64Array.from(p, (pi, i) => (rng.next() < pi + affinity[k]![i]! + luck ? 1 : 0));
      const resample = meanResampler(correct);
      const validation =
        Array.from({ length: units }, (_, i) => (rng.next() < p[i]! + luck ? 1 : 0)).reduce((a: number, b) => a + b, 0) / units;
      runs.push({
        experiment: 'null',
        setting,
        seed,
        epochs: 1,
        trainLoss: [1],
        diverged: false,
        seconds: 0,
        validation: { acc: validation },
        test: { acc: resample.metric(new Float64Array(units).fill(1)) },
        testResample: resample,
      });
    });
  }
  return {
    id: 'null',
    title: 'null',
    task: 'classification',
    kind: 'binary',
    description: '',
    training: '',
    metrics: { primary: 'acc', names: ['acc'], lowerIsBetter: [] },
    grid,
    seeds: Array.from({ length: n }, (_, s) => s),
    runs,
    sharedTestSet: true,
  };
}

test('null experiments on one shared test set: at most 5 % false winners with the bootstrap, many more without it', (t) => {
  const rng = new Rng(11);
  const experiments = 300;
  let withBootstrap = 0;
  let without = 0;
  for (let e = 0; e < experiments; e++) {
    const experiment = nullExperiment(rng, 3, 8, 300, 0.25);
    if (summariseExperiment(experiment).verdict!.outcome !== 'no-difference') withBootstrap++;
    if (summariseExperiment(experiment, { testVariance: () => undefined }).verdict!.outcome !== 'no-difference') without++;
  }
  t.diagnostic(`false winners: ${withBootstrap / experiments} with the shared test-image variance, ${without / experiments} without`);
  assert.ok(withBootstrap / experiments <= 0.05, `with the bootstrap: ${withBootstrap / experiments}`);
  assert.ok(without / experiments >= 2 * Math.max(withBootstrap / experiments, 0.05), `without: ${without / experiments}`);
});
