import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  assignAnchors,
  BACKGROUND,
  batchedNonMaxSuppression,
  decodeDetections,
  IGNORE,
  iouMatrix,
  nonMaxSuppression,
  oneHotTargets,
} from '../src/index.js';

const close = (actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what = '') => {
  assert.equal(actual.length, expected.length, `${what} length`);
  for (let i = 0; i < expected.length; i++)
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tol, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
};

test('IoU matrix on hand cases', () => {
  const a = [0, 0, 10, 10, 5, 0, 15, 10, 20, 20, 30, 30];
  const b = [0, 0, 10, 10, 0, 0, 10, 20, 10, 0, 20, 10];
  // rows: a0, a1, a2; columns: b0, b1, b2
  close(iouMatrix(a, b), [1, 0.5, 0, 50 / 150, 50 / 250, 50 / 150, 0, 0, 0], 1e-12);
});

// Ground truth G [0, 0, 10, 10] class 2 and H [100, 100, 130, 130] class 0.
const gt = [0, 0, 10, 10, 100, 100, 130, 130];
const anchors = [
  0,
  0,
  10,
  10, // a0: IoU 1 with G → positive
  0,
  0,
  10,
  20, // a1: 100 / 200 = 0.5 → positive (at the threshold)
  0,
  0,
  10,
  22, // a2: 100 / 220 = 0.45 → ignored
  0,
  0,
  10,
  25, // a3: 100 / 250 = 0.4 → ignored (not below 0.4)
  0,
  0,
  10,
  26, // a4: 100 / 260 = 0.385 → background
  50,
  50,
  60,
  60, // a5: no overlap → background
  100,
  100,
  110,
  110, // a6: IoU 100 / 900 = 0.11 with H, its best anchor → claimed, positive
  90,
  90,
  110,
  110, // a7: IoU 100 / 1200 = 0.083 with H → background
];

test('assignment: positive, ignore band, background, and the best anchor claimed by its box', () => {
  const t = assignAnchors(anchors, gt, [2, 0]);
  assert.deepEqual([...t.labels], [3, 3, IGNORE, IGNORE, BACKGROUND, BACKGROUND, 1, BACKGROUND]);
  assert.deepEqual([...t.matched], [0, 0, -1, -1, -1, -1, 1, -1]);
  assert.deepEqual([t.numPositive, t.numNegative, t.numIgnored], [3, 3, 2]);
  close(t.maxIou, [1, 0.5, 100 / 220, 0.4, 100 / 260, 0, 100 / 900, 100 / 1200], 1e-6);
  // Box targets: a0 is G itself; a1 halves the height (dh = ln 0.5, dy = -5/20); a6 → H: centre
  // (105, 105) → (115, 115) over a 10-px anchor, size ×3.
  close(t.boxTargets.subarray(0, 8), [0, 0, 0, 0, 0, -0.25, 0, Math.log(0.5)], 1e-6);
  close(t.boxTargets.subarray(24, 28), [1, 1, Math.log(3), Math.log(3)], 1e-6);
  close(t.boxTargets.subarray(8, 24), new Array(16).fill(0), 0, 'no targets off the positives');
  // Without the claim, H's only overlapping anchors are background.
  assert.deepEqual([...assignAnchors(anchors, gt, [2, 0], { claimBestAnchor: false }).labels], [3, 3, IGNORE, IGNORE, 0, 0, 0, 0]);
});

test('assignment: an anchor claimed by two boxes goes to the one it overlaps most; no boxes → all background', () => {
  // b0 [0, 0, 10, 11]: IoU 100/110 with P [0, 0, 10, 10], 110/120 with Q [0, 0, 10, 12].
  const t = assignAnchors([0, 0, 10, 11, 20, 20, 30, 30], [0, 0, 10, 10, 0, 0, 10, 12], [0, 1], { positiveIou: 0.95, negativeIou: 0.95 });
  assert.deepEqual([...t.labels], [2, 0]);
  assert.deepEqual([...t.matched], [1, -1]);
  const empty = assignAnchors(anchors, [], []);
  assert.ok(empty.labels.every((l) => l === BACKGROUND));
  assert.equal(empty.numNegative, 8);
  assert.throws(() => assignAnchors(anchors, gt, [2]), /1 classes for 2 boxes/);
});

