import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { summariseExperiment, validationScore } from '../../src/compare/aggregate.js';
import { classWeights } from '../../src/compare/tasks/classification.js';
import { createFcn, createMlp, priorBias } from '../../src/compare/model.js';
import { segmentationAlpha } from '../../src/compare/tasks/segmentation.js';
import { buildGrid, isCrossEntropy } from '../../src/compare/settings.js';
import { trainModel, type EpochReport } from '../../src/compare/train.js';
import type { ExperimentResult, RunRecord } from '../../src/compare/types.js';
import { Rng } from '../../src/data/rng.js';
import { sigmoidFocalLoss, softmaxFocalLoss } from 'focal-loss';

test('grid always starts with cross-entropy and has no duplicates', () => {
  const grid = buildGrid([0, 2, 2], [0.25, null]);
  assert.deepEqual(
    grid.map((s) => s.label),
    ['CE', 'γ=0 α=0.25', 'γ=2 α=0.25', 'γ=2 α=none'],
  );
  assert.equal(buildGrid([2], [0.25])[0]!.label, 'CE');
  const powers = buildGrid([0, 2], [0.5, null], 'power');
  assert.deepEqual(
    powers.map((s) => s.label),
    ['CE', 'γ=0 w=n^-0.5', 'γ=2 w=n^-0.5', 'γ=2 w=none'],
  );
  assert.ok(isCrossEntropy(powers[0]!) && powers.slice(1).every((s) => !isCrossEntropy(s) && s.alpha === null));
});

test("class-weight power for multi-class: weights in [0, 1], rarest class weight 1, none stays none; two-class softmax takes the paper's alpha", () => {
  assert.equal(classWeights(null, [100, 10]), null);
  assert.deepEqual(classWeights(0, [100, 10]), [1, 1]);
  const w = classWeights(1, [100, 10, 1])!;
  assert.deepEqual(
    w.map((v) => Math.round(v * 1000) / 1000),
    [0.01, 0.1, 1],
  );
  assert.deepEqual(segmentationAlpha(0.25), [0.75, 0.25]);
});

test('prior bias: sigmoid starts at the positive prior, softmax at log priors', () => {
  const [b] = priorBias('binary', [0.99, 0.01]);
  assert.ok(Math.abs(1 / (1 + Math.exp(-b!)) - 0.01) < 1e-6);
  assert.ok(Math.abs(priorBias('multiclass', [0.5, 0.5])[0]! - Math.log(0.5)) < 1e-6);
});

function epochsOf(reports: EpochReport[]) {
  return reports.map((r) => r.numTensors);
}

