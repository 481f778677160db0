#!/usr/bin/env node
/**
 * The `focal-loss` executable. Parses the command line, checks data and the output
 * directory before training, runs the comparison, prints the results tables and writes
 * the report atomically. Exit codes: 0 done, 2 bad input, 1 unexpected error, 128 + the
 * signal's number when stopped by SIGINT, SIGTERM or SIGHUP. Output to a closed pipe is dropped.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { csvLoader } from '../data/csv.js';
import { DataError } from '../data/errors.js';
import { prepareReport, ReportCommitError, type PendingReport } from '../report/write.js';
import { parseCommand, UsageError, USAGE } from './args.js';
import { evalDetectionsMain } from './eval_detections.js';
import { exportScenesMain } from './export_scenes.js';
import { dropWritesToClosedPipes, onStopSignals } from './process_io.js';
import { renderMain } from './render.js';

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  // A reader that quits early (`| head`, `less`) must not end a run: its output is dropped.
  dropWritesToClosedPipes();
  // `eval-detections` (COCO evaluation of a results file) writes nothing and trains nothing.
  if (argv[0] === 'eval-detections') return evalDetectionsMain(argv.slice(1));
  // `render` writes a report again from an earlier run's results.json; it trains nothing.
  if (argv[0] === 'render') return renderMain(argv.slice(1));
  // `export-scenes` writes the built-in scenes as image files; it trains nothing.
  if (argv[0] === 'export-scenes') return exportScenesMain(argv.slice(1));
  let pending: PendingReport | undefined;
  const releaseSignals = onStopSignals(() => pending?.abort());
  try {
    const command = parseCommand(argv);
    if (command.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (command.version) {
      const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
      process.stdout.write(`${pkg.version}\n`);
      return 0;
    }
    const { options } = command;
    // Read and check the user's data (once) before anything slow or anything written.
    const csvData = options.data
      ? csvLoader(options.data, { label: options.label!, positive: options.positive, ignore: options.ignore })
      : undefined;
    pending = prepareReport(options.out);

    // tfjs and the report renderer load only now, so that bad input fails fast.
    const { runCompare, resolvePlan, confirmationSeeds } = await import('../compare/run.js');
    const { createProgress } = await import('../compare/progress.js');
    const { writeReport, resultsTable, formatTextTable, tableLegend } = await import('../report/index.js');
    const csvKind = csvData?.(0).kind;
    if (csvKind === 'multiclass' && options.alphas)
      throw new UsageError(`--alpha is the two-class weighting; ${options.data} has more than two classes: use --class-weight-power`);
    if (csvKind === 'binary' && options.classWeightPowers)
      throw new UsageError(`--class-weight-power is for more than two classes; ${options.data} is two-class: use --alpha`);
    const plan = resolvePlan(options, csvKind);
    const settings = plan.grids.map((g) => g.length);
    const firstRuns = settings.reduce((sum, k, i) => sum + k * plan.experimentSeeds[i]!.length, 0);
    // Detection's --full ablations run on the first seeds only: then each experiment's count is shown.
    const sameSeeds = plan.experimentSeeds.every((s) => s.length === plan.seeds.length);
    const grid = sameSeeds
      ? `${settings.join(' + ')} loss settings x ${plan.seeds.length} seeds (${plan.seeds.join(', ')})`
      : `${settings.map((k, i) => `${k} x ${plan.experimentSeeds[i]!.length}`).join(' + ')} loss settings x seeds (seeds ${plan.seeds.join(', ')}; ablations the first few)`;
    // --confirm: the selected setting and the baseline of every experiment that has both, on fresh seeds.
    const fresh = options.confirm === undefined ? [] : confirmationSeeds(plan.seeds, options.confirm);
    const pairs = settings.filter((k) => k >= 2).length;
    const totalRuns = firstRuns + pairs * 2 * fresh.length;
    const commandLine = ['focal-loss', ...argv].join(' ');
    process.stderr.write(
      `focal-loss compare: ${options.mode} mode, ${grid} ` +
        (fresh.length > 0
          ? `+ ${pairs} x 2 settings x ${fresh.length} fresh seeds (${fresh.join(', ')}) to confirm the selected settings `
          : '') +
        `= ${totalRuns} runs on the ${options.backend} backend${sameSeeds ? '' : ' (a run two experiments share is trained once)'}\n`,
    );
    const progress = createProgress(process.stderr, totalRuns);
    const result = await runCompare(options, commandLine, progress, csvData);

    for (const [i, experiment] of result.experiments.entries()) {
      const summary = result.summaries[i]!;
      process.stdout.write(
        `\n${experiment.title}\n\n${formatTextTable(resultsTable(experiment, summary))}\n${tableLegend(experiment, summary)}\n${summary.verdictText}\n`,
      );
      const c = result.confirmation;
      const j = c?.experiments.findIndex((e) => e.id === experiment.id) ?? -1;
      if (c && j >= 0) {
        const [again, confirmed] = [c.experiments[j]!, c.summaries[j]!];
        process.stdout.write(
          `\nConfirmation on fresh seeds ${c.seeds.join(', ')}\n\n${formatTextTable(resultsTable(again, confirmed))}\n${tableLegend(again, confirmed)}\n${confirmed.verdictText}\n`,
        );
      }
    }
    await writeReport(result, pending);
    process.stdout.write(
      `\nReport written to ${pending.target} (index.html, summary.md, results.json) in ${result.seconds.toFixed(0)} s.\n`,
    );
    if (pending.notice) process.stderr.write(`focal-loss compare: note: ${pending.notice}\n`);
    return 0;
  } catch (error) {
    pending?.abort();
    if (error instanceof DataError) {
      process.stderr.write(`focal-loss compare: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ReportCommitError) {
      process.stderr.write(`focal-loss compare: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`focal-loss compare: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  } finally {
    await releaseSignals();
  }
}

// Run when executed directly (bin link, `node dist/cli/main.js`, tsx), not when imported by tests.
function invokedDirectly(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}
if (invokedDirectly()) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
