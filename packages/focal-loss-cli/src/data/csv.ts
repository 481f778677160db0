/**
 * The user's CSV as a classification problem: numeric feature columns, one label column.
 * Every problem with the file ends in a {@link DataError} whose message names the file,
 * the column and, where it helps, the row, so the user can fix it from one line.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { ClassificationData, LabelledSet } from './classification.js';
import { classCounts, priorWeights } from './classification.js';
import { DataError } from './errors.js';
import { Rng } from './rng.js';
import { stratifiedSplit } from './split.js';

/** Options for {@link loadCsvClassification}. */
export interface CsvOptions {
  label: string;
  /** Label value of the positive class; makes the problem binary (this value vs the rest). */
  positive?: string;
  /** Columns to drop before the numeric check. */
  ignore?: readonly string[];
  /** Controls the split. */
  seed: number;
}

/**
 * Parses CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF) into rows of
 * cells. Blank lines are skipped.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  const endRow = () => {
    row.push(cell);
    if (!(row.length === 1 && row[0]!.trim() === '')) rows.push(row);
    row = [];
    cell = '';
  };
  if (text.charCodeAt(0) === 0xfeff) i = 1; // byte-order mark from spreadsheet exports
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') endRow();
    else if (ch !== '\r') cell += ch;
  }
  if (quoted) throw new DataError('unterminated quoted field at the end of the file');
  if (cell !== '' || row.length > 0) endRow();
  return rows;
}

function readText(path: string): string {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new DataError(`${path} is not a file`);
    size = stat.size;
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(`cannot read ${path}: no such file`);
  }
  if (size === 0) throw new DataError(`${path} is empty`);
  return readFileSync(path, 'utf8');
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

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
 * Loads `path` as a classification problem: stratified 60/20/20 train/validation/test
 * split (seeded), numeric features standardised on the training split. Binary when
 * `positive` is given or the label has two values (the rarer value is then positive),
 * multi-class otherwise.
 */
export function loadCsvClassification(path: string, options: CsvOptions): ClassificationData {
  const rows = parseCsv(readText(path));
  const name = basename(path);
  if (rows.length === 0) throw new DataError(`${path} is empty`);
  const header = rows[0]!.map((h) => h.trim());
  const body = rows.slice(1);
  if (body.length === 0) throw new DataError(`${path} has a header but no data rows`);
  const labelIndex = header.indexOf(options.label);
  if (labelIndex < 0) throw new DataError(`label column '${options.label}' not found in ${name} (columns: ${header.join(', ')})`);
  const ignore = new Set(options.ignore ?? []);
  for (const col of ignore) if (!header.includes(col)) throw new DataError(`--ignore names column '${col}', which is not in ${name}`);
  body.forEach((row, r) => {
    if (row.length !== header.length) throw new DataError(`${name} row ${r + 2} has ${row.length} cells, the header has ${header.length}`);
  });

  const featureColumns = header.map((h, j) => j).filter((j) => j !== labelIndex && !ignore.has(header[j]!));
  const notNumeric: string[] = [];
  for (const j of featureColumns) {
    for (let r = 0; r < body.length; r++) {
      const cell = body[r]![j]!.trim();
      if (cell === '') throw new DataError(`empty cell in column '${header[j]}' at row ${r + 2} of ${name}`);
      if (/^nan$/i.test(cell)) throw new DataError(`NaN in column '${header[j]}' at row ${r + 2} of ${name}`);
      if (!NUMBER.test(cell)) {
        notNumeric.push(`'${header[j]}' (row ${r + 2}: '${cell.slice(0, 20)}')`);
        break;
      }
    }
  }
  if (notNumeric.length > 0) {
    const names = notNumeric.map((s) => s.split(' ')[0]!.replaceAll("'", '')).join(',');
    throw new DataError(`columns that are not numeric: ${notNumeric.join(', ')}; drop them with --ignore ${names}`);
  }
  if (featureColumns.length === 0) throw new DataError(`${name} has no feature columns besides the label '${options.label}'`);

  const rawLabels = body.map((row, r) => {
    const value = row[labelIndex]!.trim();
    if (value === '') throw new DataError(`empty label in column '${options.label}' at row ${r + 2} of ${name}`);
    return value;
  });
  const values = [...new Set(rawLabels)].sort();
  if (values.length < 2) throw new DataError(`label column '${options.label}' has one class only ('${values[0]}'); need at least two`);
  const counts = new Map<string, number>();
  for (const v of rawLabels) counts.set(v, (counts.get(v) ?? 0) + 1);

  let classNames: string[];
  let binary: boolean;
  if (options.positive !== undefined) {
    if (!counts.has(options.positive)) {
      throw new DataError(`--positive '${options.positive}' is not a value of column '${options.label}' (values: ${values.slice(0, 10).join(', ')})`);
    }
    binary = true;
    classNames = [`not ${options.positive}`, options.positive];
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
  const labelOf = binary
    ? (v: string) => (v === classNames[1] ? 1 : 0)
    : (v: string) => classNames.indexOf(v);
  const labels = Int32Array.from(rawLabels, labelOf);

  const rng = new Rng(options.seed);
  const parts = stratifiedSplit(labels, classNames.length, [0.6, 0.2, 0.2], rng, (c) => `'${classNames[c]}'`);
  const dim = featureColumns.length;
  const [train, validation, test] = parts.map((part): LabelledSet => {
    const x = new Float32Array(part.length * dim);
    part.forEach((r, i) => featureColumns.forEach((j, k) => (x[i * dim + k] = Number(body[r]![j]))));
    return { x, y: Int32Array.from(part, (r) => labels[r]!), count: part.length };
  }) as [LabelledSet, LabelledSet, LabelledSet];
  standardise([train, validation, test], train, dim);
  const trainCounts = classCounts(train.y, classNames.length);
  return {
    id: `csv-${name.replace(/\.csv$/i, '').replace(/[^A-Za-z0-9_-]/g, '_')}`,
    title: `${name}: ${options.label}${binary ? ` = ${classNames[1]} vs rest` : ''}`,
    kind: binary ? 'binary' : 'multiclass',
    classNames,
    featureDim: dim,
    train,
    validation,
    test,
    testPriorWeights: priorWeights(train.y, test.y, classNames.length),
    description:
      `${name}: ${body.length} rows, ${dim} numeric features (standardised on the training split), ` +
      `label '${options.label}', stratified 60/20/20 split; train counts ` +
      classNames.map((c, i) => `${c}: ${trainCounts[i]}`).join(', ') + '.',
  };
}
