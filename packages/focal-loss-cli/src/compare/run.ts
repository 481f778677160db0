/**
 * Runs a whole comparison: plans the task's experiments (tasks/index.ts), sets the backend,
 * hands every (setting, seed) to the scheduler as a job and reports each experiment from its
 * runs. Knows nothing about the terminal or files.
 *
 * The walk of one run: runCompare → the task's plan → a job per (seed, setting) → the
 * runner (scheduler/) → execute.ts → the task's makeData and run → train.ts.
 */
import '../tfjs_quiet.js';
import * as tf from '@tensorflow/tfjs';
import { cpus } from 'node:os';
import type { ClassificationData } from '../data/classification.js';
import { csvLoader } from '../data/csv.js';
import { summariseExperiment, type ExperimentSummary } from './aggregate.js';
import { setupBackend } from './backend.js';
import type { CompareOptions, TaskName } from './config.js';
import type { ProgressReporter, RunHandle } from './progress.js';
import { provenance, type Provenance } from './provenance.js';
import { jobExecutor, type JobExecutor } from './scheduler/execute.js';
import { defaultWorkers, inThreadRunner, sharedRunner, workerRunner, type JobRunner } from './scheduler/runner.js';
import type { LossSetting } from './settings.js';
import { tasks } from './tasks/index.js';
import type { PlannedExperiment, RunJob, Task, TaskInput } from './tasks/task.js';
import type { ExperimentResult, RunRecord } from './types.js';

// Kept importable from here for the CLI (main.ts, render.ts) and the tests.
export { setupBackend } from './backend.js';
export { provenance, type Provenance } from './provenance.js';

/** Everything a report needs. Written as results.json. */
export interface CompareResult {
  command: string;
  options: CompareOptions;
  environment: { node: string; platform: string; cpu: string; cores: number; backend: string; tfjs: string; workers?: number };
  provenance: Provenance;
  startedAt: string;
  seconds: number;
  seeds: number[];
  experiments: ExperimentResult[];
  summaries: ExperimentSummary[];
  /**
   * `--confirm N`: the setting selected in each experiment (its verdict's) and the baseline,
   * trained again on N fresh seeds and decided on those runs alone.
   */
  confirmation?: Confirmation;
  /** Set when the report was rendered again from results.json (`focal-loss render`) by later code. */
  rendered?: { at: string; version: string; commit: string | null };
  /** Set when the verdicts were recomputed from the per-seed scores by a later rule than the run's (`render` of an older file): what was done, in words. */
  verdictsRecomputed?: string;
}

/** The second phase of `--confirm`: per experiment that has a verdict, the pair on fresh seeds. */
export interface Confirmation {
  /** The fresh seeds, none of them a seed of the first phase. */
  seeds: number[];
  /** One per experiment of the first phase with a verdict, with the same id: its grid is the baseline and the selected setting. */
  experiments: ExperimentResult[];
  summaries: ExperimentSummary[];
}

/** The fresh seeds of `--confirm N`: the N numbers after the largest seed of the first phase. */
export function confirmationSeeds(seeds: readonly number[], count: number): number[] {
  const first = Math.max(-1, ...seeds) + 1;
  return Array.from({ length: count }, (_, i) => first + i);
}

/** The pair that `--confirm` trains again for an experiment: its baseline and its verdict's setting (undefined without a verdict). */
export function confirmationGrid(grid: readonly LossSetting[], summary: ExperimentSummary): LossSetting[] | undefined {
  const verdict = summary.verdict;
  if (!verdict) return undefined;
  const pair = [verdict.against, verdict.setting].map((label) => grid.find((s) => s.label === label));
  return pair.every((s) => s !== undefined) ? (pair as LossSetting[]) : undefined;
}

/** The grid of each experiment and the seeds of an invocation (and of each experiment: an ablation may run fewer), with defaults filled in. */
export function resolvePlan(
  options: CompareOptions,
  csvKind: 'binary' | 'multiclass' = 'binary',
): { grids: LossSetting[][]; seeds: number[]; experimentSeeds: number[][] } {
  const plan = planOf(options, { csvKind });
  return { grids: plan.experiments.map((e) => e.grid), seeds: plan.seeds, experimentSeeds: plan.experiments.map((e) => e.seeds) };
}

/** The task's plan with each experiment's seeds filled in: the plan's, unless it runs fewer (an ablation). */
function planOf(
  options: CompareOptions,
  input: TaskInput,
): { experiments: (PlannedExperiment<unknown> & { seeds: number[] })[]; seeds: number[] } {
  const plan = tasks[options.task].plan(options, input);
  return { seeds: plan.seeds, experiments: plan.experiments.map((e) => ({ ...e, seeds: e.seeds ?? plan.seeds })) };
}

