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
