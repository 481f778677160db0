/**
 * `--out` must name a directory of its own: a symbolic link (to a directory, to a file, to
 * nothing) and the current directory are refused before anything is trained or written, and
 * a commit never deletes through a link that appeared during the run.
 */
import assert from 'node:assert/strict';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { holdsWorkingDirectory, prepareReport, REPORT_MARKER, ReportCommitError } from '../../src/report/write.js';
import { runCli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fl-cli-out-paths-'));

/** Runs `focal-loss ...args` in `cwd`. */
const cli = (args: string[], cwd = dir) => runCli(args, cwd);

/** `command --out out` exits 2 with one line matching `message`, before training (no progress printed). */
function refuses(command: string[], out: string, cwd: string, message: RegExp): void {
  const r = cli([...command, '--out', out], cwd);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, message);
  assert.equal(r.stdout, '');
}

/** Writes a report with `prepareReport` the way the CLI does, without training. */
function writeFakeReport(out: string, stamp: string): void {
  const pending = prepareReport(out);
  for (const name of ['results.json', 'summary.md', 'index.html']) pending.write(name, `${name} ${stamp}`);
  pending.commit();
}

/** Names in `where` that a report being written leaves behind while it runs or when it fails. */
const leftovers = (where: string) => readdirSync(where).filter((n) => /\.tmp-|\.old$/.test(n));

test('--out naming a symbolic link to an earlier report is refused before training; the link and the report are untouched', () => {
  const base = join(dir, 'link-to-report');
  mkdirSync(base);
  const real = join(base, 'real');
  writeFakeReport(real, 'earlier');
  symlinkSync('real', join(base, 'link'));
  refuses(
    ['compare', '--tiny'],
    'link',
    base,
    /^focal-loss compare: --out link is a symbolic link; give the directory it points to \(--out .*real\)$/m,
  );
  refuses(['compare', '--tiny'], 'link/', base, /--out link\/ is a symbolic link/);
  assert.ok(lstatSync(join(base, 'link')).isSymbolicLink());
  assert.equal(readFileSync(join(real, 'summary.md'), 'utf8'), 'summary.md earlier');
  assert.deepEqual(leftovers(base), []);
  // What it points to is an earlier report and may be named directly (checked without training).
  assert.doesNotThrow(() => prepareReport(join(base, 'real')).abort());
});

test('a dangling symbolic link, a link to a file and a link loop are refused with what they are', () => {
  const base = join(dir, 'links');
  mkdirSync(base);
  writeFileSync(join(base, 'notes.txt'), 'keep');
  symlinkSync('nowhere', join(base, 'dangling'));
  symlinkSync('notes.txt', join(base, 'to-file'));
  symlinkSync('loop', join(base, 'loop'));
  refuses(
    ['compare', '--tiny'],
    'dangling',
    base,
    /--out dangling is a symbolic link to nowhere, which does not exist; give the directory itself \(--out .*links\/nowhere\)/,
  );
  refuses(['compare', '--tiny'], 'to-file', base, /--out to-file is a symbolic link to notes\.txt, which is not a directory/);
  refuses(['compare', '--tiny'], 'loop', base, /--out loop is a symbolic link that cannot be followed/);
  assert.equal(existsSync(join(base, 'nowhere')), false, 'nothing created where the dangling link points');
  assert.equal(readFileSync(join(base, 'notes.txt'), 'utf8'), 'keep');
  assert.equal(readlinkSync(join(base, 'dangling')), 'nowhere');
  assert.deepEqual(leftovers(base), []);
});

test('--out . in an empty directory, or in an earlier report, is refused: the shell is not left in a deleted directory', () => {
  const empty = join(dir, 'empty');
  mkdirSync(empty);
  refuses(
    ['compare', '--tiny'],
    '.',
    empty,
    /^focal-loss compare: --out \. is the current directory, .*give a new directory such as --out report, or run from the directory above$/m,
  );
  refuses(['compare', '--tiny'], empty, empty, /--out .*empty is the current directory/);
  refuses(['compare', '--tiny'], '../empty', empty, /--out \.\.\/empty is the current directory/);
  assert.deepEqual(readdirSync(empty), []);
  assert.deepEqual(leftovers(dir), []);

  const report = join(dir, 'earlier');
  writeFakeReport(report, 'earlier');
  refuses(['compare', '--tiny'], '.', report, /^focal-loss compare: --out \. is the current directory/m);
  assert.equal(readFileSync(join(report, 'summary.md'), 'utf8'), 'summary.md earlier');
  assert.deepEqual(leftovers(dir), []);
});

