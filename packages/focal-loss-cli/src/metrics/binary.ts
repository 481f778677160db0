/**
 * Binary classification metrics from scores (predicted probability of the positive
 * class) and 0/1 labels. Every function takes optional per-sample weights so that the
 * same code reports the test set as it is and re-weighted to the training prior.
 */

/** A point of the precision-recall curve: predicting positive for score >= threshold. */
export interface PrPoint {
  threshold: number;
  precision: number;
  recall: number;
}

/** Precision, recall and F1 at one threshold. */
export interface ThresholdMetrics {
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
}

const weightOf = (weights: ArrayLike<number> | undefined, i: number) => (weights ? weights[i]! : 1);

/**
 * Weighted true/false-positive totals after each distinct score, scanning from the
 * highest score down. Tied scores form one step, so the result does not depend on the
 * order of ties.
 */
function cumulativeCounts(scores: ArrayLike<number>, labels: ArrayLike<number>, weights?: ArrayLike<number>) {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const thresholds: number[] = [];
  const tp: number[] = [];
  const fp: number[] = [];
  let t = 0;
  let f = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (labels[i]) t += weightOf(weights, i);
    else f += weightOf(weights, i);
    const next = order[k + 1];
    if (next === undefined || scores[next]! !== scores[i]!) {
      thresholds.push(scores[i]!);
      tp.push(t);
      fp.push(f);
    }
  }
  return { thresholds, tp, fp, positives: t, negatives: f };
}

/**
 * Precision-recall curve, one point per distinct score (highest threshold first).
 * Recall is NaN-free only when there is at least one positive.
 */
export function precisionRecallCurve(scores: ArrayLike<number>, labels: ArrayLike<number>, weights?: ArrayLike<number>): PrPoint[] {
  const { thresholds, tp, fp, positives } = cumulativeCounts(scores, labels, weights);
  return thresholds.map((threshold, k) => ({
    threshold,
    precision: tp[k]! / (tp[k]! + fp[k]!),
    recall: positives > 0 ? tp[k]! / positives : 0,
  }));
}

/**
 * Average precision (area under the step PR curve): sum over thresholds of
 * (R_k - R_{k-1}) * P_k. 1 for a perfect ranking; the positive rate for a random one.
 * NaN when there are no positives.
 */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const curve = precisionRecallCurve(scores, labels, weights);
  if (curve.length === 0 || !(curve[curve.length - 1]!.recall > 0)) return NaN;
  let ap = 0;
  let previousRecall = 0;
  for (const point of curve) {
    ap += (point.recall - previousRecall) * point.precision;
    previousRecall = point.recall;
  }
  return ap;
}

/**
 * Area under the ROC curve (probability that a random positive outscores a random
 * negative, ties counting one half), by the trapezoid rule over distinct scores.
 * NaN when one class is absent.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const { tp, fp, positives, negatives } = cumulativeCounts(scores, labels, weights);
  if (positives === 0 || negatives === 0) return NaN;
  let area = 0;
  let prevTp = 0;
  let prevFp = 0;
  for (let k = 0; k < tp.length; k++) {
    area += ((fp[k]! - prevFp) * (tp[k]! + prevTp)) / 2;
    prevTp = tp[k]!;
    prevFp = fp[k]!;
  }
  return area / (positives * negatives);
}

/** Precision, recall and F1 when predicting positive for score >= `threshold`. Empty predictions give precision 0. */
export function metricsAtThreshold(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  threshold: number,
  weights?: ArrayLike<number>,
): ThresholdMetrics {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < scores.length; i++) {
    const w = weightOf(weights, i);
    const predicted = scores[i]! >= threshold;
    if (labels[i]) {
      if (predicted) tp += w;
      else fn += w;
    } else if (predicted) fp += w;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { threshold, precision, recall, f1 };
}

/**
 * The threshold with the highest F1 (chosen on validation, then applied to test). Ties
 * go to the higher threshold. Returns 0.5 when there is no positive.
 */
export function bestF1Threshold(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  let best = { f1: -1, threshold: 0.5 };
  for (const point of precisionRecallCurve(scores, labels)) {
    const f1 = point.precision + point.recall > 0 ? (2 * point.precision * point.recall) / (point.precision + point.recall) : 0;
    if (f1 > best.f1) best = { f1, threshold: point.threshold };
  }
  return best.threshold;
}

/** Keeps about `maxPoints` points of a curve (always the first and last) to keep plots and JSON small. */
export function thinCurve<T>(points: readonly T[], maxPoints: number): T[] {
  if (points.length <= maxPoints) return [...points];
  const step = (points.length - 1) / (maxPoints - 1);
  return Array.from({ length: maxPoints }, (_, k) => points[Math.round(k * step)]!);
}

/**
 * Average precision under bootstrap counts per example, for many resamples of one test
 * set: sorts once, then each call is one pass. Equal to
 * `averagePrecision(scores, labels, counts)` wherever that is defined, and skips the
 * zero-count steps that would make it NaN.
 */
export function averagePrecisionResampler(scores: ArrayLike<number>, labels: ArrayLike<number>): (counts: ArrayLike<number>) => number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  // lastOfTie[k]: the k-th example in score order closes a group of tied scores.
  const lastOfTie = order.map((i, k) => k === order.length - 1 || scores[order[k + 1]!]! !== scores[i]!);
  return (counts) => {
    let positives = 0;
    for (let i = 0; i < labels.length; i++) if (labels[i]) positives += counts[i]!;
    if (!(positives > 0)) return NaN;
    let tp = 0;
    let fp = 0;
    let previousTp = 0;
    let ap = 0;
    for (let k = 0; k < order.length; k++) {
      const i = order[k]!;
      if (labels[i]) tp += counts[i]!;
      else fp += counts[i]!;
      if (lastOfTie[k] && tp > previousTp) {
        ap += ((tp - previousTp) / positives) * (tp / (tp + fp));
        previousTp = tp;
      }
    }
    return ap;
  };
}
