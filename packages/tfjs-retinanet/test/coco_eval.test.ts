/**
 * The COCO evaluator on hand cases whose numbers follow from pycocotools' definitions
 * (computed in the comments). A randomized cross-check against pycocotools itself was run
 * once, outside the tests (see the README): the tests never need Python.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  COCO_IOU_THRESHOLDS,
  COCO_RECALL_THRESHOLDS,
  COCO_STAT_NAMES,
  evaluateCoco,
  formatCocoSummary,
  formatFixed3,
} from '../src/index.js';
import { CocoFormatError } from '../src/index.js';

type Box = [number, number, number, number];
/** Ground truth from [image, category, bbox, iscrowd?] rows; images 1..images, categories 1..categories. */
function groundTruth(rows: [number, number, Box, number?][], images = 2, categories = 2) {
  return {
    images: Array.from({ length: images }, (_, i) => ({ id: i + 1 })),
    categories: Array.from({ length: categories }, (_, i) => ({ id: i + 1, name: `c${i + 1}` })),
    annotations: rows.map(([image_id, category_id, bbox, iscrowd], i) => ({
      id: i + 1,
      image_id,
      category_id,
      bbox,
      area: bbox[2] * bbox[3],
      iscrowd: iscrowd ?? 0,
    })),
  };
}
const dets = (rows: [number, number, Box, number][]) =>
  rows.map(([image_id, category_id, bbox, score]) => ({ image_id, category_id, bbox, score }));
const stats = (gt: unknown, dt: unknown) =>
  Object.fromEntries(Object.entries(evaluateCoco(gt, dt).named).map(([k, v]) => [k, +v.toFixed(12)]));
const named = (values: number[]) => Object.fromEntries(COCO_STAT_NAMES.map((n, i) => [n, values[i]]));

const small: Box = [0, 0, 10, 10]; // area 100 < 32²
const medium: Box = [100, 100, 50, 50]; // 2500
const large: Box = [200, 200, 100, 100]; // 10000 > 96²

test('thresholds: 10 IoU thresholds .50:.05:.95 and 101 recall thresholds as numpy makes them', () => {
  assert.equal(COCO_IOU_THRESHOLDS.length, 10);
  assert.equal(COCO_IOU_THRESHOLDS[0], 0.5);
  assert.equal(COCO_IOU_THRESHOLDS[5], 0.75);
  assert.equal(COCO_IOU_THRESHOLDS[8], 0.8999999999999999); // numpy's linspace value, not 0.9
  assert.equal(COCO_RECALL_THRESHOLDS.length, 101);
  assert.equal(COCO_RECALL_THRESHOLDS[3], 0.03);
  assert.equal(COCO_RECALL_THRESHOLDS[7], 0.07);
  assert.equal(COCO_RECALL_THRESHOLDS[100], 1);
});

test('perfect detections give 1 for all 12 numbers', () => {
  const gt = groundTruth([
    [1, 1, small],
    [1, 2, large],
    [2, 1, medium],
  ]);
  const dt = dets([
    [1, 1, small, 0.9],
    [1, 2, large, 0.8],
    [2, 1, medium, 0.7],
  ]);
  assert.deepEqual(stats(gt, dt), named(new Array(12).fill(1)));
});

test('one false positive ranked first: AP = n / (n + 1) for n objects found', () => {
  // 3 objects (category 1, one per image), each detected exactly, and a false positive on image 1
  // with the highest score. Ranked: FP, TP, TP, TP → precision 0, 1/2, 2/3, 3/4 at recall 0, 1/3,
  // 2/3, 1. The envelope is 3/4 everywhere, so all 101 recall thresholds read 3/4 (3 / (4 + eps))
  // at every IoU threshold: AP = AP50 = AP75 = 0.75. All boxes are small: APs = 0.75, APm = APl = -1.
  // AR: recall 1 with 10 or 100 detections per image; with 1, image 1 keeps only the FP: AR1 = 2/3.
  const gt = groundTruth(
    [1, 2, 3].map((i) => [i, 1, small] as [number, number, Box]),
    3,
    1,
  );
  const dt = dets([[1, 1, [50, 50, 10, 10], 0.99], ...[1, 2, 3].map((i) => [i, 1, small, 0.9] as [number, number, Box, number])]);
  assert.deepEqual(stats(gt, dt), named([0.75, 0.75, 0.75, 0.75, -1, -1, +(2 / 3).toFixed(12), 1, 1, 1, -1, -1]));
});

