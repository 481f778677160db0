/**
 * The page's settings and their place in the URL: the State, its defaults, the backends it may
 * name and the imbalance ratios the slider steps through. `?gamma=2&alpha=off&ratio=100&…`
 * makes a view shareable.
 */

export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
/** The imbalance ratios (common : rare) the ratio slider steps through. */
export const RATIOS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

export interface State {
  gamma: number;
  alpha: number;
  useAlpha: boolean;
  ratio: number;
  overlap: number;
  seed: number;
  backend: BackendName;
}

/**
 * α is off by default: the paper's α = 0.25 goes with its prior-probability initialisation of the
 * classifier's bias, which this MLP (starting at p = 0.5) does not have. Here α = 0.25 weights the
 * rare class 3× below the common one, and at 1:100 the focal-loss model then predicts no rare point
 * for the first few hundred steps, while with γ = 2 alone it finds the rare class before
 * cross-entropy does, which is the point of the loss. With α off, the curves are the paper's Figure 1.
 */
export const DEFAULTS: State = { gamma: 2, alpha: 0.25, useAlpha: false, ratio: 100, overlap: 0.3, seed: 1, backend: 'webgl' };

/** The settings the URL names, each clamped to its range (the ratio to the nearest of RATIOS); the rest left out. */
export function readUrl(): Partial<State> {
  const q = new URLSearchParams(location.search);
  const s: Partial<State> = {};
  const num = (k: string, lo: number, hi: number) => {
    const v = Number(q.get(k));
    return q.has(k) && Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : undefined;
  };
  s.gamma = num('gamma', 0, 5);
  if (q.get('alpha') === 'off') s.useAlpha = false;
  else if ((s.alpha = num('alpha', 0, 1)) !== undefined) s.useAlpha = true;
  const ratio = num('ratio', 1, 1000);
  if (ratio !== undefined) s.ratio = RATIOS.reduce((a, b) => (Math.abs(b - ratio) < Math.abs(a - ratio) ? b : a));
  s.overlap = num('overlap', 0, 1);
  const seed = num('seed', 0, 999999);
  if (seed !== undefined) s.seed = Math.round(seed);
  const b = q.get('backend');
  if (b && (BACKENDS as readonly string[]).includes(b)) s.backend = b as BackendName;
  for (const k of Object.keys(s) as (keyof State)[]) if (s[k] === undefined) delete s[k];
  return s;
}

/** Puts every setting of `state` in the URL, replacing the history entry (no new one per slider move). */
export function writeUrl(state: State): void {
  const q = new URLSearchParams({
    gamma: String(state.gamma),
    alpha: state.useAlpha ? String(state.alpha) : 'off',
    ratio: String(state.ratio),
    overlap: String(state.overlap),
    seed: String(state.seed),
    backend: state.backend,
  });
  history.replaceState(null, '', `${location.pathname}?${q}`);
}
