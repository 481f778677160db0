/**
 * What every `focal-loss` command does about the process around it: output to a reader that
 * has gone away is dropped instead of ending the run, and a stop signal removes the report
 * being written before the process exits.
 */

/** Signals that end a command: its temporary report is removed and the terminal restored first. */
export const STOP_SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;
/** Shows the terminal cursor again (the progress bars hide it). */
const SHOW_CURSOR = '\u001b[?25h';

let dropping = false;

/**
 * Makes writes to a closed stdout or stderr no-ops. A reader that stops early (`| head`,
 * quitting `less`) closes its end of the pipe, and the next write fails with EPIPE; unhandled,
 * that error ends the process mid-run (tfjs-backend-wasm turns it into exit code 7), leaving
 * the temporary report behind. The results are still worth finishing: the report is written
 * and the exit code is the run's. The failed stream is destroyed by Node, so later writes to
 * it (including those forwarded from worker threads) are dropped silently. Any other error on
 * these streams is thrown as before. Safe to call more than once.
 */
export function dropWritesToClosedPipes(): void {
  if (dropping) return;
  dropping = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
}

/**
 * Handles the stop signals until the returned function is called: `cleanup` runs (it removes
 * the temporary report directory), the cursor is shown again on a terminal, and the process
 * exits with 128 + the signal's number, the conventional status of a process ended by a signal.
 *
 * Node delivers a signal only when the event loop gets a turn, and rendering the report's
 * figures is one long synchronous stretch: a Ctrl-C pressed then is handled once it is over.
 * So the returned function lets the loop turn before it stops listening; a signal that came
 * in meanwhile still ends the process with its status (the finished report stays: it is
 * complete) instead of being lost.
 */
export function onStopSignals(cleanup: () => void): () => Promise<void> {
  const onSignal = (signal: NodeJS.Signals) => {
    try {
      cleanup();
    } finally {
      if (process.stderr.isTTY && !process.stderr.destroyed) process.stderr.write(SHOW_CURSOR);
      process.exit(128 + STOP_SIGNALS[signal as keyof typeof STOP_SIGNALS]);
    }
  };
  for (const signal of Object.keys(STOP_SIGNALS)) process.once(signal, onSignal);
  return async () => {
    // Two hops: the first may come straight from the current poll phase; the second follows a whole one.
    for (let hop = 0; hop < 2; hop++) await new Promise((resolve) => setImmediate(resolve));
    for (const signal of Object.keys(STOP_SIGNALS)) process.off(signal, onSignal);
  };
}
