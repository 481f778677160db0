/**
 * Asymmetric Loss (ASL, Ridnik et al. 2021, arXiv 2009.14119), as Alibaba-MIIL/ASL's
 * `AsymmetricLoss` (src/loss_functions/losses.py), for multi-label targets t in {0, 1}:
 *
 *     t = 1:  L = (1 - p)^γ+ softplus(-x);  dL/dx = -q^γ+ (q + γ+ p softplus(-x))
 *     t = 0:  p_m = max(p - m, 0),  L = p_m^γ- (-log(1 - p_m))
 *             m = 0:  L = p^γ- softplus(x),  dL/dx = p^γ- (p + γ- q softplus(x))
 *             m > 0:  dL/dx = p q p_m^γ- [1 / (1 - p_m) + γ- (-log(1 - p_m)) / p_m]  (0 where p <= m)
 *
 * 1 - p_m = q + m is taken without cancellation, and (-log(1 - p_m)) / p_m is bounded (-> 1),
 * so γ- < 1 stays finite. By default the gradient is the derivative of the whole loss, as the
 * reference code's AsymmetricLossOptimized (disable_torch_grad_focal_loss=False) computes.
 * `detachFocalWeight: true` gives instead the gradient of its AsymmetricLoss default
 * (disable_torch_grad_focal_loss=True), which computes the focusing weight w = (1 - p_t)^γ
 * without gradient: dL/dx = w d(CE)/dx, i.e.
 *
 *     t = 1:  -q^γ+ q;   t = 0, m = 0:  p^γ- p;   t = 0, m > 0:  p_m^γ- p q / (q + m)  (0 where p <= m)
 *
 * (the loss value is the same). That gradient is not the derivative of the loss.
 */
import { type ElementwiseDefinition, flag, inRange, logistic, nonNegative, pow } from './definition.js';

/** The parameters of {@link asymmetricLoss}, passed among its options (each optional there, with the default given). */
export interface AsymmetricParams {
  /** Focusing exponent of the positives γ+ >= 0. Default 0 (the paper; the reference code: 1). */
  gammaPos: number;
  /** Focusing exponent of the negatives γ- >= 0. Default 4. */
  gammaNeg: number;
  /** Probability margin m in [0, 1] shifted off the negatives. Default 0.05. */
  clip: number;
  /**
   * true: the gradient treats the focusing weight (1 - p_t)^γ as a constant, as the reference
   * code's default disable_torch_grad_focal_loss=True does. Default false (the loss's derivative).
   */
  detachFocalWeight: boolean;
}

const s = new Float64Array(4);

export const ASYMMETRIC: ElementwiseDefinition<AsymmetricParams> = {
  name: 'asymmetricLoss',
  params: { gammaPos: nonNegative(0), gammaNeg: nonNegative(4), clip: inRange(0.05, 0, 1), detachFocalWeight: flag(false) },
  targets: 'binary',
  evaluate(x, t, { gammaPos, gammaNeg, clip, detachFocalWeight }, out) {
    logistic(x, s);
    const p = s[0],
      q = s[1];
    // The focusing weight's own derivative is left out when detached (its factor is 0).
    const focus = detachFocalWeight ? 0 : 1;
    if (t === 1) {
      const qg = pow(q, gammaPos);
      out[0] = qg * s[3];
      out[1] = -qg * (q + focus * gammaPos * p * s[3]);
    } else if (clip === 0) {
      const pg = pow(p, gammaNeg);
      out[0] = pg * s[2];
      out[1] = pg * (p + focus * gammaNeg * q * s[2]);
    } else {
      const pm = p - clip;
      if (pm <= 0) {
        out[0] = 0;
        out[1] = 0;
        return;
      }
      const nll = -Math.log1p(-pm);
      const pg = pow(pm, gammaNeg);
      out[0] = pg * nll;
      out[1] = p * q * pg * (1 / (q + clip) + (focus * gammaNeg * nll) / pm);
    }
  },
};
