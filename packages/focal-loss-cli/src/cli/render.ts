/**
 * `focal-loss render --results results.json [--out DIR]`: writes a report (index.html,
 * summary.md, results.json) again from the results.json of an earlier run, with this
 * version's layout and figures. The numbers and verdicts are the run's (results.json keeps
 * them); nothing is trained or recomputed, and the report says when and by which code it
 * was rendered. Bad input is a {@link DataError} (exit 2, one line).
 */
import { readFileSync } from 'node:fs';
import { detectionPlan } from '../compare/config.js';
import type { CompareResult } from '../compare/run.js';
import { DataError } from '../data/errors.js';
import { ReportCommitError, type PendingReport } from '../report/write.js';
import { parseStrict, UsageError } from './args.js';
import { readJsonFile } from './eval_detections.js';
import { dropWritesToClosedPipes, onStopSignals } from './process_io.js';

/** The help text of `focal-loss render --help`. */
export const RENDER_USAGE = `Usage: focal-loss render --results results.json [--out DIR]

Writes the report of an earlier 'focal-loss compare' run again from its results.json (the
numbers and verdicts are the run's; the layout and figures are this version's).

Options:
  --results FILE     results.json of a compare run
  --out DIR          report directory (default report/; the same rules as compare --out)
  -h, --help         this help

Exit codes: 0 done, 2 bad input, 1 unexpected error.`;

/** Parsed `render` command line; null for --help. */
export function parseRender(argv: readonly string[]): { results: string; out: string } | null {
  const { values, positionals } = parseStrict(argv, { results: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) return null;
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  if (!values.results) throw new UsageError('--results results.json is required');
  if (values.out === '') throw new UsageError('--out needs a directory name');
  return { results: values.results, out: values.out ?? 'report' };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** results.json writes NaN as null: where a number is expected, read null back as NaN. */
function numbers(record: unknown): void {
  if (!isObject(record)) return;
  for (const [key, value] of Object.entries(record)) if (value === null) record[key] = NaN;
}
function meanStds(record: unknown): void {
  if (isObject(record)) for (const value of Object.values(record)) numbers(value);
}

/** Checks the shape the report needs and restores the numbers JSON turned into null. */
export function reviveResult(raw: unknown, path: string): CompareResult {
  const bad = (what: string) => new DataError(`${path} is not a focal-loss compare results.json: ${what}`);
  if (!isObject(raw)) throw bad('not a JSON object');
  for (const key of ['command', 'startedAt'] as const) if (typeof raw[key] !== 'string') throw bad(`'${key}' is missing`);
  for (const key of ['experiments', 'summaries', 'seeds'] as const) if (!Array.isArray(raw[key])) throw bad(`'${key}' is not a list`);
  if (!isObject(raw.environment) || !isObject(raw.provenance)) throw bad("'environment' or 'provenance' is missing");
  const experiments = raw.experiments as Json[];
  const summaries = raw.summaries as Json[];
  if (experiments.length !== summaries.length) throw bad(`${experiments.length} experiments but ${summaries.length} summaries`);
  for (const [i, experiment] of experiments.entries()) {
    if (!isObject(experiment) || !Array.isArray(experiment.runs) || !Array.isArray(experiment.grid) || !isObject(experiment.metrics)) throw bad(`experiment ${i} has no runs, grid or metrics`);
    for (const run of experiment.runs as Json[]) {
      if (!isObject(run) || !Array.isArray(run.trainLoss)) throw bad(`a run of experiment ${i} has no trainLoss`);
      run.trainLoss = (run.trainLoss as unknown[]).map((v) => (v === null ? NaN : v));
      for (const key of ['validation', 'test', 'testReweighted']) numbers(run[key]);
    }
    const summary = summaries[i];
    if (!isObject(summary) || !Array.isArray(summary.settings) || typeof summary.verdictText !== 'string') throw bad(`summary ${i} has no settings or verdict`);
    for (const setting of summary.settings as Json[]) {
      for (const key of ['validation', 'test', 'testReweighted']) meanStds(setting[key]);
      numbers(setting.deltaToCrossEntropy);
    }
    for (const key of ['verdict', 'focalVerdict']) if (isObject(summary[key]) && summary[key].delta === null) summary[key].delta = NaN;
    // Runs made before experiments recorded their ablation axis: the plan of that id says it.
    if (experiment.axis === undefined && typeof experiment.id === 'string') {
      const axis = detectionPlan('full').find((p) => p.size.id === experiment.id)?.size.axis;
      if (axis) experiment.axis = axis;
    }
  }
  return raw as unknown as CompareResult;
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
