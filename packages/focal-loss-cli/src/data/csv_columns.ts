/**
 * Naming the columns of the user's CSV, in flags and in messages. A column is named by its
 * header name, or by its position `#N` (1-based), which is how a column without a name (a
 * pandas `to_csv()` index, a trailing comma) is addressed. `#N` always means a position; a
 * header name that is itself `#N` for another column is refused as ambiguous rather than
 * guessed at.
 */
import { DataError } from './errors.js';

/** `#N`: the N-th column, 1-based. */
const POSITION = /^#(\d+)$/;
/** The name pandas gives a column whose header cell is empty when it reads and writes a CSV again. */
const PANDAS_UNNAMED = /^Unnamed: \d+$/;

/** True for a header cell that names nothing: empty, or pandas' `Unnamed: N`. */
export function isUnnamed(name: string): boolean {
  return name === '' || PANDAS_UNNAMED.test(name);
}

/**
 * A name or cell for a one-line message: quoted, control characters (a newline in a quoted
 * header cell) shown as escapes, at most `max` characters.
 */
export function quoted(text: string, max = 40): string {
  const shown = [...text]
    .slice(0, max)
    .join('')
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) =>
      c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  return `'${shown}${[...text].length > max ? '...' : ''}'`;
}

/** "column 'age'" or "column #1 (no name)". */
export function describeColumn(header: readonly string[], j: number): string {
  return header[j] ? `column ${quoted(header[j])}` : `column #${j + 1} (no name)`;
}

/** How the column is written in `--ignore`/`--label`: its name where that is unambiguous, else `#N`. */
export function columnSpec(header: readonly string[], j: number): string {
  const name = header[j]!;
  const unique = header.indexOf(name) === j && header.lastIndexOf(name) === j;
  return name !== '' && unique && !name.includes(',') && !POSITION.test(name) && !/[\u0000-\u001f]/.test(name) ? name : `#${j + 1}`;
}

/** Quotes a word for a POSIX shell where it needs it (`#` starts a comment, spaces split words). */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_.,:/=+@%-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The `--ignore` that drops `columns` (indices) in addition to what the user already
 * ignores: `--ignore` takes one list, so the hint repeats the earlier entries.
 */
export function ignoreHint(header: readonly string[], columns: readonly number[], already: readonly string[] = []): string {
  const specs = [...already, ...columns.map((j) => columnSpec(header, j))];
  return `--ignore ${shellWord([...new Set(specs)].join(','))}`;
}

/** "a, b, #3 (no name), y": the header for a message, at most 30 columns. */
export function listColumns(header: readonly string[]): string {
  const names = header.slice(0, 30).map((h, j) => (h ? h : `#${j + 1} (no name)`));
  return names.join(', ') + (header.length > 30 ? `, ... (${header.length} columns)` : '');
}

/** The message for a name that several columns share (`columns` are their indices). */
export function duplicateNameError(header: readonly string[], columns: readonly number[], file: string): DataError {
  const times = columns.length === 2 ? 'twice' : `${columns.length} times`;
  const where = columns.map((j) => `#${j + 1}`).join(', ');
  return new DataError(
    `column name ${quoted(header[columns[0]!]!)} appears ${times} in the header of ${file} (columns ${where}); column names must be unique: ` +
      `rename them, or name one by its position (e.g. --ignore '#${columns.at(-1)! + 1}')`,
  );
}

/**
 * The index of the column that `spec` names in `header` (`#N` or a name; spaces around it
 * do not count); a {@link DataError} for a column that is not there, an ambiguous name, or a
 * position out of range. `flag` is the flag for messages ('--label', '--ignore').
 */
export function resolveColumn(spec: string, header: readonly string[], file: string, flag: string): number {
  const wanted = spec.trim();
  const position = POSITION.exec(wanted);
  if (position) {
    const n = Number(position[1]);
    if (n < 1 || n > header.length)
      throw new DataError(`${flag} '${wanted}': ${file} has ${header.length} columns, #1 to #${header.length}`);
    const named = header.indexOf(wanted);
    if (named >= 0 && named !== n - 1) {
      throw new DataError(
        `${flag} '${wanted}' is ambiguous in ${file}: '#N' is the N-th column, but column #${named + 1} is named '${wanted}'; write '#${named + 1}' for that one`,
      );
    }
    return n - 1;
  }
  if (wanted === '')
    throw new DataError(`${flag} '': a column without a name is named by its position, e.g. ${flag} '#1' for the first column`);
  const matches = header.flatMap((h, j) => (h === wanted ? [j] : []));
  if (matches.length > 1) throw duplicateNameError(header, matches, file);
  if (matches.length === 0) {
    throw new DataError(
      flag === '--label'
        ? `label column ${quoted(wanted)} not found in ${file} (columns: ${listColumns(header)})`
        : `${flag} names column ${quoted(wanted)}, which is not in ${file} (columns: ${listColumns(header)})`,
    );
  }
  return matches[0]!;
}
