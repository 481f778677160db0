/**
 * One seed's split of a read CSV table: stratified 60/20/20 train/validation/test, features
 * standardised on the training split.
 */
import type { ClassificationData, LabelledSet } from './classification.js';
import { classCounts, priorWeights } from './classification.js';
import { Rng } from './rng.js';
import { stratifiedSplit } from './split.js';

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
      classNames.map((c, i) => `${c}: ${trainCounts[i]}`).join(', ') +
      '.',
  };
}
