/**
 * The grid × seeds loop of the conv-net experiments: one job per (seed, setting), seed-major
 * (a worker reuses a seed's scenes for its next setting), each shown in the progress display
 * from the moment it starts executing to its one-line summary.
 */
import type { RunJob } from './jobs.js';
import type { ProgressReporter, RunHandle } from './progress.js';
import type { JobRunner } from './runner.js';
import type { LossSetting } from './settings.js';
import type { RunRecord } from './types.js';

/** Runs `makeJob(setting, seed)` for every seed and setting on `runner`; records in seed-major order. */
export function runJobs(
  runner: JobRunner,
  progress: ProgressReporter,
  grid: readonly LossSetting[],
  seeds: readonly number[],
  epochs: number,
  makeJob: (setting: LossSetting, seed: number) => RunJob,
  summary: (record: RunRecord) => string,
): Promise<RunRecord[]> {
  return Promise.all(
    seeds.flatMap((seed) =>
      grid.map(async (setting) => {
        const job = makeJob(setting, seed);
        let handle: RunHandle | undefined;
        const record = await runner.run(job, () => {
          const h = (handle = progress.startRun(`${job.experimentId} ${setting.label} seed ${seed}`, epochs));
          return { onEpoch: (r) => h.epoch(r.epoch, r.loss), onBatch: (done, total) => h.batch(done, total) };
        });
        handle?.end(summary(record));
        return record;
      }),
    ),
  );
}
