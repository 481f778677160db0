/**
 * `focal-loss render --results results.json [--out DIR]`: writes a report (index.html,
 * summary.md, results.json) again from the results.json of an earlier run, with this
 * version's layout and figures. The numbers and verdicts are the run's (results.json keeps
 * them); nothing is trained, and the report says when and by which code it was rendered. A
 * file written before the verdicts went through focal-loss-cli/stats' decide gets its verdicts
 * recomputed from its per-seed scores, and the report says so (src/report/results_file.ts).
 * Bad input is a {@link DataError} (exit 2, one line).
 */
import { readFileSync } from 'node:fs';
import { DataError } from '../data/errors.js';
import { reviveResult } from '../report/results_file.js';
import { ReportCommitError, type PendingReport } from '../report/write.js';
import { parseStrict, UsageError } from './args.js';
import { readJsonFile } from './eval_detections.js';
import { dropWritesToClosedPipes, onStopSignals } from './process_io.js';

/** The help text of `focal-loss render --help`. */
export const RENDER_USAGE = `Usage: focal-loss render --results results.json [--out DIR]

Writes the report of an earlier 'focal-loss compare' run again from its results.json (the
numbers and verdicts are the run's; the layout and figures are this version's). The verdicts
of a results.json older than this version's decision rule are recomputed from its per-seed
scores, and the report says so.

Options:
  --results FILE     results.json of a compare run
  --out DIR          report directory (default report/; the same rules as compare --out)
  -h, --help         this help

Exit codes: 0 done, 2 bad input, 1 unexpected error.`;

/** Parsed `render` command line; null for --help. */
export function parseRender(argv: readonly string[]): { results: string; out: string } | null {
  const { values, positionals } = parseStrict(argv, {
    results: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return null;
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  if (!values.results) throw new UsageError('--results results.json is required');
  if (values.out === '') throw new UsageError('--out needs a directory name');
  return { results: values.results, out: values.out ?? 'report' };
}

/** Runs `focal-loss render` and returns the exit code. */
export async function renderMain(argv: readonly string[]): Promise<number> {
  dropWritesToClosedPipes();
  let pending: PendingReport | undefined;
  // Ctrl-C or kill while the report is written removes its temporary directory (as compare does).
  const releaseSignals = onStopSignals(() => pending?.abort());
  try {
    const options = parseRender(argv);
    if (!options) {
      process.stdout.write(`${RENDER_USAGE}\n`);
      return 0;
    }
    const result = reviveResult(readJsonFile(options.results, '--results'), options.results);
    const { prepareReport, writeReport } = await import('../report/index.js');
    const { provenance } = await import('../compare/run.js');
    pending = prepareReport(options.out);
    const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
    await writeReport({ ...result, rendered: { at: new Date().toISOString(), version, commit: provenance().commit } }, pending);
    process.stdout.write(`Report rendered from ${options.results} into ${pending.target} (index.html, summary.md, results.json).\n`);
    if (pending.notice) process.stderr.write(`focal-loss render: note: ${pending.notice}\n`);
    return 0;
  } catch (error) {
    pending?.abort();
    if (error instanceof DataError) {
      process.stderr.write(`focal-loss render: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ReportCommitError) {
      process.stderr.write(`focal-loss render: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`focal-loss render: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  } finally {
    await releaseSignals();
  }
}
