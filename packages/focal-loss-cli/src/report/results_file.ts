/**
 * The format of results.json, the file `focal-loss compare` writes and `focal-loss render`
 * reads back: one declarative description ({@link compareResultSchema}) of
 * {@link CompareResult} and the types it is made of (src/compare/types.ts, aggregate.ts,
 * decision.ts, settings.ts, config.ts), which the compiler holds to those types in both
 * directions. Reading a file through it checks every field the report uses and restores the
 * NaN that JSON wrote as null; an edited or foreign file is refused with the path of its
 * first bad field instead of a stack trace or an empty report.
 */
import { summariseExperiment } from '../compare/aggregate.js';
import type { CompareResult } from '../compare/run.js';
import type { ExperimentResult } from '../compare/types.js';
import { DataError } from '../data/errors.js';
import {
  boolean,
  integer,
  list,
  measured,
  nullable,
  number,
  object,
  oneOf,
  optional,
  pair,
  record,
  refine,
  SchemaError,
  string,
  type Infer,
  type Schema,
} from './json_schema.js';

/** A loss setting (settings.ts LossSetting). */
const lossSetting = object({
  gamma: number,
  alpha: nullable(number),
  classWeightPower: optional(nullable(number)),
  label: string,
  beta: optional(number),
  prior: optional(boolean),
});

/** Metric name → value; a metric that was NaN is null in the file. */
const metrics = record(measured);
const meanStd = object({ mean: measured, std: measured });
const prPoint = object({ threshold: measured, precision: measured, recall: measured });
const reliabilityBin = object({ lower: number, upper: number, confidence: measured, accuracy: measured, weight: measured });
const lossCdf = object({ gamma: number, positive: list(measured), negative: list(measured), positives: integer(), negatives: integer() });
const exampleBox = object({ box: list(number), label: integer(), score: optional(number) });

const runRecord = object({
  experiment: string,
  setting: lossSetting,
  seed: integer(),
  epochs: integer(),
  trainLoss: list(measured),
  diverged: boolean,
  seconds: number,
  validation: metrics,
  test: metrics,
  testReweighted: optional(metrics),
  threshold: optional(measured),
  curves: optional(
    object({
      pr: optional(list(prPoint)),
      prAtTrainPrior: optional(list(prPoint)),
      reliability: optional(list(reliabilityBin)),
      reliabilityAtTrainPrior: optional(list(reliabilityBin)),
      lossCdf: optional(list(lossCdf)),
      apBySteps: optional(list(object({ steps: integer(1), test: measured }))),
    }),
  ),
  examples: optional(object({ boxes: optional(list(list(exampleBox))), masks: optional(list(string)) })),
});

const metricSpec = object({
  primary: string,
  names: list(string, { min: 1 }),
  lowerIsBetter: list(string),
  atTrainPrior: optional(string),
});

/** Which kinds each task has. */
const KINDS: Record<ExperimentResult['task'], readonly ExperimentResult['kind'][]> = {
  classification: ['binary', 'multiclass'],
  segmentation: ['segmentation'],
  detection: ['detection'],
};

const experimentResult = refine(
  object({
    id: string,
    title: string,
    task: oneOf('classification', 'segmentation', 'detection'),
    kind: oneOf('binary', 'multiclass', 'segmentation', 'detection'),
    description: string,
    training: string,
    metrics: metricSpec,
    grid: list(lossSetting, { min: 1 }),
    seeds: list(integer(), { min: 1 }),
    runs: list(runRecord, { min: 1 }),
    sharedTestSet: optional(boolean),
    baseline: optional(string),
    examples: optional(
      object({ side: integer(1), images: list(string), boxes: optional(list(list(exampleBox))), masks: optional(list(string)) }),
    ),
    anchorImbalance: optional(measured),
    axis: optional(string),
    imbalanceAxis: optional(boolean),
  }),
  (e) => {
    if (!KINDS[e.task].includes(e.kind))
      return { at: 'kind', problem: `is '${e.kind}', which is not a kind of the ${e.task} task (${KINDS[e.task].join(' or ')})` };
    if (!e.metrics.names.includes(e.metrics.primary))
      return { at: 'metrics.primary', problem: `'${e.metrics.primary}' is not one of 'metrics.names'` };
    const labels = e.grid.map((s) => s.label);
    const run = e.runs.findIndex((r) => !labels.includes(r.setting.label));
    if (run >= 0) return { at: `runs[${run}].setting.label`, problem: `'${e.runs[run]!.setting.label}' is not a setting of 'grid'` };
    const seed = e.runs.findIndex((r) => !e.seeds.includes(r.seed));
    if (seed >= 0) return { at: `runs[${seed}].seed`, problem: `${e.runs[seed]!.seed} is not one of 'seeds'` };
    return undefined;
  },
);

