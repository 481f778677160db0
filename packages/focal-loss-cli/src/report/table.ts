/**
 * The results table, shared by the terminal, summary.md and index.html: one row per loss
 * setting, mean ± std over seeds, the validation-selected setting marked, and every setting's
 * test difference to the baseline with its interval and its word (the verdict's contrasts).
 */
import { fmt, signedBound, type ExperimentSummary, type SettingSummary } from '../compare/aggregate.js';
import type { ExperimentResult, MeanStd } from '../compare/types.js';
import { metricTitle, shortMetricName } from '../compare/metric-names.js';

export { shortMetricName };

/** A table as header and rows of cell strings. */
export interface Table {
  header: string[];
  rows: string[][];
}

/** Marker of the setting selected on validation. */
export const SELECTED_MARK = '*';

/** Marker of the verdict's setting (the best other than the baseline on validation), whose Δ the selection biases upward. */
export const WINNERS_CURSE_MARK = '†';

/** The word of a contrast in the table. */
export const OUTCOME_WORDS = { better: 'better', worse: 'worse', 'no-difference': 'no difference' } as const;

const pm = (m: MeanStd | undefined) => (m ? `${fmt(m.mean)} ± ${fmt(m.std)}` : 'n/a');
const signed = (v: number) => (Number.isFinite(v) ? `${v >= 0 ? '+' : ''}${fmt(v)}` : 'n/a');

/** The Δ cell of a setting: "+0.012 (-0.004 to +0.028)", the mark on the verdict's setting, or the mean ± std where there is no contrast. */
function deltaCell(s: SettingSummary, summary: ExperimentSummary): string {
  const verdict = summary.verdict;
  const contrast = verdict?.contrasts.find((c) => c.setting === s.setting.label);
  if (!contrast) return Number.isFinite(s.deltaToCrossEntropy.mean) ? `${signed(s.deltaToCrossEntropy.mean)} (no interval)` : 'n/a';
  const mark = verdict!.setting === s.setting.label && verdict!.settings > 2 ? ` ${WINNERS_CURSE_MARK}` : '';
  return `${signed(contrast.delta)}${contrast.ci95 ? ` (${signedBound(contrast.ci95[0])} to ${signedBound(contrast.ci95[1])})` : ''}${mark}`;
}

/** Secondary columns: test metrics, or (prior: true) test metrics re-weighted to the training prior. */
function secondaryColumns(kind: ExperimentResult['kind']): { metric: string; prior: boolean }[] {
  switch (kind) {
    case 'binary':
      return [
        // The threshold (@val) and the calibration were fitted at the training prior: show
        // them there, not on a test set with another prior. ROC-AUC does not depend on it.
        { metric: 'rocAuc', prior: false },
        { metric: 'recall@val', prior: true },
        { metric: 'f1@val', prior: true },
        { metric: 'ece', prior: true },
      ];
    case 'multiclass':
      return [
        { metric: 'rareRecall', prior: false },
        { metric: 'ece', prior: true },
      ];
    case 'segmentation':
      return [
        { metric: 'dice', prior: false },
        { metric: 'precision', prior: false },
        { metric: 'recall', prior: false },
        { metric: 'ece', prior: false },
      ];
    case 'detection':
      return [
        { metric: 'AP50', prior: false },
        { metric: 'AP75', prior: false },
        { metric: 'AR100', prior: false },
      ];
  }
}

/** Builds the results table of one experiment. */
export function resultsTable(experiment: ExperimentResult, summary: ExperimentSummary): Table {
  const primary = summary.primary;
  // The user's images: every metric the experiment names (per-class AP or IoU among them).
  const secondary = experiment.chance
    ? experiment.metrics.names.filter((m) => m !== primary).map((metric) => ({ metric, prior: false }))
    : secondaryColumns(experiment.kind);
  const atPrior = experiment.metrics.atTrainPrior;
  const p = shortMetricName(primary);
  const against = experiment.baseline ? 'baseline' : 'CE';
  const header = [
    'setting',
    `val ${p}`,
    `test ${p}`,
    // Detection compares with its α-balanced baseline, the other tasks with plain cross-entropy.
    `Δ ${p} vs ${against} (95 % interval)`,
    `vs ${against}`,
    ...(atPrior ? [`${shortMetricName(atPrior)} @ train prior`] : []),
    ...secondary.map((c) => `${shortMetricName(c.metric)}${c.prior ? ' @ train prior' : ''}`),
  ];
  const rows = summary.settings.map((s: SettingSummary) => [
    `${s.setting.label}${s.selected ? ` ${SELECTED_MARK}` : ''}${s.diverged ? ` (${s.diverged} diverged)` : ''}`,
    pm(s.validation[primary]),
    pm(s.test[primary]),
    s.baseline ? '—' : deltaCell(s, summary),
    s.baseline ? '—' : OUTCOME_WORDS[summary.verdict?.contrasts.find((c) => c.setting === s.setting.label)?.outcome ?? 'no-difference'],
    ...(atPrior ? [pm(s.testReweighted?.[atPrior])] : []),
    ...secondary.map((c) => pm(c.prior ? s.testReweighted?.[c.metric] : s.test[c.metric])),
  ]);
  return { header, rows };
}

