import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DIGIT_CLASSES, generateDetectionScenes, scenesToCoco } from '../../src/data/detection_scenes.js';
import { evaluateCoco } from 'tfjs-retinanet';
import { anchorRatioWords, detectionAnchors, detectionTargets } from 'tfjs-retinanet';
import { detectionSizes } from '../../src/compare/config.js';

test('detection scenes are deterministic for a seed and differ between seeds', () => {
  const a = generateDetectionScenes({ count: 12, size: 32, source: 'train', seed: 5 });
  const b = generateDetectionScenes({ count: 12, size: 32, source: 'train', seed: 5 });
  const c = generateDetectionScenes({ count: 12, size: 32, source: 'train', seed: 6 });
  assert.deepEqual(a.images, b.images);
  assert.deepEqual(a.boxes, b.boxes);
  assert.deepEqual(a.classes, b.classes);
  assert.notDeepEqual(a.images, c.images);
  const v = generateDetectionScenes({ count: 12, size: 32, source: 'validation', seed: 5 });
  const t = generateDetectionScenes({ count: 12, size: 32, source: 'test', seed: 5 });
  assert.notDeepEqual(a.images, v.images);
  assert.notDeepEqual(a.images, t.images);
});

test('detection scenes: 1-4 digits, boxes inside the canvas with ink of 3+ px, classes 0-9, pixels in [0, 1]', () => {
  const s = generateDetectionScenes({ count: 200, size: 32, source: 'test', seed: 1 });
  assert.equal(s.images.length, 200 * 32 * 32);
  assert.ok(s.images.every((v) => v >= 0 && v <= 1));
  const counts = new Set<number>();
  for (let n = 0; n < s.count; n++) {
    const k = s.classes[n]!.length;
    counts.add(k);
    assert.ok(k >= 1 && k <= 4, `scene ${n}: ${k} digits`);
    assert.equal(s.boxes[n]!.length, 4 * k);
    for (let i = 0; i < k; i++) {
      const [x1, y1, x2, y2] = s.boxes[n]!.subarray(4 * i, 4 * i + 4);
      assert.ok(x1! >= 0 && y1! >= 0 && x2! <= 32 && y2! <= 32 && x2! > x1! && y2! - y1! >= 3, `box ${[x1, y1, x2, y2]}`);
      assert.ok(s.classes[n]![i]! >= 0 && s.classes[n]![i]! < DIGIT_CLASSES);
    }
  }
  assert.ok(counts.size >= 3, `digit counts seen: ${[...counts]}`);
});

test('scenes as COCO ground truth: perfect detections score AP 1', () => {
  const s = generateDetectionScenes({ count: 20, size: 32, source: 'validation', seed: 2 });
  const gt = scenesToCoco(s);
  const results = gt.annotations.map((a) => ({ image_id: a.image_id, category_id: a.category_id, bbox: a.bbox, score: 0.9 }));
  assert.equal(evaluateCoco(gt, results).named.AP, 1);
});

test('anchor targets of the quick size: positives for every box, ratio printed', () => {
  const size = detectionSizes('quick')[0]!;
  const s = generateDetectionScenes({ count: 50, size: size.side, source: 'train', seed: 3 });
  const anchors = detectionAnchors(size);
  const t = detectionTargets(s, anchors, DIGIT_CLASSES);
  const boxes = s.classes.reduce((sum, c) => sum + c.length, 0);
  assert.ok(t.numPositive >= boxes, `${t.numPositive} positives for ${boxes} boxes`);
  assert.equal(t.numPositive + t.numNegative + t.numIgnored, 50 * anchors.count);
  assert.equal(
    t.perClassPositive.reduce((a, b) => a + b, 0),
    t.numPositive,
  );
  assert.match(anchorRatioWords(t), /^anchor-level positive : negative = 1:\d+ .*per class/);
});
