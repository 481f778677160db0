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
  /** Clip boxes to [0, imageWidth] × [0, imageHeight] when given. */
  imageHeight?: number;
  imageWidth?: number;
  boxCoder?: BoxCoderOptions;
}

/** Detections of one image, highest score first. */
export interface Detections {
  /** `[x1, y1, x2, y2]` per detection. */
  boxes: Float32Array;
  scores: Float32Array;
  /** 0-based class per detection. */
  classes: Int32Array;
  count: number;
}

/** Where each level's anchors start and how many there are (e.g. {@link generateAnchors}`().levels`). */
export interface LevelSpan {
  start: number;
  count: number;
}

/**
 * Greedy non-maximum suppression: visits boxes by decreasing score (the earlier of equal
 * scores first) and keeps a box unless its IoU with an already kept box is greater than
 * `iouThreshold` (torchvision's rule). Returns the kept indices, highest score first.
 */
export function nonMaxSuppression(boxes: ArrayLike<number>, scores: ArrayLike<number>, iouThreshold: number, maxOutput = Infinity): number[] {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const keep: number[] = [];
  for (const i of order) {
    if (keep.length >= maxOutput) break;
    if (keep.every((k) => boxIou(boxes, i, boxes, k) <= iouThreshold)) keep.push(i);
  }
  return keep;
}

/**
 * {@link nonMaxSuppression} within each class separately (boxes of different classes never
 * suppress each other). Returns kept indices, highest score first.
 */
export function batchedNonMaxSuppression(boxes: ArrayLike<number>, scores: ArrayLike<number>, classes: ArrayLike<number>, iouThreshold: number): number[] {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < classes.length; i++) {
    const list = byClass.get(classes[i]!);
    if (list) list.push(i);
    else byClass.set(classes[i]!, [i]);
  }
  const keep: number[] = [];
  for (const members of byClass.values()) {
    const sub = new Float64Array(members.length * 4);
    members.forEach((i, j) => sub.set([boxes[4 * i]!, boxes[4 * i + 1]!, boxes[4 * i + 2]!, boxes[4 * i + 3]!], 4 * j));
    const subScores = members.map((i) => scores[i]!);
    for (const j of nonMaxSuppression(sub, subScores, iouThreshold)) keep.push(members[j]!);
  }
  return keep.sort((a, b) => scores[b]! - scores[a]! || a - b);
}

/**
 * Detections of one image from the heads' outputs.
 *
 * @param scores class probabilities (after the sigmoid), `[N, numClasses]` row-major, rows in anchor order.
 * @param deltas box regression `[N, 4]` (encoded (dx, dy, dw, dh)), rows in anchor order.
 * @param anchors `[x1, y1, x2, y2]` per anchor.
 * @param levels each level's span of anchors (top k is taken per level); default: one level.
 */
export function decodeDetections(
  scores: ArrayLike<number>,
  deltas: ArrayLike<number>,
  anchors: ArrayLike<number>,
  numClasses: number,
  levels?: readonly LevelSpan[],
  options: DetectOptions = {},
): Detections {
  const threshold = options.scoreThreshold ?? 0.05;
  const topK = options.topKPerLevel ?? 1000;
  const nmsIou = options.nmsIou ?? 0.5;
  const maxDetections = options.maxDetections ?? 100;
  const n = anchors.length / 4;
  if (scores.length !== n * numClasses) throw new Error(`decodeDetections: ${scores.length} scores for ${n} anchors × ${numClasses} classes`);
  if (deltas.length !== n * 4) throw new Error(`decodeDetections: ${deltas.length / 4} box deltas for ${n} anchors`);
  const spans = levels ?? [{ start: 0, count: n }];

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
  const out: Detections = { boxes: new Float32Array(keep.length * 4), scores: new Float32Array(keep.length), classes: new Int32Array(keep.length), count: keep.length };
  keep.forEach((i, j) => {
    out.boxes.set(boxes.subarray(4 * i, 4 * i + 4), 4 * j);
    out.scores[j] = candScores[i]!;
    out.classes[j] = candClasses[i]!;
  });
  return out;
}
