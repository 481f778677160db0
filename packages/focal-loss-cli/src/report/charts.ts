/**
 * The report's plots as vega-lite specs. Each function turns results into data rows and
 * a spec; rendering is separate (render.ts) so the specs can be tested as plain objects.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ExperimentSummary } from '../compare/aggregate.js';
import { isCrossEntropy, isVariant, seriesLabel, type LossSetting } from '../compare/settings.js';
import type { ExperimentResult, RunRecord } from '../compare/types.js';
import { mean } from '../metrics/stats.js';
import { metricTitle } from '../compare/metric-names.js';

export { metricTitle };

const finite = (v: number) => (Number.isFinite(v) ? v : null);

/**
 * Mean training loss per epoch for every setting (mean over seeds), one panel per class weighting,
 * colour by gamma, log scale: focal losses with large gamma are orders of magnitude smaller.
 */
export function lossCurvesSpec(experiment: ExperimentResult): TopLevelSpec {
  const rows: { epoch: number; loss: number | null; gamma: number; weighting: string }[] = [];
  for (const setting of experiment.grid) {
    const runs = experiment.runs.filter((r) => r.setting.label === setting.label);
    const epochs = Math.max(0, ...runs.map((r) => r.trainLoss.length));
    for (let e = 0; e < epochs; e++) {
      const values = runs.map((r) => r.trainLoss[e]).filter((v): v is number => v !== undefined && Number.isFinite(v) && v > 0);
      rows.push({ epoch: e + 1, loss: values.length ? mean(values) : null, gamma: setting.gamma, weighting: seriesLabel(setting) });
    }
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Training loss (mean over seeds) — ${experiment.title}`,
    data: { values: rows },
    facet: { column: { field: 'weighting', type: 'nominal', title: 'class weighting' } },
    spec: {
      width: 170,
      height: 150,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'epoch' },
        y: { field: 'loss', type: 'quantitative', scale: { type: 'log' }, title: 'training loss' },
        color: { field: 'gamma', type: 'ordinal', title: 'γ', scale: { scheme: 'viridis' } },
      },
    },
  } as TopLevelSpec;
}

/**
 * The paper's Table 1b as a plot: the test primary metric against gamma, one line per
 * class weighting, error bars = std over seeds; the dashed rule is cross-entropy.
 */
export function metricVsGammaSpec(experiment: ExperimentResult, summary: ExperimentSummary): TopLevelSpec {
  const primary = summary.primary;
  const rows = summary.settings.map((s) => ({
    gamma: s.setting.gamma,
    weighting: seriesLabel(s.setting),
    mean: finite(s.test[primary]?.mean ?? NaN),
    low: finite((s.test[primary]?.mean ?? NaN) - (s.test[primary]?.std ?? 0)),
    high: finite((s.test[primary]?.mean ?? NaN) + (s.test[primary]?.std ?? 0)),
    setting: s.setting.label + (s.selected ? ' (selected)' : ''),
  }));
  const ce = summary.settings.find((s) => s.baseline)?.test[primary]?.mean;
  const layers: object[] = [
    {
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'gamma', type: 'quantitative', title: 'γ' },
        y: { field: 'mean', type: 'quantitative', scale: { zero: false }, title: `test ${metricTitle(primary)}` },
        color: { field: 'weighting', type: 'nominal', title: 'class weighting' },
        tooltip: [{ field: 'setting' }, { field: 'mean', format: '.3f' }],
      },
    },
    {
      mark: { type: 'errorbar', ticks: true },
      encoding: {
        x: { field: 'gamma', type: 'quantitative' },
        y: { field: 'low', type: 'quantitative', title: `test ${metricTitle(primary)}` },
        y2: { field: 'high' },
        color: { field: 'weighting', type: 'nominal' },
      },
    },
  ];
  if (ce !== undefined && Number.isFinite(ce)) {
    layers.push({
      data: { values: [{ ce }] },
      mark: { type: 'rule', strokeDash: [4, 4], color: 'black' },
      encoding: { y: { field: 'ce', type: 'quantitative' } },
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Test ${metricTitle(primary)} vs γ (mean ± std over ${experiment.seeds.length} seeds; dashed: cross-entropy)`,
    width: 420,
    height: 260,
    data: { values: rows },
    layer: layers,
  } as TopLevelSpec;
}

