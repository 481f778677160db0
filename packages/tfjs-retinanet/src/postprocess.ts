/**
 * RetinaNet inference on one image: per level, keep (anchor, class) scores above a
 * threshold, the top k of them; decode their boxes; per-class non-maximum suppression; the
 * highest-scoring detections. Framework-free: pass `await tensor.data()` of the heads.
 */
import { decodeBoxes, type BoxCoderOptions } from './box_coder.js';
import { boxIou } from './boxes.js';

/** Options for {@link decodeDetections}; defaults are RetinaNet's. */
export interface DetectOptions {
  /** Keep (anchor, class) pairs with probability above this (default 0.05). */
  scoreThreshold?: number;
  /** At most this many candidates per level, highest scores first (default 1000). */
  topKPerLevel?: number;
  /** Per-class NMS: a box is dropped when its IoU with a kept higher-scoring box of its class exceeds this (default 0.5). */
  nmsIou?: number;
  /** At most this many detections per image (default 100). */
  maxDetections?: number;
  /** Image height in pixels: boxes are clipped to [0, imageWidth] × [0, imageHeight] (give both or neither). */
  imageHeight?: number;
  /** Image width in pixels, for clipping (give both or neither). */
  imageWidth?: number;
  /** How the regression outputs decode into boxes (as {@link decodeBoxes}). */
  boxCoder?: BoxCoderOptions;
}

/** Detections of one image, highest score first. */
export interface Detections {
  /** `[x1, y1, x2, y2]` per detection. */
  boxes: Float32Array;
  /** Score (probability) per detection. */
  scores: Float32Array;
  /** 0-based class per detection. */
  classes: Int32Array;
  /** Number of detections. */
  count: number;
}

/** Where each level's anchors start and how many there are (e.g. {@link generateAnchors}`().levels`). */
export interface LevelSpan {
  /** Index of the level's first anchor. */
  start: number;
  /** The level's number of anchors. */
  count: number;
}

/** A number in [0, 1] (`upper` 'closed') or [0, 1) ('open'); throws naming the function and option. */
function checkFraction(fn: string, name: string, value: unknown, upper: 'closed' | 'open'): number {
  const ok = typeof value === 'number' && value >= 0 && (upper === 'closed' ? value <= 1 : value < 1);
  if (!ok) throw new Error(`${fn}: ${name} must be a number in [0, 1${upper === 'closed' ? ']' : ')'}, got ${String(value)}`);
  return value;
}

/** An integer >= `min`, or Infinity (no cap). */
function checkCap(fn: string, name: string, value: unknown, min: number): number {
  if (value === Infinity || (Number.isInteger(value) && (value as number) >= min)) return value as number;
  throw new Error(`${fn}: ${name} must be an integer >= ${min} or Infinity, got ${String(value)}`);
}

/** `boxes` holds four numbers per score: throws naming the function otherwise. */
function checkBoxesForScores(fn: string, boxes: ArrayLike<number>, scores: ArrayLike<number>): void {
  if (boxes.length % 4 !== 0) throw new Error(`${fn}: boxes has ${boxes.length} numbers, not 4 per box`);
  if (scores.length !== boxes.length / 4) throw new Error(`${fn}: ${scores.length} scores for ${boxes.length / 4} boxes`);
}

/** Indices of the non-NaN scores, highest first (the earlier of equal scores first). */
function byScore(scores: ArrayLike<number>, indices: number[]): number[] {
  return indices.filter((i) => !Number.isNaN(scores[i])).sort((a, b) => scores[b]! - scores[a]! || a - b);
}

/** Greedy NMS over `candidates` (already in visiting order). */
function greedyKeep(boxes: ArrayLike<number>, candidates: number[], iouThreshold: number, maxOutput: number): number[] {
  const keep: number[] = [];
  for (const i of candidates) {
    if (keep.length >= maxOutput) break;
    // "Greater than" as torchvision: a NaN IoU (a box with a NaN coordinate) suppresses nothing.
    if (!keep.some((k) => boxIou(boxes, i, boxes, k) > iouThreshold)) keep.push(i);
  }
  return keep;
}

