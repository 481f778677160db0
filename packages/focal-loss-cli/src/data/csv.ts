/**
 * The user's CSV as a classification problem: numeric feature columns, one label column.
 * Every problem with the file ends in a {@link DataError} whose message names the file,
 * the column and, where it helps, the row, so the user can fix it from one line.
 *
 * The file is read once per invocation ({@link readCsvTable}) straight from its bytes into
 * a float32 feature matrix, so millions of rows fit; each seed then only re-splits it
 * ({@link splitCsvTable}).
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { ClassificationData } from './classification.js';
import { describeColumn, duplicateNameError, ignoreHint, isUnnamed, quoted, resolveColumn } from './csv_columns.js';
import { csvBytesAsUtf8 } from './csv_encoding.js';
import { scanCsv } from './csv_scan.js';
import { type CsvTable, splitCsvTable } from './csv_split.js';
import { DataError } from './errors.js';

export { parseCsv, scanCsv } from './csv_scan.js';
export { splitCsvTable, type CsvTable } from './csv_split.js';

/** Which columns of the CSV to use, for {@link readCsvTable}. */
export interface CsvColumns {
  label: string;
  /** Label value of the positive class; makes the problem binary (this value vs the rest). */
  positive?: string;
  /** Columns to drop before the numeric check. */
  ignore?: readonly string[];
}

/** Options for {@link loadCsvClassification}. */
export interface CsvOptions extends CsvColumns {
  /** Controls the split. */
  seed: number;
}

function readBytes(path: string): Buffer {
  let bytes: Buffer;
  try {
    if (!statSync(path).isFile()) throw new DataError(`${path} is not a file`);
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof DataError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? String(error));
    throw new DataError(`cannot read ${path}: ${why}`);
  }
  if (bytes.length === 0) throw new DataError(`${path} is empty`);
  return bytes;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** Largest finite float32; features are trained in float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

/** A Float32Array that grows by doubling. */
class GrowingFloats {
  data = new Float32Array(1 << 16);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
}

/** Per feature column while reading: what is known about its cells. */
interface ColumnState {
  /** Cells that are numbers. */
  numbers: number;
  /** Cells that are not (empty, NA, NaN, text); the first of them, for the message. */
  bad: number;
  badEmpty: number;
  firstBad?: { row: number; cell: string };
  /** 0 or 1 while the column reads 0, 1, 2, ... or 1, 2, 3, ... in file order (a row index); -1 once not. */
  rowIndexFrom: number;
  /** Whether every cell so far is an integer. */
  integers: boolean;
}

/** Per column without a name (and not ignored) while reading. */
interface UnnamedState {
  j: number;
  /** Cells that are not empty; the first of them. */
  filled: number;
  first?: { row: number; cell: string };
  rowIndexFrom: number;
}

/** Updates a row-index tracker with the value of data row `dataRow` (0-based); returns the new state. */
function trackRowIndex(state: number, value: number, dataRow: number): number {
  if (dataRow === 0) return value === 0 ? 0 : value === 1 ? 1 : -1;
  return state >= 0 && value === dataRow + state ? state : -1;
}

/**
 * Reads and checks `path`: UTF-8 (or UTF-16 with a byte-order mark), header names unique,
 * every row as long as the header, every feature cell a number that is finite in float32,
 * every label present, no column that is a row index. Labels that all parse as numbers are
 * compared as numbers (`1` and `1.0` are one class).
 *
 * Columns are named by header name or by position `#N` (see csv_columns.ts). A column
 * without a name (or pandas' `Unnamed: N`) that is empty in every row, such as the one a
 * trailing comma on every line makes, is dropped; one with values must be dropped with
 * `--ignore '#N'` (it is usually a saved pandas index). A feature column whose values are
 * 0, 1, 2, ... or 1, 2, 3, ... in file order, or a column named `index` holding integers, is
 * refused unless ignored: a model can learn the file's row order from it (a file sorted by
 * label leaks the label through it).
 */