/** The settings worth drawing curves for: cross-entropy, the selected setting, and the paper's γ=2 α=0.25 when present. */
export function highlightedSettings(experiment: ExperimentResult, summary: ExperimentSummary): LossSetting[] {
  const out: LossSetting[] = [];
  const add = (s: LossSetting | undefined) => {
    if (s && !out.some((o) => o.label === s.label)) out.push(s);
  };
  add(experiment.grid.find(isCrossEntropy));
  add(summary.selected);
  add(experiment.grid.find((s) => s.gamma === 2 && s.alpha === 0.25 && !isVariant(s)));
  return out;
}

function firstSeedRun(experiment: ExperimentResult, setting: LossSetting): RunRecord | undefined {
  return experiment.runs.find((r) => r.setting.label === setting.label && r.seed === experiment.seeds[0]);
}

/** Test precision-recall curves (first seed) of the highlighted settings; binary tasks only. */
export function prCurvesSpec(experiment: ExperimentResult, summary: ExperimentSummary): TopLevelSpec | undefined {
  const rows: { recall: number; precision: number; setting: string; order: number }[] = [];
  for (const setting of highlightedSettings(experiment, summary)) {
    const run = firstSeedRun(experiment, setting);
    (run?.curves?.prAtTrainPrior ?? run?.curves?.pr)?.forEach((p, i) =>
      rows.push({ recall: p.recall, precision: p.precision, setting: setting.label, order: i }),
    );
  }
  if (rows.length === 0) return undefined;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Precision-recall on the test set re-weighted to the training prior (seed ${experiment.seeds[0]})`,
    width: 360,
    height: 260,
    data: { values: rows },
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: {
      x: { field: 'recall', type: 'quantitative', scale: { domain: [0, 1] } },
      y: { field: 'precision', type: 'quantitative', scale: { domain: [0, 1] } },
      color: { field: 'setting', type: 'nominal' },
      order: { field: 'order', type: 'quantitative' },
    },
  } as TopLevelSpec;
}

/** Reliability diagrams (first seed) of the highlighted settings, with the diagonal of perfect calibration. */
export function reliabilitySpec(experiment: ExperimentResult, summary: ExperimentSummary): TopLevelSpec | undefined {
  const rows: { confidence: number; accuracy: number; weight: number; setting: string }[] = [];
  for (const setting of highlightedSettings(experiment, summary)) {
    const run = firstSeedRun(experiment, setting);
    for (const bin of run?.curves?.reliabilityAtTrainPrior ?? run?.curves?.reliability ?? []) {
      if (bin.weight > 0) rows.push({ confidence: bin.confidence, accuracy: bin.accuracy, weight: bin.weight, setting: setting.label });
    }
  }
  if (rows.length === 0) return undefined;
  const outcome = experiment.kind === 'multiclass' ? 'accuracy (top-1 correct)' : 'observed fraction of positives';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Reliability on the test set${experiment.task === 'classification' ? ' re-weighted to the training prior' : ''} (seed ${experiment.seeds[0]}; point size = weight in bin)`,
    width: 360,
    height: 260,
    layer: [
      {
        data: {
          values: [
            { x: 0, y: 0 },
            { x: 1, y: 1 },
          ],
        },
        mark: { type: 'line', color: 'gray', strokeDash: [4, 4] },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
      },
      {
        data: { values: rows },
        mark: { type: 'line', point: true },
        encoding: {
          x: {
            field: 'confidence',
            type: 'quantitative',
            scale: { domain: [0, 1] },
            title: experiment.kind === 'multiclass' ? 'confidence (max probability)' : 'predicted probability',
          },
          y: { field: 'accuracy', type: 'quantitative', scale: { domain: [0, 1] }, title: outcome },
          color: { field: 'setting', type: 'nominal' },
        },
      },
      {
        data: { values: rows },
        mark: { type: 'point', filled: true },
        encoding: {
          x: { field: 'confidence', type: 'quantitative' },
          y: { field: 'accuracy', type: 'quantitative' },
          size: { field: 'weight', type: 'quantitative', scale: { type: 'log' }, legend: null },
          color: { field: 'setting', type: 'nominal' },
        },
      },
    ],
  } as TopLevelSpec;
}

