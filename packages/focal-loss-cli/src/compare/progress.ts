/**
 * Progress display: bars (cli-progress) on a terminal, one plain line per finished run
 * otherwise (CI logs and pipes do not handle carriage returns well).
 */
import cliProgress from 'cli-progress';

/** Progress of one training run. */
export interface RunHandle {
  batch(done: number, total: number): void;
  epoch(epoch: number, loss: number): void;
  /** Finishes the run with a one-line summary. */
  end(summary: string): void;
}

/** Receives progress from the experiments. */
export interface ProgressReporter {
  startRun(label: string, epochs: number): RunHandle;
  /** A line of information (e.g. data set sizes), printed above the bars. */
  note(line: string): void;
  finish(): void;
}

/** Chooses bars for a TTY stream and plain lines otherwise. */
export function createProgress(stream: NodeJS.WriteStream, totalRuns: number): ProgressReporter {
  return stream.isTTY ? new BarProgress(stream, totalRuns) : new LineProgress(stream, totalRuns);
}

/** Prints nothing (tests, library use). */
export const silentProgress: ProgressReporter = {
  startRun: () => ({ batch() {}, epoch() {}, end() {} }),
  note() {},
  finish() {},
};

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

class LineProgress implements ProgressReporter {
  private done = 0;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly total: number,
  ) {}

  startRun(label: string, epochs: number): RunHandle {
    const started = performance.now();
    let lastLoss = NaN;
    return {
      batch: () => {},
      epoch: (_epoch, loss) => {
        lastLoss = loss;
      },
      end: (summary) => {
        this.done++;
        const width = String(this.total).length;
        this.stream.write(
          `[${String(this.done).padStart(width)}/${this.total}] ${label}: ${epochs} epochs, final loss ${lastLoss.toPrecision(3)}, ${summary} (${seconds(started)})\n`,
        );
      },
    };
  }

  note(line: string): void {
    this.stream.write(`${line}\n`);
  }

  finish(): void {}
}

class BarProgress implements ProgressReporter {
  private readonly multibar: cliProgress.MultiBar;
  private readonly overall: cliProgress.SingleBar;

  constructor(stream: NodeJS.WriteStream, total: number) {
    this.multibar = new cliProgress.MultiBar(
      {
        stream,
        format: '{name} |{bar}| {value}/{total} {info}',
        barsize: 24,
        hideCursor: true,
        clearOnComplete: false,
        autopadding: true,
      },
      cliProgress.Presets.shades_classic,
    );
    this.overall = this.multibar.create(total, 0, { name: 'runs'.padEnd(36), info: '' });
  }

  startRun(label: string, epochs: number): RunHandle {
    const started = performance.now();
    // Counts batches (total known at the first batch), shows epochs in words.
    const bar = this.multibar.create(
      epochs,
      0,
      { name: label.slice(0, 36).padEnd(36), info: `epoch 1/${epochs}` },
      { format: '{name} |{bar}| {info}' },
    );
    let epochDone = 0;
    let lastLoss = NaN;
    return {
      batch: (done, total) => {
        if (bar.getTotal() !== total) bar.setTotal(total);
        bar.update(done, {
          info: `epoch ${Math.min(epochs, epochDone + 1)}/${epochs}${Number.isNaN(lastLoss) ? '' : `, loss ${lastLoss.toPrecision(3)}`}`,
        });
      },
      epoch: (epoch, loss) => {
        epochDone = epoch;
        lastLoss = loss;
      },
      end: (summary) => {
        this.multibar.remove(bar);
        this.multibar.log(`${label}: final loss ${lastLoss.toPrecision(3)}, ${summary} (${seconds(started)})\n`);
        this.overall.increment();
      },
    };
  }

  note(line: string): void {
    this.multibar.log(`${line}\n`);
  }

  finish(): void {
    this.multibar.stop();
  }
}
