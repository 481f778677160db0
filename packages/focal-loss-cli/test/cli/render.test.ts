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

test('the ablations table lists every contrast of each ablation with its imbalance, seeds, both scores and the verdict', () => {
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
    seeds: [0, 1, 2],
    runs: [],
    grid: [],
    metrics: {},
  });
  const contrast = (label: string, delta: number, outcome: string) => ({
    setting: label,
    delta,
    ci95: [delta - 0.01, delta + 0.01],
    outcome,
  });
  const summary = (ce: number, others: [string, number, string][]) => ({
    primary: 'AP',
    settings: [setting('γ=0 α=0.75', true, ce), ...others.map(([label, ap]) => setting(label, false, ap))],
    verdict: { outcome: others[0]![2], contrasts: others.map(([label, ap, outcome]) => contrast(label, ap - ce, outcome)) },
    verdictText: '',
  });
  const result = {
    seeds: [0, 1, 2],
    experiments: [
      experiment('detection-40', undefined, 572),
      experiment('imbalance-24', 'imbalance: 24x24', 207),
      experiment('extremes', 'loss', 572),
    ],
    summaries: [
      summary(0.3, [['γ=2 α=0.25', 0.29, 'no-difference']]),
      summary(0.1, [['γ=2 α=0.25', 0.08, 'worse']]),
      summary(0.05, [
        ['γ=0 α=0.99', 0.07, 'better'],
        ['γ=5 α=0.25', 0.01, 'worse'],
      ]),
    ],
  } as never;
  assert.deepEqual(
    ablationRows(result).map((r) => `${r.id} ${r.other.label}`),
    ['imbalance-24 γ=2 α=0.25', 'extremes γ=0 α=0.99', 'extremes γ=5 α=0.25'],
    'the main experiment is not an ablation; an ablation has a row per contrast',
  );
  const table = ablationTable(result)!;
  assert.deepEqual(table.rows[1], [
    'extremes: loss',
    '1:572',
    '3',
    'γ=0 α=0.99',
    '0.070 ± 0.010',
    '0.050 ± 0.010 (γ=0 α=0.75)',
    '+0.020 (+0.010 to +0.030)',
    'better',
  ]);
  assert.equal(table.rows[0]![7], 'worse');
  assert.equal(table.rows[2]![7], 'worse');
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
