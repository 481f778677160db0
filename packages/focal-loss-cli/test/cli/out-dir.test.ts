/**
 * `--out` never removes or overwrites anything the tool did not write, and an interrupted
 * or failed run leaves nothing half-done behind.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { prepareReport, REPORT_MARKER, ReportCommitError } from '../../src/report/write.js';
import { cliCommand, runCli, runCliAsNobody } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fl-cli-out-'));
chmodSync(dir, 0o755); // readable by the unprivileged user of the sticky-directory test

/** Creates `files` (paths relative to `root`, '/' for folders) and returns a listing function. */
function tree(root: string, files: Record<string, string>): () => Record<string, string> {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  const list = (d: string, prefix = ''): Record<string, string> =>
    Object.fromEntries(
      readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
          ? Object.entries(list(join(d, e.name), `${prefix}${e.name}/`))
          : [[`${prefix}${e.name}`, readFileSync(join(d, e.name), 'utf8')]],
      ),
    );
  return () => list(root);
}

/** Writes a report with `prepareReport` the way the CLI does, without training. */
function writeFakeReport(out: string, stamp: string): void {
  const pending = prepareReport(out);
  for (const name of ['results.json', 'summary.md', 'index.html']) pending.write(name, `${name} ${stamp}`);
  pending.commit();
}

function refuses(args: string[], cwd: string | undefined, message: RegExp): void {
  const r = runCli(['compare', '--tiny', ...args], cwd);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, message);
}

test('a website holding index.html is not replaced (nothing deleted, no training)', () => {
  const site = join(dir, 'website');
  const listing = tree(site, { 'index.html': '<h1>me</h1>', 'assets/style.css': 'h1{}', 'thesis.tex': '\\section{}' });
  const before = listing();
  refuses(['--out', site], undefined, /--out .*website is a non-empty directory that is not a focal-loss report/);
  assert.deepEqual(listing(), before);
});

test('compare --out . inside a git project with a summary.md deletes nothing', () => {
  const project = join(dir, 'project');
  const listing = tree(project, { 'summary.md': '# notes', '.git/HEAD': 'ref: refs/heads/main', 'src/a.ts': 'export {}' });
  const before = listing();
  refuses(['--out', '.'], project, /--out \. is a non-empty directory that is not a focal-loss report/);
  assert.deepEqual(listing(), before);
});

test('an earlier report is replaced, but not once the user added a file or a nested folder to it', () => {
  const out = join(dir, 'report');
  writeFakeReport(out, 'first');
  writeFakeReport(out, 'second');
  assert.deepEqual(readdirSync(out).sort(), [REPORT_MARKER, 'index.html', 'results.json', 'summary.md']);
  assert.equal(readFileSync(join(out, 'summary.md'), 'utf8'), 'summary.md second');
  assert.deepEqual(
    readdirSync(dir).filter((n) => n.startsWith('.report')),
    [],
    'no temporary or old directory left',
  );

  mkdirSync(join(out, 'figures', 'draft'), { recursive: true });
  writeFileSync(join(out, 'figures', 'draft', 'plot.svg'), '<svg/>');
  const listing = tree(out, {});
  const before = listing();
  refuses(['--out', out], undefined, /holds an earlier focal-loss report but also 'figures', which this tool did not write/);
  assert.throws(() => writeFakeReport(out, 'third'), /which this tool did not write/);
  assert.deepEqual(listing(), before);
});

test('a marker that lists a file the tool did not write cannot make it delete that file', () => {
  const out = join(dir, 'forged');
  tree(out, { [REPORT_MARKER]: JSON.stringify({ tool: 'focal-loss compare', files: ['../thesis.tex'] }), 'notes.txt': 'keep' });
  refuses(['--out', out], undefined, /is a non-empty directory that is not a focal-loss report/);
  assert.equal(readFileSync(join(out, 'notes.txt'), 'utf8'), 'keep');
});

