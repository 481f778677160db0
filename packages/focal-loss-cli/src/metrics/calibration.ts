/**
 * Calibration: reliability diagram bins and expected calibration error (ECE). A model is
 * calibrated when, among samples predicted with confidence p, a fraction p is correct.
 * Focal loss pushes confidences away from 0 and 1, which changes calibration: one of the
 * things `compare` reports.
 */

/** One equal-width confidence bin. */
export interface ReliabilityBin {
  lower: number;
  upper: number;
  /** Weighted mean confidence in the bin (NaN if empty). */
  confidence: number;
  /** Weighted fraction of outcomes that are 1 (NaN if empty). */
  accuracy: number;
  /** Total weight in the bin. */
  weight: number;
}

/**
 * Bins `confidence` into `bins` equal-width bins on [0, 1] and averages `outcome`
 * (1 correct / positive, 0 otherwise) in each.
 */
export function reliabilityBins(
  confidence: ArrayLike<number>,
  outcome: ArrayLike<number>,
  bins = 15,
  weights?: ArrayLike<number>,
): ReliabilityBin[] {
  const sumW = new Float64Array(bins);
  const sumConf = new Float64Array(bins);
  const sumOut = new Float64Array(bins);
  for (let i = 0; i < confidence.length; i++) {
    const c = confidence[i]!;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(c * bins)));
    const w = weights ? weights[i]! : 1;
    sumW[b] += w;
    sumConf[b] += w * c;
    sumOut[b] += w * outcome[i]!;
  }
  return Array.from({ length: bins }, (_, b) => ({
    lower: b / bins,
    upper: (b + 1) / bins,
    confidence: sumW[b]! > 0 ? sumConf[b]! / sumW[b]! : NaN,
    accuracy: sumW[b]! > 0 ? sumOut[b]! / sumW[b]! : NaN,
    weight: sumW[b]!,
  }));
}

/** ECE: the weight-averaged |accuracy - confidence| over bins. */
export function expectedCalibrationError(bins: ReliabilityBin[]): number {
  const total = bins.reduce((s, b) => s + b.weight, 0);
  if (total === 0) return NaN;
  return bins.reduce((s, b) => (b.weight > 0 ? s + (b.weight / total) * Math.abs(b.accuracy - b.confidence) : s), 0);
}
