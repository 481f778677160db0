import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeBoxes, DEFAULT_BOX_CLAMP, encodeBoxes, generateAnchors, RETINANET_SCALES } from '../src/index.js';
import { mulberry32 } from 'focal-loss/core';

const close = (actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what = '') => {
  assert.equal(actual.length, expected.length, `${what} length`);
  for (let i = 0; i < expected.length; i++)
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tol, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
};

test('anchors: counts, level spans and cell order for two levels', () => {
  const anchors = generateAnchors({
    imageHeight: 32,
    imageWidth: 32,
    levels: [
      { stride: 8, size: 32 },
      { stride: 16, size: 64 },
    ],
  });
  assert.equal(anchors.anchorsPerCell, 9);
  assert.equal(anchors.count, 4 * 4 * 9 + 2 * 2 * 9);
  assert.equal(anchors.boxes.length, anchors.count * 4);
  assert.deepEqual(
    anchors.levels.map((l) => [l.stride, l.height, l.width, l.start, l.count]),
    [
      [8, 4, 4, 0, 144],
      [16, 2, 2, 144, 36],
    ],
  );
  // Level 0, cell (y 1, x 2), anchor 4 = ratio 1 (second ratio), scale 2^(1/3) (second scale):
  // a square of side 32·2^(1/3) centred on (2.5·8, 1.5·8) = (20, 12).
  const i = (1 * 4 + 2) * 9 + 4;
  const half = (32 * RETINANET_SCALES[1]!) / 2;
  close(anchors.boxes.subarray(4 * i, 4 * i + 4), [20 - half, 12 - half, 20 + half, 12 + half], 1e-4, 'anchor');
  // First anchor of level 1: cell (0, 0) at (8, 8), ratio 0.5 (wide), scale 1: 64/√0.5 × 64·√0.5.
  const j = 144;
  close(
    anchors.boxes.subarray(4 * j, 4 * j + 4),
    [8 - 32 / Math.SQRT1_2, 8 - 32 * Math.SQRT1_2, 8 + 32 / Math.SQRT1_2, 8 + 32 * Math.SQRT1_2],
    1e-4,
    'level 1',
  );
});

test('anchors: every anchor has area (size·scale)² and height/width = ratio; grid covers a partial cell', () => {
  const scales = [1, 2];
  const aspectRatios = [0.25, 1, 3];
  const anchors = generateAnchors({ imageHeight: 20, imageWidth: 36, levels: [{ stride: 8, size: 16 }], scales, aspectRatios, offset: 0 });
  assert.deepEqual([anchors.levels[0]!.height, anchors.levels[0]!.width], [3, 5]);
  const b = anchors.boxes;
  for (let a = 0; a < anchors.count; a++) {
    const w = b[4 * a + 2]! - b[4 * a]!;
    const h = b[4 * a + 3]! - b[4 * a + 1]!;
    const k = a % 6;
    const s = scales[k % 2]!;
    const r = aspectRatios[Math.floor(k / 2)]!;
    assert.ok(Math.abs(w * h - (16 * s) ** 2) < 1e-2, `area of anchor ${a}`);
    assert.ok(Math.abs(h / w - r) < 1e-5, `ratio of anchor ${a}`);
  }
  // offset 0: the last cell (y 2, x 4) is centred on its corner (32, 16).
  const last = anchors.count - 1;
  close([(b[4 * last]! + b[4 * last + 2]!) / 2, (b[4 * last + 1]! + b[4 * last + 3]!) / 2], [32, 16], 1e-5, 'centre');
  assert.throws(() => generateAnchors({ imageHeight: 8, imageWidth: 8, levels: [{ stride: 0, size: 4 }] }), /must be finite and > 0/);
});

test('box coding: known deltas, with and without weights', () => {
  const anchor = [0, 0, 10, 10];
  const box = [5, 0, 15, 20];
  // Centres (5, 5) → (10, 10), sizes 10 × 10 → 10 × 20: dx = 5/10, dy = 5/10, dw = ln 1, dh = ln 2.
  close(encodeBoxes(box, anchor), [0.5, 0.5, 0, Math.LN2], 1e-6);
  close(encodeBoxes(box, anchor, { weights: [10, 10, 5, 5] }), [5, 5, 0, 5 * Math.LN2], 1e-5);
  close(decodeBoxes([5, 5, 0, 5 * Math.LN2], anchor, { weights: [10, 10, 5, 5] }), box, 1e-5);
  // With indices: anchor i regresses to box indices[i]; -1 gives zeros.
  close(encodeBoxes([0, 0, 10, 10, ...box], [...anchor, ...anchor], {}, [1, -1]), [0.5, 0.5, 0, Math.LN2, 0, 0, 0, 0], 1e-6);
});

test('box coding: decode(encode(box)) round-trips on random boxes and anchors', () => {
  const random = mulberry32(7);
  const n = 500;
  const boxes = new Float64Array(4 * n);
  const anchors = new Float64Array(4 * n);
  for (const arr of [boxes, anchors]) {
    for (let i = 0; i < n; i++) {
      const x = random() * 100;
      const y = random() * 100;
      arr.set([x, y, x + 1 + random() * 60, y + 1 + random() * 60], 4 * i);
    }
  }
  for (const weights of [undefined, [10, 10, 5, 5] as const]) {
    const deltas = encodeBoxes(boxes, anchors, { weights });
    close(decodeBoxes(deltas, anchors, { weights }), boxes, 2e-3, 'round trip');
  }
});

