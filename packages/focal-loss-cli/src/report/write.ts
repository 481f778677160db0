/**
 * Atomic report output: everything is written into a temporary directory next to the
 * target and renamed into place at the end, so a failure (or Ctrl-C) never leaves a
 * half-written report. The target is checked before any training starts.
 *
 * An existing `--out` directory is replaced only when it provably holds an earlier report
 * of this tool and nothing else: its marker file lists the files the tool wrote, and the
 * directory holds exactly those plain files. Replacing deletes only those files; anything
 * else makes the run refuse to start.
 *
 * `--out` must name the directory itself: a symbolic link is refused (replacing the link's
 * target by renames would act in another directory than the one named, and deleting through
 * the link would reach files the user did not name), and so is the current directory or one
 * that contains it (renaming it away would leave the user's shell in a deleted directory).
 */
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { DataError } from '../data/errors.js';

/** The marker file that identifies a directory as a report written by this tool. */
export const REPORT_MARKER = '.focal-loss-report.json';
const MARKER_TOOL = 'focal-loss compare';

/** A report directory being written. */
export interface PendingReport {
  /** The final directory. */
  target: string;
  /** Writes one file into the temporary directory. */
  write(name: string, content: string): void;
  /**
   * Moves the temporary directory into place (replacing an earlier report). When that
   * fails, the finished report is kept under {@link ReportCommitError.keptAt}.
   */
  commit(): void;
  /** Removes the temporary directory. Safe to call after commit. */
  abort(): void;
  /**
   * Set by a commit that put the new report in place but could not remove the earlier one
   * completely: one sentence saying where it is. Worth telling the user; not a failure.
   */
  notice?: string;
}

/** The final rename failed; the finished report was kept elsewhere. */
export class ReportCommitError extends Error {
  override name = 'ReportCommitError';
  constructor(
    message: string,
    /** Where the finished report now is. */
    readonly keptAt: string,
  ) {
    super(message);
  }
}

/** File-system calls that can fail at the final rename; replaceable in tests. */
export interface ReportFs {
  rename(from: string, to: string): void;
}
const nodeFs: ReportFs = { rename: renameSync };

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'read-only file system',
    ENOTDIR: 'a parent path is not a directory',
    EEXIST: 'a parent path is not a directory',
    ENOSPC: 'no space left on the device',
    EBUSY: 'the directory is in use (a mount point?)',
    EXDEV: 'the directory is on another device',
    ENOTEMPTY: 'files were added to it meanwhile',
    ELOOP: 'too many levels of symbolic links',
  };
  return (code && reasons[code]) ?? code ?? String(error);
}

/** The files an earlier report's marker says this tool wrote, or undefined when `dir` holds no marker of ours. */
function markedFiles(dir: string): string[] | undefined {
  let marker: unknown;
  try {
    marker = JSON.parse(readFileSync(join(dir, REPORT_MARKER), 'utf8'));
  } catch {
    return undefined;
  }
  const { tool, files } = (marker ?? {}) as { tool?: unknown; files?: unknown };
  if (
    tool !== MARKER_TOOL ||
    !Array.isArray(files) ||
    !files.every((f) => typeof f === 'string' && basename(f) === f && f !== '..' && f !== '.')
  )
    return undefined;
  return [...(files as string[]), REPORT_MARKER];
}

/**
 * Why the existing directory `target` may not be replaced, or undefined when it may: it
 * is empty, or it holds exactly the plain files that our marker lists.
 */
export function whyNotReplaceable(target: string): string | undefined {
  const entries = readdirSync(target);
  if (entries.length === 0) return undefined;
  const ours = markedFiles(target);
  if (!ours) return 'is a non-empty directory that is not a focal-loss report (no report marker); choose another directory';
  const foreign = entries.filter((e) => !ours.includes(e) || !lstatSync(join(target, e)).isFile());
  if (foreign.length > 0) {
    const shown = foreign
      .slice(0, 3)
      .map((e) => `'${e}'`)
      .join(', ');
    return `holds an earlier focal-loss report but also ${shown}${foreign.length > 3 ? ` and ${foreign.length - 3} more` : ''}, which this tool did not write; choose another directory`;
  }
  return undefined;
}

/**
 * Why this process could not rename `target` (inside `parent`) away, or undefined. Root
 * may do anything; others need write and search permission on the parent and, when the
 * parent is sticky (/tmp), must own the parent or the target. Removing the old report's
 * files needs write permission on the target itself.
 */
export function whyNotRenamable(
  parent: Stats,
  target: Stats,
  uid: number,
  writable: (path: 'parent' | 'target') => boolean,
): string | undefined {
  if (uid === 0) return undefined;
  if (!writable('parent')) return 'permission denied on its parent directory';
  const sticky = (parent.mode & 0o1000) !== 0; // S_ISVTX
  if (sticky && parent.uid !== uid && target.uid !== uid) return 'it belongs to another user in a sticky directory (such as /tmp)';
  if (!writable('target')) return 'permission denied';
  return undefined;
}

