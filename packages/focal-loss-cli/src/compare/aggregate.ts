/**
 * From runs to conclusions: mean ± std over seeds per setting, the setting chosen on
 * validation, and the verdicts (src/compare/decision.ts) with their intervals. Selection
 * never looks at the test split.
 */
import { mean, std } from '../metrics/stats.js';
import { decide, type PairedEvidence, type Verdict } from './decision.js';
import { shortMetricName } from './metric-names.js';
import { isCrossEntropy, isVariant, sameWeighting, type LossSetting } from './settings.js';
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

/** A verdict with what was compared: `setting` against `against` on the primary metric. */
export interface Comparison extends Verdict {
  setting: string;
  against: string;
  metric: string;
}

/** Aggregated results and the verdicts of one experiment. */
export interface ExperimentSummary {
  id: string;
  title: string;
  primary: string;
  settings: SettingSummary[];
  /** The setting with the best validation score (may be cross-entropy). */
  selected: LossSetting;
  /**
   * The best setting other than cross-entropy on validation, against cross-entropy on test
   * (undefined when the grid has no other setting): does anything in the grid help?
   */
  verdict?: Comparison;
  /**
   * The best γ > 0 setting on validation against the γ = 0 setting with the same class
   * weighting (α-balanced or class-weighted cross-entropy, or cross-entropy when there is
   * none): what does γ itself add?
   */
  focalVerdict?: Comparison;
  /** The verdicts in words, every sentence computed from them. */
  verdictText: string;
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

/**
 * The one scoring rule for choosing settings on validation (the selected setting, and the
 * best focal setting): the mean validation primary metric over seeds, where a setting with
 * a diverged run (or a missing metric) scores −∞, so it is never chosen over one that trained.
 */
export function validationScore(experiment: ExperimentResult, setting: LossSetting): number {
  const runs = experiment.runs.filter((r) => r.setting.label === setting.label);
  const values = runs.map((r) => r.validation[experiment.metrics.primary]);
  if (runs.length === 0 || runs.some((r) => r.diverged) || values.some((v) => v === undefined || Number.isNaN(v))) return -Infinity;
  return mean(values as number[]);
}

/** The setting among `candidates` with the best {@link validationScore} (ties: the earlier one). */
function bestOnValidation(experiment: ExperimentResult, candidates: readonly LossSetting[]): LossSetting | undefined {
  let best: LossSetting | undefined;
  let bestScore = -Infinity;
  for (const s of candidates) {
    const score = validationScore(experiment, s);
    if (best === undefined || score > bestScore) {
      best = s;
      bestScore = score;
    }
  }
  return best;
}

/** Formats a number for verdicts and tables. */
export function fmt(v: number, digits = 3): string {
  return Number.isFinite(v) ? v.toFixed(digits) : 'n/a';
}

/**
 * Summarises an experiment. The selected setting has the best {@link validationScore}
 * (ties: the earlier setting in the grid, so cross-entropy wins ties).
 */
export function summariseExperiment(experiment: ExperimentResult): ExperimentSummary {
  const primary = experiment.metrics.primary;
  const isBaseline = baselineTest(experiment);
  const baselineRuns = new Map<number, RunRecord>();
  for (const run of experiment.runs) if (isBaseline(run.setting)) baselineRuns.set(run.seed, run);

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
      baseline: isBaseline(setting),
      meanSeconds: mean(runs.map((r) => r.seconds)),
    };
  });

  const selected = bestOnValidation(experiment, experiment.grid)!;
  settings.find((s) => s.setting.label === selected.label)!.selected = true;
  const ce = experiment.grid.find(isBaseline);
  const others = experiment.grid.filter((s) => !isBaseline(s));
  const focal = experiment.grid.filter((s) => s.gamma > 0);
  const candidate = bestOnValidation(experiment, others);
  const verdict = ce && candidate ? compare(experiment, candidate, ce, others.length) : undefined;
  const bestFocal = bestOnValidation(experiment, focal);
  const balanced = bestFocal && experiment.grid.find((s) => s.gamma === 0 && !isVariant(s) && sameWeighting(s, bestFocal));
  const focalVerdict = bestFocal && balanced ? compare(experiment, bestFocal, balanced, focal.length) : undefined;
  const verdictText = describeVerdicts(experiment, selected, verdict, focalVerdict);
  return { id: experiment.id, title: experiment.title, primary, settings, selected, verdict, focalVerdict, verdictText };
}

/** The baseline of an experiment: its `baseline` label, or plain cross-entropy. */
function baselineTest(experiment: ExperimentResult): (s: LossSetting) => boolean {
  return experiment.baseline === undefined ? isCrossEntropy : (s) => s.label === experiment.baseline;
}

