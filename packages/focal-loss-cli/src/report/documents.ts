/** The report's text documents: summary.md and the self-contained index.html. */
import type { CompareResult } from '../compare/run.js';
import { ablationLegend, ablationTable, imbalanceTrend, imbalanceTrendText, learningCurves, plateauText } from './ablations.js';
import { escapeHtml, escapeMarkdown, formatHtmlTable, formatMarkdownTable, markdownCode, resultsTable, tableLegend } from './table.js';

/** Heading of the ablations section (detection --full). */
const ABLATIONS_HEADING = 'Ablations side by side';

/** One experiment's rendered figures (SVG strings) with captions. */
export interface Figure {
  caption: string;
  svg: string;
}

function environmentLine(result: CompareResult): string {
  const e = result.environment;
  return `${e.cpu} (${e.cores} cores), Node ${e.node}, ${e.platform}, tfjs ${e.tfjs} on the ${e.backend} backend; ${result.seconds.toFixed(0)} s in all.`;
}

/** Which code produced the numbers. */
export function provenanceLine(result: CompareResult): string {
  const p = result.provenance;
  const code = p.commit
    ? `commit ${p.commit.slice(0, 12)}${p.dirty ? ' with uncommitted changes (not reproducible from the commit alone)' : ''}`
    : 'an installed package (no git checkout)';
  return `Code: ${code}; ${Object.entries(p.packages)
    .map(([name, v]) => `${name} ${v}`)
    .join(', ')}.`;
}

/**
 * summary.md: command, machine, and per experiment the table and the verdict. Every text
 * goes through {@link escapeMarkdown} (the command is a code span): a CSV's file name, label
 * column and label values are the user's, and must not become markup.
 */
export function summaryMarkdown(result: CompareResult): string {
  const md = escapeMarkdown;
  const parts = [
    '# focal-loss compare',
    '',
    `Command: ${markdownCode(result.command)}`,
    '',
    `Run: ${md(`${result.startedAt} on ${environmentLine(result)}`)}`,
    '',
    md(provenanceLine(result)),
    '',
    md(
      `Seeds: ${result.seeds.join(', ')}${result.confirmation ? `; confirmation (--confirm): ${result.confirmation.seeds.join(', ')}` : ''}.`,
    ),
  ];
  result.experiments.forEach((experiment, i) => {
    const summary = result.summaries[i]!;
    parts.push(
      '',
      `## ${md(experiment.title)}`,
      '',
      md(experiment.description),
      '',
      md(`Model: ${experiment.training}.`),
      '',
      md(`Loss settings: ${experiment.grid.map((s) => s.label).join(', ')}.`),
      '',
      formatMarkdownTable(resultsTable(experiment, summary)),
      '',
      md(tableLegend(experiment, summary)),
      '',
      `**Verdict:** ${md(summary.verdictText)}`,
    );
    const confirmed = confirmationOf(result, experiment.id);
    if (confirmed)
      parts.push(
        '',
        `### ${md(confirmationHeading(result))}`,
        '',
        formatMarkdownTable(resultsTable(confirmed.experiment, confirmed.summary)),
        '',
        md(tableLegend(confirmed.experiment, confirmed.summary)),
        '',
        `**Confirmation:** ${md(confirmed.summary.verdictText)}`,
      );
  });
  const ablations = ablationTable(result);
  if (ablations) parts.push('', `## ${ABLATIONS_HEADING}`, '', formatMarkdownTable(ablations), '', md(ablationLegend(result)));
  for (const line of scheduleAndTrend(result)) parts.push('', `**${line.title}:** ${md(line.text)}`);
  if (result.rendered) parts.push('', md(renderedLine(result.rendered)));
  if (result.verdictsRecomputed) parts.push('', md(result.verdictsRecomputed));
  return parts.join('\n') + '\n';
}

/** The learning curve's plateau and the imbalance trend in words (detection --full), where the result has them. */
function scheduleAndTrend(result: CompareResult): { title: string; text: string }[] {
  const trend = imbalanceTrend(result);
  return [
    ...learningCurves(result).map((curve) => ({ title: 'Schedule', text: plateauText(curve) })),
    ...(trend ? [{ title: 'Imbalance trend', text: imbalanceTrendText(trend) }] : []),
  ];
}

/** The `--confirm` experiment and summary of a first-phase experiment, if any. */
function confirmationOf(result: CompareResult, id: string) {
  const c = result.confirmation;
  const i = c?.experiments.findIndex((e) => e.id === id) ?? -1;
  return c && i >= 0 ? { experiment: c.experiments[i]!, summary: c.summaries[i]! } : undefined;
}