/**
 * Greedy non-maximum suppression: visits boxes by decreasing score (the earlier of equal
 * scores first) and keeps a box unless its IoU with an already kept box is greater than
 * `iouThreshold` (torchvision's rule; a box with a NaN coordinate has IoU NaN, which
 * suppresses nothing). A NaN score is dropped: that box is never kept and suppresses
 * nothing (sorted by score it would otherwise come first and suppress the real boxes).
 * Returns the kept indices, highest score first.
 *
 * @param boxes `[x1, y1, x2, y2]` per box, one box per score.
 * @param iouThreshold in [0, 1].
 * @param maxOutput at most this many indices (an integer >= 0; default Infinity).
 */
export function nonMaxSuppression(
  boxes: ArrayLike<number>,
  scores: ArrayLike<number>,
  iouThreshold: number,
  maxOutput = Infinity,
): number[] {
  const fn = 'nonMaxSuppression';
  checkBoxesForScores(fn, boxes, scores);
  checkFraction(fn, 'iouThreshold', iouThreshold, 'closed');
  checkCap(fn, 'maxOutput', maxOutput, 0);
  const all = Array.from({ length: scores.length }, (_, i) => i);
  return greedyKeep(boxes, byScore(scores, all), iouThreshold, maxOutput);
}

/**
 * {@link nonMaxSuppression} within each class separately (boxes of different classes never
 * suppress each other); NaN scores are dropped. Returns kept indices, highest score first.
 */
export function batchedNonMaxSuppression(
  boxes: ArrayLike<number>,
  scores: ArrayLike<number>,
  classes: ArrayLike<number>,
  iouThreshold: number,
): number[] {
  const fn = 'batchedNonMaxSuppression';
  checkBoxesForScores(fn, boxes, scores);
  if (classes.length !== scores.length) throw new Error(`${fn}: ${classes.length} classes for ${scores.length} scores`);
  checkFraction(fn, 'iouThreshold', iouThreshold, 'closed');
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < classes.length; i++) {
    const list = byClass.get(classes[i]!);
    if (list) list.push(i);
    else byClass.set(classes[i]!, [i]);
  }
  const keep: number[] = [];
  for (const members of byClass.values()) keep.push(...greedyKeep(boxes, byScore(scores, members), iouThreshold, Infinity));
  return keep.sort((a, b) => scores[b]! - scores[a]! || a - b);
}

/** The levels tile anchors [0, n) in order: each starts where the previous ends. */
function checkLevels(fn: string, levels: readonly LevelSpan[], n: number): void {
  let end = 0;
  levels.forEach(({ start, count }, i) => {
    for (const [name, v] of [
      ['start', start],
      ['count', count],
    ] as const) {
      if (!Number.isInteger(v) || v < 0) throw new Error(`${fn}: levels[${i}].${name} must be an integer >= 0, got ${String(v)}`);
    }
    if (start !== end) {
      const previous = i === 0 ? 'the anchors start at 0' : `levels[${i - 1}] ends at ${end}`;
      throw new Error(`${fn}: levels[${i}] starts at anchor ${start} but ${previous}; levels must cover the anchors in order`);
    }
    end = start + count;
  });
  if (end !== n) throw new Error(`${fn}: levels cover ${end} of the ${n} anchors; they must cover all of them, in order`);
}

/** Both image sides (finite, > 0) or neither. */
function checkImageSize(fn: string, width: unknown, height: unknown): void {
  if ((width === undefined) !== (height === undefined)) {
    throw new Error(
      `${fn}: imageWidth and imageHeight go together (clipping needs both), got imageWidth ${String(width)} and imageHeight ${String(height)}`,
    );
  }
  for (const [name, v] of [
    ['imageWidth', width],
    ['imageHeight', height],
  ] as const) {
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v > 0))
      throw new Error(`${fn}: ${name} must be a finite number > 0, got ${String(v)}`);
  }
}

