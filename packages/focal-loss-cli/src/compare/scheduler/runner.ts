/**
 * Executes the runs of a comparison: one after another in this thread, or in parallel on
 * worker threads (one per core by default). The tfjs cpu and wasm backends compute on the
 * thread that calls them, so threads are what turns a 2-core machine into 2 trainers.
 * Results come back in the order the jobs were given, whatever order they finish in.
 * Either way a job is executed by execute.ts, which looks its task up in the task table.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { resamplerFrom, type ResampleInput } from '../resample.js';
import type { RunCallbacks, RunJob } from '../tasks/task.js';
import type { RunRecord } from '../types.js';
import { jobExecutor, type JobExecutor } from './execute.js';

/** The tfjs backend each worker thread sets up. */
export type Backend = 'cpu' | 'wasm';

/** Runs jobs; `start` is called when a job begins executing and returns its progress callbacks. */
export interface JobRunner {
  run(job: RunJob, start: () => RunCallbacks): Promise<RunRecord>;
  /** Ends the workers (if any). Pending jobs are rejected. */
  close(): Promise<void>;
}

/** Messages from a worker (see worker.ts). */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'epoch'; epoch: number; loss: number; numTensors: number }
  | { type: 'batch'; done: number; total: number }
  | { type: 'done'; record: Omit<RunRecord, 'testResample'>; resample?: ResampleInput }
  | { type: 'error'; message: string; stack?: string };

/** Workers to use by default: one per core the process may use. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/** Runs every job in this thread, one after another, with `executor` (default: one of its own, without a CSV). */
export function inThreadRunner(executor: JobExecutor = jobExecutor()): JobRunner {
  let chain: Promise<unknown> = Promise.resolve();
  return {
    run(job, start) {
      const result = chain.then(() => executor.execute(job, start()));
      chain = result.catch(() => undefined);
      return result;
    },
    close: async () => {},
  };
}

/**
 * Wraps `runner` so that a job identical to an earlier one (same task, size, loss setting, seed
 * and example count; the experiment's id and words aside, see {@link jobKey}) is trained once: the later job gets
 * the first one's record under its own experiment id. Training is deterministic for a seed, so
 * this only saves time: an ablation that shares the main experiment's baseline reuses its runs.
 */
export function sharedRunner(runner: JobRunner): JobRunner {
  const done = new Map<string, Promise<RunRecord>>();
  return {
    run(job, start) {
      const key = jobKey(job);
      const earlier = done.get(key);
      if (earlier) return earlier.then((record) => ({ ...record, experiment: job.experimentId }));
      const record = runner.run(job, start);
      done.set(key, record);
      return record;
    },
    close: () => runner.close(),
  };
}

/**
 * What makes two jobs train the same run: everything but the experiment's id, its words and
 * what the report reads from it (`id`, `axis`, `imbalanceAxis`, `learningCurve`: a shared
 * record is the first job's, with the curve if that one recorded it).
 */
function jobKey(job: RunJob): string {
  const { id: _id, axis: _axis, imbalanceAxis: _imbalance, learningCurve: _curve, ...size } = job.size as Record<string, unknown>;
  const { label: _label, ...setting } = job.setting;
  return JSON.stringify([job.task, size, setting, job.seed, job.exampleCount > 0], (_key, value: unknown) =>
    // Keys in one order, whatever order the plan's spreads wrote them in.
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
}

/** The worker's entry: the compiled worker.js, or worker.ts under tsx (tests, `npm run` from source). */
function spawnWorker(backend: Backend): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSource ? './worker.ts' : './worker.js', import.meta.url);
  if (!fromSource) return new Worker(entry, { workerData: { backend } });
  // Loader hooks given with --import do not reach worker threads on Node 20: register tsx first.
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(`const { register } = await import(${JSON.stringify(tsx)}); register(); await import(${JSON.stringify(entry.href)});`, {
    eval: true,
    workerData: { backend },
  });
}

interface Pending {
  job: RunJob;
  start: () => RunCallbacks;
  resolve: (r: RunRecord) => void;
  reject: (e: Error) => void;
}

/**
 * Runs jobs on `count` worker threads, each with its own tfjs `backend` (and the fast conv
 * kernels). A job's failure rejects its promise; a worker that dies fails its job and the
 * rest of the queue, since its cause (e.g. memory) would likely repeat.
 */
export function workerRunner(count: number, backend: Backend): JobRunner {
  const queue: Pending[] = [];
  const workers: { worker: Worker; busy: Pending | null }[] = [];
  let failure: Error | null = null;
  let closed = false;

  const failAll = (error: Error) => {
    failure ??= error;
    for (const slot of workers) {
      slot.busy?.reject(error);
      slot.busy = null;
    }
    for (const p of queue.splice(0)) p.reject(error);
  };

  const dispatch = () => {
    for (const slot of workers) {
      if (slot.busy || queue.length === 0) continue;
      const next = queue.shift()!;
      slot.busy = next;
      const callbacks = next.start();
      slot.worker.removeAllListeners('message');
      slot.worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'epoch') callbacks.onEpoch?.({ epoch: message.epoch, loss: message.loss, numTensors: message.numTensors });
        else if (message.type === 'batch') callbacks.onBatch?.(message.done, message.total);
        else if (message.type === 'done' || message.type === 'error') {
          slot.busy = null;
          if (message.type === 'done') {
            next.resolve({ ...message.record, ...(message.resample ? { testResample: resamplerFrom(message.resample) } : {}) });
          } else {
            const error = new Error(
              `run ${next.job.experimentId} ${next.job.setting.label} seed ${next.job.seed} failed on a worker thread: ${message.message}`,
            );
            error.stack = `${error.message}\n${message.stack ?? ''}`;
            next.reject(error);
          }
          dispatch();
        }
      });
      slot.worker.postMessage(next.job);
    }
  };

  for (let i = 0; i < count; i++) {
    const slot = { worker: spawnWorker(backend), busy: null as Pending | null };
    slot.worker.on('error', (error) => failAll(error));
    slot.worker.on('exit', (code) => {
      if (!closed) failAll(new Error(`a worker thread exited (code ${code}) before the comparison finished`));
    });
    // Workers do not keep the process alive on their own; the promises of their jobs do.
    slot.worker.unref();
    workers.push(slot);
  }

  return {
    run(job, start) {
      if (failure) return Promise.reject(failure);
      return new Promise<RunRecord>((resolve, reject) => {
        queue.push({ job, start, resolve, reject });
        dispatch();
      });
    },
    async close() {
      closed = true;
      failAll(new Error('the runner was closed'));
      await Promise.all(workers.map((w) => w.worker.terminate()));
    },
  };
}