test('when the final rename fails, the finished report is kept beside the target and named', () => {
  const out = join(dir, 'locked');
  writeFakeReport(out, 'old');
  let renames = 0;
  // The first rename (old report aside) works; moving the new one in fails as on a sticky /tmp.
  const pending = prepareReport(out, {
    rename: (from, to) => {
      if (++renames === 2) throw Object.assign(new Error('EPERM'), { code: 'EPERM' });
      spawnSync('mv', ['-T', from, to]);
    },
  });
  pending.write('summary.md', 'summary.md new');
  let error: unknown;
  try {
    pending.commit();
  } catch (e) {
    error = e;
  }
  pending.abort(); // as the CLI does on any error: must not remove the kept report
  assert.ok(error instanceof ReportCommitError, String(error));
  assert.match(error.message, /could not move the report into .*locked \(permission denied\); the finished report is in .*locked-/);
  assert.equal(readFileSync(join(error.keptAt, 'summary.md'), 'utf8'), 'summary.md new');
  assert.equal(readFileSync(join(out, 'summary.md'), 'utf8'), 'summary.md old', 'the earlier report is back in place');
});

test('an --out owned by another user in a sticky directory is refused before training', {
  skip: process.getuid?.() !== 0 && 'needs root to act as two users',
}, () => {
  const sticky = join(dir, 'sticky');
  mkdirSync(sticky);
  chmodSync(sticky, 0o1777);
  const out = join(sticky, 'report');
  writeFakeReport(out, 'root'); // owned by root
  const r = runCliAsNobody(['compare', '--tiny', '--out', out], dir);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^focal-loss compare: cannot replace --out .*sticky\/report: it belongs to another user in a sticky directory/);
  assert.equal(readFileSync(join(out, 'summary.md'), 'utf8'), 'summary.md root');
});

test('an unreadable --data exits 2 with one line', { skip: process.getuid?.() !== 0 && 'needs root to act as another user' }, () => {
  const data = join(dir, 'secret.csv');
  writeFileSync(data, 'a,y\n1,0\n');
  chmodSync(data, 0o600);
  const r = runCliAsNobody(['compare', '--data', data, '--label', 'y', '--out', join(dir, 'x')], dir);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stderr, `focal-loss compare: cannot read ${data}: permission denied\n`);
});

/** Starts `compare --tiny --out out`, waits until its temporary report directory exists, and sends `signal`. */
async function interrupt(out: string, signal: NodeJS.Signals, viaTerminal: boolean): Promise<{ code: number | null; output: string }> {
  const args = [...cliCommand, 'compare', '--tiny', '--out', out];
  // `script` gives the CLI a terminal, so that it draws progress bars and hides the cursor.
  const child = viaTerminal
    ? spawn('script', ['-qfec', [process.execPath, ...args].map((a) => `'${a}'`).join(' '), '/dev/null'], { cwd: dir })
    : spawn(process.execPath, args, { cwd: dir });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  let ended = false;
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      ended = true;
      resolve(code);
    }),
  );
  const temp = () => readdirSync(dir).some((n) => n.startsWith('.interrupted.tmp-'));
  // However long that takes on a busy machine; a run that ends first is the failure.
  while (!(temp() && (!viaTerminal || output.includes('\u001b[?25l')))) {
    if (ended) throw new Error(`the run ended before its temporary directory was seen: ${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  if (viaTerminal) {
    const pids = spawnSync('pgrep', ['-f', '--', `main\\.ts compare --tiny --out ${out}$`], { encoding: 'utf8' })
      .stdout.trim()
      .split('\n')
      .map(Number);
    const pid = pids.find((p) => p > 1 && p !== child.pid);
    assert.ok(pid, `the CLI's process id (pgrep found ${pids})`);
    process.kill(pid, signal);
  } else child.kill(signal);
  return { code: await exited, output };
}

for (const signal of ['SIGHUP', 'SIGTERM', 'SIGINT'] as const) {
  test(`${signal} during a run removes the temporary report`, async () => {
    const out = join(dir, 'interrupted');
    const { code } = await interrupt(out, signal, false);
    assert.equal(code, 128 + { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal]);
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.startsWith('.interrupted')),
      [],
    );
    assert.equal(existsSync(out), false);
  });
}

const hasScript = spawnSync('script', ['--version']).status === 0;
test('SIGHUP in a terminal shows the cursor again', { skip: !hasScript && "needs util-linux's script for a pseudo-terminal" }, async () => {
  const { output } = await interrupt(join(dir, 'interrupted'), 'SIGHUP', true);
  const hidden = output.lastIndexOf('\u001b[?25l');
  assert.ok(hidden >= 0, 'the progress bars hid the cursor');
  assert.ok(output.lastIndexOf('\u001b[?25h') > hidden, 'and it was shown again');
  assert.deepEqual(
    readdirSync(dir).filter((n) => n.startsWith('.interrupted')),
    [],
  );
});