test('MLP training with the sigmoid focal loss does not leak tensors and lowers the loss', async () => {
  await tf.setBackend('cpu');
  const rng = new Rng(1);
  const n = 256;
  const x = Float32Array.from({ length: n * 4 }, () => rng.normal());
  const y = Float32Array.from({ length: n }, (_, i) => (x[i * 4]! + x[i * 4 + 1]! > 1.5 ? 1 : 0));
  const before = tf.memory().numTensors;
  const model = createMlp(4, 8, 1, priorBias('binary', [0.9, 0.1]), 3);
  const reports: EpochReport[] = [];
  const result = await trainModel(model, {
    sampleCount: n,
    epochs: 6,
    batchSize: 32,
    learningRate: 0.01,
    rng,
    makeBatch: (idx) => ({
      x: tf.tensor2d(Float32Array.from(idx.flatMap((i) => [...x.subarray(i * 4, i * 4 + 4)])), [idx.length, 4]),
      target: tf.tensor2d(
        Float32Array.from(idx, (i) => y[i]!),
        [idx.length, 1],
      ),
    }),
    loss: (logits, target) => sigmoidFocalLoss(logits, target, { gamma: 2, alpha: 0.25 }) as tf.Scalar,
    onEpoch: (r) => reports.push(r),
  });
  assert.equal(result.lossCurve.length, 6);
  assert.ok(result.lossCurve[5]! < result.lossCurve[0]!, `loss ${result.lossCurve}`);
  const counts = epochsOf(reports);
  assert.ok(
    counts.every((c) => c === counts[1]),
    `tensors per epoch: ${counts}`,
  );
  model.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('FCN training with the softmax focal loss over NHWC with ignoreIndex does not leak tensors', async () => {
  await tf.setBackend('cpu');
  const before = tf.memory().numTensors;
  const model = createFcn(2, 0.05, 5);
  const reports: EpochReport[] = [];
  const rng = new Rng(2);
  await trainModel(model, {
    sampleCount: 4,
    epochs: 3,
    batchSize: 2,
    learningRate: 0.01,
    rng,
    makeBatch: (idx) => ({
      x: tf.tensor4d(
        Float32Array.from({ length: idx.length * 64 }, () => rng.next()),
        [idx.length, 8, 8, 1],
      ),
      target: tf.tensor3d(
        Int32Array.from({ length: idx.length * 64 }, (_, i) => (i % 9 === 0 ? 1 : i % 9 === 1 ? -1 : 0)),
        [idx.length, 8, 8],
        'int32',
      ),
    }),
    loss: (logits, target) => softmaxFocalLoss(logits, target, { gamma: 2, alpha: [0.75, 0.25], ignoreIndex: -1 }) as tf.Scalar,
    onEpoch: (r) => reports.push(r),
  });
  const counts = epochsOf(reports);
  assert.ok(
    counts.every((c) => c === counts[0]),
    `tensors per epoch: ${counts}`,
  );
  assert.equal(reports.length, 3);
  model.dispose();
  assert.equal(tf.memory().numTensors, before);
});

function fakeExperiment(testDelta: number[], validationBest: 'CE' | 'focal'): ExperimentResult {
  const grid = buildGrid([0, 2], [null]);
  const seeds = testDelta.map((_, i) => i);
  const runs: RunRecord[] = [];
  for (const seed of seeds) {
    for (const setting of grid) {
      const focal = setting.label !== 'CE';
      runs.push({
        experiment: 'x',
        setting,
        seed,
        epochs: 1,
        trainLoss: [1],
        diverged: false,
        seconds: 1,
        validation: { ap: focal === (validationBest === 'focal') ? 0.9 : 0.8 },
        test: { ap: 0.8 + (focal ? testDelta[seed]! : 0) },
      });
    }
  }
  return {
    id: 'x',
    title: 'x',
    task: 'classification',
    kind: 'binary',
    description: '',
    training: '',
    metrics: { primary: 'ap', names: ['ap'], lowerIsBetter: [] },
    grid,
    seeds,
    runs,
  };
}

test('selection uses validation only; the verdict follows the interval of the paired test difference', () => {
  const focalWins = summariseExperiment(fakeExperiment([0.05, 0.06, 0.04, 0.055, 0.05], 'focal'));
  assert.equal(focalWins.selected.label, 'γ=2 α=none');
  assert.equal(focalWins.verdict!.outcome, 'better');
  assert.ok(Math.abs(focalWins.verdict!.delta - 0.051) < 1e-9);
  assert.ok(focalWins.verdict!.ci95![0] > 0 && focalWins.verdict!.ci95![1] < 0.1);
  assert.equal(focalWins.verdict!.seeds, 5);
  assert.equal(focalWins.verdict!.settings, 2);
  assert.match(
    focalWins.verdictText,
    /γ=2 α=none \(the best setting other than cross-entropy on validation\) is better than cross-entropy: \+0\.051 \(95 % interval \+0\.0\d\d to \+0\.0\d\d; 5 seeds\)\./,
  );
  // A pair: nothing to select among, so no winner's curse; the budget in numbers.
  assert.doesNotMatch(focalWins.verdictText, /winner's curse|preview/);
  assert.match(
    focalWins.verdictText,
    /At this budget \(2 settings, 5 seeds; one seed's difference of two settings has sd 0\.0\d+ here\), a true difference of 0\.0\d+ is found with 80 % power \(0\.0\d+ with 10 seeds\)\.$/,
  );

  // Focal is better on test, but CE is better on validation: CE is selected, test is not peeked at.
  const ceSelected = summariseExperiment(fakeExperiment([0.05, 0.06, 0.04], 'CE'));
  assert.equal(ceSelected.selected.label, 'CE');
  assert.match(ceSelected.verdictText, /^Cross-entropy had the best validation ap\./);

  const ceWins = summariseExperiment(fakeExperiment([-0.05, -0.04, -0.06, -0.05, -0.045], 'focal'));
  assert.equal(ceWins.verdict!.outcome, 'worse');
  assert.match(ceWins.verdictText, /cross-entropy is better than γ=2 α=none/);

  const tie = summariseExperiment(fakeExperiment([0.05, -0.05, 0.01, 0.02, -0.01], 'focal'));
  assert.equal(tie.verdict!.outcome, 'no-difference');
  assert.ok(tie.verdict!.ci95![0] < 0 && tie.verdict!.ci95![1] > 0);
  assert.match(
    tie.verdictText,
    /no detectable difference between γ=2 α=none .* and cross-entropy: \+0\.004 \(95 % interval -0\.\d+ to \+0\.\d+; 5 seeds\)\. At this budget/,
  );
  assert.doesNotMatch(tie.verdictText, /would need about/);

  // Two seeds: a preview, with what it could detect; one seed: no interval at all.
  const two = summariseExperiment(fakeExperiment([0.05, 0.06], 'focal'));
  assert.match(
    two.verdictText,
    /With 2 seeds this is a preview, not a test: .* only a true difference of about \d\.\d+ would be found with 80 % power \(\d\.\d+ with 4 seeds\); run --seeds 3 or more/,
  );
  const one = summariseExperiment(fakeExperiment([0.05], 'focal'));
  assert.equal(one.verdict!.ci95, null);
  assert.match(one.verdictText, /With 1 seed there is no interval: a preview, not a test/);
});

test('a diverged run keeps its setting from being selected or ranked best focal', () => {
  const experiment = fakeExperiment([0.05, 0.06, 0.04], 'focal');
  experiment.runs.find((r) => r.setting.label !== 'CE' && r.seed === 1)!.diverged = true;
  const summary = summariseExperiment(experiment);
  assert.equal(summary.selected.label, 'CE');
  assert.equal(validationScore(experiment, experiment.grid[1]!), -Infinity);
});

test('a win of γ=0 with α is credited to class weighting; what γ adds is a verdict of its own', () => {
  const grid = buildGrid([0, 2], [0.75, null]);
  const runs: RunRecord[] = [];
  const val: Record<string, number> = { CE: 0.7, 'γ=0 α=0.75': 0.9, 'γ=2 α=0.75': 0.85, 'γ=2 α=none': 0.75 };
  const testScore: Record<string, number> = { CE: 0.7, 'γ=0 α=0.75': 0.8, 'γ=2 α=0.75': 0.79, 'γ=2 α=none': 0.72 };
  const seeds = [0, 1, 2, 3, 4];
  for (const seed of seeds) {
    for (const setting of grid) {
      runs.push({
        experiment: 'x',
        setting,
        seed,
        epochs: 1,
        trainLoss: [1],
        diverged: false,
        seconds: 1,
        validation: { ap: val[setting.label]! },
        test: { ap: testScore[setting.label]! + (seed % 2) * 0.002 * (setting.gamma + 1) },
      });
    }
  }
  const summary = summariseExperiment({
    id: 'x',
    title: 'x',
    task: 'classification',
    kind: 'binary',
    description: '',
    training: '',
    metrics: { primary: 'ap', names: ['ap'], lowerIsBetter: [] },
    grid,
    seeds,
    runs,
  });
  assert.equal(summary.selected.label, 'γ=0 α=0.75');
  assert.equal(summary.verdict!.setting, 'γ=0 α=0.75');
  assert.equal(summary.verdict!.settings, 4);
  // Every setting against cross-entropy gets its interval and word; the selected one's Δ carries the winner's curse.
  assert.deepEqual(
    summary.verdict!.contrasts.map((c) => [c.setting, c.outcome]),
    [
      ['γ=0 α=0.75', 'better'],
      ['γ=2 α=0.75', 'better'],
      ['γ=2 α=none', 'better'],
    ],
  );
  assert.match(
    summary.verdictText,
    /That Δ is biased upward \(the winner's curse\): γ=0 α=0\.75 was picked as the best of 3 on validation/,
  );
  assert.match(
    summary.verdictText,
    /Every setting against cross-entropy \(each interval in the table\): better: γ=0 α=0\.75 \(\+0\.10\d\)/,
  );
  assert.equal(summary.verdict!.outcome, 'better');
  assert.match(summary.verdictText, /α-balanced cross-entropy: class weighting, no focal term/);
  assert.equal(summary.focalVerdict!.setting, 'γ=2 α=0.75');
  assert.equal(summary.focalVerdict!.against, 'γ=0 α=0.75');
  assert.equal(summary.focalVerdict!.settings, 3);
  assert.ok(summary.focalVerdict!.delta < 0);
  assert.match(
    summary.verdictText,
    new RegExp(
      `What γ adds: γ=2 α=0.75 \\(the best γ > 0 setting on validation\\) against α-balanced cross-entropy \\(γ=0 α=0.75\\): ${summary.focalVerdict!.outcome === 'worse' ? 'worse' : 'no detectable difference'}`,
    ),
  );
});
