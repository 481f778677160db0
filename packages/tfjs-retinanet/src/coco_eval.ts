/**
 * COCO bbox evaluation with the semantics of pycocotools' `COCOeval` (evaluate, accumulate,
 * summarize), written from its documented behaviour:
 *
 * - Per image and category, detections sorted by score (stable) and cut to the largest
 *   maxDets (100); ground truth outside the area range or crowd is "ignored".
 * - Greedy matching at each IoU threshold t ∈ .50:.05:.95: each detection, in score order,
 *   takes the unmatched ground truth of highest IoU ≥ t, preferring non-ignored ones; a crowd
 *   region may take any number of detections, and its IoU is intersection / detection area.
 *   Detections matched to ignored ground truth, and unmatched detections outside the area
 *   range, are ignored.
 * - Per category, area range and maxDets (1, 10, 100 per image and category): detections of
 *   all images ranked by score; precision at the 101 recall thresholds 0:.01:1 from the
 *   monotone (non-increasing) envelope of the precision–recall curve, 0 beyond the reached
 *   recall; -1 where the category has no non-ignored ground truth in that range.
 * - Summary: means over the entries that are not -1 (-1 when none), 12 numbers in
 *   pycocotools' order.
 *
 * Floating point follows pycocotools too (numpy's `linspace` thresholds, the `spacing(1)`
 * term in precision, numpy's pairwise summation in the means), so the numbers agree to the
 * last bit in the cases checked. One deliberate difference: pycocotools treats a match to a
 * ground-truth annotation whose id is 0 as no match (it stores ids and tests them for 0);
 * here matches are tracked by position.
 */
import {
  checkCocoGroundTruth,
  checkCocoResults,
  type CheckedGroundTruth,
  type CocoId,
  type DtRecord,
  type GtRecord,
} from './coco_format.js';

/** numpy.linspace(start, stop, num): `i * step + start`, the last one exactly `stop`. */
function linspace(start: number, stop: number, num: number): number[] {
  const step = (stop - start) / (num - 1);
  return Array.from({ length: num }, (_, i) => (i === num - 1 ? stop : i * step + start));
}

/** IoU thresholds .50:.05:.95 (10 values, as numpy computes them). */
export const COCO_IOU_THRESHOLDS: readonly number[] = linspace(0.5, 0.95, 10);
/** Recall thresholds 0:.01:1 (101 values, as numpy computes them). */
export const COCO_RECALL_THRESHOLDS: readonly number[] = linspace(0, 1, 101);
/** Maximum detections per image and category. */
export const COCO_MAX_DETS: readonly number[] = [1, 10, 100];
/** Object area ranges (both ends inclusive, as pycocotools). */
export const COCO_AREA_RANGES: readonly {
  /** The range's name, as in the summary ('small' is APs, ARs). */
  label: 'all' | 'small' | 'medium' | 'large';
  /** Smallest area in the range, in pixels². */
  min: number;
  /** Largest area in the range, in pixels². */
  max: number;
}[] = [
  { label: 'all', min: 0, max: 1e5 ** 2 },
  { label: 'small', min: 0, max: 32 ** 2 },
  { label: 'medium', min: 32 ** 2, max: 96 ** 2 },
  { label: 'large', min: 96 ** 2, max: 1e5 ** 2 },
];
/** Names of the 12 summary numbers, in pycocotools' order. */
export const COCO_STAT_NAMES = ['AP', 'AP50', 'AP75', 'APs', 'APm', 'APl', 'AR1', 'AR10', 'AR100', 'ARs', 'ARm', 'ARl'] as const;
/** The name of one of the 12 summary numbers ('AP', 'AP50', ..., 'ARl'). */
export type CocoStatName = (typeof COCO_STAT_NAMES)[number];

/** numpy's `spacing(1)`: added to the precision denominator. */
const EPS = 2 ** -52;

/** Result of {@link evaluateCoco}. */
export interface CocoEvaluation {
  /** The 12 summary numbers in pycocotools' order ({@link COCO_STAT_NAMES}); -1 where undefined. */
  stats: number[];
  /** The same, by name. */
  named: Record<CocoStatName, number>;
  /** pycocotools' `eval['precision']`, `[T, R, K, A, M]` row-major; -1 where undefined. */
  precision: Float64Array;
  /** pycocotools' `eval['recall']`, `[T, K, A, M]` row-major; -1 where undefined. */
  recall: Float64Array;
  /** Sizes: IoU thresholds, recall thresholds, categories, area ranges, maxDets. */
  shape: {
    /** Number of IoU thresholds ({@link COCO_IOU_THRESHOLDS}). */
    T: number;
    /** Number of recall thresholds ({@link COCO_RECALL_THRESHOLDS}). */
    R: number;
    /** Number of categories. */
    K: number;
    /** Number of area ranges ({@link COCO_AREA_RANGES}). */
    A: number;
    /** Number of maxDets settings ({@link COCO_MAX_DETS}). */
    M: number;
  };
  /** The image ids evaluated, sorted ascending. */
  imageIds: CocoId[];
  /** The category ids evaluated (the order of K), sorted ascending. */
  categoryIds: CocoId[];
}

