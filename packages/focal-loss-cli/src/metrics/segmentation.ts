/**
 * Foreground segmentation metrics over all pixels of all images (pooled counts, so that
 * images without foreground do not produce undefined per-image scores). Pixels labelled
 * with the ignore label are left out, as in training.
 */

/** Pooled foreground metrics. */
export interface SegmentationMetrics {
  iou: number;
  dice: number;
  precision: number;
  recall: number;
}

/**
 * Compares `predicted` (1 foreground / 0 background) with `labels` (1 / 0 / `ignoreLabel`).
 * A metric whose denominator is 0 is 0 (e.g. precision of an empty prediction).
 */
export function segmentationMetrics(predicted: ArrayLike<number>, labels: ArrayLike<number>, ignoreLabel = -1): SegmentationMetrics {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (label === ignoreLabel) continue;
    const p = predicted[i]! > 0;
    if (label === 1) {
      if (p) tp++;
      else fn++;
    } else if (p) fp++;
  }
  const safe = (num: number, den: number) => (den > 0 ? num / den : 0);
  return {
    iou: safe(tp, tp + fp + fn),
    dice: safe(2 * tp, 2 * tp + fp + fn),
    precision: safe(tp, tp + fp),
    recall: safe(tp, tp + fn),
  };
}