const outcome = oneOf('better', 'worse', 'no-difference');

/** One setting against the baseline (decision.ts ContrastVerdict). */
const contrastVerdict = object({
  setting: string,
  delta: measured,
  ci95: nullable(pair(measured)),
  outcome,
  testVariance: optional(object({ seedMean: number, perSeedMean: number })),
});

/** A verdict (aggregate.ts Comparison, decision.ts Verdict). */
const comparison = object({
  setting: string,
  against: string,
  metric: string,
  outcome,
  delta: measured,
  ci95: nullable(pair(measured)),
  seeds: integer(),
  settings: integer(1),
  criticalValue: nullable(measured),
  differenceSd: measured,
  testSd: measured,
  detectable: list(object({ seeds: integer(1), delta: measured })),
  preview: boolean,
  contrasts: list(contrastVerdict),
});

/**
 * A verdict as files written before the rule of focal-loss-cli/stats recorded it (one pair, a
 * Bonferroni t interval, no contrasts): read only to be recomputed ({@link reviveResult}).
 */
const legacyComparison = object({
  setting: string,
  against: string,
  metric: string,
  outcome,
  delta: measured,
  ci95: nullable(pair(measured)),
  seeds: integer(),
  comparisons: integer(1),
  seedSd: measured,
  testSd: measured,
  seedsNeeded: optional(nullable(integer(1))),
});

const settingSummary = object({
  setting: lossSetting,
  runs: integer(),
  diverged: integer(),
  validation: record(meanStd),
  test: record(meanStd),
  testReweighted: optional(record(meanStd)),
  deltaToCrossEntropy: meanStd,
  selected: boolean,
  baseline: boolean,
  meanSeconds: measured,
});

function summaryOf<C>(verdict: Schema<C>) {
  return object({
    id: string,
    title: string,
    primary: string,
    settings: list(settingSummary, { min: 1 }),
    selected: lossSetting,
    verdict: optional(verdict),
    focalVerdict: optional(verdict),
    verdictText: string,
  });
}
const experimentSummary = summaryOf(comparison);
const legacySummary = summaryOf(legacyComparison);

const compareOptions = object({
  task: oneOf('classification', 'segmentation', 'detection'),
  data: optional(string),
  label: optional(string),
  positive: optional(string),
  ignore: list(string),
  gammas: optional(list(number)),
  alphas: optional(list(nullable(number))),
  classWeightPowers: optional(list(nullable(number))),
  seeds: optional(integer(1)),
  mode: oneOf('quick', 'full', 'tiny'),
  out: string,
  backend: oneOf('cpu', 'wasm'),
  workers: optional(integer(1)),
  confirm: optional(integer(2)),
});

/** Experiments and their summaries side by side: as many, with the same ids, primary metrics and grids. */
function pairingProblem(
  experiments: readonly Infer<typeof experimentResult>[],
  summaries: readonly { id: string; primary: string; settings: { setting: { label: string } }[] }[],
  at: string,
): { at: string; problem: string } | undefined {
  if (summaries.length !== experiments.length)
    return { at: `${at}summaries`, problem: `has ${summaries.length} entries for ${experiments.length} experiments` };
  for (const [i, e] of experiments.entries()) {
    const problem = summaryProblem(e, summaries[i]!);
    if (problem) return { at: `${at}summaries[${i}]${problem.at ? `.${problem.at}` : ''}`, problem: problem.problem };
  }
  return undefined;
}