function canAccess(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

/** Deletes the files an earlier report consisted of (checked by {@link whyNotReplaceable}) and then its now empty directory. */
function removeOldReport(dir: string): void {
  // Never through a link: only a real directory's own files are deleted.
  if (!lstatSync(dir).isDirectory()) throw new Error(`${dir} is not a directory`);
  for (const name of markedFiles(dir) ?? []) rmSync(join(dir, name), { force: true });
  rmdirSync(dir); // not recursive: fails rather than delete anything that appeared meanwhile
}

/** lstat, or undefined when nothing is at `path`. */
function lstatIfAny(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Why `--out` may not be the symbolic link at `target` (always refused; the message says what to give instead). */
function whyNotALink(target: string): string {
  let to: string;
  try {
    to = readlinkSync(target);
  } catch {
    to = '?';
  }
  let points: Stats;
  try {
    points = statSync(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return `is a symbolic link to ${to}, which does not exist; give the directory itself (--out ${resolve(dirname(target), to)})`;
    }
    return `is a symbolic link that cannot be followed (${reason(error)}); give a directory`;
  }
  if (!points.isDirectory()) return `is a symbolic link to ${to}, which is not a directory`;
  return `is a symbolic link; give the directory it points to (--out ${realpathSync(target)})`;
}

/**
 * Whether the process's working directory is the directory `target` or inside it: such a
 * target cannot be replaced by renames without pulling the directory out from under the
 * user's shell. Compared by real paths, so that `.`, `..`, an absolute path and a path
 * through a symbolic link all count.
 */
export function holdsWorkingDirectory(target: string, cwd = process.cwd()): 'is' | 'contains' | undefined {
  let real: string;
  let realCwd: string;
  try {
    real = realpathSync(target);
    realCwd = realpathSync(cwd);
  } catch {
    return undefined;
  }
  const rel = relative(real, realCwd);
  if (rel === '') return 'is';
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel) ? undefined : 'contains';
}

/**
 * Checks that `out` can be written and creates the temporary directory. Throws a
 * {@link DataError} when `out` is a file, a directory that is not an earlier report (we
 * never replace a user's directory), or not writable.
 */
export function prepareReport(out: string, fs: ReportFs = nodeFs): PendingReport {
  const target = resolve(out);
  const parent = dirname(target);
  let existing: Stats | undefined;
  try {
    existing = lstatIfAny(target);
  } catch (error) {
    throw new DataError(`cannot write to --out ${out}: ${reason(error)}`);
  }
  if (existing?.isSymbolicLink()) throw new DataError(`--out ${out} ${whyNotALink(target)}`);
  if (existing) {
    if (!existing.isDirectory()) throw new DataError(`--out ${out} exists and is not a directory`);
    const refusal = whyNotReplaceable(target);
    if (refusal) throw new DataError(`--out ${out} ${refusal}`);
    // An empty directory or an earlier report that the shell is in (a directory holding it is never replaceable).
    const cwd = holdsWorkingDirectory(target);
    if (cwd) {
      throw new DataError(
        `--out ${out} ${cwd === 'is' ? 'is' : 'contains'} the current directory, and a report replaces its directory as a whole ` +
          `(your shell would be left in a deleted directory); give a new directory such as --out report${cwd === 'is' ? ', or run from the directory above' : ''}`,
      );
    }
    const denied = whyNotRenamable(statSync(parent), statSync(target), process.getuid?.() ?? 0, (which) =>
      canAccess(which === 'parent' ? parent : target, constants.W_OK | constants.X_OK),
    );
    if (denied) throw new DataError(`cannot replace --out ${out}: ${denied}`);
  }
  let temp: string;
  try {
    mkdirSync(parent, { recursive: true });
    temp = mkdtempSync(join(parent, `.${basename(target)}.tmp-`));
    // mkdtemp creates mode 0700; a report is meant to be shared like any other directory.
    chmodSync(temp, 0o755);
  } catch (error) {
    throw new DataError(`cannot write to --out ${out}: ${reason(error)}`);
  }
  const written: string[] = [];
  let done = false;
  const pending: PendingReport = {
    target,
    write(name, content) {
      writeFileSync(join(temp, name), content);
      if (!written.includes(name)) written.push(name);
    },
    commit() {
      writeFileSync(join(temp, REPORT_MARKER), JSON.stringify({ tool: MARKER_TOOL, files: written }, null, 2) + '\n');
      let old: string | undefined;
      try {
        // Checked again: the directory may have changed during the run.
        const now = lstatIfAny(target);
        if (now?.isSymbolicLink()) throw new Error(`--out ${out} became a symbolic link during the run`);
        if (now && !now.isDirectory()) throw new Error(`--out ${out} exists and is not a directory`);
        if (now) {
          const refusal = whyNotReplaceable(target);
          if (refusal) throw new Error(`--out ${out} ${refusal}`);
          old = `${temp}.old`;
          fs.rename(target, old);
        }
        fs.rename(temp, target);
      } catch (error) {
        if (old) {
          try {
            fs.rename(old, target); // put the earlier report back
          } catch {
            // keep going: the earlier report stays at `old`, named in the message
          }
        }
        const kept = keepAside(temp, target, fs);
        done = true; // the kept report is the user's now: abort() must not remove it
        const why = error instanceof Error && !(error as NodeJS.ErrnoException).code ? error.message : reason(error);
        throw new ReportCommitError(
          `could not move the report into ${out} (${why}); the finished report is in ${kept}` +
            (old && existsSync(old) ? `, the earlier one in ${old}` : ''),
          kept,
        );
      }
      done = true;
      if (old) {
        try {
          removeOldReport(old);
        } catch (error) {
          // The new report is in place: what is left of the old one is named, not an error.
          const kept = keepAside(old, `${target}-earlier`, fs);
          const why = (error as NodeJS.ErrnoException).code ? reason(error) : (error as Error).message;
          pending.notice = `the earlier report in ${out} could not be removed completely (${why}); it is in ${kept}`;
        }
      }
    },
    abort() {
      if (!done) rmSync(temp, { recursive: true, force: true });
      done = true;
    },
  };
  return pending;
}

/** Gives the finished temporary directory a visible name next to the target (or leaves it where it is). */
function keepAside(temp: string, target: string, fs: ReportFs): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const visible = `${target}-${stamp}`;
  try {
    fs.rename(temp, visible);
    return visible;
  } catch {
    return temp;
  }
}
