import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseCommand } from '../../src/cli/args.js';
import { runCli } from './helpers.js';
import { tempDir, vocXml, writeDetectionSet, writeSegmentationSet } from '../images/fixtures.js';

/** Runs the CLI from source in a child process (its output must not mix with the test runner's). The user's-images runs: tests in test/images. */
async function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runCli(args);
}

test('flags: --images needs its partners; --image-size a multiple of 32', () => {
  const parse = (s: string) => () => parseCommand(['compare', ...s.split(' ')]);
  assert.throws(parse('--task detection --images d'), /needs exactly one of --voc DIR and --coco FILE\.json/);
  assert.throws(parse('--task detection --images d --voc v --coco c'), /needs exactly one of/);
  assert.throws(parse('--task segmentation --images d'), /--task segmentation --images needs --masks DIR/);
  assert.throws(parse('--task segmentation --images d --masks m --voc v'), /--voc is for --task detection/);
  assert.throws(parse('--task detection --voc v'), /--voc needs --images DIR/);
  assert.throws(parse('--task classification --images d'), /--images works with --task detection or --task segmentation/);
  assert.throws(
    parse('--task detection --images d --voc v --image-size 100'),
    /--image-size '100' is not a multiple of 32 from 32 to 1024/,
  );
  const ok = parseCommand([
    'compare',
    '--task',
    'segmentation',
    '--images',
    'd',
    '--masks',
    'm',
    '--ignore-index',
    '0',
    '--image-size',
    '64',
    '--epochs',
    '3',
  ]);
  assert.ok(!ok.help && !('version' in ok && ok.version));
  if (!ok.help && !ok.version)
    assert.deepEqual(
      [ok.options.images, ok.options.masks, ok.options.ignoreIndex, ok.options.imageSize, ok.options.epochs],
      ['d', 'm', 0, 64, 3],
    );
});

test('bad input: exit 2, one line naming the file, nothing written', async () => {
  const { dir, done } = tempDir();
  try {
    const set = writeDetectionSet(dir);
    writeFileSync(join(set.voc, 'img-3.xml'), vocXml('img-3.jpg', 24, 16, [{ name: 'cat', box: [9, 4, 3, 8] }]));
    const out = join(dir, 'report');
    const r = await cli([
      'compare',
      '--tiny',
      '--workers',
      '1',
      '--task',
      'detection',
      '--images',
      set.images,
      '--voc',
      set.voc,
      '--out',
      out,
    ]);
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(
      lines.at(-1),
      `focal-loss compare: ${join(set.voc, 'img-3.xml')}: object 1 (cat): box [9, 4, 3, 8] has zero or negative size (xmax must exceed xmin, ymax ymin)`,
    );
    assert.equal(existsSync(out), false);
    assert.deepEqual(readdirSync(dir).sort(), ['coco.json', 'images', 'voc']);
  } finally {
    done();
  }
});

test('compare --tiny on a VOC folder and on image/mask folders: a report with the data summary and the trivial baselines', async () => {
  const { dir, done } = tempDir();
  try {
    const det = writeDetectionSet(join(dir, 'det'), 9);
    const out = join(dir, 'det-report');
    const r = await cli([
      'compare',
      '--tiny',
      '--workers',
      '1',
      '--seeds',
      '1',
      '--task',
      'detection',
      '--images',
      det.images,
      '--coco',
      det.coco,
      '--image-size',
      '64',
      '--out',
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /images-detection: 9 images \(7 train \/ 1 validation \/ 1 test\), colour, 24x16, letterboxed to 64x64; COCO annotations\./,
    );
    assert.match(r.stderr, /Trivial baselines \(no learning\) on test AP50: mean training box [0-9.]+, whole image [0-9.]+/);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    const experiment = results.experiments[0];
    assert.equal(experiment.id, 'images-detection');
    assert.deepEqual(Object.keys(experiment.chance.baselines), ['mean training box', 'whole image']);
    assert.deepEqual(experiment.metrics.names.slice(-2), ['AP[cat]', 'AP[dog]']);
    assert.equal(experiment.examples.images.length, 1);
    assert.ok(Number.isFinite(experiment.runs[0].test['AP[cat]']));

    const seg = writeSegmentationSet(join(dir, 'seg'), 6);
    const segOut = join(dir, 'seg-report');
    const s = await cli([
      'compare',
      '--tiny',
      '--workers',
      '1',
      '--seeds',
      '1',
      '--task',
      'segmentation',
      '--images',
      seg.images,
      '--masks',
      seg.masks,
      '--image-size',
      '32',
      '--out',
      segOut,
    ]);
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stderr, /binary segmentation, 255 = foreground/);
    const segResults = JSON.parse(readFileSync(join(segOut, 'results.json'), 'utf8'));
    const e = segResults.experiments[0];
    assert.equal(e.metrics.primary, 'iou');
    assert.deepEqual(Object.keys(e.chance.baselines), ['all background', 'all foreground']);
    assert.equal(e.chance.baselines['all background'], 0);
    assert.ok(e.runs.every((run: { test: Record<string, number> }) => run.test['IoU[background (0)]'] >= 0));
  } finally {
    done();
  }
});

test('export-scenes: refuses a non-empty --out (exit 2, nothing written); writes into an empty one', () => {
  const { dir, done } = tempDir();
  try {
    const out = join(dir, 'mine');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'keep me');
    const r = runCli(['export-scenes', '--task', 'segmentation', '--out', out, '--count', '4']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr.trim(), /^focal-loss export-scenes: --out .*mine is a non-empty directory; export-scenes never overwrites files/);
    assert.deepEqual(readdirSync(out), ['notes.txt']);
    assert.deepEqual(readdirSync(dir), ['mine']);
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const ok = runCli(['export-scenes', '--task', 'detection', '--out', empty, '--count', '4']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(readdirSync(empty).sort(), ['annotations.json', 'images', 'split.json', 'voc']);
    assert.equal(readdirSync(join(empty, 'images')).length, 6);
    assert.equal(existsSync(join(empty, 'voc', 'train-00001.xml')), true);
  } finally {
    done();
  }
});
