/**
 * Worker threads: a run gives the same record on a worker thread as in the main thread
 * (scenes, initial weights and batch order are seeded), its resampler survives the trip, and a
 * failing run rejects with its reason instead of hanging the comparison; a run asked for twice
 * (an ablation sharing the main experiment's baseline) is trained once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectionGrid, detectionSizes, segmentationSizes } from '../../src/compare/config.js';
import { setupBackend } from '../../src/compare/run.js';
import { inThreadRunner, sharedRunner, workerRunner } from '../../src/compare/scheduler/runner.js';
import { buildGrid } from '../../src/compare/settings.js';
import type { RunJob } from '../../src/compare/tasks/task.js';
import type { RunRecord } from '../../src/compare/types.js';

const detection = { ...detectionSizes('tiny')[0]!, trainScenes: 12, validationScenes: 4, testScenes: 6 };
const segmentation = { ...segmentationSizes('tiny')[0]!, trainScenes: 12, validationScenes: 4, testScenes: 6 };
const jobs: RunJob[] = [
  { task: 'detection', experimentId: 'detection-32', size: detection, setting: detectionGrid()[1]!, seed: 0, exampleCount: 2 },
  { task: 'detection', experimentId: 'detection-32', size: detection, setting: detectionGrid()[0]!, seed: 1, exampleCount: 0 },
  { task: 'segmentation', experimentId: 'scenes-32', size: segmentation, setting: buildGrid([2], [0.25])[1]!, seed: 0, exampleCount: 1 },
];

/** The record without its run time and resampler closure. */
function comparable(r: RunRecord) {
  const { seconds: _seconds, testResample: _resample, ...rest } = r;
  return rest;
}

test('runs on worker threads give the records of runs in this thread, resamplers included', async () => {
  await setupBackend('cpu', true);
  const here = inThreadRunner();
  const expected = await Promise.all(jobs.map((job) => here.run(job, () => ({}))));
  const runner = workerRunner(2, 'cpu');
  const epochs: number[] = [];
  try {
    const got = await Promise.all(jobs.map((job) => runner.run(job, () => ({ onEpoch: (r) => epochs.push(r.epoch) }))));
    for (const [i, record] of got.entries()) {
      assert.deepEqual(comparable(record), comparable(expected[i]!), `job ${i}`);
      const counts = new Float64Array(record.testResample!.units).fill(1);
      counts[0] = 3;
      assert.equal(record.testResample!.metric(counts), expected[i]!.testResample!.metric(counts), `job ${i} resampler`);
    }
    assert.equal(epochs.length, jobs.length, 'progress reaches the main thread');
  } finally {
    await runner.close();
  }
});

test('a run that fails on a worker rejects with its reason', async () => {
  const runner = workerRunner(1, 'cpu');
  try {
    const bad: RunJob = { ...jobs[1]!, setting: { ...detectionGrid()[1]!, gamma: -1 } } as RunJob;
    await assert.rejects(
      runner.run(bad, () => ({})),
      /failed on a worker thread: .*gamma/,
    );
    // The worker survives a failed run and takes the next one.
    const record = await runner.run(jobs[1]!, () => ({}));
    assert.ok(Number.isFinite(record.test.AP));
  } finally {
    await runner.close();
  }
});

test('sharedRunner trains a job once when another experiment asks for the same run, whatever the key order of its size', async () => {
  const calls: RunJob[] = [];
  const fake = {
    run: async (job: RunJob) => {
      calls.push(job);
      return { experiment: job.experimentId, seed: job.seed, test: { AP: calls.length } } as unknown as RunRecord;
    },
    close: async () => {},
  };
  const runner = sharedRunner(fake);
  const main = jobs[1]!;
  // The same run in an ablation: its own id and words, the size's keys in another order.
  const { batchSize, ...rest } = main.size as typeof detection;
  const again: RunJob = { ...main, experimentId: 'extremes', size: { batchSize, ...rest, id: 'extremes', axis: 'loss' } };
  const [a, b] = await Promise.all([runner.run(main, () => ({})), runner.run(again, () => ({}))]);
  assert.equal(calls.length, 1);
  assert.equal(a.experiment, 'detection-32');
  assert.equal(b.experiment, 'extremes');
  assert.equal(b.test.AP, a.test.AP);
  // Another seed, setting, size or example count is another run.
  await runner.run({ ...main, seed: 7 }, () => ({}));
  await runner.run({ ...main, setting: detectionGrid()[1]! }, () => ({}));
  await runner.run({ ...main, size: { ...(main.size as typeof detection), side: 64 } }, () => ({}));
  await runner.run({ ...main, exampleCount: 3 }, () => ({}));
  assert.equal(calls.length, 5);
});
