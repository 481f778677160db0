/**
 * The machinery of detection's --full end to end, at a tiny size: a main experiment that
 * records the learning curve and is a point of the imbalance trend, ablations on fewer seeds,
 * one of which shares the main experiment's baseline runs (trained once), and the report's
 * ablation table, schedule and trend sentences; results.json reads back.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DETECTION_BASELINE_LABEL,
  DETECTION_FOCAL_LABEL,
  detectionGrid,
  detectionSizes,
  type DetectionSize,
} from '../../src/compare/config.js';
import { silentProgress } from '../../src/compare/progress.js';
import { runCompare } from '../../src/compare/run.js';
import { tasks } from '../../src/compare/tasks/index.js';
import { summaryMarkdown } from '../../src/report/documents.js';
import { reviveResult } from '../../src/report/results_file.js';

test('a tiny --full-style detection plan: learning curve, ablations on fewer seeds, shared runs, trend and schedule in the report', async () => {
  const tiny: DetectionSize = {
    ...detectionSizes('tiny')[0]!,
    trainScenes: 16,
    validationScenes: 4,
    testScenes: 6,
    epochs: 2,
    maxDigits: 1,
  };
  const pair = detectionGrid('quick');
  const original = tasks.detection.plan;
  tasks.detection.plan = () => ({
    experiments: [
      { size: { ...tiny, imbalanceAxis: true, learningCurve: pair.map((s) => s.label) }, grid: pair },
      {
        size: { ...tiny, id: 'imbalance-a1', axis: 'imbalance: 1 anchor per cell', scales: [1], aspectRatios: [1], imbalanceAxis: true },
        grid: pair,
        seeds: [0, 1],
      },
      { size: { ...tiny, side: 64, id: 'imbalance-64', axis: 'imbalance: 64x64', imbalanceAxis: true }, grid: pair, seeds: [0, 1] },
      {
        size: { ...tiny, id: 'extremes', axis: 'loss: γ 5' },
        grid: [pair[0]!, { gamma: 5, alpha: 0.25, label: 'γ=5 α=0.25' }],
        seeds: [0, 1],
      },
    ],
    seeds: [0, 1, 2],
  });
  try {
    const result = await runCompare(
      { task: 'detection', mode: 'tiny', ignore: [], out: 'unused', backend: 'cpu', workers: 1 },
      'test',
      silentProgress,
    );
    assert.deepEqual(
      result.experiments.map((e) => [e.id, e.seeds.length, e.runs.length]),
      [
        ['detection-32', 3, 6],
        ['imbalance-a1', 2, 4],
        ['imbalance-64', 2, 4],
        ['extremes', 2, 4],
      ],
    );
    // The learning curve: the pair's runs record test AP after epochs 1 and 2; the last point is the run's test AP.
    for (const run of result.experiments[0]!.runs) {
      assert.deepEqual(
        run.curves?.apBySteps?.map((p) => p.steps),
        [2, 4],
        `${run.setting.label} seed ${run.seed}`,
      );
      assert.equal(run.curves!.apBySteps!.at(-1)!.test, run.test.AP);
    }
    assert.ok(result.experiments.slice(1, 3).every((e) => e.runs.every((r) => r.curves?.apBySteps === undefined)));
    // The extremes' baseline runs are the main experiment's (trained once), under their own id.
    const main = result.experiments[0]!.runs.filter((r) => r.setting.label === DETECTION_BASELINE_LABEL && r.seed < 2);
    const shared = result.experiments[3]!.runs.filter((r) => r.setting.label === DETECTION_BASELINE_LABEL);
    assert.deepEqual(
      shared.map((r) => [r.experiment, r.test.AP, r.seconds]),
      main.map((r) => ['extremes', r.test.AP, r.seconds]),
    );
    assert.deepEqual(
      result.experiments.map((e) => e.imbalanceAxis === true),
      [true, true, true, false],
    );
    const md = summaryMarkdown(result);
    assert.match(md, /\| imbalance-a1: imbalance: 1 anchor per cell \| 1:\d+ \| 2 \| γ=2 α=0\.25 \|/);
    assert.match(md, /\| extremes: loss: γ 5 \| 1:\d+ \| 2 \| γ=5 α=0\.25 \|/);
    assert.match(md, /\*\*Schedule:\*\* Learning curve of detection-32 .*from 2 to 4 steps/);
    assert.match(md, /\*\*Imbalance trend:\*\* Focal loss γ 2 α \.25 minus cross-entropy α \.75 .*Slope /);
    // results.json reads back with the new fields.
    const back = reviveResult(JSON.parse(JSON.stringify(result, (k, v) => (k === 'testResample' ? undefined : v))), 'results.json');
    assert.deepEqual(back.experiments[0]!.runs[0]!.curves?.apBySteps, result.experiments[0]!.runs[0]!.curves?.apBySteps);
    assert.equal(back.experiments[1]!.imbalanceAxis, true);
    assert.ok(result.experiments[0]!.grid.some((s) => s.label === DETECTION_FOCAL_LABEL));
  } finally {
    tasks.detection.plan = original;
  }
});