/** Bbox IoU of detection d with ground truth g (`[x, y, w, h]`); a crowd g is divided by the detection's area. */
function cocoIou(d: readonly number[], g: readonly number[], crowd: boolean): number {
  const w = Math.min(d[2]! + d[0]!, g[2]! + g[0]!) - Math.max(d[0]!, g[0]!);
  if (w <= 0) return 0;
  const h = Math.min(d[3]! + d[1]!, g[3]! + g[1]!) - Math.max(d[1]!, g[1]!);
  if (h <= 0) return 0;
  const inter = w * h;
  const da = d[2]! * d[3]!;
  return inter / (crowd ? da : da + g[2]! * g[3]! - inter);
}

/** Stable sort of indices 0..n-1 by decreasing key (numpy's mergesort of -key). */
function orderByDescending(keys: readonly number[]): number[] {
  return keys.map((_, i) => i).sort((a, b) => keys[b]! - keys[a]!);
}

/** One image × category × area range after matching (pycocotools' `evalImgs` entry). */
interface ImageEval {
  /** Scores of the kept detections, highest first. */
  scores: number[];
  /** [T × D]: 1 when detection d is matched at threshold t. */
  matched: Uint8Array;
  /** [T × D]: 1 when detection d is ignored at threshold t. */
  ignored: Uint8Array;
  /** Number of ground-truth boxes not ignored. */
  numGt: number;
}

function evaluateImage(
  gts: readonly GtRecord[],
  dts: readonly DtRecord[],
  ious: Float64Array,
  area: { min: number; max: number },
): ImageEval | null {
  if (gts.length === 0 && dts.length === 0) return null;
  const T = COCO_IOU_THRESHOLDS.length;
  const G = gts.length;
  const D = dts.length;
  const gtIgnoreRaw = gts.map((g) => g.crowd || g.area < area.min || g.area > area.max);
  // Ground truth not ignored first (stable).
  const gOrder = [...gtIgnoreRaw.keys()].sort((a, b) => Number(gtIgnoreRaw[a]) - Number(gtIgnoreRaw[b]));
  const gtIgnore = gOrder.map((g) => gtIgnoreRaw[g]!);
  const crowd = gOrder.map((g) => gts[g]!.crowd);
  const matched = new Uint8Array(T * D);
  const ignored = new Uint8Array(T * D);
  if (G > 0 && D > 0) {
    for (let t = 0; t < T; t++) {
      const gtTaken = new Uint8Array(G);
      for (let d = 0; d < D; d++) {
        let best = Math.min(COCO_IOU_THRESHOLDS[t]!, 1 - 1e-10);
        let m = -1;
        for (let j = 0; j < G; j++) {
          if (gtTaken[j] && !crowd[j]) continue;
          // Already matched to a regular box and only ignored boxes are left.
          if (m > -1 && !gtIgnore[m] && gtIgnore[j]) break;
          const v = ious[d * G + gOrder[j]!]!;
          if (v < best) continue;
          best = v;
          m = j;
        }
        if (m === -1) continue;
        ignored[t * D + d] = gtIgnore[m] ? 1 : 0;
        matched[t * D + d] = 1;
        gtTaken[m] = 1;
      }
    }
  }
  for (let d = 0; d < D; d++) {
    const outside = dts[d]!.area < area.min || dts[d]!.area > area.max;
    if (!outside) continue;
    for (let t = 0; t < T; t++) if (!matched[t * D + d]) ignored[t * D + d] = 1;
  }
  return { scores: dts.map((d) => d.score), matched, ignored, numGt: gtIgnore.filter((x) => !x).length };
}

/**
 * numpy's sum of a contiguous float64 vector: pairwise summation in blocks of 128 with an
 * 8-way unrolled inner loop. Reproduced so that the means agree with pycocotools bit for bit.
 */
