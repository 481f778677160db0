/** RetinaNet's per-anchor training targets, packed in the rows its loss reads. */
import type { Anchors } from '../anchors.js';
import { assignAnchors, IGNORE } from '../assign.js';

/** The true boxes of a set of images: per image, `[x1, y1, x2, y2]` per object and its class (0…K−1). */
export interface GroundTruthBoxes {
  /** Number of images. */
  count: number;
  /** Per image: `[x1, y1, x2, y2]` per object. */
  boxes: Float32Array[];
  /** Per image: the class (0…K−1) per object. */
  classes: Int32Array[];
}

/** Per-anchor training targets of an image set, packed as the loss reads them. */
export interface DetectionTargets {
  /** Anchors per image. */
  anchors: number;
  /** Per image: [anchors, K + 6] = one-hot classes (K), weight (0 on ignored), 4 encoded box deltas, positive flag. */
  packed: Float32Array;
  /** Positive anchors over all images. */
  numPositive: number;
  /** Background anchors over all images. */
  numNegative: number;
  /** Ignored anchors over all images. */
  numIgnored: number;
  /** Positive anchors per class. */
  perClassPositive: number[];
}

/** Width of a packed target row: K classes, weight, 4 deltas, positive flag. */
export const targetRowWidth = (numClasses: number) => numClasses + 6;

/** Assigns every image's boxes to the anchors (IoU ≥ 0.5 positive, < 0.4 negative, best anchor claimed). */
export function detectionTargets(truth: GroundTruthBoxes, anchors: Anchors, numClasses: number): DetectionTargets {
  const n = anchors.count;
  const w = targetRowWidth(numClasses);
  const packed = new Float32Array(truth.count * n * w);
  let numPositive = 0;
  let numNegative = 0;
  let numIgnored = 0;
  const perClassPositive = new Array<number>(numClasses).fill(0);
  for (let s = 0; s < truth.count; s++) {
    const t = assignAnchors(anchors.boxes, truth.boxes[s]!, truth.classes[s]!);
    numPositive += t.numPositive;
    numNegative += t.numNegative;
    numIgnored += t.numIgnored;
    const base = s * n * w;
    for (let a = 0; a < n; a++) {
      const label = t.labels[a]!;
      const row = base + a * w;
      if (label === IGNORE) continue;
      packed[row + numClasses] = 1;
      if (label > 0) {
        packed[row + label - 1] = 1;
        perClassPositive[label - 1]!++;
        for (let j = 0; j < 4; j++) packed[row + numClasses + 1 + j] = t.boxTargets[4 * a + j]!;
        packed[row + numClasses + 5] = 1;
      }
    }
  }
  return { anchors: n, packed, numPositive, numNegative, numIgnored, perClassPositive };
}

/** "1:N" ratio of positive to negative anchors and the per-class positives, in words. */
export function anchorRatioWords(t: DetectionTargets): string {
  const total = t.perClassPositive.reduce((a, b) => a + b, 0);
  const perClass = t.perClassPositive.map((c, k) => `${k}: 1:${c > 0 ? Math.round(t.numNegative / c) : '∞'}`).join(', ');
  return (
    `anchor-level positive : negative = 1:${Math.round(t.numNegative / Math.max(1, t.numPositive))} ` +
    `(${t.numPositive} positive, ${t.numNegative} negative, ${t.numIgnored} ignored anchors; ${total} positives); ` +
    `per class (positive : negative): ${perClass}`
  );
}

/**
 * One feature level's targets for a batch, as {@link retinaNetLoss} reads them; `rows` = images
 * of the batch × anchors of the level, image-major.
 */
export interface LevelTargets<T = Float32Array> {
  /** `[rows, K]` one-hot classes (all 0 for background and ignored anchors). */
  classes: T;
  /** `[rows, K]`: 1, or 0 on ignored anchors: the ignore weight, already repeated over the K classes. */
  weights: T;
  /** `[rows, 4]` encoded box deltas (0 off the positives). */
  boxTargets: T;
  /** `[rows, 1]`: 1 on positive anchors. */
  positive: T;
}

/** A batch's targets level by level, and its number of positive anchors (the loss's normaliser). */
export interface BatchTargets<T = Float32Array> {
  /** Per feature level, finest first, as the anchors' `levels`. */
  levels: LevelTargets<T>[];
  /** Positive anchors in the batch. */
  numPositive: number;
}

/**
 * The targets of the images `images` (indices into `targets`), cut into the anchors' feature
 * levels and laid out as the loss reads them, so that training needs no slicing or broadcasting.
 */
export function batchTargets(
  targets: DetectionTargets,
  images: readonly number[],
  levels: readonly { start: number; count: number }[],
  numClasses: number,
): BatchTargets {
  const K = numClasses;
  const w = targetRowWidth(K);
  const n = targets.anchors;
  let numPositive = 0;
  const out = levels.map(({ start, count }) => {
    const rows = images.length * count;
    const level: LevelTargets = {
      classes: new Float32Array(rows * K),
      weights: new Float32Array(rows * K),
      boxTargets: new Float32Array(rows * 4),
      positive: new Float32Array(rows),
    };
    images.forEach((image, i) => {
      for (let a = 0; a < count; a++) {
        const src = (image * n + start + a) * w;
        const row = i * count + a;
        // Most anchors are background: weight 1, everything else 0 as allocated.
        const weight = targets.packed[src + K]!;
        if (weight !== 0) level.weights.fill(weight, row * K, row * K + K);
        const positive = targets.packed[src + K + 5]!;
        if (positive === 0) continue;
        level.classes.set(targets.packed.subarray(src, src + K), row * K);
        level.boxTargets.set(targets.packed.subarray(src + K + 1, src + K + 5), row * 4);
        level.positive[row] = positive;
        numPositive += positive;
      }
    });
    return level;
  });
  return { levels: out, numPositive };
}
