/**
 * The decision rule under the null: many synthetic experiments in which no setting differs
 * from cross-entropy, with training noise (per seed and per setting), a finite shared test
 * set, and selection of the best of K settings on a validation set that shares the trained
 * models with the test set. The rule may call a winner in at most 5 % of them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/data/rng.js';
import { decide, studentTCdf, studentTQuantile, type Verdict } from '../../src/compare/decision.js';

interface World {
  settings: number;
  seeds: number;
  testSize: number;
  /** True accuracy gain of setting 1 over the baseline (0 under the null). */
  effect: number;
  /** Per-(setting, seed) training luck, shared by validation and test. */
  luck: number;
}

/** One synthetic experiment: selects on validation, then decides the selected setting against setting 0 on test. */
function experiment(world: World, rng: Rng, withSelection: boolean): Verdict | 'baseline selected' {
  const { settings, seeds, testSize } = world;
  const difficulty = (n: number) => Float64Array.from({ length: n }, () => 0.3 + 0.6 * rng.next());
  const testP = difficulty(testSize);
  const valP = difficulty(testSize);
  // correct[k][s] = 0/1 per example; the same model (luck) scores validation and test.
  const testCorrect: Float64Array[][] = [];
  const valScore: number[] = [];
  const seedShift = Array.from({ length: seeds }, () => 0.03 * rng.normal());
  for (let k = 0; k < settings; k++) {
    testCorrect.push([]);
    let val = 0;
    for (let s = 0; s < seeds; s++) {
      const shift = seedShift[s]! + world.luck * rng.normal() + (k === 1 ? world.effect : 0);
      testCorrect[k]!.push(Float64Array.from(testP, (p) => (rng.next() < p + shift ? 1 : 0)));
      for (const p of valP) val += rng.next() < p + shift ? 1 : 0;
    }
    valScore.push(val);
  }
  const selected = withSelection ? valScore.indexOf(Math.max(...valScore)) : 1;
  if (selected === 0) return 'baseline selected';
  const diff = Array.from({ length: seeds }, (_, s) =>
    Float64Array.from(testCorrect[selected]![s]!, (c, i) => c - testCorrect[0]![s]![i]!),
  );
  return decide(
    {
      seeds,
      sharedTestSet: true,
      units: () => testSize,
      delta: (s, counts) => {
        let sum = 0;
        let total = 0;
        const d = diff[s]!;
        for (let i = 0; i < d.length; i++) {
          const w = counts ? counts[i]! : 1;
          sum += w * d[i]!;
          total += w;
        }
        return sum / total;
      },
    },
    { comparisons: withSelection ? settings : 1, resamples: 150, seed: rng.int(1e9) },
  );
}

function winnerRate(world: World, experiments: number, withSelection: boolean, seed: number): number {
  const rate = countWinners(world, experiments, withSelection, seed);
  console.log(`# ${JSON.stringify(world)} selection=${withSelection}: winner rate ${rate}`);
  return rate;
}

function countWinners(world: World, experiments: number, withSelection: boolean, seed: number): number {
  const rng = new Rng(seed);
  let winners = 0;
  for (let e = 0; e < experiments; e++) {
    const verdict = experiment(world, rng, withSelection);
    if (verdict !== 'baseline selected' && verdict.outcome !== 'no-difference') winners++;
  }
  return winners / experiments;
}

test('Student t quantiles and CDF match tables', () => {
  assert.ok(Math.abs(studentTQuantile(0.975, 1) - 12.706) < 1e-3);
  assert.ok(Math.abs(studentTQuantile(0.975, 4) - 2.776) < 1e-3);
  assert.ok(Math.abs(studentTQuantile(0.995, 10) - 3.169) < 1e-3);
  assert.ok(Math.abs(studentTQuantile(0.975, 1e6) - 1.96) < 1e-3);
  assert.ok(Math.abs(studentTCdf(-2, 3) - 0.0697) < 1e-4);
});

const null5: World = { settings: 12, seeds: 5, testSize: 600, effect: 0, luck: 0.01 };

test('null, best of 12 settings selected on validation, 5 seeds: at most 5 % false winners', () => {
  const rate = winnerRate(null5, 300, true, 1);
  assert.ok(rate <= 0.05, `false-winner rate ${rate}`);
});

test('null, one comparison without selection, 5 seeds: at most 5 % false winners', () => {
  const rate = winnerRate(null5, 400, false, 2);
  assert.ok(rate <= 0.05, `false-winner rate ${rate}`);
});

test('null with 2 seeds (--quick) and large training noise: at most 5 % false winners', () => {
  const rate = winnerRate({ ...null5, seeds: 2, luck: 0.03 }, 300, true, 3);
  assert.ok(rate <= 0.05, `false-winner rate ${rate}`);
});

test('the naive rule (|mean Δ| > sd over seeds) would fail the same null', () => {
  // The rule this replaces, for contrast: it must be visibly worse, or the test above proves nothing.
  const rng = new Rng(4);
  let winners = 0;
  for (let e = 0; e < 300; e++) {
    const v = experiment({ ...null5, seeds: 2 }, rng, true);
    if (v !== 'baseline selected' && Math.abs(v.delta) > v.seedSd) winners++;
  }
  assert.ok(winners / 300 > 0.1, `naive rate ${winners / 300}`);
});

test('a real gain of 8 points of accuracy is detected, and a loss is called worse', () => {
  const better = winnerRate({ ...null5, settings: 2, effect: 0.08 }, 60, false, 5);
  assert.ok(better >= 0.9, `power ${better}`);
  const rng = new Rng(6);
  const worse = experiment({ ...null5, settings: 2, effect: -0.08 }, rng, false);
  assert.ok(worse !== 'baseline selected' && worse.outcome === 'worse', JSON.stringify(worse));
});

test('no difference detected: the verdict says how many seeds a difference of that size would need, or that seeds alone would not do', () => {
  const evidence = (perSeed: number[], testNoise: number) => ({
    seeds: perSeed.length,
    sharedTestSet: testNoise > 0,
    units: () => 2,
    // Two test units: resampling them moves the difference by ±testNoise.
    delta: (s: number, counts?: Float64Array) => perSeed[s]! + (counts ? ((counts[0]! - counts[1]!) / 2) * testNoise : 0),
  });
  const v = decide(evidence([0.02, 0.03, 0.015, 0.025, 0.02], 0), { comparisons: 1 });
  assert.equal(v.outcome, 'better');
  const noisy = decide(evidence([0.01, 0.03, -0.02, 0.02, -0.01], 0), { comparisons: 1 });
  assert.equal(noisy.outcome, 'no-difference');
  assert.ok(typeof noisy.seedsNeeded === 'number' && noisy.seedsNeeded > 5, String(noisy.seedsNeeded));
  const testBound = decide(evidence([0.01, 0.012, 0.009, 0.011, 0.01], 0.05), { comparisons: 1, resamples: 200 });
  assert.equal(testBound.outcome, 'no-difference');
  assert.equal(testBound.seedsNeeded, null, 'the test set is too small for any number of seeds');
  const one = decide(evidence([0.2], 0), { comparisons: 1 });
  assert.equal(one.ci95, null);
  assert.equal(one.outcome, 'no-difference');
});
