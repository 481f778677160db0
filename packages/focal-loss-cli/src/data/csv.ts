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
import type { ClassificationData, LabelledSet } from './classification.js';
import { classCounts, priorWeights } from './classification.js';
import { DataError } from './errors.js';
import { Rng } from './rng.js';
import { stratifiedSplit } from './split.js';

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

/** A parsed, checked CSV: row-major float32 features and class indices. */
export interface CsvTable {
  /** File name (no directory), for messages and the report. */
  name: string;
  label: string;
  featureNames: string[];
  /** rows × featureNames.length, row-major. */
  x: Float32Array;
  /** Class index per row. */
  y: Int32Array;
  rows: number;
  classNames: string[];
  binary: boolean;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Calls `onRecord(cells, row)` for every record of RFC 4180 CSV bytes (`row` counts
 * records from 1, the header included; blank lines are skipped and not counted). A field
 * that starts with `"` is quoted (commas, newlines and doubled quotes inside); a `"`
 * inside an unquoted field is an ordinary character, as in Python's csv module. Text
 * between a closing quote and the next comma is rejected, naming the line, rather than
 * guessed at.
 */
export function scanCsv(bytes: Uint8Array, onRecord: (cells: string[], row: number) => void): void {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let i = buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0; // byte-order mark from spreadsheet exports
  const n = buffer.length;
  let line = 1;
  let row = 0;
  let cells: string[] = [];
  while (i <= n) {
    // One field starting at i.
    let value: string;
    const fieldLine = line;
    if (buffer[i] === QUOTE) {
      const start = i + 1;
      let j = start;
      let doubled = false;
      for (;;) {
        if (j >= n) throw new DataError(`unterminated quoted field starting on line ${fieldLine}`);
        const b = buffer[j]!;
        if (b === QUOTE) {
          if (buffer[j + 1] === QUOTE) {
            doubled = true;
            j += 2;
            continue;
          }
          break;
        }
        if (b === LF) line++;
        j++;
      }
      value = buffer.toString('utf8', start, j);
      if (doubled) value = value.replaceAll('""', '"');
      i = j + 1;
      const next = buffer[i];
      if (i < n && next !== COMMA && next !== LF && !(next === CR && (buffer[i + 1] === LF || i + 1 === n))) {
        throw new DataError(`line ${line}: text after the closing quote of a quoted field (a quote inside a quoted field must be doubled: "")`);
      }
    } else {
      let j = i;
      while (j < n) {
        const b = buffer[j]!;
        if (b === COMMA || b === LF) break;
        j++;
      }
      const end = j > i && buffer[j - 1] === CR ? j - 1 : j;
      value = buffer.toString('utf8', i, end);
      i = j;
    }
    cells.push(value);
    // i is at a comma, a newline (possibly after CR) or the end.
    if (buffer[i] === CR) i++;
    if (i < n && buffer[i] === COMMA) {
      i++;
      continue;
    }
    if (!(cells.length === 1 && cells[0]!.trim() === '')) onRecord(cells, ++row);
    cells = [];
    line++;
    i++; // past the newline, or past the end, which ends the loop
  }
}

/** Parses CSV text into rows of cells (see {@link scanCsv}). Blank lines are skipped. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  scanCsv(Buffer.from(text, 'utf8'), (cells) => rows.push(cells));
  return rows;
}

function readBytes(path: string): Buffer {
  let bytes: Buffer;
  try {
    if (!statSync(path).isFile()) throw new DataError(`${path} is not a file`);
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof DataError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code ?? String(error);
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

/**
 * Reads and checks `path`: header names unique, every row as long as the header, every
 * feature cell a number that is finite in float32, every label present. Labels that all
 * parse as numbers are compared as numbers (`1` and `1.0` are one class).
 */
export function readCsvTable(path: string, columns: CsvColumns): CsvTable {
  const name = basename(path);
  let header: string[] | undefined;
  let featureColumns: number[] = [];
  let labelIndex = -1;
  const notNumeric = new Map<number, string>();
  const features = new GrowingFloats();
  const labelIds: number[] = [];
  const labelValues = new Map<string, number>();

  scanCsv(readBytes(path), (cells, row) => {
    if (!header) {
      header = cells.map((h) => h.trim());
      const seen = new Set<string>();
      for (const h of header) {
        if (seen.has(h)) throw new DataError(`column name '${h}' appears twice in the header of ${name}; column names must be unique`);
        seen.add(h);
      }
      labelIndex = header.indexOf(columns.label);
      if (labelIndex < 0) throw new DataError(`label column '${columns.label}' not found in ${name} (columns: ${header.join(', ')})`);
      const ignore = new Set(columns.ignore ?? []);
      for (const col of ignore) if (!seen.has(col)) throw new DataError(`--ignore names column '${col}', which is not in ${name}`);
      featureColumns = header.map((_h, j) => j).filter((j) => j !== labelIndex && !ignore.has(header![j]!));
      return;
    }
    if (cells.length !== header.length) throw new DataError(`${name} row ${row} has ${cells.length} cells, the header has ${header.length}`);
    for (const j of featureColumns) {
      const cell = cells[j]!.trim();
      if (NUMBER.test(cell)) {
        const v = Number(cell);
        if (!(Math.abs(v) <= FLOAT32_MAX)) {
          throw new DataError(`${cell.slice(0, 20)} in column '${header[j]}' at row ${row} of ${name} is not finite in float32 (|x| <= 3.4e38)`);
        }
        features.push(v);
        continue;
      }
      if (cell === '') throw new DataError(`empty cell in column '${header[j]}' at row ${row} of ${name}`);
      if (/^nan$/i.test(cell)) throw new DataError(`NaN in column '${header[j]}' at row ${row} of ${name}`);
      // The rows are not used once a column is found not numeric: the run stops after the scan.
      if (!notNumeric.has(j)) notNumeric.set(j, `'${header[j]}' (row ${row}: '${cell.slice(0, 20)}')`);
    }
    const label = cells[labelIndex]!.trim();
    if (label === '') throw new DataError(`empty label in column '${columns.label}' at row ${row} of ${name}`);
    let id = labelValues.get(label);
    if (id === undefined) labelValues.set(label, (id = labelValues.size));
    labelIds.push(id);
  });

  if (!header) throw new DataError(`${path} is empty`);
  if (labelIds.length === 0) throw new DataError(`${path} has a header but no data rows`);
  if (notNumeric.size > 0) {
    const names = [...notNumeric.keys()].map((j) => header![j]).join(',');
    throw new DataError(`columns that are not numeric: ${[...notNumeric.values()].join(', ')}; drop them with --ignore ${names}`);
  }
  if (featureColumns.length === 0) throw new DataError(`${name} has no feature columns besides the label '${columns.label}'`);

  // Distinct label values; as numbers when every one is a number.
  const raw = [...labelValues.keys()];
  const numeric = raw.every((v) => NUMBER.test(v));
  const key = (v: string) => (numeric ? String(Number(v)) : v);
  const values = [...new Set(raw.map(key))].sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
  if (values.length < 2) throw new DataError(`label column '${columns.label}' has one class only ('${values[0]}'); need at least two`);
  const valueOfId = raw.map(key);
  const counts = new Map<string, number>();
  for (const id of labelIds) counts.set(valueOfId[id]!, (counts.get(valueOfId[id]!) ?? 0) + 1);

  let classNames: string[];
  let binary: boolean;
  if (columns.positive !== undefined) {
    const positive = numeric && NUMBER.test(columns.positive.trim()) ? key(columns.positive.trim()) : columns.positive;
    if (!counts.has(positive)) {
      throw new DataError(`--positive '${columns.positive}' is not a value of column '${columns.label}' (values: ${values.slice(0, 10).join(', ')})`);
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
  const classOfId = valueOfId.map((v) => (binary ? (v === classNames[1] ? 1 : 0) : classNames.indexOf(v)));
  return {
    name,
    label: columns.label,
    featureNames: featureColumns.map((j) => header![j]!),
    x: features.data.subarray(0, features.length),
    y: Int32Array.from(labelIds, (id) => classOfId[id]!),
    rows: labelIds.length,
    classNames,
    binary,
  };
}

/** Standardises columns in place with the mean and standard deviation of `fit` (the training rows). */
function standardise(sets: LabelledSet[], fit: LabelledSet, dim: number): void {
  for (let j = 0; j < dim; j++) {
    let sum = 0;
    for (let i = 0; i < fit.count; i++) sum += fit.x[i * dim + j]!;
    const mean = sum / fit.count;
    let sq = 0;
    for (let i = 0; i < fit.count; i++) sq += (fit.x[i * dim + j]! - mean) ** 2;
    // A constant column stays constant (0) instead of dividing by zero.
    const std = Math.sqrt(sq / fit.count) || 1;
    for (const set of sets) for (let i = 0; i < set.count; i++) set.x[i * dim + j] = (set.x[i * dim + j]! - mean) / std;
  }
}

/**
 * Splits a table for one seed: stratified 60/20/20 train/validation/test, features
 * standardised on the training split. Binary when `positive` was given or the label has
 * two values (the rarer value is then positive), multi-class otherwise.
 */
export function splitCsvTable(table: CsvTable, seed: number): ClassificationData {
  const { name, classNames, binary } = table;
  const dim = table.featureNames.length;
  const rng = new Rng(seed);
  const parts = stratifiedSplit(table.y, classNames.length, [0.6, 0.2, 0.2], rng, (c) => `'${classNames[c]}'`);
  const [train, validation, test] = parts.map((part): LabelledSet => {
    const x = new Float32Array(part.length * dim);
    part.forEach((r, i) => x.set(table.x.subarray(r * dim, (r + 1) * dim), i * dim));
    return { x, y: Int32Array.from(part, (r) => table.y[r]!), count: part.length };
  }) as [LabelledSet, LabelledSet, LabelledSet];
  standardise([train, validation, test], train, dim);
  const trainCounts = classCounts(train.y, classNames.length);
  return {
    id: `csv-${name.replace(/\.csv$/i, '').replace(/[^A-Za-z0-9_-]/g, '_')}`,
    title: `${name}: ${table.label}${binary ? ` = ${classNames[1]} vs rest` : ''}`,
    kind: binary ? 'binary' : 'multiclass',
    classNames,
    featureDim: dim,
    train,
    validation,
    test,
    testPriorWeights: priorWeights(train.y, test.y, classNames.length),
    description:
      `${name}: ${table.rows} rows, ${dim} numeric features (standardised on the training split), ` +
      `label '${table.label}', stratified 60/20/20 split; train counts ` +
      classNames.map((c, i) => `${c}: ${trainCounts[i]}`).join(', ') + '.',
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
