import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { csvLoader, parseCsv, readCsvTable } from '../../src/data/csv.js';
import { DataError } from '../../src/data/errors.js';

import { csv, dir, fails, goodRows, load } from './csv_helpers.js';

test('parseCsv handles quotes, doubled quotes, CRLF and blank lines', () => {
  assert.deepEqual(parseCsv('a,"b,c"\r\n"x""y",2\n\n'), [
    ['a', 'b,c'],
    ['x"y', '2'],
  ]);
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
  fails(
    () => load(csv('nan.csv', goodRows().replace('\n3.25,', '\nNaN,'))),
    /^row 5, column 'a' of nan\.csv is 'NaN', not a number; fill in or remove that row, or drop the column with --ignore a$/,
  );
  fails(
    () => load(csv('hole.csv', goodRows().replace('\n3.25,', '\n,'))),
    /^row 5, column 'a' of hole\.csv is empty; fill in or remove that row, or drop the column with --ignore a$/,
  );
  fails(() => load(csv('text.csv', goodRows(',name'))), /not numeric: 'name'.*--ignore name/);
  fails(() => load(csv('ragged.csv', goodRows() + '1,2\n')), /row 42 has 2 cells, the header has 3/);
  fails(() => load(csv('pos.csv', goodRows()), { positive: 'maybe' }), /--positive 'maybe' is not a value/);
  fails(
    () => load(csv('ign.csv', goodRows()), { ignore: ['zzz'] }),
    /--ignore names column 'zzz', which is not in ign\.csv \(columns: a, b, y\)/,
  );
});

test('--ignore drops non-numeric columns', () => {
  const data = load(csv('text2.csv', goodRows(',name')), { ignore: ['name'] });
  assert.equal(data.featureDim, 2);
});

test("parseCsv: a quote inside an unquoted field is an ordinary character (as Python's csv)", () => {
  assert.deepEqual(parseCsv('size,y\n12" screen,1\n13,0\n"a ""b""",1\n'), [
    ['size', 'y'],
    ['12" screen', '1'],
    ['13', '0'],
    ['a "b"', '1'],
  ]);
  assert.throws(
    () => parseCsv('a,y\n"ab"c,1\n'),
    (e: unknown) => e instanceof DataError && /line 2: text after the closing quote/.test(e.message),
  );
  assert.throws(
    () => parseCsv('a,y\n"ab,1\n2,0\n'),
    (e: unknown) => e instanceof DataError && /unterminated quoted field starting on line 2/.test(e.message),
  );
});

test('a stray quote in an unquoted field does not merge rows', () => {
  const rows = ['inches,note,y'];
  for (let i = 0; i < 300; i++)
    rows.push(`${i + 0.5},${i === 10 ? '12" screen' : i === 20 ? 'the "big" one' : 'plain'},${i % 10 === 0 ? 1 : 0}`);
  const table = readCsvTable(csv('stray-quote.csv', rows.join('\n') + '\n'), { label: 'y', ignore: ['note'] });
  assert.equal(table.rows, 300);
  assert.equal(table.x[299], 299.5);
});

test('cells that are not finite in float32 are rejected, naming row and column', () => {
  fails(
    () => load(csv('inf.csv', goodRows().replace('\n3.25,', '\n1e999,'))),
    /1e999 in column 'a' at row 5 of inf\.csv is not finite in float32/,
  );
  fails(
    () => load(csv('f32.csv', goodRows().replace(',2.5,', ',-1e39,'))),
    /-1e39 in column 'b' at row \d+ of f32\.csv is not finite in float32/,
  );
  // The largest float32 itself is fine.
  assert.equal(load(csv('max.csv', goodRows().replace('\n3.25,', '\n3.4e38,'))).featureDim, 2);
});

test('duplicate column names are rejected', () => {
  const text = ['y,a,b,y', ...Array.from({ length: 40 }, (_, i) => `${i % 5 === 0 ? 1 : 0},${i % 7},${i % 3},${i % 5 === 0 ? 1 : 0}`)].join(
    '\n',
  );
  fails(
    () => load(csv('dup.csv', text)),
    /column name 'y' appears twice in the header of dup\.csv \(columns #1, #4\); column names must be unique/,
  );
});

test('numeric labels are compared as numbers: 1 and 1.0 are one class', () => {
  const rows = [
    'a,y',
    ...Array.from({ length: 60 }, (_, i) => `${i % 7},${i % 6 === 0 ? (i % 12 === 0 ? '1' : '1.0') : i % 2 === 0 ? '0' : '0.00'}`),
  ];
  const table = readCsvTable(csv('numeric-labels.csv', rows.join('\n')), { label: 'y' });
  assert.deepEqual(table.classNames, ['0', '1']);
  assert.equal(table.binary, true);
  assert.equal(
    table.y.reduce((a, b) => a + b, 0),
    10,
  );
  assert.deepEqual(readCsvTable(csv('numeric-labels2.csv', rows.join('\n')), { label: 'y', positive: '1.00' }).classNames, ['not 1', '1']);
  // Mixed text and numbers stay text.
  assert.deepEqual(readCsvTable(csv('mixed.csv', 'a,y\n1,1\n2,1.0\n5,x\n'), { label: 'y' }).classNames, ['1', '1.0', 'x']);
});

test('a class with 300,000 rows splits (no stack overflow) and the file is read once for every seed', () => {
  const lines = ['a,b,y'];
  for (let i = 0; i < 300_000; i++) lines.push(`${i % 97},${i % 13},${i % 1000 === 0 ? 1 : 0}`);
  const path = csv('big.csv', lines.join('\n') + '\n');
  const loadSeed = csvLoader(path, { label: 'y' });
  rmSync(path); // every seed must come from the table read above, not from the file
  const [a, b] = [loadSeed(0), loadSeed(1)];
  assert.equal(a.train.count + a.validation.count + a.test.count, 300_000);
  assert.equal(
    a.test.y.reduce((s, v) => s + v, 0),
    60,
  );
  assert.notDeepEqual(a.test.x.slice(0, 50), b.test.x.slice(0, 50), 'seeds split differently');
});

/** 200 rows of noise features sorted by label (20 positives last), as a pandas DataFrame sorted by label. */