test('a false positive in the middle: 101-point interpolation of the envelope', () => {
  // Two objects; ranked TP (.9), FP (.8), TP (.7): recall .5, .5, 1 and precision 1, 1/2, 2/3.
  // Envelope 1, 2/3, 2/3. Thresholds 0 .. 0.50 (51 of them) reach recall at rank 1 → 1; the 50
  // above 0.5 need rank 3 → 2/3. AP = (51 + 50 · 2/3) / 101 = 0.834983...
  const gt = groundTruth(
    [
      [1, 1, small],
      [2, 1, small],
    ],
    2,
    1,
  );
  const dt = dets([
    [1, 1, small, 0.9],
    [2, 1, [40, 40, 10, 10], 0.8],
    [2, 1, small, 0.7],
  ]);
  const e = evaluateCoco(gt, dt);
  assert.ok(Math.abs(e.stats[0]! - (51 + (50 * 2) / 3) / 101) < 1e-12, String(e.stats[0]));
  assert.equal(formatCocoSummary(e.stats)[0], ' Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.835');
});

test('IoU thresholds: a detection with IoU 0.6 counts at .50 and .55 only', () => {
  // gt [0, 0, 10, 10], det [0, 0, 10, 6]: IoU 60 / 100 = 0.6 → matched at 0.50, 0.55, 0.60 (IoU ≥ t),
  // unmatched at 0.65 .. 0.95. AP = 3 / 10; AP50 = 1; AP75 = 0. Recall likewise: 0.3.
  const gt = groundTruth([[1, 1, small]], 1, 1);
  const s = stats(gt, dets([[1, 1, [0, 0, 10, 6], 0.9]]));
  assert.deepEqual([s.AP, s.AP50, s.AP75, s.AR100], [0.3, 1, 0, 0.3]);
});

test('crowd regions: detections inside are ignored, however many; IoU with a crowd is intersection / detection area', () => {
  const crowd: Box = [50, 50, 100, 100];
  const gt = groundTruth(
    [
      [1, 1, small],
      [1, 1, crowd, 1],
    ],
    1,
    1,
  );
  // Three detections inside the crowd region (IoU 1 with it by intersection / detection area)
  // ranked above the true positive: all three ignored, AP 1. Without the crowd flag they are
  // false positives ranked first and the crowd box a missed object: precision 1/4 at recall 1/2.
  const inside = [0.99, 0.98, 0.97].map((s, i) => [1, 1, [60 + 10 * i, 60, 10, 10], s] as [number, number, Box, number]);
  const dt = dets([...inside, [1, 1, small, 0.9]]);
  assert.deepEqual([stats(gt, dt).AP, stats(gt, dt).AR100], [1, 1]);
  const notCrowd = groundTruth(
    [
      [1, 1, small],
      [1, 1, crowd, 0],
    ],
    1,
    1,
  );
  // Precision at recall ≤ .5 is 1/4 (envelope), beyond 0.5 never reached: 51 thresholds × 1/4 / 101.
  assert.equal(stats(notCrowd, dt).AP, +((51 * (1 / (4 + 2 ** -52))) / 101).toFixed(12));
  // A detection half outside the crowd: intersection 10 × 10 over its area 400 → 0.25 < 0.5, a
  // false positive. Ranked first, it halves AP.
  const straddling = dets([
    [1, 1, [40, 40, 20, 20], 0.99],
    [1, 1, small, 0.9],
  ]);
  assert.equal(stats(gt, straddling).AP, 0.5);
  // Only a crowd region: no object to find, so -1 throughout, detections or not.
  const onlyCrowd = groundTruth([[1, 1, crowd, 1]], 1, 1);
  assert.deepEqual(stats(onlyCrowd, dets([[1, 1, crowd, 0.9]])), named(new Array(12).fill(-1)));
});

test('detections for an image or a category without ground truth', () => {
  // Category 1 has one object on image 1; a detection of category 1 on image 2 (no object there)
  // ranks first: AP = 1/2 for category 1. Category 2 has no ground truth at all: its precision
  // is -1 and it is left out of the means, whatever its detections.
  const gt = groundTruth([[1, 1, small]], 2, 2);
  const dt = dets([
    [2, 1, small, 0.95],
    [1, 1, small, 0.9],
    [1, 2, small, 0.99],
    [2, 2, large, 0.5],
  ]);
  const e = evaluateCoco(gt, dt);
  assert.equal(e.stats[0], 0.5);
  const { T, R, K, A, M } = e.shape;
  assert.deepEqual([T, R, K, A, M], [10, 101, 2, 4, 3]);
  for (let t = 0; t < T; t++)
    for (let r = 0; r < R; r++)
      for (let a = 0; a < A; a++)
        for (let m = 0; m < M; m++) {
          assert.equal(e.precision[(((t * R + r) * K + 1) * A + a) * M + m], -1);
        }
  // maxDets counts per image and category: with 1, image 1 keeps its TP, image 2 its FP: AR1 = 1.
  assert.equal(e.named.AR1, 1);
});

