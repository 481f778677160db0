/**
 * Loss settings: the focusing parameter γ and a class weighting. Two weightings, each with
 * one meaning:
 * - α, the paper's: weight α on the positive (rare) class and 1 − α on the rest; for the
 *   binary and segmentation tasks.
 * - the class-weight power p, for more than two classes: w_c ∝ n_c^−p (p = 1 is full
 *   inverse-frequency weighting), which the paper does not define.
 * γ = 0 without weighting is plain cross-entropy, the baseline of every comparison.
 */

/** One point of the loss grid. `alpha` / `classWeightPower` null (or absent) means no class weighting. */
export interface LossSetting {
  gamma: number;
  alpha: number | null;
  /** Multi-class only: w_c ∝ n_c^−p. */
  classWeightPower?: number | null;
  /** Short label used in tables and plots, e.g. "CE", "γ=2 α=0.25" or "γ=2 w=n^-0.5". */
  label: string;
  /** Detection only: FL* (the paper's appendix A, p_t* = σ(γ x_t + β), loss −α_t log(p_t*) / γ) with this β, instead of FL. */
  beta?: number;
  /** Detection only: false trains without the prior initialisation of the classification bias (bias 0). Default true. */
  prior?: boolean;
}

/** True for the detection variants (FL*, no prior) that are not a point of the γ × α grid. */
export function isVariant(setting: Pick<LossSetting, 'beta' | 'prior'>): boolean {
  return setting.beta !== undefined || setting.prior === false;
}

/** The panel / line a setting belongs to in the plots: its weighting, plus "FL*" or "no prior" for the detection variants. */
export function seriesLabel(setting: Pick<LossSetting, 'alpha' | 'classWeightPower' | 'beta' | 'prior'>): string {
  return weightingLabel(setting) + (setting.beta !== undefined ? ' FL*' : '') + (setting.prior === false ? ' no prior' : '');
}

/** Which weighting a grid varies: α (two classes) or the class-weight power (more). */
export type WeightingKind = 'alpha' | 'power';

/** The weighting part of a label: "α=0.25", "w=n^-0.5" or "none". */
export function weightingLabel(setting: Pick<LossSetting, 'alpha' | 'classWeightPower'>): string {
  if (setting.classWeightPower != null) return `w=n^-${setting.classWeightPower}`;
  return setting.alpha === null ? 'none' : `α=${setting.alpha}`;
}

/** True for plain cross-entropy. */
export function isCrossEntropy(setting: LossSetting): boolean {
  return setting.gamma === 0 && setting.alpha === null && setting.classWeightPower == null;
}

/** True when two settings weight classes the same way (e.g. a focal setting and its class-weighted cross-entropy). */
export function sameWeighting(a: LossSetting, b: LossSetting): boolean {
  return a.alpha === b.alpha && (a.classWeightPower ?? null) === (b.classWeightPower ?? null);
}

function setting(gamma: number, weight: number | null, kind: WeightingKind): LossSetting {
  const s: LossSetting =
    kind === 'power' ? { gamma, alpha: null, classWeightPower: weight, label: '' } : { gamma, alpha: weight, label: '' };
  s.label = isCrossEntropy(s)
    ? 'CE'
    : weight === null
      ? `γ=${gamma} ${kind === 'alpha' ? 'α=none' : 'w=none'}`
      : `γ=${gamma} ${weightingLabel(s)}`;
  return s;
}

/**
 * The grid gammas × weights (α values, or class-weight powers), with cross-entropy always
 * included (first), without duplicates, ordered by weight then gamma.
 */
export function buildGrid(gammas: readonly number[], weights: readonly (number | null)[], kind: WeightingKind = 'alpha'): LossSetting[] {
  const grid: LossSetting[] = [setting(0, null, kind)];
  for (const weight of weights) {
    for (const gamma of gammas) {
      const s = setting(gamma, weight, kind);
      if (!grid.some((g) => g.label === s.label)) grid.push(s);
    }
  }
  return grid;
}
