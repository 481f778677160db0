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

/**
 * Foreground IoU under bootstrap counts per image, pooled as {@link segmentationMetrics}
 * pools pixels: images are the resampling unit because pixels of one image are not
 * independent. `imagePixels` is the number of pixels per image.
 */
export function iouResampler(
  predicted: ArrayLike<number>,
  labels: ArrayLike<number>,
  imagePixels: number,
  ignoreLabel = -1,
): { units: number; metric(counts: ArrayLike<number>): number } {
  const images = labels.length / imagePixels;
  const hits = new Float64Array(images);
  const union = new Float64Array(images);
  for (let n = 0; n < images; n++) {
    for (let i = n * imagePixels; i < (n + 1) * imagePixels; i++) {
      const label = labels[i]!;
      if (label === ignoreLabel) continue;
      const p = predicted[i]! > 0;
      if (label === 1 && p) hits[n]!++;
      if (label === 1 || p) union[n]!++;
    }
  }
  return {
    units: images,
    metric(counts) {
      let tp = 0;
      let all = 0;
      for (let n = 0; n < images; n++) {
        tp += counts[n]! * hits[n]!;
        all += counts[n]! * union[n]!;
      }
      return all > 0 ? tp / all : 0;
    },
  };
}