test('area ranges: objects outside the range are ignored, and so are unmatched detections outside it', () => {
  // A small and a medium object (one category, one image), both found; a large false positive
  // ranked first. all: FP, TP, TP → AP 2/3. small: the medium object and the large FP are
  // ignored, the medium TP matches an ignored object → ignored: AP 1. medium: likewise 1.
  // large: no object in range → -1.
  const gt = groundTruth(
    [
      [1, 1, small],
      [1, 1, medium],
    ],
    1,
    1,
  );
  const dt = dets([
    [1, 1, large, 0.99],
    [1, 1, small, 0.9],
    [1, 1, medium, 0.8],
  ]);
  const s = stats(gt, dt);
  assert.deepEqual([s.AP, s.APs, s.APm, s.APl, s.ARs, s.ARm, s.ARl], [+(2 / (3 + 2 ** -52)).toFixed(12), 1, 1, -1, 1, 1, -1]);
  // Area boundaries are inclusive on both sides: an object of area exactly 32² is small and medium.
  const edge = groundTruth([[1, 1, [0, 0, 32, 32]]], 1, 1);
  const e = stats(edge, dets([[1, 1, [0, 0, 32, 32], 0.9]]));
  assert.deepEqual([e.APs, e.APm, e.APl], [1, 1, -1]);
});

test('maxDets: 1, 10 and 100 detections per image and category', () => {
  // One image with 12 objects of one category, all found, in score order: AR1 = 1/12, AR10 =
  // 10/12, AR100 = 1.
  const boxes = Array.from({ length: 12 }, (_, i) => [20 * i, 0, 10, 10] as Box);
  const gt = groundTruth(
    boxes.map((b) => [1, 1, b] as [number, number, Box]),
    1,
    1,
  );
  const s = stats(gt, dets(boxes.map((b, i) => [1, 1, b, 1 - i / 100] as [number, number, Box, number])));
  assert.deepEqual([s.AR1, s.AR10, s.AR100, s.AP], [+(1 / 12).toFixed(12), +(10 / 12).toFixed(12), 1, 1]);
});

test('no detections: 0 where there are objects; no objects: -1', () => {
  const gt = groundTruth([[1, 1, small]], 1, 1);
  assert.deepEqual(stats(gt, []), named([0, 0, 0, 0, -1, -1, 0, 0, 0, 0, -1, -1]));
  assert.deepEqual(stats(groundTruth([], 1, 1), []), named(new Array(12).fill(-1)));
});

test('the 12 lines in pycocotools format (these strings are what pycocotools 2.0.11 printed for this case)', () => {
  const gt = groundTruth(
    [1, 2, 3].map((i) => [i, 1, small] as [number, number, Box]),
    3,
    1,
  );
  const dt = dets([[1, 1, [50, 50, 10, 10], 0.99], ...[1, 2, 3].map((i) => [i, 1, small, 0.9] as [number, number, Box, number])]);
  assert.deepEqual(formatCocoSummary(evaluateCoco(gt, dt).stats), [
    ' Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.750',
    ' Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets=100 ] = 0.750',
    ' Average Precision  (AP) @[ IoU=0.75      | area=   all | maxDets=100 ] = 0.750',
    ' Average Precision  (AP) @[ IoU=0.50:0.95 | area= small | maxDets=100 ] = 0.750',
    ' Average Precision  (AP) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ] = -1.000',
    ' Average Precision  (AP) @[ IoU=0.50:0.95 | area= large | maxDets=100 ] = -1.000',
    ' Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ] = 0.667',
    ' Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets= 10 ] = 1.000',
    ' Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 1.000',
    ' Average Recall     (AR) @[ IoU=0.50:0.95 | area= small | maxDets=100 ] = 1.000',
    ' Average Recall     (AR) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ] = -1.000',
    ' Average Recall     (AR) @[ IoU=0.50:0.95 | area= large | maxDets=100 ] = -1.000',
  ]);
});

