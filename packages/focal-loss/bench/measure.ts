/** Timing and memory of one benchmark cell; shared by the Node run and the browser page. */

export interface CellResult {
  /** Median seconds of one forward + backward step (after a warm-up run). */
  seconds: number;
  runs: number;
  /** Peak bytes allocated by TF.js during one step beyond what was live before (null: n/a). */
  peakExtraBytes: number | null;
  /** The step's loss (float32 from TF.js, float64 from the JS floor). */
  loss: number;
}

/** Repeats `once` (which returns the loss) until 3 runs and 2 s, at most 15 runs. */
export async function timeCell(once: () => Promise<number>, now: () => number): Promise<{ seconds: number; runs: number; loss: number }> {
  const warmStart = now();
  let loss = await once();
  const warmSeconds = (now() - warmStart) / 1000;
  const times: number[] = [];
  const minRuns = warmSeconds > 4 ? 2 : 3;
  let total = 0;
  while (times.length < minRuns || (total < 2 && times.length < 15)) {
    const start = now();
    loss = await once();
    const seconds = (now() - start) / 1000;
    times.push(seconds);
    total += seconds;
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const median = times.length % 2 === 1 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  return { seconds: median, runs: times.length, loss };
}
