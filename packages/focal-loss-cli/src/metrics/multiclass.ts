/**
 * Multi-class metrics from a row-major [N, C] probability matrix and integer labels.
 * Optional per-sample weights re-weight the test set to another class prior.
 */
import { expectedCalibrationError, reliabilityBins, type ReliabilityBin } from './calibration.js';

/** Index of the largest probability in each row. */
export function argmaxRows(probabilities: ArrayLike<number>, numClasses: number): Int32Array {
  const n = probabilities.length / numClasses;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (probabilities[i * numClasses + c]! > probabilities[i * numClasses + best]!) best = c;
    out[i] = best;
  }
  return out;
}

/** Weighted confusion matrix, confusion[true][predicted]. */
export function confusionMatrix(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  numClasses: number,
  weights?: ArrayLike<number>,
): number[][] {
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < labels.length; i++) m[labels[i]!]![predictions[i]!]! += weights ? weights[i]! : 1;
  return m;
}

/** Recall of every class (NaN for a class with no samples). */
export function perClassRecall(confusion: number[][]): number[] {
  return confusion.map((row, c) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total > 0 ? row[c]! / total : NaN;
  });
}

/** Mean recall over the classes present. */
export function balancedAccuracy(confusion: number[][]): number {
  const recalls = perClassRecall(confusion).filter((r) => !Number.isNaN(r));
  return recalls.reduce((a, b) => a + b, 0) / recalls.length;
}

/** Unweighted mean of per-class F1 over the classes present (F1 0 for a class never predicted). */
export function macroF1(confusion: number[][]): number {
  const k = confusion.length;
  const f1s: number[] = [];
  for (let c = 0; c < k; c++) {
    const tp = confusion[c]![c]!;
    const actual = confusion[c]!.reduce((a, b) => a + b, 0);
    if (actual === 0) continue;
    let predicted = 0;
    for (let r = 0; r < k; r++) predicted += confusion[r]![c]!;
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = tp / actual;
    f1s.push(precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0);
  }
  return f1s.reduce((a, b) => a + b, 0) / f1s.length;
}

/** The `k` classes with the fewest training samples, rarest first. */
export function rarestClasses(trainCounts: readonly number[], k: number): number[] {
  return trainCounts
    .map((n, c) => [n, c] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .slice(0, k)
    .map(([, c]) => c);
}

/** Top-1 reliability bins: confidence = max probability, outcome = whether the argmax is right. */
export function topLabelReliability(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  numClasses: number,
  bins = 15,
  weights?: ArrayLike<number>,
): ReliabilityBin[] {
  const predictions = argmaxRows(probabilities, numClasses);
  const confidence = Float64Array.from(predictions, (p, i) => probabilities[i * numClasses + p]!);
  const correct = Float64Array.from(predictions, (p, i) => (p === labels[i] ? 1 : 0));
  return reliabilityBins(confidence, correct, bins, weights);
}

/** The multi-class metrics that `compare` reports. */
export interface MulticlassMetrics {
  balancedAccuracy: number;
  macroF1: number;
  /** Mean recall of the three rarest training classes. */
  rareRecall: number;
  ece: number;
  accuracy: number;
}

/** Computes {@link MulticlassMetrics}; `rare` are the class indices whose recall is averaged. */
export function multiclassMetrics(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  numClasses: number,
  rare: readonly number[],
  weights?: ArrayLike<number>,
): MulticlassMetrics {
  const predictions = argmaxRows(probabilities, numClasses);
  const confusion = confusionMatrix(labels, predictions, numClasses, weights);
  const recall = perClassRecall(confusion);
  const total = confusion.flat().reduce((a, b) => a + b, 0);
  const correct = confusion.reduce((s, row, c) => s + row[c]!, 0);
  return {
    balancedAccuracy: balancedAccuracy(confusion),
    macroF1: macroF1(confusion),
    rareRecall: rare.reduce((s, c) => s + recall[c]!, 0) / rare.length,
    ece: expectedCalibrationError(topLabelReliability(probabilities, labels, numClasses, 15, weights)),
    accuracy: correct / total,
  };
}

/** Balanced accuracy of fixed predictions under bootstrap counts per example (one pass per call). */
export function balancedAccuracyResampler(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  numClasses: number,
): (counts: ArrayLike<number>) => number {
  return (counts) => balancedAccuracy(confusionMatrix(labels, predictions, numClasses, counts));
}
