/** Seeded data and metrics for the playground: pure functions, no TF.js. */

/** The seeded generator of uniforms in [0, 1): focal-loss's one PRNG (mulberry32). */
import { mulberry32 as rng } from 'focal-loss/core';

export { rng };

/** Standard normal by Box-Muller. */
export function normal(u: () => number): number {
  const a = Math.max(u(), 1e-12);
  return Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * u());
}

export interface PointCloud {
  /** Row-major [n, 2]. */
  x: Float32Array;
  /** 1 for the rare class, 0 for the common one. */
  y: Float32Array;
  n: number;
  positives: number;
}

/**
 * `n` points, one rare (y = 1) per `ratio` common ones. The common class is a broad blob
 * around (-0.2, -0.2); the rare one a tight blob that moves from (0.75, 0.75) into
 * the common blob as `overlap` goes from 0 to 1.
 */
export function pointCloud(n: number, ratio: number, overlap: number, seed: number): PointCloud {
  const u = rng(seed);
  const positives = Math.max(2, Math.round(n / (1 + ratio)));
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n);
  const centre = 0.75 - 0.8 * overlap;
  for (let i = 0; i < n; i++) {
    if (i < positives) {
      y[i] = 1;
      x[2 * i] = centre + 0.1 * normal(u);
      x[2 * i + 1] = centre + 0.1 * normal(u);
    } else {
      x[2 * i] = -0.2 + 0.5 * normal(u);
      x[2 * i + 1] = -0.2 + 0.5 * normal(u);
    }
  }
  return { x, y, n, positives };
}

/** Glorot-uniform weights for a dense layer [fanIn, fanOut], seeded. */
export function glorot(fanIn: number, fanOut: number, u: () => number): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const w = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < w.length; i++) w[i] = (2 * u() - 1) * limit;
  return w;
}

export interface RareClassMetrics {
  precision: number;
  recall: number;
  /** Average precision (area under the precision-recall curve, step-wise). */
  ap: number;
  predictedPositives: number;
}

/** Precision and recall at `threshold`, and AP, of the class y = 1. */
export function rareClassMetrics(scores: ArrayLike<number>, y: ArrayLike<number>, threshold = 0.5): RareClassMetrics {
  const n = y.length;
  let tp = 0;
  let fp = 0;
  let positives = 0;
  for (let i = 0; i < n; i++) {
    if (y[i] === 1) positives++;
    if (scores[i] >= threshold) {
      if (y[i] === 1) tp++;
      else fp++;
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let hits = 0;
  let ap = 0;
  for (let k = 0; k < n; k++) {
    if (y[order[k]] === 1) {
      hits++;
      ap += hits / (k + 1);
    }
  }
  return {
    precision: tp + fp === 0 ? 0 : tp / (tp + fp),
    recall: positives === 0 ? 0 : tp / positives,
    ap: positives === 0 ? 0 : ap / positives,
    predictedPositives: tp + fp,
  };
}