/**
 * Detections of one image from the heads' outputs. Sizes must agree (N anchors, N ×
 * numClasses scores, N × 4 deltas, levels tiling the N anchors in order) and the options be
 * in range, else this throws naming the argument. A NaN score fails the threshold and is
 * dropped, like one below it.
 *
 * @param scores class probabilities (after the sigmoid), `[N, numClasses]` row-major, rows in anchor order.
 * @param deltas box regression `[N, 4]` (encoded (dx, dy, dw, dh)), rows in anchor order.
 * @param anchors `[x1, y1, x2, y2]` per anchor.
 * @param numClasses an integer >= 1.
 * @param levels each level's span of anchors (top k is taken per level), covering all anchors
 *   in order (as {@link generateAnchors}`().levels`); default: one level.
 * @param options scoreThreshold in [0, 1), nmsIou in [0, 1], topKPerLevel and maxDetections
 *   integers >= 1 or Infinity, imageWidth and imageHeight (both or neither) finite and > 0.
 */
export function decodeDetections(
  scores: ArrayLike<number>,
  deltas: ArrayLike<number>,
  anchors: ArrayLike<number>,
  numClasses: number,
  levels?: readonly LevelSpan[],
  options: DetectOptions = {},
): Detections {
  const fn = 'decodeDetections';
  const threshold = checkFraction(fn, 'scoreThreshold', options.scoreThreshold ?? 0.05, 'open');
  const topK = checkCap(fn, 'topKPerLevel', options.topKPerLevel ?? 1000, 1);
  const nmsIou = checkFraction(fn, 'nmsIou', options.nmsIou ?? 0.5, 'closed');
  const maxDetections = checkCap(fn, 'maxDetections', options.maxDetections ?? 100, 1);
  checkImageSize(fn, options.imageWidth, options.imageHeight);
  if (anchors.length % 4 !== 0) throw new Error(`${fn}: anchors has ${anchors.length} numbers, not 4 per anchor`);
  const n = anchors.length / 4;
  if (!Number.isInteger(numClasses) || numClasses < 1)
    throw new Error(`${fn}: numClasses must be an integer >= 1, got ${String(numClasses)}`);
  if (scores.length !== n * numClasses) throw new Error(`${fn}: ${scores.length} scores for ${n} anchors × ${numClasses} classes`);
  if (deltas.length !== n * 4) throw new Error(`${fn}: ${deltas.length / 4} box deltas for ${n} anchors`);
  const spans = levels ?? [{ start: 0, count: n }];
  checkLevels(fn, spans, n);

  const anchorIdx: number[] = [];
  const candScores: number[] = [];
  const candClasses: number[] = [];
  for (const { start, count } of spans) {
    const level: number[] = [];
    for (let k = start * numClasses; k < (start + count) * numClasses; k++) if (scores[k]! > threshold) level.push(k);
    level.sort((a, b) => scores[b]! - scores[a]! || a - b);
    for (const k of level.slice(0, topK)) {
      anchorIdx.push(Math.floor(k / numClasses));
      candClasses.push(k % numClasses);
      candScores.push(scores[k]!);
    }
  }
  const selectedDeltas = new Float64Array(anchorIdx.length * 4);
  anchorIdx.forEach((a, i) => selectedDeltas.set([deltas[4 * a]!, deltas[4 * a + 1]!, deltas[4 * a + 2]!, deltas[4 * a + 3]!], 4 * i));
  const boxes = decodeBoxes(selectedDeltas, anchors, options.boxCoder, anchorIdx);
  const { imageWidth, imageHeight } = options;
  if (imageWidth !== undefined && imageHeight !== undefined) {
    // x at even positions, y at odd ones.
    for (let i = 0; i < boxes.length; i++) boxes[i] = Math.min(Math.max(boxes[i]!, 0), i % 2 === 0 ? imageWidth : imageHeight);
  }
  const keep = batchedNonMaxSuppression(boxes, candScores, candClasses, nmsIou).slice(0, maxDetections);
  const out: Detections = {
    boxes: new Float32Array(keep.length * 4),
    scores: new Float32Array(keep.length),
    classes: new Int32Array(keep.length),
    count: keep.length,
  };
  keep.forEach((i, j) => {
    out.boxes.set(boxes.subarray(4 * i, 4 * i + 4), 4 * j);
    out.scores[j] = candScores[i]!;
    out.classes[j] = candClasses[i]!;
  });
  return out;
}
