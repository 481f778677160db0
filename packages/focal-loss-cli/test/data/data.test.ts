import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classCounts, mnistLongTail, mnistOneVsRest, priorWeights } from '../../src/data/classification.js';
import { loadMnist, parseIdxImages, parseIdxLabels } from '../../src/data/mnist.js';
import { Rng } from '../../src/data/rng.js';
import { foregroundFraction, generateScenes, IGNORE_LABEL, markLabels } from '../../src/data/scenes.js';
import { stratifiedSplit } from '../../src/data/split.js';

test('Rng is deterministic per seed and differs across seeds', () => {
  const a = Array.from({ length: 5 }, () => new Rng(1)).map((r) => r.next());
  assert.equal(new Set(a).size, 1);
  assert.notEqual(new Rng(1).next(), new Rng(2).next());
  assert.deepEqual(new Rng(3).shuffle([1, 2, 3, 4, 5, 6]), new Rng(3).shuffle([1, 2, 3, 4, 5, 6]));
});

test('IDX parsers read headers and reject wrong files', () => {
  const img = new Uint8Array(16 + 2 * 2 * 3);
  new DataView(img.buffer).setUint32(0, 2051);
  new DataView(img.buffer).setUint32(4, 2);
  new DataView(img.buffer).setUint32(8, 2);
  new DataView(img.buffer).setUint32(12, 3);
  const parsed = parseIdxImages(img);
  assert.deepEqual([parsed.count, parsed.rows, parsed.cols, parsed.images.length], [2, 2, 3, 12]);
  assert.throws(() => parseIdxLabels(img), /not an IDX label file/);
  const mnist = loadMnist('test');
  assert.deepEqual([mnist.count, mnist.rows, mnist.cols], [10000, 28, 28]);
});

test('stratified split keeps class shares in every part and is seeded', () => {
  const labels = Int32Array.from({ length: 1000 }, (_, i) => (i < 50 ? 1 : 0));
  const parts = stratifiedSplit(labels, 2, [0.6, 0.2, 0.2], new Rng(7));
  assert.deepEqual(
    parts.map((p) => p.length),
    [600, 200, 200],
  );
  assert.deepEqual(
    parts.map((p) => p.filter((i) => labels[i] === 1).length),
    [30, 10, 10],
  );
  assert.equal(new Set(parts.flat()).size, 1000);
  assert.deepEqual(stratifiedSplit(labels, 2, [0.6, 0.2, 0.2], new Rng(7)), parts);
  assert.throws(
    () => stratifiedSplit(Int32Array.from([0, 0, 0, 0, 0, 1, 1]), 2, [0.6, 0.2, 0.2], new Rng(1), (c) => `'${c}'`),
    /class '1' has 2 rows.*at least 5/,
  );
});

const quickSize = { pool: 2 as const, trainFraction: 0.1, testFraction: 0.2 };

test('digit-vs-rest has 1:100 positives in train and validation and is deterministic', () => {
  const a = mnistOneVsRest(8, 100, quickSize, 3);
  for (const part of [a.train, a.validation]) {
    const [neg, pos] = classCounts(part.y, 2);
    assert.ok(Math.abs(neg! / pos! - 100) < 10, `ratio ${neg}/${pos}`);
  }
  assert.equal(a.featureDim, 196);
  assert.equal(a.train.x.length, a.train.count * 196);
  const b = mnistOneVsRest(8, 100, quickSize, 3);
  assert.deepEqual(b.train.y, a.train.y);
  assert.deepEqual(b.train.x.subarray(0, 500), a.train.x.subarray(0, 500));
  const c = mnistOneVsRest(8, 100, quickSize, 4);
  assert.notDeepEqual(c.train.y, a.train.y);
  // Test weights restore the training prior.
  const w = a.testPriorWeights;
  let posW = 0;
  let allW = 0;
  a.test.y.forEach((y, i) => {
    allW += w[i]!;
    if (y === 1) posW += w[i]!;
  });
  const trainPrior = classCounts(a.train.y, 2)[1]! / a.train.count;
  assert.ok(Math.abs(posW / allW - trainPrior) < 1e-6);
});

test('long-tailed set keeps about 0.01^(c/9) of each class', () => {
  const data = mnistLongTail(0.01, { pool: 2, trainFraction: 0.5, testFraction: 0.1 }, 0);
  const counts = classCounts([...data.train.y, ...data.validation.y], 10);
  const head = counts[0]!;
  for (let c = 1; c < 10; c++) {
    const expected = 0.01 ** (c / 9);
    // MNIST classes differ in size by up to ~15 %, so compare loosely.
    assert.ok(Math.abs(counts[c]! / head / expected - 1) < 0.35, `class ${c}: ${counts[c]} vs ${head * expected}`);
  }
  assert.ok(classCounts(data.validation.y, 10).every((n) => n > 0));
});

test('priorWeights maps test class frequencies to training ones', () => {
  const w = priorWeights([0, 0, 0, 1], [0, 1], 2);
  assert.deepEqual([...w], [1.5, 0.5]);
});

test('scenes are deterministic, have 1-5 % foreground and an ignore band only next to the mask', () => {
  const options = { count: 200, size: 32, targetDigit: 8, source: 'train' as const, seed: 11 };
  const a = generateScenes(options);
  const b = generateScenes(options);
  assert.deepEqual(a.images, b.images);
  assert.deepEqual(a.labels, b.labels);
  assert.notDeepEqual(generateScenes({ ...options, seed: 12 }).mask, a.mask);
  const fg = foregroundFraction(a);
  assert.ok(fg > 0.01 && fg < 0.05, `foreground ${fg}`);
  assert.ok(a.images.every((v) => v >= 0 && v <= 1));
  const size = 32;
  for (let n = 0; n < 20; n++) {
    for (let p = 0; p < size * size; p++) {
      const i = n * size * size + p;
      if (a.labels[i] === 1) assert.equal(a.mask[i], 1);
      if (a.labels[i] !== IGNORE_LABEL) continue;
      const y = Math.floor(p / size);
      const x = p % size;
      let touches = false;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          if (yy >= 0 && xx >= 0 && yy < size && xx < size && a.mask[n * size * size + yy * size + xx]) touches = true;
        }
      assert.ok(touches, 'ignored pixel not next to the mask');
    }
  }
  const big = generateScenes({ ...options, size: 64, count: 100 });
  const fg64 = foregroundFraction(big);
  assert.ok(fg64 > 0.005 && fg64 < 0.05, `foreground 64: ${fg64}`);
});

test('markLabels: one-pixel band outside a single pixel', () => {
  const mask = new Uint8Array(9);
  mask[4] = 1;
  const labels = new Int32Array(9);
  markLabels(mask, labels, 3);
  assert.deepEqual([...labels], [-1, -1, -1, -1, 1, -1, -1, -1, -1]);
});
