import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { summariseExperiment } from '../../src/compare/aggregate.js';
import { buildGrid } from '../../src/compare/settings.js';
import type { ExperimentResult, RunRecord } from '../../src/compare/types.js';
import { DataError } from '../../src/data/errors.js';
import { focalLossCurveSpec, lossCurvesSpec, metricVsGammaSpec, prCurvesSpec, reliabilitySpec } from '../../src/report/charts.js';
import { renderSvg } from '../../src/report/render.js';
import { formatMarkdownTable, formatTextTable, resultsTable, tableLegend } from '../../src/report/table.js';
import { prepareReport } from '../../src/report/write.js';

function experiment(): ExperimentResult {
  const grid = buildGrid([0, 2], [0.25, null]);
  const runs: RunRecord[] = [];
  for (const seed of [0, 1]) {
    for (const [k, setting] of grid.entries()) {
      runs.push({
        experiment: 'e',
        setting,
        seed,
        epochs: 2,
        trainLoss: [0.5 / (k + 1), 0.3 / (k + 1)],
        diverged: false,
        seconds: 1,
        validation: { averagePrecision: 0.5 + k * 0.1, ece: 0.1 },
        test: { averagePrecision: 0.6 + k * 0.01 + seed * 0.01, rocAuc: 0.9, 'recall@val': 0.5, 'f1@val': 0.5, ece: 0.05 },
        testReweighted: { averagePrecision: 0.4 },
        curves: {
          pr: [
            { threshold: 0.9, precision: 1, recall: 0.5 },
            { threshold: 0.1, precision: 0.5, recall: 1 },
          ],
          reliability: [
            { lower: 0, upper: 0.5, confidence: 0.2, accuracy: 0.25, weight: 10 },
            { lower: 0.5, upper: 1, confidence: 0.8, accuracy: 0.7, weight: 0 },
          ],
        },
      });
    }
  }
  return {
    id: 'e',
    title: 'Example',
    task: 'classification',
    kind: 'binary',
    description: 'd',
    training: 't',
    metrics: { primary: 'averagePrecision', names: ['averagePrecision'], lowerIsBetter: ['ece'] },
    grid,
    seeds: [0, 1],
    runs,
  };
}

test('every chart spec renders to SVG with vega', async () => {
  const e = experiment();
  const s = summariseExperiment(e);
  for (const spec of [focalLossCurveSpec(), lossCurvesSpec(e), metricVsGammaSpec(e, s), prCurvesSpec(e, s)!, reliabilitySpec(e, s)!]) {
    const svg = await renderSvg(spec);
    assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.ok(svg.includes('<path'), 'has marks');
  }
});

test('results table: one row per setting, the selected one marked, every Δ to CE with its interval and word', () => {
  const e = experiment();
  const summary = summariseExperiment(e);
  const table = resultsTable(e, summary);
  assert.equal(table.rows.length, 4);
  assert.equal(table.rows[3]![0], 'γ=2 α=none *');
  assert.deepEqual(table.header.slice(3, 5), ['Δ AP vs CE (95 % interval)', 'vs CE']);
  assert.deepEqual(table.rows[0]!.slice(3, 5), ['—', '—']);
  // The same +0.03 on both seeds: a zero-width interval, better; the verdict's setting carries the winner's-curse mark.
  assert.deepEqual(table.rows[3]!.slice(3, 5), ['+0.030 (+0.030 to +0.030) †', 'better']);
  assert.deepEqual(table.rows[1]!.slice(3, 5), ['+0.010 (+0.010 to +0.010)', 'better']);
  assert.match(
    tableLegend(e, summary),
    /simultaneous over the 3 settings compared with it \(Dunnett\).*† = the verdict's setting.*winner's curse/,
  );
  assert.match(formatTextTable(table), /setting\s+val AP/);
  assert.match(formatMarkdownTable(table), /^\| setting \| val AP/);
});

