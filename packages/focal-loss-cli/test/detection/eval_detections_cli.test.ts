/** `focal-loss eval-detections` through the CLI, as a user runs it. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../cli/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fl-eval-det-'));
const file = (name: string, value: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
};
const small = [0, 0, 10, 10];
// Three objects (one per image) found exactly, and a false positive ranked first: AP 0.75 (see coco_eval.test.ts).
const gt = file('gt.json', {
  images: [{ id: 1 }, { id: 2 }, { id: 3 }],
  categories: [{ id: 1, name: 'digit' }],
  annotations: [1, 2, 3].map((i) => ({ id: i, image_id: i, category_id: 1, bbox: small, area: 100, iscrowd: 0 })),
});
const dt = file('dt.json', [{ image_id: 1, category_id: 1, bbox: [50, 50, 10, 10], score: 0.99 }, ...[1, 2, 3].map((i) => ({ image_id: i, category_id: 1, bbox: small, score: 0.9 }))]);

test('eval-detections prints the 12 summary lines', () => {
  const r = runCli(['eval-detections', '--gt', gt, '--dt', dt]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 12);
  assert.equal(lines[0], ' Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.750');
  assert.equal(lines[6], ' Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ] = 0.667');
  assert.equal(lines[11], ' Average Recall     (AR) @[ IoU=0.50:0.95 | area= large | maxDets=100 ] = -1.000');
});

test('eval-detections --json prints one JSON line with the 12 named numbers', () => {
  const r = runCli(['eval-detections', '--json', '--gt', gt, '--dt', dt]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trimEnd().split('\n').length, 1);
  const json = JSON.parse(r.stdout) as Record<string, number>;
  assert.deepEqual(Object.keys(json), ['AP', 'AP50', 'AP75', 'APs', 'APm', 'APl', 'AR1', 'AR10', 'AR100', 'ARs', 'ARm', 'ARl']);
  assert.equal(json.AP, 0.75);
  assert.equal(json.APl, -1);
});

test('eval-detections --help and the main --help', () => {
  const r = runCli(['eval-detections', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^Usage: focal-loss eval-detections --gt GT\.json --dt DETS\.json \[--json\]/);
  const main = runCli(['--help']);
  assert.match(main.stdout, /^Usage: focal-loss compare \[options\]\n {7}focal-loss eval-detections/);
});

const gtWith = (annotation: Record<string, unknown>) =>
  file(`gt-${Math.random().toString(36).slice(2)}.json`, { images: [{ id: 1 }], categories: [{ id: 1 }], annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: small, area: 100, iscrowd: 0, ...annotation }] });
const dtWith = (detection: Record<string, unknown>) => file(`dt-${Math.random().toString(36).slice(2)}.json`, [{ image_id: 1, category_id: 1, bbox: small, score: 0.5, ...detection }]);

const cases: [string, string[], RegExp][] = [
  ['missing gt file', ['--gt', join(dir, 'nope.json'), '--dt', dt], /cannot read --gt .*nope\.json: no such file/],
  ['missing dt file', ['--gt', gt, '--dt', join(dir, 'nope.json')], /cannot read --dt .*nope\.json: no such file/],
  ['malformed gt JSON', ['--gt', file('bad.json', '{"images": ['), '--dt', dt], /--gt .*bad\.json is not valid JSON/],
  ['malformed dt JSON', ['--gt', gt, '--dt', file('bad2.json', '[{"image_id": 1,]')], /--dt .*bad2\.json is not valid JSON/],
  ['unknown image id', ['--gt', gt, '--dt', dtWith({ image_id: 42 })], /detection 0: image_id 42 is not an image of the ground truth/],
  ['unknown category id', ['--gt', gt, '--dt', dtWith({ category_id: 5 })], /detection 0: category_id 5 is not a category of the ground truth/],
  ['negative box size in detections', ['--gt', gt, '--dt', dtWith({ bbox: [1, 1, 4, -2] })], /detection 0: negative box size in bbox \[1,1,4,-2\]/],
  ['negative box size in ground truth', ['--gt', gtWith({ bbox: [0, 0, -3, 4] }), '--dt', dt], /annotation 1: negative box size/],
  ['ground truth without categories', ['--gt', file('nocat.json', { images: [], annotations: [] }), '--dt', dt], /'categories' is missing/],
  ['missing --dt', ['--gt', gt], /--dt DETS\.json is required/],
  ['unknown flag', ['--gt', gt, '--dt', dt, '--iou', '0.5'], /Unknown option '--iou'/],
  ['stray argument', ['--gt', gt, '--dt', dt, 'extra'], /unexpected argument 'extra'/],
];

for (const [name, args, message] of cases) {
  test(`eval-detections bad input exits 2 with one line: ${name}`, () => {
    const r = runCli(['eval-detections', ...args]);
    assert.equal(r.code, 2, `exit code; stderr: ${r.stderr}`);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line: ${r.stderr}`);
    assert.match(lines[0]!, /^focal-loss eval-detections: /);
    assert.match(lines[0]!, message);
    assert.equal(r.stdout, '');
  });
}

test('eval-detections refuses duplicate annotation ids (two COCO files merged without renumbering)', () => {
  const merged = file('merged-gt.json', {
    images: [{ id: 1 }, { id: 2 }],
    categories: [{ id: 1 }],
    annotations: [
      { id: 5, image_id: 1, category_id: 1, bbox: small, area: 100, iscrowd: 0 },
      { id: 5, image_id: 2, category_id: 1, bbox: small, area: 100, iscrowd: 0 },
    ],
  });
  const r = runCli(['eval-detections', '--gt', merged, '--dt', dtWith({})]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^focal-loss eval-detections: .*merged-gt\.json: annotation id 5 appears twice \(annotations\[0\] and annotations\[1\]\)\n$/);
  assert.equal(r.stdout, '');
});
