/**
 * `focal-loss render`: a report written again from an earlier run's results.json keeps the
 * run's numbers and verdicts, says it was rendered later, and the detection ablations get
 * their side-by-side table; bad input exits 2 with one line.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ablationRows, ablationTable } from '../../src/report/ablations.js';
import { runCli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fl-cli-render-'));

test('render writes the report of a results.json again, with the same numbers and verdicts', () => {
  const first = join(dir, 'run');
  const r = runCli(['compare', '--tiny', '--task', 'segmentation', '--backend', 'cpu', '--workers', '1', '--out', first]);
  assert.equal(r.code, 0, r.stderr);
  const again = join(dir, 'again');
  const g = runCli(['render', '--results', join(first, 'results.json'), '--out', again]);
  assert.equal(g.code, 0, g.stderr);
  const before = readFileSync(join(first, 'summary.md'), 'utf8');
  const after = readFileSync(join(again, 'summary.md'), 'utf8');
  // Every line of the run's summary is in the rendered one; the only addition says when and by what it was rendered.
  const added = after.split('\n').filter((line) => !before.split('\n').includes(line));
  assert.equal(added.length, 1, added.join('\n'));
  assert.match(added[0]!, /^Rendered from results\.json on .* by focal-loss-cli \d+\.\d+\.\d+.*; the numbers are the run's\.$/);
  const runJson = JSON.parse(readFileSync(join(first, 'results.json'), 'utf8'));
  const againJson = JSON.parse(readFileSync(join(again, 'results.json'), 'utf8'));
  assert.deepEqual(againJson.summaries, runJson.summaries);
  assert.deepEqual(againJson.experiments, runJson.experiments);
  assert.match(readFileSync(join(again, 'index.html'), 'utf8'), /Rendered from results\.json/);
});

test('the ablations table lists each ablation with its imbalance, both settings and the verdict', () => {
  const meanStd = (mean: number) => ({ mean, std: 0.01 });
  const setting = (label: string, baseline: boolean, ap: number) => ({
    setting: { label },
    baseline,
    test: { AP: meanStd(ap) },
    validation: {},
    deltaToCrossEntropy: meanStd(0),
  });
  const experiment = (id: string, axis: string | undefined, imbalance: number) => ({
    id,
    axis,
    anchorImbalance: imbalance,
    runs: [],
    grid: [],
    metrics: {},
  });
  const summary = (ce: number, fl: number, outcome: string) => ({
    primary: 'AP',
    settings: [setting('γ=0 α=0.75', true, ce), setting('γ=2 α=0.25', false, fl)],
    verdict: { outcome, delta: fl - ce, ci95: [fl - ce - 0.01, fl - ce + 0.01] },
    verdictText: '',
  });
  const result = {
    seeds: [0, 1, 2],
    experiments: [
      experiment('detection-32', undefined, 62),
      experiment('ablation-32', 'reference', 63),
      experiment('ablation-96-a9-1', 'imbalance: 96x96', 967),
    ],
    summaries: [summary(0.3, 0.29, 'no-difference'), summary(0.1, 0.08, 'worse'), summary(0.05, 0.07, 'better')],
  } as never;
  assert.deepEqual(
    ablationRows(result).map((r) => r.id),
    ['ablation-32', 'ablation-96-a9-1'],
    'the main experiment is not an ablation',
  );
  const table = ablationTable(result)!;
  assert.deepEqual(table.rows[1], [
    'ablation-96-a9-1: imbalance: 96x96',
    '1:967',
    '0.050 ± 0.010',
    '0.070 ± 0.010',
    '+0.020 (+0.010 to +0.030)',
    'focal loss better',
  ]);
  assert.equal(table.rows[0]![5], 'focal loss worse');
});

const bad = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
for (const [name, args, message] of [
  ['no --results', ['render'], /--results results\.json is required/],
  ['missing file', ['render', '--results', join(dir, 'nope.json')], /cannot read --results .*nope\.json: no such file/],
  ['malformed JSON', ['render', '--results', bad('broken.json', '{"command": ')], /broken\.json/],
  [
    'not a results.json',
    ['render', '--results', bad('other.json', '{"images": []}')],
    /is not a focal-loss compare results\.json: 'command' is missing/,
  ],
  ['unknown flag', ['render', '--results', 'x.json', '--bogus'], /Unknown option '--bogus'/],
] as [string, string[], RegExp][]) {
  test(`render: bad input exits 2 with one line: ${name}`, () => {
    const r = runCli(args);
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /^focal-loss render: /);
    assert.match(lines[0]!, message);
  });
}