function numpySum(a: readonly number[], start = 0, n = a.length): number {
  if (n < 8) {
    let s = 0;
    for (let i = start; i < start + n; i++) s += a[i]!;
    return s;
  }
  if (n <= 128) {
    const r = [0, 1, 2, 3, 4, 5, 6, 7].map((j) => a[start + j]!);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j]! += a[start + i + j]!;
    let s = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
    for (; i < n; i++) s += a[start + i]!;
    return s;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return numpySum(a, start, n2) + numpySum(a, start + n2, n - n2);
}

/**
 * Evaluates COCO-format detections against COCO-format ground truth (bbox), as pycocotools'
 * `COCOeval(gt, gt.loadRes(results), 'bbox')` with `evaluate(); accumulate(); summarize()`.
 * Both inputs are checked first ({@link checkCocoGroundTruth}, {@link checkCocoResults}); a
 * problem is a `CocoFormatError`. An empty results list is allowed (pycocotools fails on it): AP
 * and AR are then 0 where ground truth exists.
 */
export function evaluateCoco(groundTruth: unknown, results: unknown): CocoEvaluation {
  const gt = checkCocoGroundTruth(groundTruth);
  const dt = checkCocoResults(results, gt);
  return evaluateChecked(gt, dt);
}

/** {@link evaluateCoco} on already checked records. */
export function evaluateChecked(gt: CheckedGroundTruth, dt: readonly DtRecord[]): CocoEvaluation {
  const { imageIds, categoryIds } = gt;
  const T = COCO_IOU_THRESHOLDS.length;
  const R = COCO_RECALL_THRESHOLDS.length;
  const K = categoryIds.length;
  const A = COCO_AREA_RANGES.length;
  const M = COCO_MAX_DETS.length;
  const maxDet = COCO_MAX_DETS[M - 1]!;

  // Boxes by (category, image) cell, numbered by position: ids may be numbers or strings, and 1 is not "1".
  const I = imageIds.length;
  const imageIndex = new Map(imageIds.map((id, i) => [id, i]));
  const categoryIndex = new Map(categoryIds.map((id, k) => [id, k]));
  const key = (imageId: CocoId, categoryId: CocoId) => categoryIndex.get(categoryId)! * I + imageIndex.get(imageId)!;
  const gtBy = new Map<number, GtRecord[]>();
  const dtBy = new Map<number, DtRecord[]>();
  const add = <V>(map: Map<number, V[]>, k: number, v: V) => {
    const list = map.get(k);
    if (list) list.push(v);
    else map.set(k, [v]);
  };
  for (const g of gt.annotations) add(gtBy, key(g.imageId, g.categoryId), g);
  for (const d of dt) add(dtBy, key(d.imageId, d.categoryId), d);

  // evals[(k * A + a) * I + i]
  const evals: (ImageEval | null)[] = new Array(K * A * I).fill(null);
  for (let k = 0; k < K; k++) {
    for (let i = 0; i < I; i++) {
      const gts = gtBy.get(k * I + i) ?? [];
      const all = dtBy.get(k * I + i) ?? [];
      const dts = orderByDescending(all.map((d) => d.score))
        .slice(0, maxDet)
        .map((j) => all[j]!);
      const ious = new Float64Array(dts.length * gts.length);
      for (const [d, det] of dts.entries())
        for (const [g, box] of gts.entries()) ious[d * gts.length + g] = cocoIou(det.bbox, box.bbox, box.crowd);
      for (const [a, area] of COCO_AREA_RANGES.entries()) evals[(k * A + a) * I + i] = evaluateImage(gts, dts, ious, area);
    }
  }

  const precision = new Float64Array(T * R * K * A * M).fill(-1);
  const recall = new Float64Array(T * K * A * M).fill(-1);
  for (let k = 0; k < K; k++) {
    for (let a = 0; a < A; a++) {
      const entries = evals.slice((k * A + a) * I, (k * A + a + 1) * I).filter((e): e is ImageEval => e !== null);
      if (entries.length === 0) continue;
      const numGt = entries.reduce((s, e) => s + e.numGt, 0);
      if (numGt === 0) continue;
      for (const [m, md] of COCO_MAX_DETS.entries()) {
        // Concatenate the first md detections of each image, then rank them all by score (stable).
        const scores: number[] = [];
        const source: [ImageEval, number][] = [];
        for (const e of entries) {
          for (let d = 0; d < Math.min(md, e.scores.length); d++) {
            scores.push(e.scores[d]!);
            source.push([e, d]);
          }
        }
        const order = orderByDescending(scores);
        const nd = order.length;
        for (let t = 0; t < T; t++) {
          const pr = new Float64Array(nd);
          const rc = new Float64Array(nd);
          let tp = 0;
          let fp = 0;
          for (const [j, idx] of order.entries()) {
            const [e, d] = source[idx]!;
            const D = e.scores.length;
            if (!e.ignored[t * D + d]) {
              if (e.matched[t * D + d]) tp++;
              else fp++;
            }
            rc[j] = tp / numGt;
            pr[j] = tp / (fp + tp + EPS);
          }
          recall[((t * K + k) * A + a) * M + m] = nd > 0 ? rc[nd - 1]! : 0;
          for (let j = nd - 1; j > 0; j--) if (pr[j]! > pr[j - 1]!) pr[j - 1] = pr[j]!;
          let j = 0;
          for (let r = 0; r < R; r++) {
            // First position whose recall reaches the threshold (numpy searchsorted, side left).
            while (j < nd && rc[j]! < COCO_RECALL_THRESHOLDS[r]!) j++;
            precision[(((t * R + r) * K + k) * A + a) * M + m] = j < nd ? pr[j]! : 0;
          }
        }
      }
    }
  }

  const shape = { T, R, K, A, M };
  const stats = summarizeCoco(precision, recall, shape);
  const named = Object.fromEntries(COCO_STAT_NAMES.map((n, i) => [n, stats[i]!])) as Record<CocoStatName, number>;
  return { stats, named, precision, recall, shape, imageIds, categoryIds };
}