/** Focal loss FL(p_t) = -(1 - p_t)^γ log(p_t) for γ in {0, 0.5, 1, 2, 5}: the paper's Figure 1. */
export function focalLossCurveSpec(gammas: readonly number[] = [0, 0.5, 1, 2, 5]): TopLevelSpec {
  const rows: { pt: number; loss: number; gamma: string }[] = [];
  for (const gamma of gammas) {
    for (let i = 1; i <= 100; i++) {
      const pt = i / 100;
      rows.push({ pt, loss: -((1 - pt) ** gamma) * Math.log(pt), gamma: `γ = ${gamma}` });
    }
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Focal loss against the probability of the ground-truth class (γ = 0 is cross-entropy)',
    width: 420,
    height: 260,
    data: { values: rows },
    mark: 'line',
    encoding: {
      x: { field: 'pt', type: 'quantitative', title: 'probability of ground truth class p_t' },
      y: { field: 'loss', type: 'quantitative', title: 'loss', scale: { domain: [0, 5] } },
      color: { field: 'gamma', type: 'nominal', title: null, sort: gammas.map((g) => `γ = ${g}`) },
    },
  } as TopLevelSpec;
}

/**
 * The paper's Figure 4: cumulative distribution of the normalised loss over positive and
 * negative samples of one trained model (first seed of γ=2 α=0.25 where in the grid, else
 * the selected setting), one line per γ. Undefined when no run has it (non-detection tasks).
 */
export function lossCdfSpec(
  experiment: ExperimentResult,
  summary: ExperimentSummary,
): { spec: TopLevelSpec; setting: LossSetting } | undefined {
  const candidates = [experiment.grid.find((s) => s.gamma === 2 && s.alpha === 0.25 && !isVariant(s)), summary.selected].filter(
    (s): s is LossSetting => s !== undefined,
  );
  for (const setting of candidates) {
    const run = experiment.runs.find((r) => r.setting.label === setting.label && r.seed === experiment.seeds[0] && r.curves?.lossCdf);
    if (!run) continue;
    const rows: { fraction: number; cumulative: number; gamma: string; group: string }[] = [];
    const gammas = run.curves!.lossCdf!.map((c) => `γ = ${c.gamma}`);
    for (const c of run.curves!.lossCdf!) {
      for (const [group, values, n] of [
        ['positive', c.positive, c.positives],
        ['negative', c.negative, c.negatives],
      ] as const) {
        values.forEach((v, i) =>
          rows.push({ fraction: i / (values.length - 1), cumulative: v, gamma: `γ = ${c.gamma}`, group: `${group} samples (${n})` }),
        );
      }
    }
    return {
      setting,
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: `Cumulative normalised loss of a trained model (${setting.label}, seed ${run.seed}), per γ (the paper's Figure 4)`,
        data: { values: rows },
        facet: { column: { field: 'group', type: 'nominal', title: null, sort: 'descending' } },
        spec: {
          width: 240,
          height: 200,
          mark: 'line',
          encoding: {
            x: { field: 'fraction', type: 'quantitative', title: 'fraction of samples (lowest loss first)' },
            y: { field: 'cumulative', type: 'quantitative', title: 'cumulative normalised loss', scale: { domain: [0, 1] } },
            color: { field: 'gamma', type: 'nominal', title: null, sort: gammas },
          },
        },
      } as TopLevelSpec,
    };
  }
  return undefined;
}
