import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Rng } from '../../src/data/rng.js';
import { runCli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fl-cli-e2e-'));

interface Summary {
  id: string;
  selected: { label: string };
  verdictText: string;
  verdict: {
    setting: string;
    against: string;
    outcome: string;
    delta: number;
    ci95: [number, number] | null;
    seeds: number;
    settings: number;
    contrasts: { setting: string; outcome: string }[];
  };
}

interface Results {
  provenance: { commit: string | null; dirty: boolean | null; packages: Record<string, string> };
  environment: { workers?: number };
  options: { confirm?: number };
  seeds: number[];
  experiments: {
    id: string;
    grid: { label: string }[];
    runs: { setting: { label: string }; seed: number; test: Record<string, number>; trainLoss: number[] }[];
  }[];
  summaries: Summary[];
  confirmation?: {
    seeds: number[];
    experiments: { id: string; grid: { label: string }[]; runs: { setting: { label: string }; seed: number }[] }[];
    summaries: Summary[];
  };
}

/** The `--confirm` phase of a report: the verdict's setting and the baseline on fresh seeds, decided on those alone, in every file. */
function checkConfirmation(out: string, results: Results, count: number, stdout: string): void {
  const c = results.confirmation!;
  assert.ok(c, 'results.json has the confirmation phase');
  assert.equal(results.options.confirm, count);
  const last = Math.max(...results.seeds);
  assert.deepEqual(
    c.seeds,
    Array.from({ length: count }, (_, i) => last + 1 + i),
    'fresh seeds, none used in the first phase',
  );
  assert.deepEqual(
    c.experiments.map((e) => e.id),
    results.summaries.map((s) => s.id),
  );
  for (const [i, e] of c.experiments.entries()) {
    const first = results.summaries[i]!.verdict;
    assert.deepEqual(
      e.grid.map((g) => g.label),
      [first.against, first.setting],
    );
    assert.equal(e.runs.length, 2 * count);
    assert.ok(e.runs.every((r) => c.seeds.includes(r.seed)));
    const v = c.summaries[i]!.verdict;
    assert.deepEqual([v.setting, v.against, v.settings, v.seeds], [first.setting, first.against, 2, count]);
    assert.match(c.summaries[i]!.verdictText, new RegExp(`^Confirmation on fresh seeds ${c.seeds.join(', ')}: `));
    assert.doesNotMatch(c.summaries[i]!.verdictText, /That Δ is biased upward/);
  }
  const summary = readFileSync(join(out, 'summary.md'), 'utf8');
  assert.match(summary, new RegExp(`### Confirmation: the selected setting and the baseline on fresh seeds ${c.seeds.join(', ')}`));
  assert.equal((summary.match(/\*\*Confirmation:\*\* Confirmation on fresh seeds/g) ?? []).length, c.experiments.length);
  assert.match(readFileSync(join(out, 'index.html'), 'utf8'), /<h3>Confirmation: the selected setting and the baseline/);
  assert.match(stdout, new RegExp(`Confirmation on fresh seeds ${c.seeds.join(', ')}\n`));
}

function checkReport(out: string, experiments: number, baseline = 'CE'): Results {
  assert.deepEqual(readdirSync(out).sort(), ['.focal-loss-report.json', 'index.html', 'results.json', 'summary.md']);
  const html = readFileSync(join(out, 'index.html'), 'utf8');
  assert.ok((html.match(/<svg/g) ?? []).length >= 3 * experiments, 'plots in index.html');
  assert.ok(!/<script/i.test(html), 'no scripts: self-contained static page');
  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
  assert.equal(results.experiments.length, experiments);
  for (const e of results.experiments) {
    // Every (setting, seed) is reported.
    assert.equal(e.runs.length, e.grid.length * results.seeds.length);
    assert.equal(e.grid[0]!.label, baseline);
  }
  // Which code made these numbers: this checkout's commit, and the package versions.
  assert.match(results.provenance.commit ?? '', /^[0-9a-f]{40}$/);
  assert.equal(typeof results.provenance.dirty, 'boolean');
  assert.match(results.provenance.packages['focal-loss']!, /^\d+\.\d+\.\d+/);
  for (const [i, s] of results.summaries.entries()) {
    assert.ok(['better', 'worse', 'no-difference'].includes(s.verdict.outcome), JSON.stringify(s.verdict));
    assert.equal(s.verdict.seeds, results.seeds.length);
    assert.ok(s.verdict.ci95 === null || s.verdict.ci95[0] <= s.verdict.delta, `experiment ${i}`);
  }
  const summary = readFileSync(join(out, 'summary.md'), 'utf8');
  assert.match(summary, /\| setting \|/);
  assert.match(summary, /\*\*Verdict:\*\*/);
  return results;
}

test('compare --tiny runs the default task, detection, on worker threads and in the main thread alike', () => {
  const threads = join(dir, 'detection-threads');
  // On the threads, with the --confirm phase queued on them too.
  const r = runCli(['compare', '--tiny', '--workers', '2', '--confirm', '2', '--out', threads]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Detection of MNIST digits in 32x32 scenes \(COCO AP\)/);
  assert.match(r.stderr, /\[ ?\d\/8\] detection-32 γ=\S+ α=\S+ seed \d: .*test AP/);
  const onThreads = checkReport(threads, 1, 'γ=0 α=0.75');
  assert.equal(onThreads.environment.workers, 2);
  checkConfirmation(threads, onThreads, 2, r.stdout);
  const single = join(dir, 'detection-main');
  const s = runCli(['compare', '--tiny', '--workers', '1', '--out', single]);
  assert.equal(s.code, 0, s.stderr);
  const inMain = checkReport(single, 1, 'γ=0 α=0.75');
  assert.equal(inMain.environment.workers, 1);
  assert.equal(inMain.confirmation, undefined);
  // Same seeds, same numbers, wherever the runs trained.
  const numbers = (res: Results) => res.experiments[0]!.runs.map((run) => [run.setting.label, run.seed, run.trainLoss, run.test]);
  assert.deepEqual(numbers(onThreads), numbers(inMain));
  assert.deepEqual(
    onThreads.summaries.map((x) => x.verdictText),
    inMain.summaries.map((x) => x.verdictText),
  );
});

test('compare --tiny --task classification on the built-in MNIST tasks writes a full report', () => {
  const out = join(dir, 'builtin');
  const r = runCli(['compare', '--tiny', '--task', 'classification', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /MNIST 8 vs rest/);
  assert.match(r.stdout, /MNIST long-tailed/);
  assert.match(r.stdout, / \* /, 'selected setting marked');
  assert.match(r.stderr, /\[ ?1\/16\] mnist-8-vs-rest CE seed 0: .*val AP/, 'plain progress lines without a TTY');
  const results = checkReport(out, 2);
  // The tiny grid's 2 seeds: a preview; the binary verdict says at which class prior test AP is measured.
  assert.ok(results.summaries.every((s) => /With 2 seeds this is a preview, not a test/.test(s.verdictText)));
  assert.match(
    results.summaries[0]!.verdictText,
    /On test AP \(measured on the test set at its own class prior, \d+ % positives, not at the training prior of 0\.99 %/,
  );
  // Every setting against cross-entropy has its word in the table and in results.json.
  assert.equal(results.summaries[0]!.verdict.contrasts.length, results.experiments[0]!.grid.length - 1);
  assert.match(r.stdout, /Δ AP vs CE \(95 % interval\)\s+vs CE/);
});

test('compare --tiny --confirm 2: the selected setting and the baseline trained again on fresh seeds, in the report beside the first phase', () => {
  const out = join(dir, 'confirm');
  const r = runCli(['compare', '--tiny', '--task', 'classification', '--confirm', '2', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /= 24 runs/, '16 runs, then 2 experiments x 2 settings x 2 fresh seeds');
  assert.match(r.stderr, /\[24\/24\] mnist-long-tail .+ seed 3: /);
  assert.match(r.stderr, /mnist-8-vs-rest, confirmation: CE and \S+ \S+ on fresh seeds 2, 3/);
  const results = checkReport(out, 2);
  checkConfirmation(out, results, 2, r.stdout);
  // render keeps both phases.
  const again = join(dir, 'confirm-rendered');
  const g = runCli(['render', '--results', join(out, 'results.json'), '--out', again]);
  assert.equal(g.code, 0, g.stderr);
  const rendered = JSON.parse(readFileSync(join(again, 'results.json'), 'utf8')) as Results;
  assert.deepEqual(rendered.confirmation, results.confirmation);
  assert.match(readFileSync(join(again, 'summary.md'), 'utf8'), /\*\*Confirmation:\*\* Confirmation on fresh seeds 2, 3/);
});

test('compare --tiny on a user CSV with --ignore and --positive', () => {
  const rng = new Rng(5);
  const lines = ['f1,f2,f3,name,cls'];
  for (let i = 0; i < 400; i++) {
    const positive = i % 20 === 0;
    const a = rng.normal() + (positive ? 2 : 0);
    lines.push(
      `${a.toFixed(3)},${rng.normal().toFixed(3)},${(rng.normal() - (positive ? 1 : 0)).toFixed(3)},row${i},${positive ? 'fraud' : 'ok'}`,
    );
  }
  const csv = join(dir, 'data.csv');
  writeFileSync(csv, lines.join('\n') + '\n');
  const out = join(dir, 'csv-report');
  const r = runCli([
    'compare',
    '--tiny',
    '--data',
    csv,
    '--label',
    'cls',
    '--positive',
    'fraud',
    '--ignore',
    'name',
    '--gamma',
    '0,2',
    '--alpha',
    '0.75',
    '--seeds',
    '3',
    '--out',
    out,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const results = checkReport(out, 1);
  assert.deepEqual(
    results.experiments[0]!.grid.map((g) => g.label),
    ['CE', 'γ=0 α=0.75', 'γ=2 α=0.75'],
  );
  assert.deepEqual(results.seeds, [0, 1, 2]);
  // The signal is easy: cross-entropy should rank well above chance (5 % positives).
  const ce = results.experiments[0]!.runs.filter((run) => run.setting.label === 'CE');
  assert.ok(
    ce.every((run) => run.test.averagePrecision! > 0.3),
    JSON.stringify(ce.map((run) => run.test.averagePrecision)),
  );
});

test('compare --tiny --task segmentation trains the FCN and reports IoU', () => {
  const out = join(dir, 'seg');
  const r = runCli(['compare', '--tiny', '--task', 'segmentation', '--backend', 'cpu', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Segmentation of digit 8 in 32x32 scenes/);
  const results = checkReport(out, 1);
  assert.ok(results.experiments[0]!.runs.every((run) => Number.isFinite(run.test.iou) && run.trainLoss.every(Number.isFinite)));
  // The picture of test scenes with true and predicted masks.
  const html = readFileSync(join(out, 'index.html'), 'utf8');
  assert.match(html, /test scenes with the true mask and the masks predicted/);
  assert.ok((html.match(/data:image\/png;base64,/g) ?? []).length >= 8 * 2);
});