export function readCsvTable(path: string, columns: CsvColumns): CsvTable {
  const name = basename(path);
  let header: string[] | undefined;
  let featureColumns: number[] = [];
  let states: ColumnState[] = [];
  let unnamed: UnnamedState[] = [];
  let labelIndex = -1;
  /** Cells from this index on belong to trailing columns without a name; rows may omit them. */
  let core = 0;
  const features = new GrowingFloats();
  const labelIds: number[] = [];
  const labelValues = new Map<string, number>();

  scanCsv(csvBytesAsUtf8(readBytes(path), name, scanCsv), (cells, row) => {
    if (!header) {
      const h = (header = cells.map((c) => c.trim()));
      labelIndex = resolveColumn(columns.label, h, name, '--label');
      const ignored = new Set((columns.ignore ?? []).map((spec) => resolveColumn(spec, h, name, '--ignore')));
      if (ignored.has(labelIndex))
        throw new DataError(
          `--ignore drops the label column ${describeColumn(h, labelIndex).replace(/^column /, '')}; the label cannot also be dropped`,
        );
      const used = h.map((_c, j) => j).filter((j) => j !== labelIndex && !ignored.has(j));
      // Names must be unique among the columns that are used (a duplicate may be dropped by position).
      const byName = new Map<string, number[]>();
      for (const j of [labelIndex, ...used]) if (h[j] !== '') byName.set(h[j]!, [...(byName.get(h[j]!) ?? []), j]);
      for (const js of byName.values())
        if (js.length > 1)
          throw duplicateNameError(
            h,
            js.sort((a, b) => a - b),
            name,
          );
      featureColumns = used.filter((j) => !isUnnamed(h[j]!));
      unnamed = used.filter((j) => isUnnamed(h[j]!)).map((j) => ({ j, filled: 0, rowIndexFrom: -1 }));
      states = featureColumns.map(() => ({ numbers: 0, bad: 0, badEmpty: 0, rowIndexFrom: -1, integers: true }));
      core = labelIndex + 1;
      for (let j = core; j < h.length; j++) if (h[j] !== '') core = j + 1;
      return;
    }
    if (cells.length !== header.length && !(cells.length >= core && cells.slice(core).every((c) => c.trim() === ''))) {
      throw new DataError(`${name} row ${row} has ${cells.length} cells, the header has ${header.length}`);
    }
    const dataRow = labelIds.length;
    for (let k = 0; k < featureColumns.length; k++) {
      const j = featureColumns[k]!;
      const state = states[k]!;
      const cell = cells[j]!.trim();
      if (NUMBER.test(cell)) {
        const v = Number(cell);
        if (!(Math.abs(v) <= FLOAT32_MAX)) {
          throw new DataError(
            `${cell.slice(0, 20)} in column ${quoted(header[j]!)} at row ${row} of ${name} is not finite in float32 (|x| <= 3.4e38)`,
          );
        }
        features.push(v);
        state.numbers++;
        state.rowIndexFrom = trackRowIndex(state.rowIndexFrom, v, dataRow);
        if (state.integers && !Number.isInteger(v)) state.integers = false;
        continue;
      }
      // Not a number (empty, NA, NaN, text): counted, and reported after the scan with the first of them.
      features.push(0);
      if (state.bad++ === 0) state.firstBad = { row, cell };
      if (cell === '') state.badEmpty++;
      state.rowIndexFrom = -1;
    }
    for (const u of unnamed) {
      const cell = (cells[u.j] ?? '').trim();
      if (cell === '') {
        u.rowIndexFrom = -1;
        continue;
      }
      if (u.filled++ === 0) u.first = { row, cell };
      u.rowIndexFrom = NUMBER.test(cell) ? trackRowIndex(u.rowIndexFrom, Number(cell), dataRow) : -1;
    }
    const label = cells[labelIndex]!.trim();
    if (label === '')
      throw new DataError(`empty label in ${describeColumn(header, labelIndex)} at row ${row} of ${name}; fill it in or remove that row`);
    let id = labelValues.get(label);
    if (id === undefined) labelValues.set(label, (id = labelValues.size));
    labelIds.push(id);
  });

  if (!header) throw new DataError(`${path} is empty`);
  if (labelIds.length === 0) throw new DataError(`${path} has a header but no data rows`);
  const h = header;
  const ignoreAlso = (js: number[]) => ignoreHint(h, js, columns.ignore);

  // Columns without a name that hold values: usually a saved index; never used silently.
  const filledUnnamed = unnamed.filter((u) => u.filled > 0);
  if (filledUnnamed.length > 0) {
    const what = filledUnnamed.map((u) => {
      const which = h[u.j]
        ? `column ${quoted(h[u.j]!)} (#${u.j + 1}, pandas' name for a column without a name)`
        : `column #${u.j + 1} (no name)`;
      const values =
        u.rowIndexFrom >= 0
          ? `a row index, ${u.rowIndexFrom} to ${labelIds.length - 1 + u.rowIndexFrom}`
          : `row ${u.first!.row}: ${quoted(u.first!.cell, 20)}`;
      return `${which} holds values (${values})`;
    });
    throw new DataError(
      `${what.join(', ')} in ${name}: usually the index pandas' to_csv() writes; drop ${filledUnnamed.length > 1 ? 'them' : 'it'} with ` +
        `${ignoreAlso(filledUnnamed.map((u) => u.j))}, or give ${filledUnnamed.length > 1 ? 'them names' : 'it a name'} in the header to use ${filledUnnamed.length > 1 ? 'them' : 'it'} as a feature`,
    );
  }

  // Cells that are not numbers: a text column (drop it) or missing values in a numeric one (fill, remove the rows, or drop it).
  const badColumns = states.flatMap((state, k) => (state.bad > 0 ? [{ state, j: featureColumns[k]! }] : []));
  if (badColumns.length > 0) {
    const text = badColumns.filter(({ state }) => state.numbers < state.bad);
    const gaps = badColumns.filter(({ state }) => state.numbers >= state.bad);
    const parts: string[] = [];
    if (text.length > 0) {
      const list = text.map(({ state, j }) =>
        state.badEmpty === state.bad
          ? `${quoted(h[j]!)} (empty in every row)`
          : `${quoted(h[j]!)} (row ${state.firstBad!.row}: ${quoted(state.firstBad!.cell, 20)})`,
      );
      parts.push(`columns that are not numeric: ${list.join(', ')}; drop them with ${ignoreAlso(text.map(({ j }) => j))}`);
    }
    if (gaps.length > 0) {
      const list = gaps.map(({ state, j }) => {
        const first = state.firstBad!;
        const what = first.cell === '' ? 'is empty' : `is ${quoted(first.cell, 20)}, not a number`;
        const more = state.bad > 1 ? ` (${state.bad} of its ${labelIds.length} cells are not numbers)` : '';
        return `row ${first.row}, column ${quoted(h[j]!)} of ${name} ${what}${more}`;
      });
      const rows = gaps.length > 1 || gaps[0]!.state.bad > 1 ? 'those rows' : 'that row';
      parts.push(
        `${list.join('; ')}; fill in or remove ${rows}, or drop the column${gaps.length > 1 ? 's' : ''} with ${ignoreAlso(gaps.map(({ j }) => j))}`,
      );
    }
    throw new DataError(parts.join('. Also: '));
  }
  const labelName = h[labelIndex] || `#${labelIndex + 1}`;
  if (featureColumns.length === 0) throw new DataError(`${name} has no feature columns besides the label ${quoted(labelName)}`);

  // Distinct label values; as numbers when every one is a number.
  const raw = [...labelValues.keys()];
  const numeric = raw.every((v) => NUMBER.test(v));
  const key = (v: string) => (numeric ? String(Number(v)) : v);
  const values = [...new Set(raw.map(key))].sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
  if (values.length < 2)
    throw new DataError(`label column ${quoted(labelName)} has one class only (${quoted(values[0]!)}); need at least two`);
  const valueOfId = raw.map(key);
  const counts = new Map<string, number>();
  for (const id of labelIds) counts.set(valueOfId[id]!, (counts.get(valueOfId[id]!) ?? 0) + 1);

  let classNames: string[];
  let binary: boolean;
  if (columns.positive !== undefined) {
    const positive = numeric && NUMBER.test(columns.positive.trim()) ? key(columns.positive.trim()) : columns.positive;
    if (!counts.has(positive)) {
      throw new DataError(
        `--positive ${quoted(columns.positive)} is not a value of column ${quoted(labelName)} (values: ${values
          .slice(0, 10)
          .map((v) => quoted(v, 20))
          .join(', ')}${values.length > 10 ? ', ...' : ''})`,
      );
    }
    binary = true;
    classNames = [`not ${positive}`, positive];
  } else if (values.length === 2) {
    binary = true;
    // The rarer value is the positive class: focal loss is about the rare class.
    const [a, b] = values as [string, string];
    const positive = counts.get(a)! < counts.get(b)! ? a : b;
    classNames = [positive === a ? b : a, positive];
  } else {
    binary = false;
    classNames = values;
  }

  // A feature that counts the rows lets a model learn the file's order (a file sorted by the
  // label gives the label away); refused, like a column without a name, unless ignored.
  const rowIndexes = featureColumns.flatMap((j, k) => {
    const state = states[k]!;
    if (state.rowIndexFrom >= 0 && labelIds.length >= 3)
      return [
        { j, why: `${state.rowIndexFrom}, ${state.rowIndexFrom + 1}, ..., ${labelIds.length - 1 + state.rowIndexFrom} in file order` },
      ];
    if (/^index$/i.test(h[j]!) && state.integers)
      return [{ j, why: `integers in a column named ${quoted(h[j]!)}, as pandas' reset_index() writes` }];
    return [];
  });
  if (rowIndexes.length > 0) {
    const list = rowIndexes.map(({ j, why }) => `${quoted(h[j]!)} (${why})`).join(', ');
    throw new DataError(
      `${rowIndexes.length > 1 ? 'columns' : 'column'} ${list} of ${name} ${rowIndexes.length > 1 ? 'look like row indexes' : 'looks like a row index'}, ` +
        `from which a model can learn the file's row order instead of the data; drop ${rowIndexes.length > 1 ? 'them' : 'it'} with ${ignoreAlso(rowIndexes.map(({ j }) => j))}`,
    );
  }

  const classOfId = valueOfId.map((v) => (binary ? (v === classNames[1] ? 1 : 0) : classNames.indexOf(v)));
  return {
    name,
    label: labelName,
    featureNames: featureColumns.map((j) => h[j]!),
    x: features.data.subarray(0, features.length),
    y: Int32Array.from(labelIds, (id) => classOfId[id]!),
    rows: labelIds.length,
    classNames,
    binary,
  };
}

/** Reads `path` and splits it for `options.seed` ({@link readCsvTable} then {@link splitCsvTable}). */
export function loadCsvClassification(path: string, options: CsvOptions): ClassificationData {
  return splitCsvTable(readCsvTable(path, options), options.seed);
}

/**
 * Reads and checks `path` once, and its split for the first seed, so that bad data fails
 * before any training; returns the per-seed loader (each seed only re-splits the table).
 */
export function csvLoader(path: string, columns: CsvColumns): (seed: number) => ClassificationData {
  const table = readCsvTable(path, columns);
  splitCsvTable(table, 0);
  return (seed) => splitCsvTable(table, seed);
}
