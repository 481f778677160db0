/** `focal-loss eval-detections` through the CLI, as a user runs it. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
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
const dt = file('dt.json', [
  { image_id: 1, category_id: 1, bbox: [50, 50, 10, 10], score: 0.99 },
  ...[1, 2, 3].map((i) => ({ image_id: i, category_id: 1, bbox: small, score: 0.9 })),
]);

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
  file(`gt-${Math.random().toString(36).slice(2)}.json`, {
    images: [{ id: 1 }],
    categories: [{ id: 1 }],
    annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: small, area: 100, iscrowd: 0, ...annotation }],
  });
const dtWith = (detection: Record<string, unknown>) =>
  file(`dt-${Math.random().toString(36).slice(2)}.json`, [{ image_id: 1, category_id: 1, bbox: small, score: 0.5, ...detection }]);

const cases: [string, string[], RegExp][] = [
  ['missing gt file', ['--gt', join(dir, 'nope.json'), '--dt', dt], /cannot read --gt .*nope\.json: no such file/],
  ['missing dt file', ['--gt', gt, '--dt', join(dir, 'nope.json')], /cannot read --dt .*nope\.json: no such file/],
  ['malformed gt JSON', ['--gt', file('bad.json', '{"images": ['), '--dt', dt], /--gt .*bad\.json is not valid JSON/],
  ['malformed dt JSON', ['--gt', gt, '--dt', file('bad2.json', '[{"image_id": 1,]')], /--dt .*bad2\.json is not valid JSON/],
  ['unknown image id', ['--gt', gt, '--dt', dtWith({ image_id: 42 })], /detection 0: image_id 42 is not an image of the ground truth/],
  [
    'unknown category id',
    ['--gt', gt, '--dt', dtWith({ category_id: 5 })],
    /detection 0: category_id 5 is not a category of the ground truth/,
  ],
  [
    'negative box size in detections',
    ['--gt', gt, '--dt', dtWith({ bbox: [1, 1, 4, -2] })],
    /detection 0: negative box size in bbox \[1,1,4,-2\]/,
  ],
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
  assert.match(
    r.stderr,
    /^focal-loss eval-detections: .*merged-gt\.json: annotation id 5 appears twice \(annotations\[0\] and annotations\[1\]\)\n$/,
  );
  assert.equal(r.stdout, '');
});

/** The ground truth and detections above with string ids (pycocotools accepts them): "img-1".., "digit". */
const stringIds = {
  gt: {
    images: [{ id: 'img-1' }, { id: 'img-2' }, { id: 'img-3' }],
    categories: [{ id: 'digit' }],
    annotations: [1, 2, 3].map((i) => ({ id: `a${i}`, image_id: `img-${i}`, category_id: 'digit', bbox: small, area: 100, iscrowd: 0 })),
  },
  dt: [
    { image_id: 'img-1', category_id: 'digit', bbox: [50, 50, 10, 10], score: 0.99 },
    ...[1, 2, 3].map((i) => ({ image_id: `img-${i}`, category_id: 'digit', bbox: small, score: 0.9 })),
  ],
};
const apOf = (args: string[]) => {
  const r = runCli(['eval-detections', '--json', ...args]);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { AP: number }).AP;
};
const gtText = JSON.stringify({
  images: [{ id: 1 }, { id: 2 }, { id: 3 }],
  categories: [{ id: 1, name: 'digit' }],
  annotations: [1, 2, 3].map((i) => ({ id: i, image_id: i, category_id: 1, bbox: small, area: 100, iscrowd: 0 })),
});
const raw = (name: string, bytes: Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

test('eval-detections reads files with a UTF-8 or UTF-16 byte-order mark (as Windows editors save them)', () => {
  assert.equal(apOf(['--gt', raw('bom8.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(gtText)])), '--dt', dt]), 0.75);
  assert.equal(
    apOf(['--gt', raw('bom16le.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(gtText, 'utf16le')])), '--dt', dt]),
    0.75,
  );
  assert.equal(
    apOf(['--gt', raw('bom16be.json', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(gtText, 'utf16le').swap16()])), '--dt', dt]),
    0.75,
  );
});

test('eval-detections reads gzip-compressed JSON, named .json.gz or not', () => {
  const dtText = readFileSync(dt);
  assert.equal(apOf(['--gt', raw('gt.json.gz', gzipSync(gtText)), '--dt', raw('dt.json.gz', gzipSync(dtText))]), 0.75);
  assert.equal(apOf(['--gt', raw('gt-compressed.json', gzipSync(gtText)), '--dt', dt]), 0.75);
});

test('eval-detections accepts string ids, as pycocotools does', () => {
  assert.equal(apOf(['--gt', file('gt-strings.json', stringIds.gt), '--dt', file('dt-strings.json', stringIds.dt)]), 0.75);
});

test('a file too long for a JavaScript string is refused up front, with the limit', () => {
  // Sparse: 600 MiB of nothing on disk; it is refused from its size before any byte is read.
  const huge = join(dir, 'huge.json');
  writeFileSync(huge, '');
  truncateSync(huge, 600 * 2 ** 20);
  const r = runCli(['eval-detections', '--gt', huge, '--dt', dt]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /^focal-loss eval-detections: --gt .*huge\.json is 600 MiB; JSON files are read up to 512 MiB \(the longest string Node\.js holds\); bbox evaluation does not use 'segmentation': drop it, e\.g\. jq -c 'del\(\.annotations\[\]\.segmentation\)'\n$/,
  );
});

const fileErrors: [string, string[], RegExp][] = [
  [
    'corrupt gzip',
    ['--gt', raw('cut.json.gz', gzipSync(gtText).subarray(0, 20)), '--dt', dt],
    /cannot decompress --gt .*cut\.json\.gz \(gzip\): unexpected end of file/,
  ],
  [
    'zip archive',
    ['--gt', raw('gt.zip', Buffer.from('PK\x03\x04\x14\x00\x00\x00binary', 'latin1')), '--dt', dt],
    /--gt .*gt\.zip is a zip archive, not JSON; unpack it first/,
  ],
  [
    'binary file',
    ['--gt', raw('image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xd8, 0x00, 0x01])), '--dt', dt],
    /--gt .*image\.png is not UTF-8 text/,
  ],
  [
    'control characters in malformed JSON',
    ['--gt', raw('ctl.json', Buffer.from('\x01\x02{"a"\x1b[31m')), '--dt', dt],
    /--gt .*ctl\.json is not valid JSON: unexpected character U\+0001 at line 1, column 1/,
  ],
  [
    'ids beyond 2^53',
    [
      '--gt',
      file(
        'huge-ids.json',
        gtText
          .replace('"id":1,"image_id"', '"id":9007199254740993,"image_id"')
          .replace('"id":2,"image_id"', '"id":9007199254740992,"image_id"'),
      ),
      '--dt',
      dt,
    ],
    /annotations\[0\]\.id is 2\^53 or more \(reads as 9007199254740992\): ids that large are not exact in JSON readers; renumber them below 2\^53 or write them as strings/,
  ],
  [
    'string id against number ids',
    ['--gt', gt, '--dt', dtWith({ image_id: '1' })],
    /detection 0: image_id "1" is not an image of the ground truth \(its image ids are numbers\)/,
  ],
  [
    'mixed id types',
    ['--gt', file('mixed.json', { images: [{ id: 1 }, { id: 'b' }], categories: [{ id: 1 }], annotations: [] }), '--dt', dt],
    /images mix number and string ids \(images\[0\]\.id 1, images\[1\]\.id "b"\)/,
  ],
];
for (const [name, args, message] of fileErrors) {
  test(`eval-detections file problems exit 2 with one printable line: ${name}`, () => {
    const r = runCli(['eval-detections', ...args]);
    assert.equal(r.code, 2, `exit code; stderr: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^focal-loss eval-detections: /);
    assert.doesNotMatch(r.stderr, /[\x00-\x08\x0b-\x1f\x7f\ufeff\ufffd]/u, 'no invisible or binary characters');
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
  });
}

test('--help documents compressed files, the size limit and the ids', () => {
  const r = runCli(['eval-detections', '--help']);
  assert.match(r.stdout, /\.json\.gz/);
  assert.match(r.stdout, /512 MiB/);
  assert.match(r.stdout, /ids: numbers below 2\^53 or strings/);
});