test('oneHotTargets: one-hot rows for positives, zero rows and zero weight for ignored anchors', () => {
  const { targets, weights } = oneHotTargets([3, 0, IGNORE, 1], 3);
  assert.deepEqual([...targets], [0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
  assert.deepEqual([...weights], [1, 1, 0, 1]);
  assert.throws(() => oneHotTargets([4], 3), /out of range/);
});

test('NMS: suppression above the IoU threshold, IoU exactly at it kept, score order', () => {
  const boxes = [
    0,
    0,
    10,
    10, // 0: score .9
    1,
    0,
    11,
    10, // 1: .8, IoU 90/110 = .82 with 0 → suppressed
    20,
    20,
    30,
    30, // 2: .7 → kept
    0,
    0,
    10,
    5, // 3: .95, IoU .5 with 0 → both kept (suppression needs IoU > .5)
  ];
  assert.deepEqual(nonMaxSuppression(boxes, [0.9, 0.8, 0.7, 0.95], 0.5), [3, 0, 2]);
  assert.deepEqual(nonMaxSuppression(boxes, [0.9, 0.8, 0.7, 0.95], 0.5, 2), [3, 0]);
  assert.deepEqual(nonMaxSuppression(boxes, [0.9, 0.8, 0.7, 0.95], 0.9), [3, 0, 1, 2]);
});

// Two levels: level 0 holds anchors 0 and 1, level 1 anchor 2 (the same box as anchor 0).
const detAnchors = [0, 0, 10, 10, 1, 0, 11, 10, 0, 0, 10, 10];
const levels = [
  { start: 0, count: 2 },
  { start: 2, count: 1 },
];
// Probabilities per anchor for classes 0 and 1.
const scores = [0.9, 0.04, 0.8, 0.6, 0.3, 0.7];

test('decodeDetections: threshold, per-class NMS across levels, order and cap', () => {
  const deltas = new Float32Array(12);
  const d = decodeDetections(scores, deltas, detAnchors, 2, levels);
  // Candidates above .05: (a0, c0, .9), (a1, c0, .8), (a1, c1, .6), (a2, c0, .3), (a2, c1, .7).
  // Class 0: a0 keeps, a1 (IoU .82) and a2 (IoU 1) go. Class 1: a2 keeps, a1 (IoU .82) goes.
  assert.equal(d.count, 2);
  close(d.scores, [0.9, 0.7], 1e-6);
  assert.deepEqual([...d.classes], [0, 1]);
  close(d.boxes, [0, 0, 10, 10, 0, 0, 10, 10], 1e-6);
  // Top 1 per level gives the same two; 1 detection at most keeps the best; a high threshold keeps none.
  assert.deepEqual(
    [...decodeDetections(scores, deltas, detAnchors, 2, levels, { topKPerLevel: 1 }).scores].map((s) => +s.toFixed(2)),
    [0.9, 0.7],
  );
  assert.equal(decodeDetections(scores, deltas, detAnchors, 2, levels, { maxDetections: 1 }).count, 1);
  assert.equal(decodeDetections(scores, deltas, detAnchors, 2, levels, { scoreThreshold: 0.95 }).count, 0);
  // Per-class NMS off (threshold 1): everything above 0.05 survives, highest first.
  close(decodeDetections(scores, deltas, detAnchors, 2, levels, { nmsIou: 1 }).scores, [0.9, 0.8, 0.7, 0.6, 0.3], 1e-6);
});

test('decodeDetections: boxes decoded from the deltas of the kept anchors and clipped to the image', () => {
  const deltas = new Float32Array(12);
  deltas.set([0.1, -0.2, Math.log(2), 0], 8); // anchor 2: shift right 1 px, up 2 px, twice as wide
  const d = decodeDetections(scores, deltas, detAnchors, 2, levels);
  close(d.boxes.subarray(4, 8), [-4, -2, 16, 8], 1e-5);
  const clipped = decodeDetections(scores, deltas, detAnchors, 2, levels, { imageWidth: 12, imageHeight: 12 });
  close(clipped.boxes.subarray(4, 8), [0, 0, 12, 8], 1e-5);
  assert.throws(() => decodeDetections(scores.slice(1), deltas, detAnchors, 2), /5 scores for 3 anchors × 2 classes/);
});

test('nonMaxSuppression: a NaN score is dropped, a NaN IoU suppresses nothing (torchvision), sizes and options checked', () => {
  const boxes = [0, 0, 10, 10, 1, 0, 11, 10, 20, 20, 30, 30];
  // Box 0's NaN score neither comes first nor suppresses box 1 (IoU .82).
  assert.deepEqual(nonMaxSuppression(boxes, [Number.NaN, 0.8, 0.7], 0.5), [1, 2]);
  assert.deepEqual(batchedNonMaxSuppression(boxes, [0.9, Number.NaN, 0.7], [0, 1, 0], 0.5), [0, 2]);
  // A box with a NaN coordinate has IoU NaN with every box: kept, and it suppresses nothing.
  assert.deepEqual(nonMaxSuppression([Number.NaN, 0, 10, 10, 0, 0, 10, 10], [0.9, 0.8], 0.5), [0, 1]);
  const errors: Array<[() => unknown, RegExp]> = [
    [() => nonMaxSuppression(boxes.slice(0, 8), [0.9, 0.8, 0.7], 0.5), /^Error: nonMaxSuppression: 3 scores for 2 boxes$/],
    [() => nonMaxSuppression(boxes, [0.9, 0.8], 0.5), /^Error: nonMaxSuppression: 2 scores for 3 boxes$/],
    [() => nonMaxSuppression(boxes.slice(0, 7), [0.9, 0.8], 0.5), /^Error: nonMaxSuppression: boxes has 7 numbers, not 4 per box$/],
    [
      () => nonMaxSuppression(boxes, [0.9, 0.8, 0.7], Number.NaN),
      /^Error: nonMaxSuppression: iouThreshold must be a number in \[0, 1\], got NaN$/,
    ],
    [
      () => nonMaxSuppression(boxes, [0.9, 0.8, 0.7], 0.5, -1),
      /^Error: nonMaxSuppression: maxOutput must be an integer >= 0 or Infinity, got -1$/,
    ],
    [() => batchedNonMaxSuppression(boxes, [0.9, 0.8, 0.7], [0, 1], 0.5), /^Error: batchedNonMaxSuppression: 2 classes for 3 scores$/],
    [() => batchedNonMaxSuppression(boxes, [0.9, 0.8], [0, 1], 0.5), /^Error: batchedNonMaxSuppression: 2 scores for 3 boxes$/],
  ];
  for (const [call, message] of errors) assert.throws(call, message);
});

test('decodeDetections: a NaN score is dropped; inconsistent sizes, levels and options are errors naming the argument', () => {
  const deltas = new Float32Array(12);
  const withNaN = [0.9, 0.04, Number.NaN, 0.6, 0.3, 0.7];
  const d = decodeDetections(withNaN, deltas, detAnchors, 2, levels);
  close(d.scores, [0.9, 0.7], 1e-6);
  const errors: Array<[() => unknown, RegExp]> = [
    [
      () => decodeDetections(scores, deltas, detAnchors.slice(0, 10), 2),
      /^Error: decodeDetections: anchors has 10 numbers, not 4 per anchor$/,
    ],
    [() => decodeDetections([], [], [], 0), /^Error: decodeDetections: numClasses must be an integer >= 1, got 0$/],
    [() => decodeDetections(scores, deltas, detAnchors, 1.5), /^Error: decodeDetections: numClasses must be an integer >= 1, got 1.5$/],
    [() => decodeDetections(scores, deltas.subarray(4), detAnchors, 2), /^Error: decodeDetections: 2 box deltas for 3 anchors$/],
    // Levels of another anchor set: they must tile the anchors, in order.
    [
      () => decodeDetections(scores, deltas, detAnchors, 2, [{ start: 0, count: 2 }]),
      /^Error: decodeDetections: levels cover 2 of the 3 anchors; they must cover all of them, in order$/,
    ],
    [
      () =>
        decodeDetections(scores, deltas, detAnchors, 2, [
          { start: 0, count: 2 },
          { start: 3, count: 1 },
        ]),
      /^Error: decodeDetections: levels\[1\] starts at anchor 3 but levels\[0\] ends at 2; levels must cover the anchors in order$/,
    ],
    [
      () =>
        decodeDetections(scores, deltas, detAnchors, 2, [
          { start: 0, count: 2 },
          { start: 2, count: 9 },
        ]),
      /^Error: decodeDetections: levels cover 11 of the 3 anchors; they must cover all of them, in order$/,
    ],
    [
      () =>
        decodeDetections(scores, deltas, detAnchors, 2, [
          { start: 0, count: -1 },
          { start: -1, count: 4 },
        ]),
      /^Error: decodeDetections: levels\[0\].count must be an integer >= 0, got -1$/,
    ],
    [
      () => decodeDetections(scores, deltas, detAnchors, 2, levels, { scoreThreshold: Number.NaN }),
      /^Error: decodeDetections: scoreThreshold must be a number in \[0, 1\), got NaN$/,
    ],
    [
      () => decodeDetections(scores, deltas, detAnchors, 2, levels, { nmsIou: 2 }),
      /^Error: decodeDetections: nmsIou must be a number in \[0, 1\], got 2$/,
    ],
    [
      () => decodeDetections(scores, deltas, detAnchors, 2, levels, { topKPerLevel: 0 }),
      /^Error: decodeDetections: topKPerLevel must be an integer >= 1 or Infinity, got 0$/,
    ],
    [
      () => decodeDetections(scores, deltas, detAnchors, 2, levels, { maxDetections: -1 }),
      /^Error: decodeDetections: maxDetections must be an integer >= 1 or Infinity, got -1$/,
    ],
    [
      () => decodeDetections(scores, deltas, detAnchors, 2, levels, { imageWidth: 12 }),
      /^Error: decodeDetections: imageWidth and imageHeight go together \(clipping needs both\), got imageWidth 12 and imageHeight undefined$/,
    ],
    [
      () => decodeDetections(scores, deltas, detAnchors, 2, levels, { imageWidth: 12, imageHeight: 0 }),
      /^Error: decodeDetections: imageHeight must be a finite number > 0, got 0$/,
    ],
  ];
  for (const [call, message] of errors) assert.throws(call, message);
  // Infinity lifts the caps.
  assert.equal(decodeDetections(scores, deltas, detAnchors, 2, levels, { topKPerLevel: Infinity, maxDetections: Infinity }).count, 2);
});

test('assignment: a zero-width or inverted ground-truth box overlaps no anchor, is matched to none, and gives finite targets', () => {
  // Box 0 has width 0, box 1 is inverted, box 2 is G; every box target stays finite.
  const t = assignAnchors(anchors, [5, 0, 5, 10, 10, 0, 0, 10, 0, 0, 10, 10], [0, 1, 2]);
  assert.deepEqual([...t.matched], [2, 2, -1, -1, -1, -1, -1, -1]);
  assert.ok(t.boxTargets.every(Number.isFinite), `box targets ${[...t.boxTargets]}`);
});

test('assignment: IoU thresholds are numbers in range, positiveIou above 0 (IoU 0 is no overlap)', () => {
  const anchors = [0, 0, 10, 10, 50, 50, 60, 60];
  const gt = [0, 0, 10, 10];
  assert.throws(
    () => assignAnchors(anchors, gt, [0], { positiveIou: 0, negativeIou: 0 }),
    /assignAnchors: positiveIou must be a number in \(0, 1\], got 0/,
  );
  assert.throws(() => assignAnchors(anchors, gt, [0], { positiveIou: 1.5 }), /positiveIou must be a number in \(0, 1\]/);
  assert.throws(() => assignAnchors(anchors, gt, [0], { negativeIou: -0.1 }), /negativeIou must be a number in \[0, 1\], got -0\.1/);
  assert.throws(() => assignAnchors(anchors, gt, [0], { positiveIou: Number.NaN }), /positiveIou must be a number/);
  assert.throws(() => assignAnchors(anchors, gt, [0], { positiveIou: 0.3, negativeIou: 0.4 }), /negativeIou 0\.4 > positiveIou 0\.3/);
  // The far anchor overlaps nothing: background, never a match at IoU 0.
  const t = assignAnchors(anchors, gt, [0], { positiveIou: 1e-9, negativeIou: 1e-10 });
  assert.deepEqual(Array.from(t.labels), [1, BACKGROUND]);
});
