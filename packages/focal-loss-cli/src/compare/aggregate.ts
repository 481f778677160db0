/**
 * From runs to conclusions: mean ± std over seeds per setting, the setting chosen on
 * validation, and the paired (same seed) test difference to cross-entropy. Selection
 * never looks at the test split.
 */
import { mean, std } from '../metrics/stats.js';
import { shortMetricName } from './metric-names.js';
import { isCrossEntropy, type LossSetting } from './settings.js';
import type { ExperimentResult, MeanStd, RunRecord } from './types.js';

/** Aggregated results of one loss setting. */
export interface SettingSummary {
  setting: LossSetting;
  runs: number;
  diverged: number;
  validation: Record<string, MeanStd>;
  test: Record<string, MeanStd>;
  testReweighted?: Record<string, MeanStd>;
  /** Test primary metric minus cross-entropy's, paired by seed. */
  deltaToCrossEntropy: MeanStd;
  selected: boolean;
  baseline: boolean;
  meanSeconds: number;
}

/** Aggregated results and the verdict of one experiment. */
export interface ExperimentSummary {
  id: string;
  title: string;
  primary: string;
  settings: SettingSummary[];
  selected: LossSetting;
  /** One sentence: which loss won, by how much, and whether the difference exceeds its spread. */
  verdict: string;
  /**
   * 'focal': a γ>0 setting was selected and beat cross-entropy (and α-balanced
   * cross-entropy) on test by more than the spread; 'class-weighting': the gain came from α
   * alone; 'cross-entropy': plain cross-entropy was selected or better; 'tie' otherwise.
   */
  winner: 'focal' | 'class-weighting' | 'cross-entropy' | 'tie';
}

function summarise(runs: RunRecord[], pick: (r: RunRecord) => Record<string, number> | undefined): Record<string, MeanStd> | undefined {
  const present = runs.map(pick).filter((m): m is Record<string, number> => m !== undefined);
  if (present.length === 0) return undefined;
  const out: Record<string, MeanStd> = {};
  for (const name of Object.keys(present[0]!)) {
    const values = present.map((m) => m[name]!).filter((v) => Number.isFinite(v));
    out[name] = { mean: mean(values), std: std(values) };
  }
  return out;
}

/** The primary metric of a run for selection: a diverged run counts as the worst possible. */
function score(run: RunRecord, primary: string, split: 'validation' | 'test'): number {
  const v = run[split][primary];
  return run.diverged || v === undefined || Number.isNaN(v) ? -Infinity : v;
}

/** Formats a number for verdicts and tables. */
export function fmt(v: number, digits = 3): string {
  return Number.isFinite(v) ? v.toFixed(digits) : 'n/a';
}

/**
 * Summarises an experiment. The selected setting has the best mean validation primary
 * metric (ties: the earlier setting in the grid, so cross-entropy wins ties).
 */
export function summariseExperiment(experiment: ExperimentResult): ExperimentSummary {
  const primary = experiment.metrics.primary;
  const baselineRuns = new Map<number, RunRecord>();
  for (const run of experiment.runs) if (isCrossEntropy(run.setting)) baselineRuns.set(run.seed, run);

  const settings = experiment.grid.map((setting): SettingSummary => {
    const runs = experiment.runs.filter((r) => r.setting.label === setting.label);
    const deltas = runs
      .map((r) => {
        const base = baselineRuns.get(r.seed);
        return base ? r.test[primary]! - base.test[primary]! : NaN;
      })
      .filter((v) => Number.isFinite(v));
    return {
      setting,
      runs: runs.length,
      diverged: runs.filter((r) => r.diverged).length,
      validation: summarise(runs, (r) => r.validation) ?? {},
      test: summarise(runs, (r) => r.test) ?? {},
      testReweighted: summarise(runs, (r) => r.testReweighted),
      deltaToCrossEntropy: { mean: mean(deltas), std: std(deltas) },
      selected: false,
      baseline: isCrossEntropy(setting),
      meanSeconds: mean(runs.map((r) => r.seconds)),
    };
  });

  let best = settings[0]!;
  let bestScore = -Infinity;
  for (const s of settings) {
    const runs = experiment.runs.filter((r) => r.setting.label === s.setting.label);
    const validation = mean(runs.map((r) => score(r, primary, 'validation')));
    if (validation > bestScore) {
      best = s;
      bestScore = validation;
    }
  }
  best.selected = true;

  const { verdict, winner } = judge(experiment, settings, best, primary);
  return { id: experiment.id, title: experiment.title, primary, settings, selected: best.setting, verdict, winner };
}

