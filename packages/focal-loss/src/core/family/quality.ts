/**
 * Quality Focal Loss (GFL, Li et al. 2020, arXiv 2006.04388), as mmdetection's
 * `quality_focal_loss` (mmdet/models/losses/gfocal_loss.py) with the quality score as a soft
 * target t in [0, 1] (0 for background; the IoU at the labelled class):
 *
 *     QFL = |t - p|^β BCE(x, t),   BCE(x, t) = t softplus(-x) + (1 - t) softplus(x)
 *     dQFL/dx = |t - p|^β [(p - t) + β sgn(p - t) (p q / |t - p|) BCE]
 *
 * p q / |t - p| is p (t = 1) or q (t = 0), so hard targets need no division; at p = t
 * exactly the second term is taken as 0.
 */
import { type ElementwiseDefinition, logistic, nonNegative, pow } from './definition.js';

/** The parameters of {@link qualityFocalLoss}, passed among its options (each optional there, with the default given). */
export interface QualityParams {
  /** Focusing exponent β >= 0. Default 2. */
  beta: number;
}

const s = new Float64Array(4);

export const QUALITY: ElementwiseDefinition<QualityParams> = {
  name: 'qualityFocalLoss',
  params: { beta: nonNegative(2) },
  targets: 'probability',
  evaluate(x, t, { beta }, out) {
    logistic(x, s);
    const p = s[0],
      q = s[1];
    const ce = t * s[3] + (1 - t) * s[2];
    const diff = t === 1 ? -q : p - t;
    const d = t === 1 ? q : t === 0 ? p : Math.abs(diff);
    const ratio = t === 1 ? p : t === 0 ? q : d > 0 ? (p * q) / d : 0;
    const db = pow(d, beta);
    out[0] = db * ce;
    out[1] = db * (diff + beta * (diff >= 0 ? ratio : -ratio) * ce);
  },
};
