/**
 * Varifocal Loss (VarifocalNet, Zhang et al. 2021, arXiv 2008.13367), as mmdetection's
 * `varifocal_loss` (mmdet/models/losses/varifocal_loss.py), targets t in [0, 1] (the IoU
 * with the matched box at its class, 0 elsewhere):
 *
 *     t > 0:  VFL = w BCE(x, t),  w = t (iouWeighted, the default) or 1;  dVFL/dx = w (p - t)
 *     t = 0:  VFL = α p^γ softplus(x);  dVFL/dx = α p^γ (p + γ q softplus(x))
 *
 * The weight α p^γ is differentiated, as mmdetection's code does (it is not detached).
 */
import { type ElementwiseDefinition, flag, logistic, nonNegative, pow } from './definition.js';

/** The parameters of {@link varifocalLoss}, passed among its options (each optional there, with the default given). */
export interface VarifocalParams {
  /** Weight of the negatives α >= 0. Default 0.75. */
  alpha: number;
  /** Focusing exponent of the negatives γ >= 0. Default 2. */
  gamma: number;
  /** Positives weighted by their target (IoU), as mmdetection's iou_weighted. Default true. */
  iouWeighted: boolean;
}

const s = new Float64Array(4);

export const VARIFOCAL: ElementwiseDefinition<VarifocalParams> = {
  name: 'varifocalLoss',
  params: { alpha: nonNegative(0.75), gamma: nonNegative(2), iouWeighted: flag(true) },
  targets: 'probability',
  evaluate(x, t, { alpha, gamma, iouWeighted }, out) {
    logistic(x, s);
    const p = s[0],
      q = s[1];
    if (t > 0) {
      const w = iouWeighted ? t : 1;
      out[0] = w * (t * s[3] + (1 - t) * s[2]);
      out[1] = w * (t === 1 ? -q : p - t);
    } else {
      const pg = alpha * pow(p, gamma);
      out[0] = pg * s[2];
      out[1] = pg * (p + gamma * q * s[2]);
    }
  },
};