test('--out .. (an ancestor of the current directory) deletes nothing', () => {
  const parent = join(dir, 'ancestor');
  mkdirSync(join(parent, 'work'), { recursive: true });
  refuses(['compare', '--tiny'], '..', join(parent, 'work'), /--out \.\. is a non-empty directory that is not a focal-loss report/);
  assert.deepEqual(readdirSync(parent), ['work']);
});

test('holdsWorkingDirectory compares real paths: the directory itself, through a link, and its ancestors', () => {
  const base = join(dir, 'cwd-check');
  mkdirSync(join(base, 'a', 'b'), { recursive: true });
  symlinkSync('a', join(base, 'via'));
  const cwd = join(base, 'a', 'b');
  assert.equal(holdsWorkingDirectory(cwd, cwd), 'is');
  assert.equal(holdsWorkingDirectory(join(base, 'via', 'b'), cwd), 'is');
  assert.equal(holdsWorkingDirectory(join(base, 'a'), cwd), 'contains');
  assert.equal(holdsWorkingDirectory('/', cwd), 'contains');
  assert.equal(holdsWorkingDirectory(join(base, 'a', 'b', 'c'), cwd), undefined, 'does not exist');
  mkdirSync(join(base, 'a', 'b2'));
  assert.equal(holdsWorkingDirectory(join(base, 'a', 'b2'), cwd), undefined, 'a sibling whose name starts the same');
});

test('an --out replaced by a symbolic link during the run: nothing is deleted through it, the finished report is kept aside', () => {
  const base = join(dir, 'swapped');
  mkdirSync(base);
  const out = join(base, 'report');
  const elsewhere = join(base, 'elsewhere');
  writeFakeReport(out, 'first');
  const pending = prepareReport(out);
  pending.write('summary.md', 'summary.md new');
  // During the run, the user moves the report and leaves a link to it in its place.
  renameSync(out, elsewhere);
  symlinkSync('elsewhere', out);
  assert.throws(
    () => pending.commit(),
    (error: unknown) =>
      error instanceof ReportCommitError &&
      /could not move the report into .*report \(--out .*report became a symbolic link during the run\); the finished report is in .*report-/.test(
        error.message,
      ),
  );
  pending.abort();
  assert.ok(lstatSync(out).isSymbolicLink(), 'the link is still a link');
  assert.deepEqual(readdirSync(elsewhere).sort(), [REPORT_MARKER, 'index.html', 'results.json', 'summary.md']);
  assert.equal(readFileSync(join(elsewhere, 'summary.md'), 'utf8'), 'summary.md first');
  assert.deepEqual(leftovers(base), []);
  const kept = readdirSync(base).filter((n) => n.startsWith('report-'));
  assert.equal(kept.length, 1);
  assert.equal(readFileSync(join(base, kept[0]!, 'summary.md'), 'utf8'), 'summary.md new');
});

test('an earlier report that cannot be removed after the new one is in place is a notice, not a failure', () => {
  const base = join(dir, 'sticky-old');
  mkdirSync(base);
  const out = join(base, 'report');
  writeFakeReport(out, 'first');
  const pending = prepareReport(out, {
    rename: (from, to) => {
      renameSync(from, to);
      // Right after the earlier report was moved aside, a file appears in it.
      if (from === out) writeFileSync(join(to, 'late.txt'), 'late');
    },
  });
  pending.write('summary.md', 'summary.md new');
  pending.commit();
  assert.equal(readFileSync(join(out, 'summary.md'), 'utf8'), 'summary.md new');
  assert.match(
    pending.notice ?? '',
    /^the earlier report in .*report could not be removed completely \(files were added to it meanwhile\); it is in .*report-earlier-/,
  );
  const kept = readdirSync(base).filter((n) => n.startsWith('report-earlier-'));
  assert.equal(kept.length, 1);
  assert.deepEqual(readdirSync(join(base, kept[0]!)), ['late.txt'], 'only what the tool did not write is left');
  assert.deepEqual(leftovers(base), []);
});