/** The second phase of `--confirm` (run.ts Confirmation). */
const confirmation = refine(
  object({
    seeds: list(integer(), { min: 1 }),
    experiments: list(experimentResult, { min: 1 }),
    summaries: list(experimentSummary, { min: 1 }),
  }),
  (c) => pairingProblem(c.experiments, c.summaries, ''),
);

/** results.json with summaries described by `summary`: the current format, or (legacy) the one before the rule of focal-loss-cli/stats. */
function resultOf<S>(summary: Schema<S & { id: string; primary: string; settings: { setting: { label: string } }[] }>) {
  return refine(
    object({
      command: string,
      options: compareOptions,
      environment: object({
        node: string,
        platform: string,
        cpu: string,
        cores: integer(1),
        backend: string,
        tfjs: string,
        workers: optional(integer(1)),
      }),
      provenance: object({ commit: nullable(string), dirty: nullable(boolean), packages: record(string) }),
      startedAt: string,
      seconds: number,
      seeds: list(integer(), { min: 1 }),
      experiments: list(experimentResult, { min: 1 }),
      summaries: list(summary, { min: 1 }),
      confirmation: optional(confirmation),
      rendered: optional(object({ at: string, version: string, commit: nullable(string) })),
      verdictsRecomputed: optional(string),
    }),
    (r) => {
      const problem = pairingProblem(r.experiments, r.summaries, '');
      if (problem) return problem;
      const ids = r.experiments.map((e) => e.id);
      const stray = r.confirmation?.experiments.findIndex((e) => !ids.includes(e.id)) ?? -1;
      if (stray >= 0)
        return {
          at: `confirmation.experiments[${stray}].id`,
          problem: `'${r.confirmation!.experiments[stray]!.id}' is not the id of an experiment`,
        };
      return undefined;
    },
  );
}

/** The description of results.json. Fields are checked in this order; `command` first, so a foreign JSON file fails on it. */
export const compareResultSchema = resultOf(experimentSummary);
const legacyResultSchema = resultOf(legacySummary);

/** What does not match between an experiment and its summary (the report puts them side by side). */
function summaryProblem(
  e: Infer<typeof experimentResult>,
  s: { id: string; primary: string; settings: { setting: { label: string } }[] },
): { at?: string; problem: string } | undefined {
  if (s.id !== e.id) return { at: 'id', problem: `'${s.id}' is not the id of experiment '${e.id}' at the same position` };
  if (s.primary !== e.metrics.primary)
    return { at: 'primary', problem: `'${s.primary}' is not the experiment's primary metric '${e.metrics.primary}'` };
  const grid = e.grid.map((g) => g.label).join(', ');
  if (s.settings.map((x) => x.setting.label).join(', ') !== grid)
    return { at: 'settings', problem: `are not the experiment's grid (${grid})` };
  return undefined;
}

type Described = Infer<typeof compareResultSchema>;
// The compiler holds the description to the types both ways: what it reads is a CompareResult,
// and every CompareResult (and so every file compare writes) fits it.
const _describesCompareResult: [(r: Described) => CompareResult, (r: CompareResult) => Described] = [(r) => r, (r) => r];

/**
 * Checks a parsed results.json against {@link compareResultSchema} and returns it revived:
 * null read back as NaN where a computed number is expected, and the ablation `axis` of
 * experiments from runs made before results.json recorded it. A file written before the
 * verdicts went through focal-loss-cli/stats' decide (its verdicts have `comparisons`, no
 * `contrasts`) is read with that format's description and its summaries are recomputed from
 * the per-seed scores ({@link recomputeSummaries}). Anything else is a {@link DataError}
 * "<path> is not a focal-loss compare results.json: <the first bad field>".
 */
