/**
 * Runs a whole comparison: sets the backend, builds the experiments of the task, trains
 * every (setting, seed) and summarises. Knows nothing about the terminal or files.
 */
import '../tfjs_quiet.js';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { cpus } from 'node:os';
import { mnistLongTail, mnistOneVsRest, type ClassificationData } from '../data/classification.js';
import { csvLoader } from '../data/csv.js';
import { summariseExperiment, type ExperimentSummary } from './aggregate.js';
import { runClassificationExperiment } from './classification.js';
import { csvTraining, defaultGrid, mnistSizes, segmentationSizes, type CompareOptions } from './config.js';
import type { ProgressReporter } from './progress.js';
import { runSegmentationExperiment } from './segmentation.js';
import { buildGrid, type LossSetting } from './settings.js';
import type { ExperimentResult } from './types.js';

/** Everything a report needs. Written as results.json. */
export interface CompareResult {
  command: string;
  options: CompareOptions;
  environment: { node: string; platform: string; cpu: string; cores: number; backend: string; tfjs: string };
  startedAt: string;
  seconds: number;
  grid: LossSetting[];
  seeds: number[];
  experiments: ExperimentResult[];
  summaries: ExperimentSummary[];
}

/** The grid and seeds of an invocation, with defaults filled in. */
export function resolvePlan(options: CompareOptions): { grid: LossSetting[]; seeds: number[]; experiments: number } {
  const defaults = defaultGrid(options.task, options.mode);
  const grid = buildGrid(options.gammas ?? defaults.gammas, options.alphas ?? defaults.alphas);
  const seeds = Array.from({ length: options.seeds ?? defaults.seeds }, (_, i) => i);
  const experiments =
    options.task === 'segmentation' ? segmentationSizes(options.mode).length : options.data ? 1 : 2;
  return { grid, seeds, experiments };
}

/** Selects the tfjs backend (wasm is the faster one for these models on CPU) and registers fast conv kernels if present. */
export async function setupBackend(backend: CompareOptions['backend'], withConv: boolean): Promise<void> {
  if (withConv) {
    const { registerFastConvKernels } = await import('../conv/index.js');
    registerFastConvKernels();
  }
  if (!(await tf.setBackend(backend))) throw new Error(`could not initialise the ${backend} backend`);
  await tf.ready();
}

/** Runs the comparison described by `options`. */
export async function runCompare(
  options: CompareOptions,
  command: string,
  progress: ProgressReporter,
  csvData: ((seed: number) => ClassificationData) | undefined = options.data ? csvLoader(options.data, { label: options.label!, positive: options.positive, ignore: options.ignore }) : undefined,
): Promise<CompareResult> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const { grid, seeds } = resolvePlan(options);
  await setupBackend(options.backend, options.task === 'segmentation');
  const experiments: ExperimentResult[] = [];

  if (options.task === 'segmentation') {
    for (const size of segmentationSizes(options.mode)) experiments.push(await runSegmentationExperiment(size, grid, seeds, progress));
  } else if (csvData) {
    const makeData = csvData;
    const training = csvTraining(options.mode, makeData(0).train.count);
    // Each seed splits the file anew, so each seed has its own test split.
    experiments.push(await runClassificationExperiment(makeData, grid, seeds, training, progress, false));
  } else {
    const sizes = mnistSizes(options.mode);
    const binary = (seed: number) => mnistOneVsRest(8, 100, sizes.binary, seed);
    const longTail = (seed: number) => mnistLongTail(0.01, sizes.longTail, seed);
    for (const [make, training] of [[binary, sizes.binary], [longTail, sizes.longTail]] as const) {
      const first = make(seeds[0]!);
      progress.note(`${first.id}: ${first.description}`);
      // The MNIST test set (or its fixed subsample) is the same for every seed.
      experiments.push(await runClassificationExperiment(make, grid, seeds, training, progress, true));
    }
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
    },
    startedAt,
    seconds: (performance.now() - started) / 1000,
    grid,
    seeds,
    experiments,
    summaries: experiments.map(summariseExperiment),
  };
}
