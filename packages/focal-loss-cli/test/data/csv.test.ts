import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadCsvClassification, parseCsv } from '../../src/data/csv.js';
import { DataError } from '../../src/data/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'fl-csv-'));
function csv(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
/** A valid binary CSV: 40 rows, 8 positives. */
function goodRows(extra = ''): string {
  const rows = ['a,b,y' + extra];
  for (let i = 0; i < 40; i++) rows.push(`${i},${(i * 7) % 5}.5,${i % 5 === 0 ? 'yes' : 'no'}${extra ? ',x' + i : ''}`);
  return rows.join('\n') + '\n';
}
const load = (path: string, extra: Partial<Parameters<typeof loadCsvClassification>[1]> = {}) =>
  loadCsvClassification(path, { label: 'y', seed: 0, ...extra });
const fails = (fn: () => unknown, pattern: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof DataError && pattern.test(e.message) && !e.message.includes('\n'));

test('parseCsv handles quotes, doubled quotes, CRLF and blank lines', () => {
  assert.deepEqual(parseCsv('a,"b,c"\r\n"x""y",2\n\n'), [['a', 'b,c'], ['x"y', '2']]);
});

test('a valid CSV loads, stratified, standardised on train, rarer value positive', () => {
  const data = load(csv('good.csv', goodRows()));
  assert.equal(data.kind, 'binary');
  assert.deepEqual(data.classNames, ['no', 'yes']);
  assert.equal(data.featureDim, 2);
  assert.equal(data.train.count + data.validation.count + data.test.count, 40);
  for (const part of [data.train, data.validation, data.test]) assert.ok(part.y.some((v) => v === 1));
  let sum = 0;
  for (let i = 0; i < data.train.count; i++) sum += data.train.x[i * 2]!;
  assert.ok(Math.abs(sum / data.train.count) < 1e-5);
  assert.equal(load(csv('good2.csv', goodRows()), { positive: 'no' }).classNames[1], 'no');
});

test('CSV errors are one-line DataErrors that name the problem', () => {
  fails(() => load(join(dir, 'missing.csv')), /cannot read .*missing\.csv: no such file/);
  fails(() => load(csv('empty.csv', '')), /is empty/);
  fails(() => load(csv('header.csv', 'a,b,y\n')), /no data rows/);
  fails(() => load(csv('nolabel.csv', goodRows()), { label: 'target' }), /label column 'target' not found .*columns: a, b, y/);
  fails(() => load(csv('one.csv', 'a,y\n1,k\n2,k\n3,k\n')), /one class only \('k'\)/);
  fails(() => load(csv('few.csv', 'a,y\n1,p\n2,p\n' + Array.from({ length: 20 }, (_, i) => `${i},n`).join('\n'))), /class 'p' has 2 rows/);
  fails(() => load(csv('nan.csv', goodRows().replace('\n3,', '\nNaN,'))), /NaN in column 'a' at row 5/);
  fails(() => load(csv('hole.csv', goodRows().replace('\n3,', '\n,'))), /empty cell in column 'a' at row 5/);
  fails(() => load(csv('text.csv', goodRows(',name'))), /not numeric: 'name'.*--ignore name/);
  fails(() => load(csv('ragged.csv', goodRows() + '1,2\n')), /row 42 has 2 cells, the header has 3/);
  fails(() => load(csv('pos.csv', goodRows()), { positive: 'maybe' }), /--positive 'maybe' is not a value/);
  fails(() => load(csv('ign.csv', goodRows()), { ignore: ['zzz'] }), /--ignore names column 'zzz'/);
});

test('--ignore drops non-numeric columns', () => {
  const data = load(csv('text2.csv', goodRows(',name')), { ignore: ['name'] });
  assert.equal(data.featureDim, 2);
});
