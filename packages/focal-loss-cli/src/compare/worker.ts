/**
 * A worker thread of `compare` (runner.ts): sets up its own tfjs backend, then executes the
 * jobs it is sent one at a time and posts back progress and the run's record. The record's
 * test resampler travels as its input (a closure cannot be sent).
 */
import '../tfjs_quiet.js';
import { parentPort, workerData } from 'node:worker_threads';
import { executeJob, type RunJob } from './jobs.js';
import { setupBackend } from './run.js';
import type { WorkerMessage } from './runner.js';

const port = parentPort!;
const post = (message: WorkerMessage) => port.postMessage(message);
const ready = setupBackend((workerData as { backend: 'cpu' | 'wasm' }).backend, true);

port.on('message', async (job: RunJob) => {
  try {
    await ready;
    const record = await executeJob(job, {
      onEpoch: (r) => post({ type: 'epoch', epoch: r.epoch, loss: r.loss, numTensors: r.numTensors }),
      onBatch: (done, total) => post({ type: 'batch', done, total }),
    });
    const { testResample, ...rest } = record;
    post({ type: 'done', record: rest, resample: testResample?.input });
  } catch (error) {
    post({ type: 'error', message: (error as Error)?.message ?? String(error), stack: (error as Error)?.stack });
  }
});
