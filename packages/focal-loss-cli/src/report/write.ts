/**
 * Atomic report output: everything is written into a temporary directory next to the
 * target and renamed into place at the end, so a failure (or Ctrl-C) never leaves a
 * half-written report. The target is checked before any training starts.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DataError } from '../data/errors.js';

/** Files that identify a directory as an earlier report, which may be replaced. */
const REPORT_FILES = ['results.json', 'index.html', 'summary.md'];

/** A report directory being written. */
export interface PendingReport {
  /** The final directory. */
  target: string;
  /** Writes one file into the temporary directory. */
  write(name: string, content: string): void;
  /** Moves the temporary directory into place (replacing an earlier report). */
  commit(): void;
  /** Removes the temporary directory. Safe to call after commit. */
  abort(): void;
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'read-only file system',
    ENOTDIR: 'a parent path is not a directory',
    EEXIST: 'a parent path is not a directory',
    ENOSPC: 'no space left on the device',
  };
  return (code && reasons[code]) ?? code ?? String(error);
}

/**
 * Checks that `out` can be written and creates the temporary directory. Throws a
 * {@link DataError} when `out` is a file, a directory that is not an earlier report (we
 * never replace a user's directory), or not writable.
 */
export function prepareReport(out: string): PendingReport {
  const target = resolve(out);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new DataError(`--out ${out} exists and is not a directory`);
    const entries = readdirSync(target);
    if (entries.length > 0 && !entries.some((e) => REPORT_FILES.includes(e))) {
      throw new DataError(`--out ${out} is a non-empty directory that is not a focal-loss report; choose another directory`);
    }
  }
  const parent = dirname(target);
  let temp: string;
  try {
    mkdirSync(parent, { recursive: true });
    temp = mkdtempSync(join(parent, `.${basename(target)}.tmp-`));
    // mkdtemp creates mode 0700; a report is meant to be shared like any other directory.
    chmodSync(temp, 0o755);
  } catch (error) {
    throw new DataError(`cannot write to --out ${out}: ${reason(error)}`);
  }
  let done = false;
  return {
    target,
    write(name, content) {
      writeFileSync(join(temp, name), content);
    },
    commit() {
      let old: string | undefined;
      if (existsSync(target)) {
        old = `${temp}.old`;
        renameSync(target, old);
      }
      try {
        renameSync(temp, target);
      } catch (error) {
        if (old) renameSync(old, target); // put the earlier report back
        throw error;
      }
      done = true;
      if (old) rmSync(old, { recursive: true, force: true });
    },
    abort() {
      if (!done) rmSync(temp, { recursive: true, force: true });
    },
  };
}
