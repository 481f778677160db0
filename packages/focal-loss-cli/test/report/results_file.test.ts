/**
 * results.json read back through its one description (src/report/results_file.ts): every
 * published file and every file compare writes fits it and reads back unchanged; an edited
 * or foreign file is refused with the path of its first bad field.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readJsonFile } from '../../src/cli/json_file.js';
import { DataError } from '../../src/data/errors.js';
import { reviveResult } from '../../src/report/results_file.js';
import { packageDir, runCli } from '../cli/helpers.js';

const published = join(packageDir, 'results');
const read = (path: string) => readJsonFile(path, '--results') as Record<string, unknown>;
/** What the report writer does to numbers (src/report/index.ts): NaN and infinities become null. */
const asWritten = (value: unknown) =>
  JSON.parse(JSON.stringify(value, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));

test('every published results.json fits the description and reads back unchanged', () => {
  const dirs = readdirSync(published);
  assert.ok(dirs.length >= 4, dirs.join());
  for (const dir of dirs) {
    const path = join(published, dir, 'results.json');
    const raw = read(path);
    const result = reviveResult(raw, path);
    assert.deepEqual(asWritten(result), raw, path);
  }
});

test('the results.json that compare --tiny writes fits the description, for every task', () => {
  const out = mkdtempSync(join(tmpdir(), 'fl-results-file-'));
  for (const task of ['classification', 'segmentation', 'detection']) {
    const dir = join(out, task);
    const r = runCli(['compare', '--tiny', '--task', task, '--backend', 'cpu', '--workers', '1', '--out', dir]);
    assert.equal(r.code, 0, r.stderr);
    const path = join(dir, 'results.json');
    const raw = read(path);
    assert.deepEqual(asWritten(reviveResult(raw, path)), raw, task);
  }
});

/** The small published detection run, changed by `edit`. */
function edited(edit: (r: any) => void): unknown {
  const raw = read(join(published, 'detection-quick-5seeds', 'results.json'));
  edit(raw);
  return raw;
}
const refused = (raw: unknown, message: RegExp) =>
  assert.throws(
    () => reviveResult(raw, 'r.json'),
    (e: unknown) =>
      e instanceof DataError &&
      /^r\.json is not a focal-loss compare results\.json: /.test(e.message) &&
      message.test(e.message) &&
      !e.message.includes('\n'),
    String(message),
  );

