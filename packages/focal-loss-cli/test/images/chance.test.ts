import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summariseExperiment } from '../../src/compare/aggregate.js';
import { CHANCE_MARGIN, chanceWords } from '../../src/compare/tasks/image_common.js';
import { informativeness, notInformativeWords } from '../../src/compare/tasks/images.js';
import type { ExperimentResult, RunRecord } from '../../src/compare/types.js';
import { resultsTable } from '../../src/report/table.js';

const ce = { gamma: 0, alpha: null, label: 'CE' };
const fl = { gamma: 2, alpha: null, label: 'γ=2' };

function run(setting: typeof ce, seed: number, iou: number): RunRecord {
  const m = { iou, mIoU: iou / 2, 'IoU[a]': iou / 3 };
  return { experiment: 'x', setting, seed, epochs: 1, trainLoss: [1], diverged: false, seconds: 1, validation: m, test: m };
}

function experiment(scores: Record<string, number[]>, baselines: Record<string, number>): ExperimentResult {
  const runs = [ce, fl].flatMap((s) => scores[s.label]!.map((v, seed) => run(s, seed, v)));
  const chance = { metric: 'iou', baselines };
  const verdict = informativeness(chance, runs, [ce, fl]);
  return {
    id: 'images-segmentation',
    title: 't',
    task: 'segmentation',
    kind: 'segmentation',
    description: '',
    training: '',
    metrics: { primary: 'iou', names: ['iou', 'mIoU', 'IoU[a]'], lowerIsBetter: [] },
    grid: [ce, fl],
    seeds: [0, 1],
    runs,
    chance: {
      ...chance,
      floor: verdict.floor,
      informative: verdict.informative,
      ...(verdict.informative ? {} : { words: notInformativeWords(chance, verdict.best, verdict.bestLabel, 30, 'segmentation') }),
    },
  };
}

test('not informative: the best setting within the margin of the best trivial baseline', () => {
  const e = experiment({ CE: [0.8, 0.81], 'γ=2': [0.82, 0.83] }, { 'all background': 0, 'all foreground': 0.79 });
  assert.equal(e.chance!.informative, false);
  assert.ok(Math.abs(e.chance!.floor - (0.79 + CHANCE_MARGIN)) < 1e-12);
  const summary = summariseExperiment(e);
  assert.equal(summary.outcome, 'not-informative');
  assert.match(
    summary.verdictText,
    /^Not informative at this budget: the best setting \(γ=2\) reached test iou 0\.825, not 0\.05 above the best trivial baseline \(0\.790\).*more images \(30 here\), longer training/,
  );
  // The table shows every metric the experiment names.
  assert.deepEqual(resultsTable(e, summary).header.slice(-2), ['mIoU', 'IoU[a]']);
});

test('informative: a setting clears the floor; the verdict is the usual one', () => {
  const e = experiment({ CE: [0.9, 0.91], 'γ=2': [0.92, 0.93] }, { 'all background': 0, 'all foreground': 0.79 });
  assert.equal(e.chance!.informative, true);
  const summary = summariseExperiment(e);
  assert.equal(summary.outcome, undefined);
  assert.doesNotMatch(summary.verdictText, /Not informative/);
  assert.match(
    chanceWords({ metric: 'AP50', baselines: { 'mean training box': 0.3, 'whole image': 0.4 } }),
    /mean training box 0\.300, whole image 0\.400; a loss setting must reach 0\.450/,
  );
});
