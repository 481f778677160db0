/**
 * The CSV's columns and bytes as users' files have them: pandas' index column, row counters,
 * trailing commas, columns named by position, missing values, other encodings, old Mac line
 * ends and names that would break a message.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCsv, readCsvTable } from '../../src/data/csv.js';
import { DataError } from '../../src/data/errors.js';

import { csv, fails } from './csv_helpers.js';

function sortedNoise(header: string, row: (i: number, a: string, b: string, y: number) => string): string {
  const rng = (i: number) => (((i * 2654435761) >>> 0) % 1000) / 1000;
  const lines = [header];
  for (let i = 0; i < 200; i++) lines.push(row(i, rng(i).toFixed(3), rng(i + 7919).toFixed(3), i >= 180 ? 1 : 0));
  return lines.join('\n') + '\n';
}

test("a pandas to_csv() index (a column without a name) is refused, and dropped with --ignore '#1'", () => {
  const path = csv(
    'pandas-index.csv',
    sortedNoise(',a,b,y', (i, a, b, y) => `${i},${a},${b},${y}`),
  );
  fails(
    () => readCsvTable(path, { label: 'y' }),
    /^column #1 \(no name\) holds values \(a row index, 0 to 199\) in pandas-index\.csv: usually the index pandas' to_csv\(\) writes; drop it with --ignore '#1', or give it a name/,
  );
  const table = readCsvTable(path, { label: 'y', ignore: ['#1'] });
  assert.deepEqual(table.featureNames, ['a', 'b']);
  // The hint repeats what is already ignored: --ignore takes one list.
  fails(() => readCsvTable(path, { label: 'y', ignore: ['b'] }), /drop it with --ignore 'b,#1'/);
  // A column without a name that is not an index is refused too (name it, or drop it by position).
  const notes = csv(
    'unnamed-notes.csv',
    sortedNoise('a,,b,y', (i, a, b, y) => `${a},${i % 3 ? 'x' : ''},${b},${y}`),
  );
  fails(
    () => readCsvTable(notes, { label: 'y' }),
    /^column #2 \(no name\) holds values \(row 3: 'x'\) in unnamed-notes\.csv: .*--ignore '#2'/,
  );
  // pandas' name for such a column when the file is read and written again.
  const again = csv(
    'unnamed-0.csv',
    sortedNoise('Unnamed: 0,a,b,y', (i, a, b, y) => `${(i * 7) % 200},${a},${b},${y}`),
  );
  fails(
    () => readCsvTable(again, { label: 'y' }),
    /^column 'Unnamed: 0' \(#1, pandas' name for a column without a name\) holds values .*--ignore 'Unnamed: 0'/,
  );
  assert.deepEqual(readCsvTable(again, { label: 'y', ignore: ['Unnamed: 0'] }).featureNames, ['a', 'b']);
});

test('a named column that counts the rows is refused unless ignored', () => {
  const ids = csv(
    'ids.csv',
    sortedNoise('id,a,b,y', (i, a, b, y) => `${i + 1},${a},${b},${y}`),
  );
  fails(
    () => readCsvTable(ids, { label: 'y' }),
    /^column 'id' \(1, 2, \.\.\., 200 in file order\) of ids\.csv looks like a row index, .*; drop it with --ignore id$/,
  );
  assert.deepEqual(readCsvTable(ids, { label: 'y', ignore: ['id'] }).featureNames, ['a', 'b']);
  // pandas' reset_index() after a shuffle: a permutation, in a column named 'index'.
  const shuffled = csv(
    'reset-index.csv',
    sortedNoise('index,a,b,y', (i, a, b, y) => `${(i * 7) % 200},${a},${b},${y}`),
  );
  fails(
    () => readCsvTable(shuffled, { label: 'y' }),
    /column 'index' \(integers in a column named 'index', as pandas' reset_index\(\) writes\)/,
  );
  // Not a row index: a count that skips, or starts elsewhere.
  assert.deepEqual(
    readCsvTable(
      csv(
        'skips.csv',
        sortedNoise('n,a,y', (i, a, _b, y) => `${i === 50 ? 51 : i},${a},${y}`),
      ),
      { label: 'y' },
    ).featureNames,
    ['n', 'a'],
  );
  assert.deepEqual(
    readCsvTable(
      csv(
        'from2.csv',
        sortedNoise('n,a,y', (i, a, _b, y) => `${i + 2},${a},${y}`),
      ),
      { label: 'y' },
    ).featureNames,
    ['n', 'a'],
  );
});

test('an empty column without a name (a trailing comma on every line) is dropped', () => {
  const table = readCsvTable(
    csv(
      'trailing.csv',
      sortedNoise('a,b,y,', (_i, a, b, y) => `${a},${b},${y},`),
    ),
    { label: 'y' },
  );
  assert.deepEqual(table.featureNames, ['a', 'b']);
  assert.equal(table.rows, 200);
  // Two trailing commas; a row that leaves the trailing comma out; a header without one.
  const mixed = sortedNoise('a,b,y,,', (i, a, b, y) => `${a},${b},${y}${i === 3 ? '' : ',,'}`);
  assert.deepEqual(readCsvTable(csv('trailing2.csv', mixed), { label: 'y' }).featureNames, ['a', 'b']);
  assert.deepEqual(
    readCsvTable(
      csv(
        'trailing3.csv',
        sortedNoise('a,b,y', (_i, a, b, y) => `${a},${b},${y},`),
      ),
      { label: 'y' },
    ).featureNames,
    ['a', 'b'],
  );
  // A value beyond the header is still a ragged row.
  fails(
    () =>
      readCsvTable(
        csv(
          'ragged2.csv',
          sortedNoise('a,b,y', (i, a, b, y) => `${a},${b},${y},${i === 9 ? 'x' : ''}`),
        ),
        { label: 'y' },
      ),
    /row 11 has 4 cells, the header has 3/,
  );
});

test("columns are named by position as '#N': the label, --ignore, duplicates, names with commas", () => {
  const text = sortedNoise('a,"b,c",#1,y', (i, a, b, y) => `${a},${b},${i % 5},${y}`);
  const path = csv('positions.csv', text);
  // '#1' is always the first column; the column named '#1' is '#3'.
  fails(
    () => readCsvTable(path, { label: 'y', ignore: ['#1'] }),
    /^--ignore '#1' is ambiguous in positions\.csv: '#N' is the N-th column, but column #3 is named '#1'; write '#3' for that one$/,
  );
  assert.deepEqual(readCsvTable(path, { label: '#4', ignore: ['#3'] }).featureNames, ['a', 'b,c']);
  assert.equal(readCsvTable(path, { label: '#4', ignore: ['#3'] }).label, 'y');
  fails(() => readCsvTable(path, { label: 'y', ignore: ['#5'] }), /^--ignore '#5': positions\.csv has 4 columns, #1 to #4$/);
  fails(() => readCsvTable(path, { label: 'y', ignore: [''] }), /--ignore '': a column without a name is named by its position/);
  fails(() => readCsvTable(path, { label: 'y', ignore: ['y'] }), /--ignore drops the label column 'y'/);
  // A hint never names a column in a way --ignore would split or misread.
  const texts = csv(
    'comma-name.csv',
    sortedNoise('a,"b,c",y', (i, a, _b, y) => `${a},${i % 2 ? 'p' : 'q'},${y}`),
  );
  fails(() => readCsvTable(texts, { label: 'y' }), /not numeric: 'b,c' \(row 2: 'q'\); drop them with --ignore '#2'$/);
  // A duplicate name is fine once all but one of the columns are dropped by position.
  const dup = csv(
    'dup2.csv',
    sortedNoise('a,b,a,y', (i, a, b, y) => `${a},${b},${i % 3},${y}`),
  );
  fails(() => readCsvTable(dup, { label: 'y' }), /column name 'a' appears twice .*\(columns #1, #3\)/);
  fails(() => readCsvTable(dup, { label: 'y', ignore: ['a'] }), /column name 'a' appears twice/);
  assert.deepEqual(readCsvTable(dup, { label: 'y', ignore: ['#3'] }).featureNames, ['a', 'b']);
});

test('a missing value names its row and column and offers what would work', () => {
  const text = sortedNoise('age,b,y', (i, _a, b, y) => `${i === 15 || i === 40 || i === 77 ? 'NA' : (i * 13) % 90},${b},${y}`);
  fails(
    () => readCsvTable(csv('na.csv', text), { label: 'y' }),
    /^row 17, column 'age' of na\.csv is 'NA', not a number \(3 of its 200 cells are not numbers\); fill in or remove those rows, or drop the column with --ignore age$/,
  );
  const one = sortedNoise('age,b,y', (i, _a, b, y) => `${i === 15 ? 'NA' : (i * 13) % 90},${b},${y}`);
  fails(
    () => readCsvTable(csv('na1.csv', one), { label: 'y' }),
    /^row 17, column 'age' of na1\.csv is 'NA', not a number; fill in or remove that row, or drop the column with --ignore age$/,
  );
  // A text column and a numeric column with a gap: both in one line.
  const both = sortedNoise('name,age,b,y', (i, _a, b, y) => `n${i},${i === 4 ? '' : (i * 13) % 90},${b},${y}`);
  fails(
    () => readCsvTable(csv('both.csv', both), { label: 'y' }),
    /^columns that are not numeric: 'name' \(row 2: 'n0'\); drop them with --ignore name\. Also: row 6, column 'age' of both\.csv is empty; fill in or remove that row, or drop the column with --ignore age$/,
  );
  // A column that is empty in every row.
  fails(
    () =>
      readCsvTable(
        csv(
          'blank.csv',
          sortedNoise('a,notes,y', (_i, a, _b, y) => `${a},,${y}`),
        ),
        { label: 'y' },
      ),
    /not numeric: 'notes' \(empty in every row\); drop them with --ignore notes/,
  );
});

test('a file that is not UTF-8 is refused, naming the row, the column and the encoding it looks like', () => {
  const rows =
    ['age,b,y', ...Array.from({ length: 60 }, (_, i) => `${(i * 13) % 90},${i % 7},${['élevé', 'élevè', 'bas'][i % 3]}`)].join('\n') + '\n';
  fails(
    () => readCsvTable(csv('latin1.csv', Buffer.from(rows, 'latin1') as unknown as string), { label: 'y' }),
    /^latin1\.csv is not UTF-8: row 2, column 'y' is '\\xE9lev\\xE9' \(looks like Latin-1\/Windows-1252\); re-save it as UTF-8 .*iconv -f WINDOWS-1252 -t UTF-8/,
  );
  const quotes = Buffer.from('a,note,y\n1,plain,0\n2,\x93x\x94,1\n', 'latin1');
  fails(
    () => readCsvTable(csv('cp1252.csv', quotes as unknown as string), { label: 'y' }),
    /row 3, column 'note' is '\\x93x\\x94' \(looks like Windows-1252\)/,
  );
  fails(
    () => readCsvTable(csv('header-latin1.csv', Buffer.from('\xe2ge,y\n1,0\n', 'latin1') as unknown as string), { label: 'y' }),
    /the header \(row 1\), column #1, is '\\xE2ge'/,
  );
  // UTF-16 with a byte-order mark (Excel's "Unicode text") is decoded: three classes, not two.
  const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(rows.replaceAll('\n', '\r\n'), 'utf16le')]);
  const utf16be = Buffer.from(utf16le.subarray(2)).swap16();
  for (const [name, bytes] of [
    ['le.csv', utf16le],
    ['be.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be])],
  ] as const) {
    const table = readCsvTable(csv(name, bytes as unknown as string), { label: 'y' });
    assert.deepEqual(table.featureNames, ['age', 'b']);
    assert.deepEqual(table.classNames, ['bas', 'élevè', 'élevé']);
  }
  fails(
    () => readCsvTable(csv('odd16.csv', Buffer.concat([utf16le, Buffer.from([0x41])]) as unknown as string), { label: 'y' }),
    /starts with a UTF-16 LE byte-order mark but is not valid UTF-16 LE text/,
  );
  fails(
    () => readCsvTable(csv('nobom16.csv', Buffer.from(rows, 'utf16le') as unknown as string), { label: 'y' }),
    /has a NUL byte on line 1: .*UTF-16 without a byte-order mark/,
  );
  fails(
    () => readCsvTable(csv('book.csv', Buffer.from('PK\x03\x04rest', 'latin1') as unknown as string), { label: 'y' }),
    /is a ZIP archive \(an Excel \.xlsx workbook\?\)/,
  );
  // A UTF-8 byte-order mark is fine.
  assert.deepEqual(readCsvTable(csv('bom8.csv', '\ufeff' + rows), { label: 'y' }).classNames, ['bas', 'élevè', 'élevé']);
});

test("old Mac line endings (a lone CR) end rows, as in Python's csv", () => {
  assert.deepEqual(parseCsv('a,b\r1,2\r"x\ry",3\r'), [
    ['a', 'b'],
    ['1', '2'],
    ['x\ry', '3'],
  ]);
  assert.deepEqual(parseCsv('a,b\r\n1,2\r\n\r\n3,4'), [
    ['a', 'b'],
    ['1', '2'],
    ['3', '4'],
  ]);
  const rows = ['a,b,y', ...Array.from({ length: 60 }, (_, i) => `${(i * 13) % 90},${i % 7},${i % 6 === 0 ? 'p' : 'n'}`)];
  const table = readCsvTable(csv('mac.csv', rows.join('\r') + '\r'), { label: 'y' });
  assert.deepEqual([table.rows, table.featureNames, table.classNames], [60, ['a', 'b'], ['n', 'p']]);
  assert.throws(
    () => parseCsv('a,y\r"ab"c,1\r'),
    (e: unknown) => e instanceof DataError && /line 2: text after the closing quote/.test(e.message),
  );
});

test('names in messages stay on one line', () => {
  const text = sortedNoise('"two\nlines",b,y', (i, _a, b, y) => `${i % 2 ? 'p' : 'q'},${b},${y}`);
  fails(
    () => readCsvTable(csv('newline-name.csv', text), { label: 'y' }),
    /not numeric: 'two\\nlines' \(row 2: 'q'\); drop them with --ignore '#1'/,
  );
});
