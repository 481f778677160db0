/**
 * From runs to conclusions: mean ± std over seeds per setting, the setting chosen on
 * validation, and the verdicts (src/compare/decision.ts, through focal-loss-cli/stats'
 * decide): every setting against the baseline with its interval and word, the verdict on the
 * selected one, and what the budget can detect. Selection never looks at the test split.
 */
import { mean, std } from '../metrics/stats.js';
import { decideContrasts, testBootstrap, type TestVariance, type Verdict } from './decision.js';
import { shortMetricName } from './metric-names.js';
import { isCrossEntropy, isVariant, sameWeighting, type LossSetting } from './settings.js';
import type { ExperimentResult, MeanStd, RunRecord, TestResample } from './types.js';

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

/**
 * A verdict with what was compared: `setting` (selected on validation) against `against` on
 * the primary metric, and every other setting of its family against `against` in `contrasts`.
 */
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
  /**
   * 'not-informative' where even the best setting stayed near the trivial baselines (the user's
   * images: ExperimentResult.chance): the verdicts then say nothing about the losses.
   */
  outcome?: 'not-informative';
}

/** Options of {@link summariseExperiment}. */
export interface SummaryOptions {
  /**
   * The shared test-image variance of `setting` − `baseline`. Default: the image bootstrap of
   * the runs' test resamplers where every seed is scored on the same test set (see decision.ts),
   * none otherwise.
   */
  testVariance?: (setting: string, baseline: string) => TestVariance | undefined;
  /** 'confirmation': the runs of `--confirm`, the selected setting and the baseline on fresh seeds (no selection, no focal verdict). */
  phase?: 'selection' | 'confirmation';
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
 * An interval bound with its sign, three decimals; one significant digit where three decimals
 * would show a bound that excludes 0 as ±0.000 (e.g. "+0.0002").
 */
export function signedBound(v: number): string {
  if (!Number.isFinite(v)) return 'n/a';
  const sign = v >= 0 ? '+' : '-';
  const size = Math.abs(v);
  // Below 1e-6 it is rounding noise of an interval of width 0 (every seed the same difference).
  return `${sign}${size >= 1e-6 && size < 0.0005 ? size.toPrecision(1) : size.toFixed(3)}`;
}

/**
 * Summarises an experiment. The selected setting has the best {@link validationScore}
 * (ties: the earlier setting in the grid, so cross-entropy wins ties).
 */
export function summariseExperiment(experiment: ExperimentResult, options: SummaryOptions = {}): ExperimentSummary {
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
  // The confirmation runs select nothing: no row is marked.
  if (options.phase !== 'confirmation') settings.find((s) => s.setting.label === selected.label)!.selected = true;
  const testVariance = options.testVariance ?? bootstrapOf(experiment);
  const ce = experiment.grid.find(isBaseline);
  const others = experiment.grid.filter((s) => !isBaseline(s));
  const candidate = bestOnValidation(experiment, others);
  const verdict = ce && candidate ? compare(experiment, candidate, ce, others, testVariance) : undefined;
  let focalVerdict: Comparison | undefined;
  if (options.phase !== 'confirmation') {
    const focal = experiment.grid.filter((s) => s.gamma > 0);
    const bestFocal = bestOnValidation(experiment, focal);
    const balanced = bestFocal && experiment.grid.find((s) => s.gamma === 0 && !isVariant(s) && sameWeighting(s, bestFocal));
    focalVerdict = bestFocal && balanced ? compare(experiment, bestFocal, balanced, focal, testVariance) : undefined;
  }
  const verdictText =
    options.phase === 'confirmation'
      ? describeConfirmation(experiment, verdict)
      : describeVerdicts(experiment, selected, verdict, focalVerdict);
  const notInformative = experiment.chance?.informative === false ? experiment.chance.words : undefined;
  return {
    ...{ id: experiment.id, title: experiment.title, primary, settings, selected, verdict, focalVerdict },
    ...(notInformative ? { outcome: 'not-informative' as const, verdictText: `${notInformative} ${verdictText}` } : { verdictText }),
  };
}

/** The baseline of an experiment: its `baseline` label, or plain cross-entropy. */
function baselineTest(experiment: ExperimentResult): (s: LossSetting) => boolean {
  return experiment.baseline === undefined ? isCrossEntropy : (s) => s.label === experiment.baseline;
}

/** The image bootstrap of an experiment's shared test set, when its runs have their test resamplers (in memory, not in results.json). */
function bootstrapOf(experiment: ExperimentResult): SummaryOptions['testVariance'] {
  if (experiment.sharedTestSet !== true) return undefined;
  const resamplers = new Map<string, TestResample[]>();
  for (const setting of experiment.grid) {
    const perSeed = experiment.seeds.map(
      (seed) => experiment.runs.find((r) => r.seed === seed && r.setting.label === setting.label)?.testResample,
    );
    if (perSeed.every((r) => r !== undefined)) resamplers.set(setting.label, perSeed as TestResample[]);
  }
  if (resamplers.size < 2) return undefined;
  const bootstrap = testBootstrap(resamplers);
  return (setting, baseline) => bootstrap.variance(setting, baseline);
}

/**
 * Decides `family` (the settings compared with `b`; `a` among them) against `b` on the primary
 * test metric, paired by seed, and gives the verdict on `a`, the one selected on validation.
 */
function compare(
  experiment: ExperimentResult,
  a: LossSetting,
  b: LossSetting,
  family: readonly LossSetting[],
  testVariance: SummaryOptions['testVariance'],
): Comparison {
  const primary = experiment.metrics.primary;
  const scores = (setting: LossSetting) => {
    const runs = experiment.seeds.map((seed) => experiment.runs.find((r) => r.seed === seed && r.setting.label === setting.label));
    return {
      label: setting.label,
      validation: runs.map((r) => r?.validation[primary] ?? NaN),
      test: runs.map((r) => r?.test[primary] ?? NaN),
    };
  };
  const settings = [b, ...family.filter((s) => s.label !== b.label)].map(scores);
  const verdict = decideContrasts({ baseline: b.label, settings, selected: a.label, testVariance });
  return { setting: a.label, against: b.label, metric: primary, ...verdict };
}

const signed = (v: number) => (Number.isFinite(v) ? `${v >= 0 ? '+' : ''}${fmt(v)}` : 'n/a');

/** A small positive amount: three decimals, or two significant digits below 0.01 (rounding noise below 1e-6 shows as 0.000). */
const amount = (v: number) => (v >= 0.01 || v < 1e-6 || !Number.isFinite(v) ? fmt(v) : v.toPrecision(2));

/** The difference and its interval, e.g. "+0.012 (95 % interval +0.004 to +0.020, simultaneous over the 11 settings compared with CE; 5 seeds)". */
function intervalWords(c: Comparison, against: string): string {
  if (!c.ci95) return `${signed(c.delta)} (${c.seeds} seed${c.seeds === 1 ? '' : 's'}: no interval without a second seed)`;
  const family = c.settings > 2 ? `, simultaneous over the ${c.settings - 1} settings compared with ${against}` : '';
  return `${signed(c.delta)} (95 % interval ${signedBound(c.ci95[0])} to ${signedBound(c.ci95[1])}${family}; ${c.seeds} seeds)`;
}

/** The winner's curse, one sentence beside a Δ selected among several settings; '' for a pair. */
function winnersCurse(c: Comparison): string {
  if (c.settings <= 2 || !c.ci95) return '';
  return `That Δ is biased upward (the winner's curse): ${c.setting} was picked as the best of ${c.settings - 1} on validation, and the luck that helped it there helps it on test too, so expect less on new runs; the interval allows for the selection.`;
}

/** Every contrast of a verdict in words: the settings called better and worse (by name when few), and how many show no difference. */
function contrastWords(c: Comparison, against: string): string {
  if (c.settings <= 2 || !c.ci95) return '';
  const group = (outcome: Comparison['outcome']) => c.contrasts.filter((x) => x.outcome === outcome);
  const named = (xs: Comparison['contrasts']) =>
    xs.length <= 4 ? xs.map((x) => `${x.setting} (${signed(x.delta)})`).join(', ') : `${xs.length} settings`;
  const better = group('better');
  const worse = group('worse');
  const none = group('no-difference');
  const parts = [
    ...(better.length > 0 ? [`better: ${named(better)}`] : []),
    ...(worse.length > 0 ? [`worse: ${named(worse)}`] : []),
    ...(none.length > 0 ? [`no detectable difference: ${none.length === c.contrasts.length ? 'all' : none.length}`] : []),
  ];
  const missing = c.settings - 1 - c.contrasts.length;
  return `Every setting against ${against} (each interval in the table): ${parts.join('; ')}${missing > 0 ? `; ${missing} without a finite test score` : ''}.`;
}

/** What the budget can detect, or that it is a preview; `more` is the advice for a preview. */
function budgetWords(c: Comparison, more = 'run --seeds 3 or more, or --confirm 3 or more'): string {
  if (c.seeds < 2) return `With ${c.seeds} seed there is no interval: a preview, not a test; ${more}.`;
  const [now, doubled] = c.detectable;
  if (!now) return '';
  const twice = doubled ? ` (${amount(doubled.delta)} with ${doubled.seeds} seeds)` : '';
  if (c.preview)
    return (
      `With ${c.seeds} seeds this is a preview, not a test: each setting's spread rests on ${c.seeds - 1} degree${c.seeds === 2 ? '' : 's'} of freedom, ` +
      `and at the spread of these runs only a true difference of about ${amount(now.delta)} would be found with 80 % power${twice}; ${more}.`
    );
  const test = c.testSd > 0 ? `, plus test-image noise of ±${amount(c.testSd)} that more seeds do not reduce` : '';
  return (
    `At this budget (${c.settings} settings, ${c.seeds} seeds; one seed's difference of two settings has sd ${amount(c.differenceSd)} here${test}), ` +
    `a true difference of ${amount(now.delta)} is found with 80 % power${twice}.`
  );
}

/** "α-balanced cross-entropy" or "class-weighted cross-entropy", for a γ = 0 setting with weighting. */
const weightedName = (s: LossSetting) => (s.alpha !== null ? 'α-balanced cross-entropy' : 'class-weighted cross-entropy');

const OUTCOME_WORDS = { better: 'better', worse: 'worse', 'no-difference': 'no detectable difference' } as const;

/**
 * The positive rate of a binary experiment's test set as it is and at the training prior,
 * from a run's test PR curves (their last point has recall 1 and precision = the positive
 * rate); undefined where the curves are missing.
 */
function positiveRates(experiment: ExperimentResult): { test: number; train: number } | undefined {
  const curves = experiment.runs[0]?.curves;
  const last = (points: readonly { recall: number; precision: number }[] | undefined) => {
    const p = points?.at(-1);
    return p && p.recall === 1 && Number.isFinite(p.precision) ? p.precision : undefined;
  };
  const test = last(curves?.pr);
  const train = last(curves?.prAtTrainPrior);
  return test === undefined || train === undefined ? undefined : { test, train };
}

const percent = (p: number) => `${(100 * p).toPrecision(2)} %`;

/** Where the test metric of a classification verdict is measured: at which class prior. */
function priorWords(experiment: ExperimentResult): string {
  if (experiment.task !== 'classification') return '';
  if (experiment.kind === 'multiclass') return ' (balanced accuracy, which does not depend on the class prior)';
  if (experiment.sharedTestSet !== true)
    return ' (measured at the class prior of the data: the split is stratified, so test has the training prior)';
  const rates = positiveRates(experiment);
  return rates
    ? ` (measured on the test set at its own class prior, ${percent(rates.test)} positives, not at the training prior of ${percent(rates.train)}; the column "AP @ train prior" re-weights it)`
    : ' (measured on the test set at its own class prior, not re-weighted to the training prior)';
}

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
      ? `Cross-entropy had the best validation ${name}${name.endsWith('.') ? '' : '.'}`
      : `Selected on validation: ${selected.label}${selected.gamma === 0 ? ` (${weightedName(selected)}: class weighting, no focal term)` : ''}.`,
  ];
  const who = `${verdict.setting} (the best setting other than ${ce} on validation)`;
  const on = `On test ${name}${priorWords(experiment)}`;
  const interval = intervalWords(verdict, ce);
  if (verdict.outcome === 'better') parts.push(`${on}, ${who} is better than ${ce}: ${interval}.`);
  else if (verdict.outcome === 'worse') parts.push(`${on}, ${ce} is better than ${who}: ${interval}.`);
  else parts.push(`${on}, no detectable difference between ${who} and ${ce}: ${interval}.`);
  parts.push(winnersCurse(verdict), contrastWords(verdict, ce), budgetWords(verdict));
  if (focalVerdict && !(focalVerdict.setting === verdict.setting && focalVerdict.against === verdict.against)) {
    const balanced = experiment.grid.find((s) => s.label === focalVerdict.against)!;
    const against = isCrossEntropy(balanced) ? 'cross-entropy' : `${weightedName(balanced)} (${focalVerdict.against})`;
    const optimistic = focalVerdict.settings > 2 && focalVerdict.ci95 ? ' Its Δ is optimistic too, as the best of the γ > 0 settings.' : '';
    parts.push(
      `What γ adds: ${focalVerdict.setting} (the best γ > 0 setting on validation) against ${against}: ` +
        `${OUTCOME_WORDS[focalVerdict.outcome]}, ${intervalWords(focalVerdict, focalVerdict.against)}.${optimistic}`,
    );
  }
  return parts.filter((p) => p !== '').join(' ');
}

/** The verdict of the `--confirm` runs: the selected setting and the baseline on fresh seeds, decided on those alone. */
function describeConfirmation(experiment: ExperimentResult, verdict?: Comparison): string {
  if (!verdict) return 'Nothing to confirm: only the baseline was run.';
  const name = shortMetricName(experiment.metrics.primary);
  const against = experiment.baseline === undefined ? 'cross-entropy' : `the baseline ${experiment.baseline}`;
  const word =
    verdict.outcome === 'better'
      ? `${verdict.setting} is better than ${against}`
      : verdict.outcome === 'worse'
        ? `${against} is better than ${verdict.setting}`
        : `no detectable difference between ${verdict.setting} and ${against}`;
  return [
    `Confirmation on fresh seeds ${experiment.seeds.join(', ')}: ${verdict.setting} and ${against} trained again and decided on these runs alone (a pair: nothing is selected among them, so no winner's curse).`,
    `On test ${name}${priorWords(experiment)}, ${word}: ${intervalWords(verdict, against)}.`,
    budgetWords(verdict, 'run --confirm 3 or more'),
  ]
    .filter((p) => p !== '')
    .join(' ');
}
