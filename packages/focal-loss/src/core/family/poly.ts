/**
 * Poly-1 focal loss (PolyLoss, Leng et al. 2022, arXiv 2204.12511, the sigmoid form of its
 * reference code): the focal loss plus ε times the first polynomial term,
 *
 *     m = 1 - p_t = t q + (1 - t) p,  α_t = α t + (1 - α)(1 - t) (1 when α is null)
 *     L = α_t m^γ BCE(x, t) + ε m^(γ+1)          (the ε term is not weighted by α)
 *     dL/dx = α_t m^γ [(p - t) + γ (1 - 2t) (p q / m) BCE] + ε (γ + 1) m^γ (1 - 2t) p q
 *
 * p q / m lies in [0, 1] (p for t = 1, q for t = 0), so γ < 1 stays finite at saturation.
 */
import { type ElementwiseDefinition, logistic, nonNegative, number, pow, unitOrNull } from './definition.js';

/** The parameters of {@link polyFocalLoss}, passed among its options (each optional there, with the default given). */
export interface PolyParams {
  /** Weight of positives in [0, 1] (negatives 1 - α), or null for none. Default 0.25. */
  alpha: number | null;
  /** Focusing exponent γ >= 0. Default 2. */
  gamma: number;
  /** Coefficient ε of the Poly-1 term (the paper searches [-1, 8]). Default 1. */
  epsilon: number;
}

const s = new Float64Array(4);

export const POLY: ElementwiseDefinition<PolyParams> = {
  name: 'polyFocalLoss',
  params: { alpha: unitOrNull(0.25), gamma: nonNegative(2), epsilon: number(1) },
  targets: 'probability',
  evaluate(x, t, { alpha, gamma, epsilon }, out) {
    logistic(x, s);
    const p = s[0],
      q = s[1];
    const at = alpha === null ? 1 : alpha * t + (1 - alpha) * (1 - t);
    const ce = t * s[3] + (1 - t) * s[2];
    const m = t * q + (1 - t) * p;
    const r = t === 1 ? p : t === 0 ? q : m > 0 ? (p * q) / m : 0;
    const mg = pow(m, gamma);
    const oneMinus2t = 1 - 2 * t;
    out[0] = at * mg * ce + epsilon * m * mg;
    out[1] = at * mg * ((t === 1 ? -q : p - t) + gamma * oneMinus2t * r * ce) + epsilon * (gamma + 1) * mg * oneMinus2t * p * q;
  },
};
