#!/usr/bin/env node
/**
 * The `focal-loss` executable. Parses the command line, checks data and the output
 * directory before training, runs the comparison, prints the results tables and writes
 * the report atomically. Exit codes: 0 done, 2 bad input, 1 unexpected error.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCsvClassification } from '../data/csv.js';
import { DataError } from '../data/errors.js';
import { prepareReport, type PendingReport } from '../report/write.js';
import { parseCommand, USAGE } from './args.js';

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let pending: PendingReport | undefined;
  const onSignal = () => {
    pending?.abort();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const command = parseCommand(argv);
    if (command.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const { options } = command;
    // Check the user's data before anything slow or anything written.
    if (options.data) loadCsvClassification(options.data, { label: options.label!, positive: options.positive, ignore: options.ignore, seed: 0 });
    pending = prepareReport(options.out);

    // tfjs and the report renderer load only now, so that bad input fails fast.
    const { runCompare, resolvePlan } = await import('../compare/run.js');
    const { createProgress } = await import('../compare/progress.js');
    const { writeReport, resultsTable, formatTextTable, tableLegend } = await import('../report/index.js');
    const plan = resolvePlan(options);
    const totalRuns = plan.grid.length * plan.seeds.length * plan.experiments;
    const commandLine = ['focal-loss', ...argv].join(' ');
    process.stderr.write(
      `focal-loss compare: ${options.mode} mode, ${plan.grid.length} loss settings x ${plan.seeds.length} seeds (${plan.seeds.join(', ')}) ` +
        `x ${plan.experiments} experiment(s) = ${totalRuns} runs on the ${options.backend} backend\n`,
    );
    const progress = createProgress(process.stderr, totalRuns);
    const result = await runCompare(options, commandLine, progress);

    for (const [i, experiment] of result.experiments.entries()) {
      const summary = result.summaries[i]!;
      process.stdout.write(`\n${experiment.title}\n\n${formatTextTable(resultsTable(experiment, summary))}\n${tableLegend(experiment, summary)}\n${summary.verdict}\n`);
    }
    await writeReport(result, pending);
    process.stdout.write(`\nReport written to ${pending.target} (index.html, summary.md, results.json) in ${result.seconds.toFixed(0)} s.\n`);
    return 0;
  } catch (error) {
    pending?.abort();
    if (error instanceof DataError) {
      process.stderr.write(`focal-loss compare: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`focal-loss compare: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
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