/** Runs the comparison described by `options`. */
export async function runCompare(
  options: CompareOptions,
  command: string,
  progress: ProgressReporter,
  csvData: ((seed: number) => ClassificationData) | undefined = options.data
    ? csvLoader(options.data, { label: options.label!, positive: options.positive, ignore: options.ignore })
    : undefined,
): Promise<CompareResult> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const task = tasks[options.task];
  const input: TaskInput = { csv: csvData, csvKind: csvData?.(0).kind };
  const { experiments: planned, seeds } = planOf(options, input);
  await setupBackend(options.backend, task.convNet);
  const runs = planned.reduce((sum, e) => sum + e.grid.length * e.seeds.length, 0);
  const workers = Math.min(options.workers ?? defaultWorkers(), runs);
  // The conv-net runs (seconds to minutes each) train in parallel; MLP runs take a second or two.
  const onWorkers = task.convNet && workers > 1;
  const executor = jobExecutor(input);
  // An ablation's run that is a run of another experiment (same size, setting and seed) is trained once.
  const runner = sharedRunner(onWorkers ? workerRunner(workers, options.backend) : inThreadRunner(executor));
  const context = { runner, executor, progress };
  // Conv-net tasks queue all experiments' runs at once, so that no worker idles between experiments.
  const runAll = async (list: PlannedExperiment<unknown>[], runSeeds: readonly number[], phase: Phase): Promise<ExperimentResult[]> => {
    // A planned experiment runs on its own seeds; --confirm's pairs on the fresh ones.
    const run = (experiment: PlannedExperiment<unknown>) =>
      runExperiment(task, options.task, experiment, experiment.seeds ?? runSeeds, context, phase);
    if (task.convNet) return Promise.all(list.map(run));
    const out: ExperimentResult[] = [];
    for (const experiment of list) out.push(await run(experiment));
    return out;
  };
  let experiments: ExperimentResult[];
  let summaries: ExperimentSummary[];
  let confirmation: Confirmation | undefined;
  try {
    experiments = await runAll(planned, seeds, 'selection');
    summaries = experiments.map((e) => summariseExperiment(e));
    if (options.confirm !== undefined) {
      const fresh = confirmationSeeds(seeds, options.confirm);
      const pairs = planned.flatMap((p, i) => {
        const grid = confirmationGrid(p.grid, summaries[i]!);
        return grid ? [{ size: p.size, grid }] : [];
      });
      const again = await runAll(pairs, fresh, 'confirmation');
      confirmation = { seeds: fresh, experiments: again, summaries: again.map((e) => summariseExperiment(e, { phase: 'confirmation' })) };
    }
  } finally {
    await runner.close();
  }
  progress.finish();
  const cpuList = cpus();
  return {
    command,
    options,
    environment: {
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpu: cpuList[0]?.model.trim() ?? 'unknown',
      cores: cpuList.length,
      backend: tf.getBackend(),
      tfjs: tf.version.tfjs,
      workers: onWorkers ? workers : 1,
    },
    provenance: provenance(),
    startedAt,
    seconds: (performance.now() - started) / 1000,
    seeds,
    experiments,
    summaries,
    ...(confirmation ? { confirmation } : {}),
  };
}

/** The first phase (every setting, selection on validation) or the second of `--confirm` (the pair on fresh seeds). */
type Phase = 'selection' | 'confirmation';

/**
 * One experiment: introduces it from its first seed's data, queues one job per (seed,
 * setting) in seed-major order (a worker reuses a seed's data for its next setting), shows
 * each in the progress display from the moment it starts executing to its one-line summary,
 * and reports the experiment from the records, which come back in the order queued.
 */
async function runExperiment(
  task: Task,
  name: TaskName,
  { size, grid }: PlannedExperiment<unknown>,
  seeds: readonly number[],
  { runner, executor, progress }: { runner: JobRunner; executor: JobExecutor; progress: ProgressReporter },
  phase: Phase,
): Promise<ExperimentResult> {
  const firstSeed = seeds[0]!;
  const first = executor.data({ task: name, size, seed: firstSeed });
  const intro = task.describe(size, first, seeds);
  if (phase === 'confirmation')
    progress.note(`${intro.id}, confirmation: ${grid.map((s) => s.label).join(' and ')} on fresh seeds ${seeds.join(', ')}`);
  else if (intro.announce) progress.note(`${intro.id}: ${intro.description}`);
  const runs: RunRecord[] = await Promise.all(
    seeds.flatMap((seed) =>
      grid.map(async (setting) => {
        const job: RunJob = {
          task: name,
          experimentId: intro.id,
          size,
          setting,
          seed,
          // The report draws the first phase's example scenes only.
          exampleCount: seed === firstSeed && phase === 'selection' ? task.exampleScenes : 0,
        };
        let handle: RunHandle | undefined;
        const record = await runner.run(job, () => {
          const h = (handle = progress.startRun(`${job.experimentId} ${setting.label} seed ${seed}`, intro.epochs));
          return { onEpoch: (r) => h.epoch(r.epoch, r.loss), onBatch: (done, total) => h.batch(done, total) };
        });
        // A run shared with an earlier experiment (scheduler/runner.ts, sharedRunner) never started here: count it as done.
        (handle ?? progress.startRun(`${job.experimentId} ${setting.label} seed ${seed} (shared)`, intro.epochs)).end(
          task.summary(record, first),
        );
        return record;
      }),
    ),
  );
  return task.report({ size, grid, seeds, first, intro, runs });
}