test("formatFixed3 rounds like Python's '{:0.3f}' (exact ties to even)", () => {
  assert.deepEqual([0.0625, 0.1875, 0.3125, 0.5625, 0.6875, 0.9375, 0.0005, 1 / 3, -1, 1].map(formatFixed3), [
    '0.062',
    '0.188',
    '0.312',
    '0.562',
    '0.688',
    '0.938',
    '0.001',
    '0.333',
    '-1.000',
    '1.000',
  ]);
});

test('bad input is a CocoFormatError naming the problem', () => {
  const gt = groundTruth([[1, 1, small]], 1, 1);
  const cases: [unknown, unknown, RegExp][] = [
    [gt, [{ image_id: 9, category_id: 1, bbox: small, score: 1 }], /detection 0: image_id 9 is not an image of the ground truth/],
    [gt, [{ image_id: 1, category_id: 7, bbox: small, score: 1 }], /detection 0: category_id 7 is not a category of the ground truth/],
    [gt, [{ image_id: 1, category_id: 1, bbox: [0, 0, -1, 5], score: 1 }], /detection 0: negative box size in bbox \[0,0,-1,5\]/],
    [gt, [{ image_id: 1, category_id: 1, bbox: [0, 0, 1], score: 1 }], /bbox is \[0,0,1\], not \[x, y, width, height\]/],
    [gt, [{ image_id: 1, category_id: 1, bbox: small }], /score is missing/],
    [gt, { image_id: 1 }, /expected a JSON list/],
    [{ images: [] }, [], /'annotations' is missing/],
    [groundTruth([[1, 3, small]], 1, 1), [], /annotation 1: category_id 3 is not in categories/],
    [groundTruth([[1, 1, [0, 0, 5, -5]]], 1, 1), [], /annotation 1: negative box size/],
  ];
  for (const [g, d, message] of cases)
    assert.throws(
      () => evaluateCoco(g, d),
      (e: unknown) => e instanceof CocoFormatError && message.test(e.message),
      String(message),
    );
});

test('duplicate ids are refused: annotation, image and category ids must be unique (pycocotools keeps only one of each)', () => {
  const gt = groundTruth(
    [
      [1, 1, small],
      [2, 1, medium],
      [2, 1, large],
    ],
    2,
    1,
  );
  const dup = (f: (g: ReturnType<typeof groundTruth>) => void) => {
    const g = structuredClone(gt);
    f(g);
    return g;
  };
  const cases: [unknown, RegExp][] = [
    // Two merged COCO files without renumbering: ids 1..3 and again 1..
    [dup((g) => (g.annotations[2]!.id = 2)), /^ground truth: annotation id 2 appears twice \(annotations\[1\] and annotations\[2\]\)$/],
    // An annotation without id is numbered by its position: 2 collides with the second one's explicit 2.
    [
      dup((g) => (((g.annotations[0] as { id?: number }).id = undefined), (g.annotations[2]!.id = 1))),
      /annotation id 1 appears twice \(annotations\[0\] \(numbered by position\) and annotations\[2\]\)/,
    ],
    [dup((g) => g.images.push({ id: 1 })), /^ground truth: image id 1 appears twice \(images\[0\] and images\[2\]\)$/],
    [
      dup((g) => g.categories.push({ id: 1, name: 'again' })),
      /^ground truth: category id 1 appears twice \(categories\[0\] and categories\[1\]\)$/,
    ],
  ];
  for (const [g, message] of cases)
    assert.throws(
      () => evaluateCoco(g, []),
      (e: unknown) => e instanceof CocoFormatError && message.test(e.message),
      String(message),
    );
});

test('string ids: image and category ids sorted as Python sorts them (pycocotools does), 1 and "1" distinct annotation ids', () => {
  const images = ['b', '\uffff', 'a', '\u{1f600}'];
  const gt = {
    images: images.map((id) => ({ id })),
    categories: [{ id: 'cat' }],
    annotations: [
      { id: 1, image_id: 'a', category_id: 'cat', bbox: small },
      { id: '1', image_id: 'b', category_id: 'cat', bbox: small },
    ],
  };
  const e = evaluateCoco(gt, [{ image_id: 'a', category_id: 'cat', bbox: small, score: 0.9 }]);
  // Code point order: U+FFFF before U+1F600 (JavaScript's default sort compares UTF-16 units and puts the emoji first).
  assert.deepEqual(e.imageIds, ['a', 'b', '\uffff', '\u{1f600}']);
  assert.equal(e.named.AR100, 0.5);
});
