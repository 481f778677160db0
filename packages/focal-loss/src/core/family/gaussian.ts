/**
 * Gaussian focal loss (CornerNet, Law & Deng 2018; CenterNet, Zhou et al. 2019), as
 * mmdetection's `gaussian_focal_loss` (mmdet/models/losses/gaussian_focal_loss.py), from
 * logits, for heatmaps with Gaussian-splatted targets t in [0, 1] (1 at the peaks):
 *
 *     t = 1:  L = posWeight (1 - p)^α softplus(-x);  dL/dx = -posWeight q^α (q + α p softplus(-x))
 *     t < 1:  L = negWeight (1 - t)^γ p^α softplus(x);  dL/dx = negWeight (1 - t)^γ p^α (p + α q softplus(x))
 *
 * CenterNet divides the sum by the number of peaks: pass it as `normalizer` (reduction 'mean').
 */
import { type ElementwiseDefinition, logistic, nonNegative, pow } from './definition.js';

/** The parameters of {@link gaussianFocalLoss}, passed among its options (each optional there, with the default given). */
export interface GaussianParams {
  /** Exponent α of the focusing terms. Default 2. */
  alpha: number;
  /** Exponent γ of the (1 - t) penalty reduction near peaks. Default 4. */
  gamma: number;
  /** Weight of the peaks (mmdetection's pos_weight). Default 1. */
  posWeight: number;
  /** Weight of the rest (neg_weight). Default 1. */
  negWeight: number;
}

const s = new Float64Array(4);

export const GAUSSIAN: ElementwiseDefinition<GaussianParams> = {
  name: 'gaussianFocalLoss',
  params: { alpha: nonNegative(2), gamma: nonNegative(4), posWeight: nonNegative(1), negWeight: nonNegative(1) },
  targets: 'probability',
  evaluate(x, t, { alpha, gamma, posWeight, negWeight }, out) {
    logistic(x, s);
    const p = s[0],
      q = s[1];
    if (t === 1) {
      const qa = posWeight * pow(q, alpha);
      out[0] = qa * s[3];
      out[1] = -qa * (q + alpha * p * s[3]);
    } else {
      const pa = negWeight * pow(1 - t, gamma) * pow(p, alpha);
      out[0] = pa * s[2];
      out[1] = pa * (p + alpha * q * s[2]);
    }
  },
};
