/**
 * The detection ablations side by side (`compare --task detection --full`): each ablation is
 * an experiment of its own with the pair cross-entropy α = .75 / focal loss γ = 2, α = .25;
 * this puts their results in one table and plots test AP against the anchor imbalance.
 */
import type { TopLevelSpec } from 'vega-lite';
import { fmt, signedBound, type Comparison } from '../compare/aggregate.js';
import type { CompareResult } from '../compare/run.js';
import type { MeanStd } from '../compare/types.js';
import type { Table } from './table.js';

/** One ablation: what it varies, its imbalance, both settings' test AP and the verdict. */
export interface AblationRow {
  id: string;
  axis: string;
  /** Negative anchors per positive anchor (first seed's training set). */
  imbalance: number;
  baseline: { label: string; test: MeanStd };
  other: { label: string; test: MeanStd };
  verdict: Comparison | undefined;
}

/** The ablation experiments of a result (those with an `axis`), in run order. */
export function ablationRows(result: CompareResult): AblationRow[] {
  const rows: AblationRow[] = [];
  result.experiments.forEach((experiment, i) => {
    if (experiment.axis === undefined || experiment.anchorImbalance === undefined) return;
    const summary = result.summaries[i]!;
    const base = summary.settings.find((s) => s.baseline);
    const other = summary.settings.find((s) => !s.baseline);
    if (!base || !other) return;
    const primary = summary.primary;
    rows.push({
      id: experiment.id,
      axis: experiment.axis,
      imbalance: experiment.anchorImbalance,
      baseline: { label: base.setting.label, test: base.test[primary]! },
      other: { label: other.setting.label, test: other.test[primary]! },
      verdict: summary.verdict,
    });
  });
  return rows;
}

const pm = (m: MeanStd) => `${fmt(m.mean)} ± ${fmt(m.std)}`;
const signed = (v: number) => `${v >= 0 ? '+' : ''}${fmt(v)}`;
const OUTCOME = { better: 'focal loss better', worse: 'focal loss worse', 'no-difference': 'no detectable difference' } as const;

/** The ablations as one table; undefined when the result has none. */
export function ablationTable(result: CompareResult): Table | undefined {
  const rows = ablationRows(result);
  if (rows.length === 0) return undefined;
  return {
    header: [
      'ablation',
      'positive : negative anchors',
      `${rows[0]!.baseline.label} test AP`,
      `${rows[0]!.other.label} test AP`,
      'Δ AP (95 % interval)',
      'verdict',
    ],
    rows: rows.map((r) => [
      `${r.id}: ${r.axis}`,
      `1:${Math.round(r.imbalance)}`,
      pm(r.baseline.test),
      pm(r.other.test),
      r.verdict
        ? `${signed(r.verdict.delta)}${r.verdict.ci95 ? ` (${signedBound(r.verdict.ci95[0])} to ${signedBound(r.verdict.ci95[1])})` : ''}`
        : 'n/a',
      r.verdict ? OUTCOME[r.verdict.outcome] : 'n/a',
    ]),
  };
}

/** Legend of {@link ablationTable}. */
export function ablationLegend(result: CompareResult): string {
  return (
    `Each row is an experiment of its own (its table and verdict are above), at the --quick budget unless its name says otherwise; test COCO AP, mean ± std over seeds ${result.seeds.join(', ')}. ` +
    'Δ = focal loss minus cross-entropy on the same seed, with its 95 % interval (a pair: the paired t interval, plus the test-image noise the seeds share). ' +
    "The imbalance is the training set's (first seed) ratio of positive to negative anchors after assignment."
  );
}

/** Test AP against the anchor imbalance for both losses (the imbalance axis and the reference point). */
export function apVsImbalanceSpec(result: CompareResult): TopLevelSpec | undefined {
  const rows = ablationRows(result).filter((r) => r.axis.startsWith('imbalance') || r.axis.startsWith('reference'));
  if (rows.length < 2) return undefined;
  const values = rows.flatMap((r) =>
    [r.baseline, r.other].map((s) => ({
      negativesPerPositive: r.imbalance,
      loss: s.label,
      mean: s.test.mean,
      low: s.test.mean - s.test.std,
      high: s.test.mean + s.test.std,
      ablation: r.id,
    })),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Test COCO AP against the anchor imbalance (mean ± std over seeds)',
    data: { values },
    width: 360,
    height: 220,
    encoding: {
      x: { field: 'negativesPerPositive', type: 'quantitative', scale: { type: 'log' }, title: 'negative anchors per positive anchor' },
      color: { field: 'loss', type: 'nominal', title: 'loss' },
    },
    layer: [
      { mark: { type: 'line', point: true }, encoding: { y: { field: 'mean', type: 'quantitative', title: 'test AP' } } },
      { mark: 'errorbar', encoding: { y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } },
    ],
  } as TopLevelSpec;
}
