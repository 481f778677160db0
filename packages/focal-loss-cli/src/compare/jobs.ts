/**
 * One training run as a job that can execute in this thread or on a worker thread: the
 * (task, size, setting, seed) that determines it and the function that executes it.
 *
 * A run's resampler travels as its {@link ResampleInput} (resample.ts).
 *
 * A run depends only on its job (scenes, initial weights and batch order are seeded), so a
 * run gives the same numbers wherever it executes.
 */
import { makeDetectionData, runDetection, type DetectionData, type DetectionSize } from './detection.js';
import { makeScenes, runSegmentation, type SegmentationSize } from './segmentation.js';
import type { LossSetting } from './settings.js';
import type { EpochReport } from './train.js';
import type { RunRecord } from './types.js';

/** A run of a conv-net task: everything that determines its result. */
export type RunJob =
  | { task: 'detection'; experimentId: string; size: DetectionSize; setting: LossSetting; seed: number; exampleCount: number }
  | { task: 'segmentation'; experimentId: string; size: SegmentationSize; setting: LossSetting; seed: number; exampleCount: number };

/** Progress of a run while it trains. */
export interface RunCallbacks {
  onEpoch?: (r: EpochReport) => void;
  onBatch?: (done: number, total: number) => void;
}

/** The data of a run: detection scenes with targets, or segmentation scenes. */
type JobData = DetectionData | ReturnType<typeof makeScenes>;

// The last data built, by (task, size, seed): a seed's settings run one after another.
let cached: { key: string; data: JobData } | undefined;

/** The scenes of `(task, size, seed)`, generated once and reused by the next runs of that seed. */
export function jobData(task: 'detection', size: DetectionSize, seed: number): DetectionData;
export function jobData(task: 'segmentation', size: SegmentationSize, seed: number): ReturnType<typeof makeScenes>;
export function jobData(task: RunJob['task'], size: DetectionSize | SegmentationSize, seed: number): JobData {
  const key = JSON.stringify([task, size, seed]);
  if (cached?.key !== key) {
    cached = undefined; // let the previous data go before building the next
    cached = { key, data: task === 'detection' ? makeDetectionData(size as DetectionSize, seed) : makeScenes(size as SegmentationSize, seed) };
  }
  return cached.data;
}

/** Executes a job in this thread. */
export function executeJob(job: RunJob, callbacks: RunCallbacks): Promise<RunRecord> {
  return job.task === 'detection'
    ? runDetection(jobData('detection', job.size, job.seed), job.experimentId, job.setting, job.seed, job.size, callbacks, job.exampleCount)
    : runSegmentation(jobData('segmentation', job.size, job.seed), job.experimentId, job.setting, job.seed, job.size, callbacks, job.exampleCount);
}
