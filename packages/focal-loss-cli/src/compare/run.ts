/**
 * Runs a whole comparison: sets the backend, builds the experiments of the task, trains
 * every (setting, seed) and summarises. Knows nothing about the terminal or files.
 */
import '../tfjs_quiet.js';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mnistLongTail, mnistOneVsRest, type ClassificationData } from '../data/classification.js';
import { csvLoader } from '../data/csv.js';
import { summariseExperiment, type ExperimentSummary } from './aggregate.js';
import { runClassificationExperiment } from './classification.js';
import { csvTraining, defaultGrid, detectionPlan, mnistSizes, segmentationSizes, type CompareOptions } from './config.js';
import { runDetectionExperiment } from './detection.js';
import type { ProgressReporter } from './progress.js';
import { defaultWorkers, inThreadRunner, workerRunner } from './runner.js';
import { runSegmentationExperiment } from './segmentation.js';
import { buildGrid, type LossSetting } from './settings.js';
import type { ExperimentResult } from './types.js';

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
  /** Set when the report was rendered again from results.json (`focal-loss render`) by later code. */
  rendered?: { at: string; version: string; commit: string | null };
}

/** What code produced a result: enough to check out and rerun it. */
export interface Provenance {
  /** The git commit of the checkout the CLI ran from; null when it was installed from npm. */
  commit: string | null;
  /** True when the checkout had uncommitted changes (the commit alone does not reproduce the run). */
  dirty: boolean | null;
  /** Versions of the packages that compute the numbers. */
  packages: Record<string, string>;
}

function git(args: string[], cwd: string): string | null {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** The commit, dirtiness and package versions of this run. */
export function provenance(): Provenance {
  const here = dirname(fileURLToPath(import.meta.url));
  const require = createRequire(import.meta.url);
  const version = (name: string) => {
    try {
      return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
    } catch {
      return 'unknown';
    }
  };
  // Only this package's own checkout counts: an install inside someone's git project (in
  // node_modules, untracked) must not report that project's commit.
  const tracked = git(['ls-files', '--error-unmatch', fileURLToPath(new URL('../../package.json', import.meta.url))], here) !== null;
  const commit = tracked ? git(['rev-parse', 'HEAD'], here) : null;
  const status = commit ? git(['status', '--porcelain', '--untracked-files=no'], here) : null;
  return {
    commit,
    dirty: status === null ? null : status !== '',
    packages: {
      'focal-loss-cli': (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version,
      'focal-loss': version('focal-loss'),
      '@tensorflow/tfjs': tf.version.tfjs,
      '@tensorflow/tfjs-backend-wasm': version('@tensorflow/tfjs-backend-wasm'),
    },
  };
}

/** The grid of each experiment and the seeds of an invocation, with defaults filled in. */
export function resolvePlan(options: CompareOptions, csvKind: 'binary' | 'multiclass' = 'binary'): { grids: LossSetting[][]; seeds: number[] } {
  const defaults = defaultGrid(options.task, options.mode);
  const gammas = options.gammas ?? defaults.gammas;
  const grid = (kind: 'binary' | 'multiclass') =>
    kind === 'multiclass'
      ? buildGrid(gammas, options.classWeightPowers ?? defaults.classWeightPowers, 'power')
      : buildGrid(gammas, options.alphas ?? defaults.alphas, 'alpha');
  const seeds = Array.from({ length: options.seeds ?? defaults.seeds }, (_, i) => i);
  const grids =
    options.task === 'detection'
      ? detectionPlan(options.mode).map((plan) => (options.gammas || options.alphas ? grid('binary') : plan.grid))
      : options.task === 'segmentation'
      ? segmentationSizes(options.mode).map(() => grid('binary'))
      : options.data
        ? [grid(csvKind)]
        : [grid('binary'), grid('multiclass')];
  return { grids, seeds };
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
  const { grids, seeds } = resolvePlan(options, csvData?.(0).kind);
  const convTask = options.task === 'segmentation' || options.task === 'detection';
  await setupBackend(options.backend, convTask);
  const experiments: ExperimentResult[] = [];
  const runs = grids.reduce((sum, grid) => sum + grid.length, 0) * seeds.length;
  const workers = Math.min(options.workers ?? defaultWorkers(), runs);
  // The conv-net runs (seconds to minutes each) train in parallel; MLP runs take a second or two.
  const runner = !convTask ? undefined : workers > 1 ? workerRunner(workers, options.backend) : inThreadRunner();
  try {
    await runExperiments();
  } finally {
    await runner?.close();
  }

  async function runExperiments(): Promise<void> {
    if (options.task === 'detection') {
      // All experiments' runs are queued at once, so that no worker idles between experiments.
      experiments.push(...(await Promise.all(detectionPlan(options.mode).map(({ size }, i) => runDetectionExperiment(size, grids[i]!, seeds, progress, runner!)))));
    } else if (options.task === 'segmentation') {
      for (const [i, size] of segmentationSizes(options.mode).entries()) experiments.push(await runSegmentationExperiment(size, grids[i]!, seeds, progress, runner!));
    } else if (csvData) {
      const makeData = csvData;
      const training = csvTraining(options.mode, makeData(0).train.count);
      // Each seed splits the file anew, so each seed has its own test split.
      experiments.push(await runClassificationExperiment(makeData, grids[0]!, seeds, training, progress, false));
    } else {
      const sizes = mnistSizes(options.mode);
      const binary = (seed: number) => mnistOneVsRest(8, 100, sizes.binary, seed);
      const longTail = (seed: number) => mnistLongTail(0.01, sizes.longTail, seed);
      for (const [i, [make, training]] of ([[binary, sizes.binary], [longTail, sizes.longTail]] as const).entries()) {
        const first = make(seeds[0]!);
        progress.note(`${first.id}: ${first.description}`);
        // The MNIST test set (or its fixed subsample) is the same for every seed.
        experiments.push(await runClassificationExperiment(make, grids[i]!, seeds, training, progress, true));
      }
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
      workers: runner && workers > 1 ? workers : 1,
    },
    provenance: provenance(),
    startedAt,
    seconds: (performance.now() - started) / 1000,
    seeds,
    experiments,
    summaries: experiments.map(summariseExperiment),
  };
}