/** Mean ± std of the paired (same seed) test differences a − b of the primary metric. */
function pairedDelta(experiment: ExperimentResult, a: LossSetting, b: LossSetting, primary: string): MeanStd & { n: number } {
  const deltas = experiment.seeds
    .map((seed) => {
      const ra = experiment.runs.find((r) => r.seed === seed && r.setting.label === a.label);
      const rb = experiment.runs.find((r) => r.seed === seed && r.setting.label === b.label);
      return ra && rb ? ra.test[primary]! - rb.test[primary]! : NaN;
    })
    .filter((v) => Number.isFinite(v));
  return { mean: mean(deltas), std: std(deltas), n: deltas.length };
}

const signedFmt = (m: MeanStd) => `${m.mean >= 0 ? '+' : ''}${fmt(m.mean)} ± ${fmt(m.std)}`;

/** 'better' / 'worse' when the mean paired difference exceeds its spread (needs two seeds), 'tie' otherwise. */
function direction(d: MeanStd & { n: number }): 'better' | 'worse' | 'tie' {
  if (d.n < 2 || !(Math.abs(d.mean) > d.std)) return 'tie';
  return d.mean > 0 ? 'better' : 'worse';
}

/**
 * The verdict. Three things are kept apart, because they are easy to conflate:
 * plain cross-entropy (γ=0, no α), α-balanced cross-entropy (γ=0 with α: class weighting
 * only), and focal loss proper (γ>0). A gain of a γ=0 α setting is reported as a gain of
 * class weighting, not of focal loss; a selected γ>0 setting is also compared with the
 * γ=0 setting of the same α, so the report says what γ itself adds.
 */
function judge(
  experiment: ExperimentResult,
  settings: SettingSummary[],
  best: SettingSummary,
  primary: string,
): { verdict: string; winner: ExperimentSummary['winner'] } {
  const baseline = settings.find((s) => s.baseline);
  const seeds = experiment.seeds.length;
  const name = shortMetricName(primary);
  if (!baseline) return { verdict: 'No cross-entropy baseline was run.', winner: 'tie' };
  const ce = baseline.test[primary]!;
  if (best.baseline) {
    return {
      verdict: `Cross-entropy had the best validation ${name}; no focal-loss or α setting beat it (test ${fmt(ce.mean)} ± ${fmt(ce.std)}).`,
      winner: 'cross-entropy',
    };
  }
  const test = best.test[primary]!;
  const d = pairedDelta(experiment, best.setting, baseline.setting, primary);
  const kind = best.setting.gamma === 0 ? ' (α-balanced cross-entropy: class weighting, no focal term)' : '';
  const parts = [
    `Selected on validation: ${best.setting.label}${kind}, test ${name} ${fmt(test.mean)} ± ${fmt(test.std)} vs cross-entropy ` +
      `${fmt(ce.mean)} ± ${fmt(ce.std)}; difference ${signedFmt(d)} (paired over ${seeds} seed${seeds === 1 ? '' : 's'}).`,
  ];
  const dir = direction(d);
  if (seeds < 2) parts.push('One seed gives no spread: treat the difference as unconfirmed.');
  else if (dir === 'worse') parts.push('Cross-entropy is better on test.');
  else if (dir === 'tie') parts.push('The difference is within the seed-to-seed spread: no clear winner.');
  else parts.push('Better on test by more than the seed-to-seed spread.');

  let winner: ExperimentSummary['winner'] = dir === 'better' ? (best.setting.gamma > 0 ? 'focal' : 'class-weighting') : dir === 'worse' ? 'cross-entropy' : 'tie';
  if (best.setting.gamma === 0) {
    // Where does the best γ > 0 setting stand? Chosen on validation too.
    const focal = settings
      .filter((s) => s.setting.gamma > 0)
      .sort((x, y) => (y.validation[primary]?.mean ?? -Infinity) - (x.validation[primary]?.mean ?? -Infinity))[0];
    if (focal) {
      const vsBest = pairedDelta(experiment, focal.setting, best.setting, primary);
      parts.push(
        `The best focal setting on validation, ${focal.setting.label}, has test ${name} ${fmt(focal.test[primary]!.mean)} ± ${fmt(focal.test[primary]!.std)}, ` +
          `${signedFmt(vsBest)} against the selected one: focal loss did not add to class weighting here.`,
      );
    }
  } else if (best.setting.alpha !== null) {
    const balanced = experiment.grid.find((s) => s.gamma === 0 && s.alpha === best.setting.alpha);
    if (balanced) {
      const g = pairedDelta(experiment, best.setting, balanced, primary);
      parts.push(
        `Against α-balanced cross-entropy (${balanced.label}) the difference is ${signedFmt(g)}` +
          (direction(g) === 'tie' ? ', within the spread' : '') +
          ': that is what γ adds; the rest comes from α.',
      );
      if (direction(g) !== 'better' && winner === 'focal') winner = 'class-weighting';
    }
  }
  return { verdict: parts.join(' '), winner };
}