export function reviveResult(raw: unknown, path: string): CompareResult {
  let result: CompareResult;
  try {
    if (isLegacy(raw)) {
      const legacy = legacyResultSchema.read(raw, '');
      result = { ...legacy, summaries: [] };
      recomputeSummaries(result, legacy.summaries);
    } else result = compareResultSchema.read(raw, '');
  } catch (error) {
    if (error instanceof SchemaError) throw new DataError(`${path} is not a focal-loss compare results.json: ${error.message}`);
    throw error;
  }
  for (const experiment of result.experiments) {
    // Runs made before experiments recorded their ablation axis: the plan of that time says it.
    if (experiment.axis !== undefined) continue;
    const axis = LEGACY_AXES[experiment.id];
    if (axis) experiment.axis = axis;
  }
  return result;
}

/** The ablations of `--full` detection before results.json recorded their axis (up to 19c872e), by id. */
const LEGACY_AXES: Record<string, string> = {
  'ablation-32-a1': 'imbalance: 1 anchor per cell',
  'ablation-32': 'reference: 32x32, 6 anchors per cell, Adam, 7 epochs',
  'ablation-96-a9': 'imbalance: 96x96 canvas, 9 anchors per cell',
  'ablation-96-a9-1': 'imbalance: 96x96 canvas, 9 anchors per cell, 1 digit per scene',
  'ablation-32-sgd': "optimiser: the paper's SGD (momentum .9, warm-up, steps) at lr 0.01",
  'ablation-32-long': 'schedule: 14 epochs',
};

/** True for a results.json whose verdicts predate focal-loss-cli/stats (a `comparisons` field, no `contrasts`). */
function isLegacy(raw: unknown): boolean {
  const summaries = (raw as { summaries?: unknown } | null)?.summaries;
  if (!Array.isArray(summaries)) return false;
  return summaries.some((s: unknown) =>
    [(s as { verdict?: unknown })?.verdict, (s as { focalVerdict?: unknown })?.focalVerdict].some(
      (v) => typeof v === 'object' && v !== null && 'comparisons' in v && !('contrasts' in v),
    ),
  );
}

/**
 * The summaries of a legacy file, recomputed by this version's rule from the per-seed scores
 * that results.json keeps. Such a file recorded the image-bootstrap variance of the seed-mean
 * difference (testSd²) only for the pairs of its two verdicts, and not the per-seed part that
 * the rule subtracts; so testSd² stands in for the shared test-image variance of those pairs
 * (an upper bound), and the largest testSd² of the experiment for every other contrast. Says
 * so in `verdictsRecomputed`.
 */
function recomputeSummaries(result: CompareResult, legacy: Infer<typeof legacySummary>[]): void {
  result.summaries = result.experiments.map((experiment, i) => {
    const recorded = new Map<string, number>();
    for (const v of [legacy[i]!.verdict, legacy[i]!.focalVerdict])
      if (v && Number.isFinite(v.testSd)) recorded.set(`${v.setting}\u0000${v.against}`, v.testSd ** 2);
    const largest = Math.max(0, ...recorded.values());
    const shared = experiment.sharedTestSet === true && largest > 0;
    return summariseExperiment(experiment, {
      testVariance: (setting, baseline) =>
        shared ? { seedMean: recorded.get(`${setting}\u0000${baseline}`) ?? largest, perSeedMean: 0 } : undefined,
    });
  });
  result.verdictsRecomputed =
    'Verdicts recomputed from the per-seed scores in results.json by the rule of this version (every setting against the baseline, ' +
    "Dunnett's simultaneous intervals); the run predates it and recorded the image-bootstrap variance of a seed-mean difference only for " +
    'its two verdicts, so that variance stands in for the test-image noise the seeds share (an upper bound), and the largest one recorded ' +
    'in the experiment for every other contrast.';
}