/** Heading of a `--confirm` section. */
function confirmationHeading(result: CompareResult): string {
  return `Confirmation: the selected setting and the baseline on fresh seeds ${result.confirmation!.seeds.join(', ')}`;
}

const STYLE = `
body { font-family: system-ui, sans-serif; max-width: 1200px; margin: 2em auto; padding: 0 1em; color: #222; }
div.table { overflow-x: auto; }
table { border-collapse: collapse; font-size: 13px; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
tr.selected td { background: #fff3c4; font-weight: 600; }
.verdict { padding: 0.6em 1em; background: #eef4ff; border-left: 4px solid #4a7bd0; }
figure { margin: 1.5em 0; } figcaption { font-size: 13px; color: #555; }
code { background: #f4f4f4; padding: 1px 4px; }
.small { font-size: 13px; color: #555; }
`;

/** Says that a report was rendered later from results.json (`focal-loss render`), by which code. */
function renderedLine(rendered: NonNullable<CompareResult['rendered']>): string {
  return `Rendered from results.json on ${rendered.at} by focal-loss-cli ${rendered.version}${rendered.commit ? ` at commit ${rendered.commit.slice(0, 12)}` : ''}; the numbers are the run's.`;
}

/** The `--confirm` part of an experiment's section in index.html (nothing without one). */
function confirmationHtml(result: CompareResult, id: string): string[] {
  const confirmed = confirmationOf(result, id);
  if (!confirmed) return [];
  return [
    `<h3>${escapeHtml(confirmationHeading(result))}</h3>`,
    `<p class="verdict">${escapeHtml(confirmed.summary.verdictText)}</p>`,
    formatHtmlTable(resultsTable(confirmed.experiment, confirmed.summary)),
    `<p class="small">${escapeHtml(tableLegend(confirmed.experiment, confirmed.summary))}</p>`,
  ];
}

/** index.html with inline CSS and inline SVG: opens offline, no scripts. */
export function indexHtml(result: CompareResult, figures: Figure[][], general: Figure[], ablationFigures: Figure[] = []): string {
  const sections = result.experiments.map((experiment, i) => {
    const summary = result.summaries[i]!;
    return [
      `<section id="${escapeHtml(experiment.id)}">`,
      `<h2>${escapeHtml(experiment.title)}</h2>`,
      `<p>${escapeHtml(experiment.description)}</p>`,
      `<p class="small">Model: ${escapeHtml(experiment.training)}.</p>`,
      `<p class="verdict">${escapeHtml(summary.verdictText)}</p>`,
      formatHtmlTable(resultsTable(experiment, summary)),
      `<p class="small">${escapeHtml(tableLegend(experiment, summary))}</p>`,
      ...confirmationHtml(result, experiment.id),
      ...figures[i]!.map((f) => `<figure>${f.svg}<figcaption>${escapeHtml(f.caption)}</figcaption></figure>`),
      '</section>',
    ].join('\n');
  });
  const ablations = ablationTable(result);
  if (ablations) {
    sections.push(
      [
        '<section id="ablations">',
        `<h2>${ABLATIONS_HEADING}</h2>`,
        formatHtmlTable(ablations),
        `<p class="small">${escapeHtml(ablationLegend(result))}</p>`,
        ...scheduleAndTrend(result).map((line) => `<p class="verdict"><b>${escapeHtml(line.title)}:</b> ${escapeHtml(line.text)}</p>`),
        ...ablationFigures.map((f) => `<figure>${f.svg}<figcaption>${escapeHtml(f.caption)}</figcaption></figure>`),
        '</section>',
      ].join('\n'),
    );
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>focal-loss compare</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Focal loss vs cross-entropy</h1>
<p>Command: <code>${escapeHtml(result.command)}</code></p>
<p class="small">Run ${escapeHtml(result.startedAt)} on ${escapeHtml(environmentLine(result))}${result.rendered ? `\n${escapeHtml(renderedLine(result.rendered))}` : ''}${result.verdictsRecomputed ? `\n${escapeHtml(result.verdictsRecomputed)}` : ''}
${escapeHtml(provenanceLine(result))}
Seeds ${escapeHtml(result.seeds.join(', '))}${result.confirmation ? ` (confirmation: ${escapeHtml(result.confirmation.seeds.join(', '))})` : ''}; every run is reported, the setting is selected on the validation split only, and the test split is used for reporting only.
All runs and their settings are in <code>results.json</code>.</p>
${sections.join('\n')}
<section id="focal-loss">
<h2>The loss</h2>
${general.map((f) => `<figure>${f.svg}<figcaption>${escapeHtml(f.caption)}</figcaption></figure>`).join('\n')}
</section>
</body>
</html>
`;
}
