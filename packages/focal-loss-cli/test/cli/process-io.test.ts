/**
 * The CLI and the process around it: a reader that closes the pipe early (`| head`, quitting
 * `less`) neither kills a run nor changes its exit code, and a stop signal while `render`
 * writes leaves no temporary directory behind. Real child processes, real pipes and signals.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPORT_MARKER } from '../../src/report/write.js';
import { cliCommand } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fl-cli-process-io-'));

/** When the parent closes its end of a pipe: before the CLI writes anything, or once it has written a line. */
type Close = 'at-once' | 'after-one-line';

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `focal-loss ...args` in {@link dir}, closing stdout and/or stderr early as `close` says; `onStart` sees the child. */
function runClosing(
  args: string[],
  close: { stdout?: Close; stderr?: Close },
  onStart?: (child: ReturnType<typeof spawn>) => void,
): Promise<Finished> {
  const child = spawn(process.execPath, [...cliCommand, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const text = { stdout: '', stderr: '' };
  for (const name of ['stdout', 'stderr'] as const) {
    const stream = child[name];
    if (close[name] === 'at-once') {
      stream.destroy();
      continue;
    }
    stream.on('data', (chunk: Buffer) => {
      text[name] += chunk;
      if (close[name] === 'after-one-line' && text[name].includes('\n')) stream.destroy();
    });
  }
  onStart?.(child);
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, ...text })));
}

/** Temporary or set-aside directories of a report being written. */
const leftovers = () => readdirSync(dir).filter((n) => /\.tmp-|\.old$/.test(n));
/** `out` holds a complete report. */
function complete(out: string): void {
  assert.deepEqual(readdirSync(out).sort(), [REPORT_MARKER, 'index.html', 'results.json', 'summary.md']);
}

test('compare with stderr closed after its first line (the progress) finishes the run, writes the report and exits 0', async () => {
  const r = await runClosing(['compare', '--tiny', '--out', 'closed-stderr'], { stderr: 'after-one-line' });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /Report written to .*closed-stderr/);
  complete(join(dir, 'closed-stderr'));
  assert.deepEqual(leftovers(), []);
});

test('compare with stdout closed at once writes the report, prints no error and exits 0', async () => {
  const r = await runClosing(['compare', '--tiny', '--out', 'closed-stdout'], { stdout: 'at-once' });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /EPIPE|unexpected error/);
  assert.match(r.stderr, /^focal-loss compare: tiny mode/);
  complete(join(dir, 'closed-stdout'));
  assert.deepEqual(leftovers(), []);
});

test('compare 2>&1 | head -2: the run finishes with exit 0', {
  skip: spawnSync('bash', ['--version']).status !== 0 && 'needs bash',
}, () => {
  const command = [process.execPath, ...cliCommand, 'compare', '--tiny', '--out', 'piped'].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('bash', ['-c', `${command} 2>&1 | head -2; exit "\${PIPESTATUS[0]}"`], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(r.stdout.trimEnd().split('\n').length, 2, r.stdout);
  complete(join(dir, 'piped'));
  assert.deepEqual(leftovers(), []);
});

test('render with stdout and stderr closed writes the report and exits 0', async () => {
  const results = join(dir, 'closed-stdout', 'results.json');
  assert.ok(existsSync(results), 'made by the compare test above');
  const r = await runClosing(['render', '--results', results, '--out', 'rendered'], { stdout: 'at-once', stderr: 'at-once' });
  assert.equal(r.code, 0);
  complete(join(dir, 'rendered'));
  assert.deepEqual(leftovers(), []);
});

test('eval-detections with stdout closed exits 0', async () => {
  const gt = join(dir, 'gt.json');
  const dt = join(dir, 'dt.json');
  writeFileSync(
    gt,
    JSON.stringify({
      images: [{ id: 1 }],
      categories: [{ id: 1 }],
      annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 10, 10], area: 100, iscrowd: 0 }],
    }),
  );
  writeFileSync(dt, JSON.stringify([{ image_id: 1, category_id: 1, bbox: [0, 0, 10, 10], score: 0.9 }]));
  const r = await runClosing(['eval-detections', '--gt', gt, '--dt', dt], { stdout: 'at-once' });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
});

for (const [signal, number] of [
  ['SIGTERM', 15],
  ['SIGINT', 2],
] as const) {
  test(`${signal} while render writes the report leaves no temporary directory and exits ${128 + number}`, async () => {
    const results = join(dir, 'closed-stdout', 'results.json');
    const out = `signalled-${signal}`;
    let watcher: ReturnType<typeof watch> | undefined;
    const r = await runClosing(['render', '--results', results, '--out', out], {}, (child) => {
      // The moment the temporary report directory appears, the signal is sent.
      watcher = watch(dir, (_event, name) => {
        if (name?.startsWith(`.${out}.tmp-`) && child.signalCode === null && !child.killed) child.kill(signal);
      });
    });
    watcher?.close();
    assert.equal(r.code, 128 + number, `exit ${r.code} (${r.signal}): ${r.stderr}`);
    assert.deepEqual(leftovers(), []);
    // The report is either not there or complete (a signal arriving during the figures' synchronous rendering is handled right after it).
    if (existsSync(join(dir, out))) complete(join(dir, out));
  });
}
