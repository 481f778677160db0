/**
 * A worker thread of `compare` (runner.ts): sets up its own tfjs backend, then executes the
 * jobs it is sent one at a time (execute.ts: the task table) and posts back progress and the
 * run's record. The record's test resampler travels as its input (a closure cannot be sent).
 */
import '../../tfjs_quiet.js';
import { parentPort, workerData } from 'node:worker_threads';
import { setupBackend } from '../backend.js';
import type { RunJob } from '../tasks/task.js';
import { jobExecutor } from './execute.js';
import type { Backend, WorkerMessage } from './runner.js';

const port = parentPort!;
const post = (message: WorkerMessage) => port.postMessage(message);
const ready = setupBackend((workerData as { backend: Backend }).backend, true);
const executor = jobExecutor();

port.on('message', async (job: RunJob) => {
  try {
    await ready;
    const record = await executor.execute(job, {
      onEpoch: (r) => post({ type: 'epoch', epoch: r.epoch, loss: r.loss, numTensors: r.numTensors }),
      onBatch: (done, total) => post({ type: 'batch', done, total }),
    });
    const { testResample, ...rest } = record;
    post({ type: 'done', record: rest, resample: testResample?.input });
  } catch (error) {
    post({ type: 'error', message: (error as Error)?.message ?? String(error), stack: (error as Error)?.stack });
  }
});
