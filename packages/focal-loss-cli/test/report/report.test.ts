import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { summariseExperiment } from '../../src/compare/aggregate.js';
import { buildGrid } from '../../src/compare/settings.js';
import type { ExperimentResult, RunRecord } from '../../src/compare/types.js';
import { DataError } from '../../src/data/errors.js';
import { focalLossCurveSpec, lossCurvesSpec, metricVsGammaSpec, prCurvesSpec, reliabilitySpec } from '../../src/report/charts.js';
import { renderSvg } from '../../src/report/render.js';
import { formatMarkdownTable, formatTextTable, resultsTable } from '../../src/report/table.js';
import { prepareReport } from '../../src/report/write.js';

function experiment(): ExperimentResult {
  const grid = buildGrid([0, 2], [0.25, null]);
  const runs: RunRecord[] = [];
  for (const seed of [0, 1]) {
    for (const [k, setting] of grid.entries()) {
      runs.push({
        experiment: 'e',
        setting,
        seed,
        epochs: 2,
        trainLoss: [0.5 / (k + 1), 0.3 / (k + 1)],
        diverged: false,
        seconds: 1,
        validation: { averagePrecision: 0.5 + k * 0.1, ece: 0.1 },
        test: { averagePrecision: 0.6 + k * 0.01 + seed * 0.01, rocAuc: 0.9, 'recall@val': 0.5, 'f1@val': 0.5, ece: 0.05 },
        testReweighted: { averagePrecision: 0.4 },
        curves: {
          pr: [{ threshold: 0.9, precision: 1, recall: 0.5 }, { threshold: 0.1, precision: 0.5, recall: 1 }],
          reliability: [{ lower: 0, upper: 0.5, confidence: 0.2, accuracy: 0.25, weight: 10 }, { lower: 0.5, upper: 1, confidence: 0.8, accuracy: 0.7, weight: 0 }],
        },
      });
    }
  }
  return {
    id: 'e', title: 'Example', task: 'classification', kind: 'binary', description: 'd', training: 't',
    metrics: { primary: 'averagePrecision', names: ['averagePrecision'], lowerIsBetter: ['ece'] }, grid, seeds: [0, 1], runs,
  };
}

test('every chart spec renders to SVG with vega', async () => {
  const e = experiment();
  const s = summariseExperiment(e);
  for (const spec of [focalLossCurveSpec(), lossCurvesSpec(e), metricVsGammaSpec(e, s), prCurvesSpec(e, s)!, reliabilitySpec(e, s)!]) {
    const svg = await renderSvg(spec);
    assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.ok(svg.includes('<path'), 'has marks');
  }
});

test('results table: one row per setting, the selected one marked, delta to CE', () => {
  const e = experiment();
  const table = resultsTable(e, summariseExperiment(e));
  assert.equal(table.rows.length, 4);
  assert.equal(table.rows[3]![0], 'γ=2 α=none *');
  assert.equal(table.rows[0]![3], '—');
  assert.equal(table.rows[3]![3], '+0.030 ± 0.000');
  assert.match(formatTextTable(table), /setting\s+val AP/);
  assert.match(formatMarkdownTable(table), /^\| setting \| val AP/);
});

test('prepareReport writes atomically and replaces only an earlier report', () => {
  const root = mkdtempSync(join(tmpdir(), 'fl-report-'));
  const out = join(root, 'report');
  const first = prepareReport(out);
  first.write('index.html', 'one');
  assert.equal(existsSync(out), false, 'nothing visible before commit');
  first.commit();
  assert.equal(readFileSync(join(out, 'index.html'), 'utf8'), 'one');

  const second = prepareReport(out);
  second.write('index.html', 'two');
  second.abort();
  assert.equal(readFileSync(join(out, 'index.html'), 'utf8'), 'one', 'an aborted report leaves the old one');
  assert.deepEqual(readdirSync(root), ['report'], 'no temporary directories left');

  const third = prepareReport(out);
  third.write('index.html', 'three');
  third.commit();
  assert.equal(readFileSync(join(out, 'index.html'), 'utf8'), 'three');
  assert.deepEqual(readdirSync(root), ['report']);

  const userDir = join(root, 'mine');
  mkdirSync(userDir);
  writeFileSync(join(userDir, 'thesis.tex'), 'precious');
  assert.throws(() => prepareReport(userDir), (e: unknown) => e instanceof DataError && /not a focal-loss report/.test(e.message));
  writeFileSync(join(root, 'file'), 'x');
  assert.throws(() => prepareReport(join(root, 'file')), /not a directory/);
});

test('a detection table says its Δ is against the α-balanced baseline, not plain cross-entropy', async () => {
  const { resultsTable, tableLegend } = await import('../../src/report/table.js');
  const { summariseExperiment } = await import('../../src/compare/aggregate.js');
  const { DETECTION_METRICS } = await import('../../src/compare/detection.js');
  const grid = [{ gamma: 0, alpha: 0.75, label: 'γ=0 α=0.75' }, { gamma: 2, alpha: 0.25, label: 'γ=2 α=0.25' }];
  const run = (setting: (typeof grid)[number], seed: number, ap: number) => ({
    experiment: 'd', setting, seed, epochs: 1, trainLoss: [1], diverged: false, seconds: 1, validation: { AP: ap, AP50: ap, AP75: ap, AR100: ap }, test: { AP: ap, AP50: ap, AP75: ap, AR100: ap },
  });
  const experiment = {
    id: 'd', title: 'd', task: 'detection' as const, kind: 'detection' as const, description: '', training: '', metrics: DETECTION_METRICS, grid, seeds: [0, 1],
    runs: [run(grid[0]!, 0, 0.1), run(grid[1]!, 0, 0.2), run(grid[0]!, 1, 0.1), run(grid[1]!, 1, 0.25)], baseline: 'γ=0 α=0.75',
  };
  const summary = summariseExperiment(experiment);
  assert.equal(resultsTable(experiment, summary).header[3], 'Δ AP vs baseline');
  assert.match(tableLegend(experiment, summary), /minus the baseline's \(γ=0 α=0\.75\) on the same seed/);
  assert.equal(resultsTable({ ...experiment, baseline: undefined }, summary).header[3], 'Δ AP vs CE');
});