/** Decides `a` against `b` on the primary test metric, paired by seed, `a` having been chosen among `comparisons` settings. */
function compare(experiment: ExperimentResult, a: LossSetting, b: LossSetting, comparisons: number): Comparison {
  const primary = experiment.metrics.primary;
  const pairs = experiment.seeds
    .map((seed) => [a, b].map((x) => experiment.runs.find((r) => r.seed === seed && r.setting.label === x.label)))
    .filter((p): p is [RunRecord, RunRecord] => p.every((r) => r !== undefined && Number.isFinite(r.test[primary])));
  const resampled = pairs.every(([ra, rb]) => ra.testResample && rb.testResample);
  const evidence: PairedEvidence = {
    seeds: pairs.length,
    sharedTestSet: experiment.sharedTestSet === true && resampled,
    units: (s) => pairs[s]![0].testResample?.units ?? 0,
    delta: (s, counts) => {
      const [ra, rb] = pairs[s]!;
      return counts ? ra.testResample!.metric(counts) - rb.testResample!.metric(counts) : ra.test[primary]! - rb.test[primary]!;
    },
  };
  return { setting: a.label, against: b.label, metric: primary, ...decide(evidence, { comparisons }) };
}

const signed = (v: number) => `${v >= 0 ? '+' : ''}${fmt(v)}`;

/** The difference, its interval and the budget, e.g. "+0.012 (95 % interval +0.004 to +0.020; 5 seeds)". */
function intervalWords(c: Comparison): string {
  const joint = c.comparisons > 1 ? `, joint over the ${c.comparisons} settings it was chosen from` : '';
  return c.ci95
    ? `${signed(c.delta)} (95 % interval ${signed(c.ci95[0])} to ${signed(c.ci95[1])}${joint}; ${c.seeds} seeds)`
    : `${signed(c.delta)} (${c.seeds} seed${c.seeds === 1 ? '' : 's'}: no interval without a second seed)`;
}

/** Where no difference was detected: the budget that would detect one of the observed size. */
function budgetWords(c: Comparison): string {
  if (c.outcome !== 'no-difference' || !c.ci95 || c.delta === 0) return '';
  if (c.seedsNeeded === null) {
    // Two significant digits: the noise can be far below the table's three decimals.
    return ` More seeds alone would not resolve a difference this small: the test set's own sampling noise (±${c.testSd.toPrecision(2)}) is about as large.`;
  }
  return c.seedsNeeded ? ` A difference of this size would need about ${c.seedsNeeded} seeds to be detected.` : '';
}

/** "α-balanced cross-entropy" or "class-weighted cross-entropy", for a γ = 0 setting with weighting. */
const weightedName = (s: LossSetting) => (s.alpha !== null ? 'α-balanced cross-entropy' : 'class-weighted cross-entropy');

const OUTCOME_WORDS = { better: 'better', worse: 'worse', 'no-difference': 'no detectable difference at this budget' } as const;

/**
 * The verdicts in words. Every sentence is chosen by the numbers: which setting was
 * selected, the outcome of each interval, and the seed budget.
 */
function describeVerdicts(experiment: ExperimentResult, selected: LossSetting, verdict?: Comparison, focalVerdict?: Comparison): string {
  const name = shortMetricName(experiment.metrics.primary);
  if (!verdict) return 'Only cross-entropy was run: nothing to compare.';
  const ce = experiment.baseline === undefined ? 'cross-entropy' : `the baseline ${experiment.baseline}`;
  const parts = [
    isCrossEntropy(selected)
      ? `Cross-entropy had the best validation ${name}.`
      : `Selected on validation: ${selected.label}${selected.gamma === 0 ? ` (${weightedName(selected)}: class weighting, no focal term)` : ''}.`,
  ];
  const who = `${verdict.setting} (the best setting other than ${ce} on validation)`;
  if (verdict.outcome === 'better') parts.push(`On test ${name}, ${who} is better than ${ce}: ${intervalWords(verdict)}.`);
  else if (verdict.outcome === 'worse') parts.push(`On test ${name}, ${ce} is better than ${who}: ${intervalWords(verdict)}.`);
  else
    parts.push(
      `On test ${name}, no detectable difference between ${who} and ${ce} at this budget: ${intervalWords(verdict)}.${budgetWords(verdict)}`,
    );
  if (focalVerdict && !(focalVerdict.setting === verdict.setting && focalVerdict.against === verdict.against)) {
    const balanced = experiment.grid.find((s) => s.label === focalVerdict.against)!;
    const against = isCrossEntropy(balanced) ? 'cross-entropy' : `${weightedName(balanced)} (${focalVerdict.against})`;
    parts.push(
      `What γ adds: ${focalVerdict.setting} (the best γ > 0 setting on validation) against ${against}: ` +
        `${OUTCOME_WORDS[focalVerdict.outcome]}, ${intervalWords(focalVerdict)}.${budgetWords(focalVerdict)}`,
    );
  }
  if (verdict.seeds < 5)
    parts.push(
      `With ${verdict.seeds} seed${verdict.seeds === 1 ? '' : 's'} this verdict is indicative only; ${experiment.task === 'detection' ? 'run --seeds 5 or more for a firmer one' : '--full runs 5 seeds'}.`,
    );
  return parts.join(' ');
}
