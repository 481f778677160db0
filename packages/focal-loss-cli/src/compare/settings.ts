/**
 * Loss settings: a (gamma, alpha) pair. gamma = 0 with alpha = none is plain
 * cross-entropy, the baseline every comparison is made against.
 */

/** One point of the loss grid. `alpha` null means no class weighting. */
export interface LossSetting {
  gamma: number;
  alpha: number | null;
  /** Short label used in tables and plots, e.g. "CE" or "γ=2 α=0.25". */
  label: string;
}

/** Label of a setting: "CE" for the baseline, "γ=… α=…" otherwise ("α-CE" style labels would hide the grid). */
export function settingLabel(gamma: number, alpha: number | null): string {
  if (gamma === 0 && alpha === null) return 'CE';
  return `γ=${gamma} α=${alpha === null ? 'none' : alpha}`;
}

/** True for plain cross-entropy. */
export function isCrossEntropy(setting: LossSetting): boolean {
  return setting.gamma === 0 && setting.alpha === null;
}

/**
 * The grid gammas x alphas, with cross-entropy always included (first), without
 * duplicates, ordered by alpha then gamma.
 */
export function buildGrid(gammas: readonly number[], alphas: readonly (number | null)[]): LossSetting[] {
  const grid: LossSetting[] = [{ gamma: 0, alpha: null, label: 'CE' }];
  for (const alpha of alphas) {
    for (const gamma of gammas) {
      if (gamma === 0 && alpha === null) continue;
      if (grid.some((s) => s.gamma === gamma && s.alpha === alpha)) continue;
      grid.push({ gamma, alpha, label: settingLabel(gamma, alpha) });
    }
  }
  return grid;
}