test('box coding: decoded dw, dh are clamped at ln(1000/16)', () => {
  const out = decodeBoxes([0, 0, 100, -100], [0, 0, 10, 10]);
  // Width exp(clamp)·10 = 625 around centre 5; height exp(-100)·10 ≈ 0 (only the top is clamped).
  close(out, [5 - 312.5, 5, 5 + 312.5, 5], 1e-3);
  assert.equal(DEFAULT_BOX_CLAMP, Math.log(1000 / 16));
  close(decodeBoxes([0, 0, 1, 0], [0, 0, 10, 10], { clamp: 0.5 }), [5 - 5 * Math.exp(0.5), 0, 5 + 5 * Math.exp(0.5), 10], 1e-5);
});

test('box coding: a box or anchor without positive width and height, bad indices and sizes are errors naming the argument', () => {
  const anchor = [0, 0, 10, 10];
  const errors: Array<[() => unknown, RegExp]> = [
    // ln(w / wₐ) of a zero width would be -Infinity: refused, as torchvision's RetinaNet refuses such a target box.
    [
      () => encodeBoxes([5, 0, 5, 20], anchor),
      /^Error: encodeBoxes: boxes\[0\] = \[5, 0, 5, 20\] has width 0; encoded boxes need width and height > 0 \(the coding takes their log\)$/,
    ],
    [
      () => encodeBoxes([0, 0, 10, 10, 0, 20, 10, 10], [...anchor, ...anchor]),
      /^Error: encodeBoxes: boxes\[1\] = \[0, 20, 10, 10\] has height -10; encoded boxes need width and height > 0 \(the coding takes their log\)$/,
    ],
    [
      () => encodeBoxes([0, 0, 10, Number.NaN], anchor),
      /^Error: encodeBoxes: boxes\[0\] = \[0, 0, 10, NaN\] has height NaN; encoded boxes need width and height > 0 \(the coding takes their log\)$/,
    ],
    [
      () => encodeBoxes([0, 0, 10, 10], [0, 0, 10, 0]),
      /^Error: encodeBoxes: anchors\[0\] = \[0, 0, 10, 0\] has height 0; anchors need width and height > 0$/,
    ],
    [() => encodeBoxes([0, 0, 10, 10], [0, 0, 10]), /^Error: encodeBoxes: anchors has 3 numbers, not 4 per anchor$/],
    [() => encodeBoxes([0, 0, 10, 10], [...anchor, ...anchor]), /^Error: encodeBoxes: 1 boxes for 2 anchors$/],
    [() => encodeBoxes([0, 0, 10, 10], [...anchor, ...anchor], {}, [0]), /^Error: encodeBoxes: indices has 1 entries for 2 anchors$/],
    [
      () => encodeBoxes([0, 0, 10, 10], anchor, {}, [1]),
      /^Error: encodeBoxes: indices\[0\] = 1 is not a box index in \[0, 1\) or < 0 \(no box\)$/,
    ],
    [() => decodeBoxes([0, 0, 0, 0], [...anchor, ...anchor]), /^Error: decodeBoxes: 1 deltas for 2 anchors$/],
    [() => decodeBoxes([0, 0, 0, 0], anchor, {}, [0, 0]), /^Error: decodeBoxes: anchorIndices has 2 entries for 1 rows of deltas$/],
    [() => decodeBoxes([0, 0, 0, 0], anchor, {}, [3]), /^Error: decodeBoxes: anchorIndices\[0\] = 3 is not an anchor index in \[0, 1\)$/],
  ];
  for (const [call, message] of errors) assert.throws(call, message);
  // Only the boxes that are encoded are checked: a degenerate box that no anchor is matched to is fine.
  close(encodeBoxes([5, 0, 5, 20, 0, 0, 10, 10], [...anchor, ...anchor], {}, [1, -1]), [0, 0, 0, 0, 0, 0, 0, 0], 0);
});

test('box coding: weights must be four finite numbers > 0 and the clamp a number (a weight of 0 divided by zero)', () => {
  const box = [0, 0, 10, 10];
  for (const weights of [
    [10, 10, 5, 0],
    [10, 10, -5, 5],
    [10, 10, 5],
    [1, 1, Number.NaN, 1],
  ]) {
    const options = { weights: weights as unknown as [number, number, number, number] };
    assert.throws(() => encodeBoxes(box, box, options), /encodeBoxes: options\.weights must be four finite numbers > 0/);
    assert.throws(() => decodeBoxes([0, 0, 0, 0], box, options), /decodeBoxes: options\.weights must be four finite numbers > 0/);
  }
  assert.throws(() => decodeBoxes([0, 0, 0, 0], box, { clamp: Number.NaN }), /decodeBoxes: options\.clamp must be a number/);
  // Infinity turns the clamp off: exp(20) is finite, so the box stays finite.
  const unclamped = decodeBoxes([0, 0, 20, 0], box, { clamp: Number.POSITIVE_INFINITY });
  assert.ok(unclamped.every(Number.isFinite));
});