test('prepareReport writes atomically and replaces only an earlier report', () => {
  const root = mkdtempSync(join(tmpdir(), 'fl-report-'));
  const out = join(root, 'report');
  const first = prepareReport(out);
  first.write('index.html', 'one');
  assert.equal(existsSync(out), false, 'nothing visible before commit');
  first.commit();
  assert.equal(readFileSync(join(out, 'index.html'), 'utf8'), 'one');

  const second = prepareReport(out);
  second.write('index.html', 'two');
  second.abort();
  assert.equal(readFileSync(join(out, 'index.html'), 'utf8'), 'one', 'an aborted report leaves the old one');
  assert.deepEqual(readdirSync(root), ['report'], 'no temporary directories left');

  const third = prepareReport(out);
  third.write('index.html', 'three');
  third.commit();
  assert.equal(readFileSync(join(out, 'index.html'), 'utf8'), 'three');
  assert.deepEqual(readdirSync(root), ['report']);

  const userDir = join(root, 'mine');
  mkdirSync(userDir);
  writeFileSync(join(userDir, 'thesis.tex'), 'precious');
  assert.throws(
    () => prepareReport(userDir),
    (e: unknown) => e instanceof DataError && /not a focal-loss report/.test(e.message),
  );
  writeFileSync(join(root, 'file'), 'x');
  assert.throws(() => prepareReport(join(root, 'file')), /not a directory/);
});