test('an edited or foreign results.json is refused with the path of its first bad field', () => {
  const cases: [(r: any) => void, RegExp][] = [
    // The cases reported against the old reader: each was a TypeError (exit 1) or a meaningless report (exit 0).
    [
      (r) => (r.experiments[0].kind = 'foo'),
      /'experiments\[0\]\.kind' is "foo", not one of 'binary', 'multiclass', 'segmentation', 'detection'$/,
    ],
    [(r) => (r.provenance = {}), /'provenance\.commit' is missing$/],
    [(r) => (r.seconds = '12'), /'seconds' is "12", not a number$/],
    [(r) => (r.experiments[0].runs = []), /'experiments\[0\]\.runs' is an empty list$/],
    [(r) => (r.experiments[0].metrics = {}), /'experiments\[0\]\.metrics\.primary' is missing$/],
    [(r) => (r.experiments = []), /'experiments' is an empty list$/],
    // Deeper fields and the rules across fields.
    [
      (r) => (r.experiments[0].runs[3].trainLoss[2] = 'x'),
      /'experiments\[0\]\.runs\[3\]\.trainLoss\[2\]' is "x", not a number \(or null for NaN\)$/,
    ],
    [(r) => (r.seconds = null), /'seconds' is null, not a number$/],
    [
      (r) => (r.summaries[0].verdict.outcome = 'maybe'),
      /'summaries\[0\]\.verdict\.outcome' is "maybe", not one of 'better', 'worse', 'no-difference'$/,
    ],
    [(r) => r.summaries.push(r.summaries[0]), /'summaries' has 2 entries for 1 experiments$/],
    [(r) => (r.summaries[0].id = 'other'), /'summaries\[0\]\.id' 'other' is not the id of experiment 'detection-32' at the same position$/],
    [(r) => r.summaries[0].settings.pop(), /'summaries\[0\]\.settings' are not the experiment's grid \(γ=0 α=0\.75, γ=2 α=0\.25\)$/],
    [
      (r) => (r.experiments[0].runs[1].setting.label = 'γ=9'),
      /'experiments\[0\]\.runs\[1\]\.setting\.label' 'γ=9' is not a setting of 'grid'$/,
    ],
    [
      (r) => (r.experiments[0].task = 'classification'),
      /'experiments\[0\]\.kind' is 'detection', which is not a kind of the classification task \(binary or multiclass\)$/,
    ],
    [(r) => (r.experiments[0].metrics.primary = 'mAP'), /'experiments\[0\]\.metrics\.primary' 'mAP' is not one of 'metrics\.names'$/],
    [(r) => (r.options.backend = 'webgl\ufeff'), /'options\.backend' is "webglU\+FEFF", not one of 'cpu', 'wasm'$/],
  ];
  for (const [edit, message] of cases) refused(edited(edit), message);
  refused([], /the whole file is an empty list, not an object$/);
  refused({ images: [] }, /'command' is missing$/);
});

test('numbers that were NaN (null in the file) read back as NaN wherever a computed number is expected', () => {
  const result = reviveResult(
    edited((r) => {
      const run = r.experiments[0].runs[0];
      run.trainLoss[1] = null;
      run.test.AP = null;
      run.curves.lossCdf[0].positive[0] = null;
      r.experiments[0].anchorImbalance = null;
      r.summaries[0].settings[0].test.AP.mean = null;
      r.summaries[0].settings[1].deltaToCrossEntropy = { mean: null, std: null };
      r.summaries[0].verdict.delta = null;
      r.summaries[0].verdict.differenceSd = null;
    }),
    'r.json',
  );
  const [experiment] = result.experiments;
  const [summary] = result.summaries;
  const nan = [
    experiment!.runs[0]!.trainLoss[1],
    experiment!.runs[0]!.test.AP,
    experiment!.runs[0]!.curves!.lossCdf![0]!.positive[0],
    experiment!.anchorImbalance,
    summary!.settings[0]!.test.AP!.mean,
    summary!.settings[1]!.deltaToCrossEntropy.mean,
    summary!.verdict!.delta,
    summary!.verdict!.differenceSd,
  ];
  assert.deepEqual(
    nan.map(Number.isNaN),
    nan.map(() => true),
  );
  // Where null means "none" it stays null: cross-entropy has no α.
  const ce = reviveResult(read(join(published, 'segmentation-quick-5seeds', 'results.json')), 'r.json').experiments[0]!.grid[0]!;
  assert.deepEqual([ce.label, ce.alpha], ['CE', null]);
});

/**
 * A results.json as compare wrote it before its verdicts went through focal-loss-cli/stats'
 * decide: each verdict one pair with `comparisons`, `seedSd`, `testSd` (the bootstrap sd of the
 * seed-mean difference) and `seedsNeeded`, no contrasts. Made from a current file.
 */
function legacy(raw: any, testSd: number): any {
  for (const summary of raw.summaries)
    for (const key of ['verdict', 'focalVerdict']) {
      const v = summary[key];
      if (!v) continue;
      summary[key] = {
        setting: v.setting,
        against: v.against,
        metric: v.metric,
        outcome: v.outcome,
        delta: v.delta,
        ci95: v.ci95,
        seeds: v.seeds,
        comparisons: v.settings - 1,
        seedSd: 0.01,
        testSd,
        seedsNeeded: 12,
      };
    }
  raw.summaries[0].verdictText = 'A difference of this size would need about 12 seeds to be detected.';
  return raw;
}

test('a results.json from before the current rule is read, and its verdicts recomputed from its per-seed scores', () => {
  const current = read(join(published, 'detection-quick-5seeds', 'results.json')) as any;
  const old = legacy(structuredClone(current), 0.004);
  const result = reviveResult(old, 'old.json');
  const [summary] = result.summaries;
  // The recorded bootstrap variance of the seed-mean difference stands in for the shared test-image part.
  assert.deepEqual(summary!.verdict!.contrasts[0]!.testVariance, { seedMean: 0.004 ** 2, perSeedMean: 0 });
  assert.equal(summary!.verdict!.contrasts.length, 1);
  assert.doesNotMatch(summary!.verdictText, /would need about/);
  assert.match(summary!.verdictText, /95 % interval .*; 5 seeds\)\. At this budget \(2 settings, 5 seeds/);
  assert.match(
    result.verdictsRecomputed ?? '',
    /^Verdicts recomputed from the per-seed scores in results\.json by the rule of this version/,
  );
  // The per-seed scores and everything else are the file's.
  assert.deepEqual(asWritten(result.experiments), current.experiments);
  // Without a recorded test noise, none is added: the interval is narrower.
  const noNoise = reviveResult(legacy(structuredClone(current), 0), 'old.json').summaries[0]!.verdict!;
  assert.equal(noNoise.contrasts[0]!.testVariance, undefined);
  assert.ok(noNoise.ci95![1] - noNoise.ci95![0] < summary!.verdict!.ci95![1] - summary!.verdict!.ci95![0]);
  // A bad field of an old file is named like any other.
  const broken = legacy(structuredClone(current), 0.004);
  broken.summaries[0].verdict.comparisons = 'all';
  refused(broken, /'summaries\[0\]\.verdict\.comparisons' is "all", not a whole number >= 1$/);
});

test('the ablation axis of runs made before results.json recorded it comes from the plan of the experiment id', () => {
  const raw = read(join(published, 'detection-full-3seeds', 'results.json'));
  const axes = (raw.experiments as { axis?: string }[]).map((e) => e.axis);
  for (const e of raw.experiments as { axis?: string }[]) delete e.axis;
  const result = reviveResult(raw, 'r.json');
  assert.deepEqual(
    result.experiments.map((e) => e.axis),
    axes,
  );
  assert.equal(axes[0], undefined, 'the main experiment is not an ablation');
  assert.ok(!('axis' in result.experiments[0]!));
});

test('fields the description does not know are kept (a later version may add some); the parsed input is not changed', () => {
  const raw = edited((r) => {
    r.comment = 'kept';
    r.experiments[0].runs[0].extra = [1, 2];
    r.experiments[0].runs[0].trainLoss[0] = null;
  });
  const before = structuredClone(raw);
  const result = reviveResult(raw, 'r.json') as unknown as { comment: string; experiments: { runs: { extra: number[] }[] }[] };
  assert.equal(result.comment, 'kept');
  assert.deepEqual(result.experiments[0]!.runs[0]!.extra, [1, 2]);
  assert.deepEqual(raw, before);
});

test('render refuses an edited results.json with exit 2 and one line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fl-results-file-render-'));
  for (const [name, edit, message] of [
    ['kind.json', (r: any) => (r.experiments[0].kind = 'foo'), /'experiments\[0\]\.kind' is "foo"/],
    ['provenance.json', (r: any) => (r.provenance = {}), /'provenance\.commit' is missing/],
    ['seconds.json', (r: any) => (r.seconds = '12'), /'seconds' is "12", not a number/],
    ['runs.json', (r: any) => (r.experiments[0].runs = []), /'experiments\[0\]\.runs' is an empty list/],
    ['metrics.json', (r: any) => (r.experiments[0].metrics = {}), /'experiments\[0\]\.metrics\.primary' is missing/],
    ['experiments.json', (r: any) => (r.experiments = []), /'experiments' is an empty list/],
  ] as [string, (r: any) => void, RegExp][]) {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(edited(edit)));
    const r = runCli(['render', '--results', path, '--out', join(dir, `out-${name}`)]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`^focal-loss render: .*${name.replace('.', '\\.')} is not a focal-loss compare results\\.json: `));
    assert.match(r.stderr, message);
  }
});
