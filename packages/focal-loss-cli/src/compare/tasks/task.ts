/**
 * The shape every `compare` task has: one entry of the task table (index.ts). run.ts plans
 * an invocation with it, describes and reports each experiment with it, and the scheduler
 * (../scheduler) executes each run with it, in this thread or on a worker thread. A task
 * knows nothing of the scheduler: it is called, it does not call.
 */
import type { ClassificationData } from '../../data/classification.js';
import type { CompareOptions, TaskName } from '../config.js';
import type { LossSetting } from '../settings.js';
import type { EpochReport } from '../train.js';
import type { ExperimentResult, RunRecord } from '../types.js';

/**
 * One run: everything that determines its result. A run depends only on its job (data,
 * initial weights and batch order are seeded), so it gives the same numbers wherever it
 * executes. The jobs of a task that trains on worker threads are posted to them, so `size`
 * must then be plain data (no functions).
 */
export interface RunJob<Size = unknown> {
  task: TaskName;
  experimentId: string;
  /** What the experiment's data and model are made from (scene counts, network width, epochs, …). */
  size: Size;
  setting: LossSetting;
  seed: number;
  /** Keep the predictions on this many first test scenes for the report's picture (0: none). */
  exampleCount: number;
}

/** Progress of a run while it trains. */
export interface RunCallbacks {
  onEpoch?: (r: EpochReport) => void;
  onBatch?: (done: number, total: number) => void;
}

/** What an invocation gives its task besides the options: the user's CSV, where there is one. */
export interface TaskInput {
  /** The user's data, split anew for each seed (`--data`); absent when only the plan is asked for. */
  csv?: (seed: number) => ClassificationData;
  /** Two-class or multi-class, for the user's data; default two-class. */
  csvKind?: 'binary' | 'multiclass';
}

/** One experiment of an invocation: what its data and model are made from, and its loss grid. */
export interface PlannedExperiment<Size> {
  size: Size;
  grid: LossSetting[];
  /** The seeds of this experiment when not all of the plan's (an ablation run on the first few). */
  seeds?: number[];
}

/** The experiments of an invocation, in report order, and the seeds every one runs. */
export interface TaskPlan<Size> {
  experiments: PlannedExperiment<Size>[];
  seeds: number[];
}

/** An experiment as the progress display introduces it, before its runs. */
export interface ExperimentIntro {
  id: string;
  description: string;
  /** Epochs of each run, for the progress bars. */
  epochs: number;
  /** Print "id: description" before the runs start. */
  announce: boolean;
}

/** An experiment whose runs are done: what {@link Task.report} turns into its result. */
export interface FinishedExperiment<Size, Data> {
  size: Size;
  grid: readonly LossSetting[];
  seeds: readonly number[];
  /** The first seed's data, as that seed's runs used it. */
  first: Data;
  intro: ExperimentIntro;
  /** Seed-major: every setting of the first seed, then of the next. */
  runs: RunRecord[];
}

/**
 * A task: how an invocation's experiments are planned, how a seed's data is made, how one run
 * trains and evaluates, and how an experiment is described and reported. `Size` is what an
 * experiment is made from, `Data` a seed's data.
 */
export interface Task<Size = unknown, Data = unknown> {
  /**
   * True for the conv-net tasks: the fast conv kernels are registered, and with more than one
   * worker the runs train on worker threads (their jobs are posted as plain data). False: the
   * runs train in this thread, one after another (their data may come from a closure, e.g.
   * the user's CSV).
   */
  convNet: boolean;
  /** Test scenes the report draws, with the first seed's predictions on them (0: none). */
  exampleScenes: number;
  /** The experiments and seeds of an invocation. */
  plan(options: CompareOptions, input: TaskInput): TaskPlan<Size>;
  /** The data of one seed; the scheduler reuses it for the seed's next settings. */
  makeData(size: Size, seed: number, input: TaskInput): Data;
  /** Trains and evaluates one run on its seed's data. */
  run(data: Data, job: RunJob<Size>, callbacks: RunCallbacks): Promise<RunRecord>;
  /** The experiment's id and description, from its first seed's data. */
  describe(size: Size, first: Data, seeds: readonly number[]): ExperimentIntro;
  /** A finished run in one line for the progress display, e.g. "val AP 0.412, test AP 0.398". */
  summary(record: RunRecord, first: Data): string;
  /** The experiment's result: its description, metrics, grid, seeds and runs. */
  report(experiment: FinishedExperiment<Size, Data>): ExperimentResult;
}
