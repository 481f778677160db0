/**
 * Executes one job in the calling thread: looks its task up in the task table, makes (or
 * reuses) its seed's data and runs it. Used by the in-thread runner and by every worker thread.
 */
import { tasks } from '../tasks/index.js';
import type { RunCallbacks, RunJob, TaskInput } from '../tasks/task.js';
import type { RunRecord } from '../types.js';

/** Executes jobs, keeping the last seed's data: a seed's settings run one after another (seed-major). */
export interface JobExecutor {
  /** The data of `(task, size, seed)`, made once and reused by the next runs of that seed. */
  data(job: Pick<RunJob, 'task' | 'size' | 'seed'>): unknown;
  execute(job: RunJob, callbacks: RunCallbacks): Promise<RunRecord>;
}

/** An executor with its own data cache; `input` is what the tasks' data may need besides the job (the user's CSV). */
export function jobExecutor(input: TaskInput = {}): JobExecutor {
  let cached: { key: string; data: unknown } | undefined;
  const data = (job: Pick<RunJob, 'task' | 'size' | 'seed'>): unknown => {
    const key = JSON.stringify([job.task, job.size, job.seed]);
    if (cached?.key !== key) {
      cached = undefined; // let the previous data go before building the next
      cached = { key, data: tasks[job.task].makeData(job.size, job.seed, input) };
    }
    return cached.data;
  };
  return {
    data,
    execute: async (job, callbacks) => tasks[job.task].run(data(job), job, callbacks),
  };
}