/** The 12 summary definitions: AP (true) or AR, IoU threshold (null: all), area label, maxDets. */
const SUMMARY: readonly [boolean, number | null, (typeof COCO_AREA_RANGES)[number]['label'], number][] = [
  [true, null, 'all', 100],
  [true, 0.5, 'all', 100],
  [true, 0.75, 'all', 100],
  [true, null, 'small', 100],
  [true, null, 'medium', 100],
  [true, null, 'large', 100],
  [false, null, 'all', 1],
  [false, null, 'all', 10],
  [false, null, 'all', 100],
  [false, null, 'small', 100],
  [false, null, 'medium', 100],
  [false, null, 'large', 100],
];

/**
 * pycocotools' `summarize()`: the 12 numbers from the precision and recall arrays; each the
 * mean of the defined (> -1) entries of its slice, -1 when none is defined.
 */
export function summarizeCoco(precision: Float64Array, recall: Float64Array, shape: CocoEvaluation['shape']): number[] {
  const { T, R, K, A, M } = shape;
  return SUMMARY.map(([ap, iouThr, areaLabel, maxDets]) => {
    const a = COCO_AREA_RANGES.findIndex((x) => x.label === areaLabel);
    const m = COCO_MAX_DETS.indexOf(maxDets);
    const ts = iouThr === null ? [...Array(T).keys()] : [COCO_IOU_THRESHOLDS.indexOf(iouThr)];
    const values: number[] = [];
    for (const t of ts) {
      if (ap) {
        for (let r = 0; r < R; r++) for (let k = 0; k < K; k++) values.push(precision[(((t * R + r) * K + k) * A + a) * M + m]!);
      } else {
        for (let k = 0; k < K; k++) values.push(recall[((t * K + k) * A + a) * M + m]!);
      }
    }
    const defined = values.filter((v) => v > -1);
    return defined.length === 0 ? -1 : numpySum(defined) / defined.length;
  });
}

/** `x` with 3 decimals as Python's `'{:0.3f}'` (exact ties round half to even; `toFixed` rounds them up). */
export function formatFixed3(x: number): string {
  const up = x.toFixed(3);
  const exact = Math.abs(x).toFixed(100);
  const tie = /^\d+\.\d{3}50*$/.test(exact);
  if (!tie) return up;
  const down = (Math.sign(x) * (Math.trunc(Math.abs(x) * 1000) / 1000)).toFixed(3);
  return Number(down.at(-1)) % 2 === 0 ? down : up;
}

/** The 12 lines that pycocotools' `summarize()` prints for bbox, in its format. */
export function formatCocoSummary(stats: readonly number[]): string[] {
  return SUMMARY.map(([ap, iouThr, areaLabel, maxDets], i) => {
    const title = (ap ? 'Average Precision' : 'Average Recall').padEnd(18);
    const type = ap ? '(AP)' : '(AR)';
    const iou = (iouThr === null ? '0.50:0.95' : iouThr.toFixed(2)).padEnd(9);
    return ` ${title} ${type} @[ IoU=${iou} | area=${areaLabel.padStart(6)} | maxDets=${String(maxDets).padStart(3)} ] = ${formatFixed3(stats[i]!)}`;
  });
}