test('a detection table says its Δ is against the α-balanced baseline, not plain cross-entropy', async () => {
  const { resultsTable, tableLegend } = await import('../../src/report/table.js');
  const { summariseExperiment } = await import('../../src/compare/aggregate.js');
  const { DETECTION_METRICS } = await import('../../src/compare/tasks/detection.js');
  const grid = [
    { gamma: 0, alpha: 0.75, label: 'γ=0 α=0.75' },
    { gamma: 2, alpha: 0.25, label: 'γ=2 α=0.25' },
  ];
  const run = (setting: (typeof grid)[number], seed: number, ap: number) => ({
    experiment: 'd',
    setting,
    seed,
    epochs: 1,
    trainLoss: [1],
    diverged: false,
    seconds: 1,
    validation: { AP: ap, AP50: ap, AP75: ap, AR100: ap },
    test: { AP: ap, AP50: ap, AP75: ap, AR100: ap },
  });
  const experiment = {
    id: 'd',
    title: 'd',
    task: 'detection' as const,
    kind: 'detection' as const,
    description: '',
    training: '',
    metrics: DETECTION_METRICS,
    grid,
    seeds: [0, 1],
    runs: [run(grid[0]!, 0, 0.1), run(grid[1]!, 0, 0.2), run(grid[0]!, 1, 0.1), run(grid[1]!, 1, 0.25)],
    baseline: 'γ=0 α=0.75',
  };
  const summary = summariseExperiment(experiment);
  assert.equal(resultsTable(experiment, summary).header[3], 'Δ AP vs baseline (95 % interval)');
  assert.match(tableLegend(experiment, summary), /minus the baseline's \(γ=0 α=0\.75\) on the same seed/);
  assert.match(tableLegend(experiment, summary), /\(a paired t interval\)/);
  assert.doesNotMatch(tableLegend(experiment, summary), /†/, "a pair has no selection, no winner's curse");
  assert.equal(resultsTable({ ...experiment, baseline: undefined }, summary).header[3], 'Δ AP vs CE (95 % interval)');
});

test('escapeMarkdown: user text renders as itself, on one line, also in a table cell', async () => {
  const { escapeMarkdown, markdownCode } = await import('../../src/report/table.js');
  assert.equal(
    escapeMarkdown('<b>x</b> | *a* _b_ [l](u) `c` ~~s~~ $m$ \\ #h &amp;'),
    '\\<b>x\\</b> \\| \\*a\\* \\_b\\_ \\[l\\](u) \\`c\\` \\~\\~s\\~\\~ \\$m\\$ \\\\ \\#h \\&amp;',
  );
  // Block starts only at the start; R&D and a > b stay as they are.
  assert.equal(escapeMarkdown('- item'), '\\- item');
  assert.equal(escapeMarkdown('+ item'), '\\+ item');
  assert.equal(escapeMarkdown('---'), '\\---');
  assert.equal(escapeMarkdown('1. first'), '1\\. first');
  assert.equal(escapeMarkdown('> quote, a > b'), '\\> quote, a > b');
  assert.equal(escapeMarkdown('R&D -0.5, +0.1, 2.5'), 'R&D -0.5, +0.1, 2.5');
  assert.equal(escapeMarkdown('two\nlines\r\n# heading'), 'two lines \\# heading');
  assert.equal(markdownCode('focal-loss compare --data a.csv'), '`focal-loss compare --data a.csv`');
  assert.equal(markdownCode('--data `x`.csv'), '``--data `x`.csv``');
  assert.equal(markdownCode('`x` --data'), '`` `x` --data ``');
  assert.equal(markdownCode('a\n# b'), '`a # b`');
});

test('summary.md escapes the CSV file name, label column and label values; index.html is as before', async () => {
  const { summaryMarkdown, indexHtml } = await import('../../src/report/documents.js');
  const { escapeHtml } = await import('../../src/report/table.js');
  const e = experiment();
  const hostile = '<img src=x onerror=alert(1)>|`x`.csv';
  const title = `${hostile}: la|bel = *yes*_[1](http://x) vs rest`;
  const description = `# ${hostile}: 40 rows, label 'la|bel'; train counts not *yes*: 24, *yes*: 8.`;
  const experimentResult = { ...e, title, description };
  const result = {
    command: `focal-loss compare --data ${hostile} --label 'la|bel'`,
    options: {} as never,
    environment: { node: 'v20', platform: 'linux x64', cpu: 'CPU', cores: 2, backend: 'cpu', tfjs: '4' },
    provenance: { commit: null, dirty: null, packages: { 'focal-loss-cli': '0.1.0' } },
    startedAt: '2026-01-01T00:00:00.000Z',
    seconds: 1,
    seeds: [0, 1],
    experiments: [experimentResult],
    summaries: [{ ...summariseExperiment(experimentResult), verdictText: 'Selected <script>x</script> for *yes* | 1 > 0.' }],
  };
  const md = summaryMarkdown(result);
  // No HTML tag, emphasis, link or extra table cell survives: every special character is escaped
  // (the lines left out are checked one by one below).
  const unescaped = /(^|[^\\])[<*_[|`$#~]/m.exec(
    md
      .split('\n')
      .filter((l) => !l.startsWith('|') && !l.startsWith('#') && !l.startsWith('Command:') && !l.startsWith('**Verdict:**'))
      .join('\n'),
  );
  assert.equal(unescaped, null, String(unescaped));
  assert.ok(md.includes('## \\<img src=x onerror=alert(1)>\\|\\`x\\`.csv: la\\|bel = \\*yes\\*\\_\\[1\\](http://x) vs rest\n'), md);
  assert.ok(md.includes('\n\\# \\<img src=x'), 'a description that starts with # is no heading');
  assert.ok(md.includes('**Verdict:** Selected \\<script>x\\</script> for \\*yes\\* \\| 1 > 0.'), md);
  assert.ok(md.includes("Command: ``focal-loss compare --data <img src=x onerror=alert(1)>|`x`.csv --label 'la|bel'``\n"), md);
  // Every table row still has the header's number of cells.
  const tableRows = md.split('\n').filter((l) => l.startsWith('| '));
  const cells = (l: string) => l.replaceAll('\\|', '').split('|').length;
  assert.ok(tableRows.every((l) => cells(l) === cells(tableRows[0]!)));
  // index.html keeps escaping for HTML only.
  const html = indexHtml(result, [[]], []);
  assert.ok(html.includes(`<h2>${escapeHtml(title)}</h2>`));
  assert.ok(html.includes(`<p>${escapeHtml(description)}</p>`));
  assert.ok(!html.includes('\\|') && !html.includes('\\*'));
});