/** Legend under every table. */
export function tableLegend(experiment: ExperimentResult, summary: ExperimentSummary): string {
  return (
    (summary.settings.some((s) => s.selected) ? `${SELECTED_MARK} = selected on validation ${metricTitle(summary.primary)}. ` : '') +
    `Test metrics, mean ± std over seeds ${experiment.seeds.join(', ')}; ` +
    `Δ = test ${shortMetricName(summary.primary)} minus ${experiment.baseline ? `the baseline's (${experiment.baseline})` : "cross-entropy's"} on the same seed, mean over seeds, ` +
    deltaLegend(summary) +
    (experiment.kind === 'binary' ? ' "@val": at the F1-best threshold chosen on validation.' : '') +
    (experiment.kind === 'multiclass' ? ' Rare recall: mean recall of the 3 rarest training classes.' : '') +
    (experiment.task === 'classification'
      ? ' Columns without "@ train prior" are on the test set as it is; "@ train prior": the test set re-weighted to the training class prior.'
      : '')
  );
}

/** What the Δ interval and the word mean, and the winner's-curse mark. */
function deltaLegend(summary: ExperimentSummary): string {
  const v = summary.verdict;
  if (!v) return 'without an interval.';
  if (!v.ci95) return `without an interval (${v.seeds} seed).`;
  const family =
    v.settings > 2 ? `, simultaneous over the ${v.settings - 1} settings compared with it (Dunnett)` : ' (a paired t interval)';
  const mark =
    v.settings > 2
      ? ` ${WINNERS_CURSE_MARK} = the verdict's setting, the best on validation other than the baseline: its Δ is biased upward by that selection (the winner's curse), its interval is not.`
      : '';
  return `with its 95 % interval${family}; "better" / "worse" when the interval excludes 0, "no difference" when it does not (none detected, not equality).${mark}`;
}

/** Plain-text table with aligned columns for the terminal. */
export function formatTextTable(table: Table): string {
  const widths = table.header.map((h, c) => Math.max([...h].length, ...table.rows.map((r) => [...r[c]!].length)));
  const line = (cells: string[]) => cells.map((cell, c) => cell + ' '.repeat(widths[c]! - [...cell].length)).join('  ');
  return [line(table.header), widths.map((w) => '-'.repeat(w)).join('  '), ...table.rows.map(line)].join('\n');
}

/** GitHub-flavoured markdown table; every cell through {@link escapeMarkdown}. */
export function formatMarkdownTable(table: Table): string {
  return [
    `| ${table.header.map(escapeMarkdown).join(' | ')} |`,
    `| ${table.header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...table.rows.map((r) => `| ${r.map(escapeMarkdown).join(' | ')} |`),
  ].join('\n');
}

/**
 * Escapes text for Markdown (CommonMark and GitHub's dialect), as {@link escapeHtml} does for
 * HTML: the text renders as itself, inline, on one line, also in a table cell or a heading.
 * User text (a CSV's file name, column names and label values) goes into summary.md through
 * this, and so does the generated text around it. Backslash-escaped: the characters that
 * start inline markup, HTML or an autolink (\\ ` * _ [ ] < ~ | $ #), `&` before an entity,
 * and at the start `>` `-` `+` `1.` `1)`, where they would begin a quote or a list. Line breaks and runs of
 * white space become one space (Markdown renders them so; a break could start a block).
 */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/\s+/g, ' ')
    .replace(/[\\`*_[\]<~|$#]/g, '\\$&')
    .replace(/^( ?)>/, '$1\\>')
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&')
    .replace(/^( ?)([-+])(?= |$|-)/, '$1\\$2')
    .replace(/^( ?\d{1,9})([.)])(?= |$)/, '$1\\$2');
}

/** A Markdown code span holding `s` as it is (a fence of backticks longer than any run inside it). */
export function markdownCode(s: string): string {
  const text = s.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ') && text.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Escapes text for HTML. */
export function escapeHtml(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** HTML table; the selected row gets class "selected". */
export function formatHtmlTable(table: Table): string {
  const head = `<tr>${table.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = table.rows
    .map(
      (r) =>
        `<tr${r[0]!.includes(` ${SELECTED_MARK}`) ? ' class="selected"' : ''}>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<div class="table"><table>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`;
}
