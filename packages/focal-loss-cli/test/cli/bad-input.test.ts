import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { packageDir, runCli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fl-cli-bad-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const rows = (n: number, label: (i: number) => string, extra = '') =>
  [
    'x1,x2,y' + (extra ? ',note' : ''),
    ...Array.from({ length: n }, (_, i) => `${(i * 7) % 11},${i % 3}.5,${label(i)}${extra ? ',' + extra : ''}`),
  ].join('\n') + '\n';
/** `rows` as pandas' to_csv() writes them: an index column without a name first. */
const pandasRows = (n: number, label: (i: number) => string) =>
  rows(n, label)
    .split('\n')
    .map((line, i) => (line === '' ? line : `${i === 0 ? '' : i - 1},${line}`))
    .join('\n');

const cases: [string, string[], RegExp][] = [
  ['unknown flag', ['compare', '--bogus'], /Unknown option '--bogus'/],
  ['unknown command', ['train'], /unknown command 'train'/],
  ['no command', [], /missing command/],
  ['bad task', ['compare', '--task', 'tracking'], /--task 'tracking' must be one of classification, segmentation, detection/],
  [
    'class-weight power with detection',
    ['compare', '--task', 'detection', '--class-weight-power', '0.5'],
    /--class-weight-power is for multi-class softmax tasks; detection uses one sigmoid per class/,
  ],
  ['negative gamma', ['compare', '--gamma', '0,-1'], /--gamma '-1' is not a number from 0 to 20/],
  ['alpha out of range', ['compare', '--alpha', '0.25,2'], /--alpha '2' is not a number in \[0, 1\] or 'none'/],
  ['bad seeds', ['compare', '--seeds', '0'], /--seeds '0' is not an integer from 1 to 100/],
  ['confirm with one seed', ['compare', '--confirm', '1'], /--confirm '1' is not an integer from 2 to 100 \(fresh seeds/],
  ['confirm not a number', ['compare', '--confirm', 'all'], /--confirm 'all' is not an integer from 2 to 100/],
  ['confirm without a value', ['compare', '--confirm'], /--confirm needs a value/],
  ['bad backend', ['compare', '--backend', 'gpu'], /--backend 'gpu' must be one of cpu, wasm/],
  ['quick and full', ['compare', '--quick', '--full'], /--quick and --full exclude each other/],
  ['label without data', ['compare', '--label', 'y'], /--label needs --data/],
  ['data without label', ['compare', '--data', 'x.csv'], /--data needs --label COLUMN/],
  ['missing file', ['compare', '--data', join(dir, 'nope.csv'), '--label', 'y'], /cannot read .*nope\.csv: no such file/],
  ['empty file', ['compare', '--data', file('empty.csv', ''), '--label', 'y'], /empty\.csv is empty/],
  [
    'missing label column',
    [
      'compare',
      '--data',
      file(
        'a.csv',
        rows(30, (i) => String(i % 2)),
      ),
      '--label',
      'target',
    ],
    /label column 'target' not found/,
  ],
  [
    'one class only',
    [
      'compare',
      '--data',
      file(
        'b.csv',
        rows(30, () => 'a'),
      ),
      '--label',
      'y',
    ],
    /one class only \('a'\)/,
  ],
  [
    'too few rare samples',
    [
      'compare',
      '--data',
      file(
        'c.csv',
        rows(30, (i) => (i < 3 ? 'r' : 'c')),
      ),
      '--label',
      'y',
    ],
    /class 'r' has 3 rows; a stratified 3-way split needs at least 5/,
  ],
  [
    'NaN cell',
    ['compare', '--data', file('d.csv', rows(30, (i) => String(i % 2)).replace('\n6,', '\nNaN,')), '--label', 'y'],
    /row 6, column 'x1' of d\.csv is 'NaN', not a number; fill in or remove that row, or drop the column with --ignore x1/,
  ],
  [
    'empty cell',
    ['compare', '--data', file('e.csv', rows(30, (i) => String(i % 2)).replace(',1.5,', ',,')), '--label', 'y'],
    /row 3, column 'x2' of e\.csv is empty; fill in or remove that row/,
  ],
  [
    'NA cells',
    [
      'compare',
      '--data',
      file(
        'na.csv',
        rows(30, (i) => String(i % 2))
          .replace(',1.5,', ',NA,')
          .replace(',2.5,', ',NA,'),
      ),
      '--label',
      'y',
    ],
    /row 3, column 'x2' of na\.csv is 'NA', not a number \(2 of its 30 cells are not numbers\); fill in or remove those rows, or drop the column with --ignore x2$/,
  ],
  [
    'pandas index column',
    [
      'compare',
      '--data',
      file(
        'pandas.csv',
        pandasRows(30, (i) => String(i % 2)),
      ),
      '--label',
      'y',
    ],
    /column #1 \(no name\) holds values \(a row index, 0 to 29\) in pandas\.csv: .*drop it with --ignore '#1'/,
  ],
  [
    'row-index column',
    [
      'compare',
      '--data',
      file(
        'ids.csv',
        rows(30, (i) => String(i % 2))
          .replace(/^x1,/, 'id,')
          .replace(
            /\n\d+,/g,
            (
              (k) => () =>
                `\n${k++},`
            )(1),
          ),
      ),
      '--label',
      'y',
    ],
    /column 'id' \(1, 2, \.\.\., 30 in file order\) of ids\.csv looks like a row index.*--ignore id$/,
  ],
  [
    'Latin-1 file',
    [
      'compare',
      '--data',
      file(
        'latin1.csv',
        Buffer.from(
          rows(30, (i) => ['élevé', 'élevè', 'bas'][i % 3]!),
          'latin1',
        ) as unknown as string,
      ),
      '--label',
      'y',
    ],
    /latin1\.csv is not UTF-8: row 2, column 'y' is '\\xE9lev\\xE9' \(looks like Latin-1\/Windows-1252\); re-save it as UTF-8/,
  ],
  [
    'empty --ignore',
    ['compare', '--data', 'x.csv', '--label', 'y', '--ignore', ''],
    /--ignore '': empty column name in the list \(a column without a name is named by its position: --ignore '#1'/,
  ],
  ['empty --label', ['compare', '--data', 'x.csv', '--label', ''], /--label needs a column name/],
  ['negative gamma after a space', ['compare', '--gamma', '-1'], /--gamma '-1' is not a number from 0 to 20$/],
  ['negative seeds after a space', ['compare', '--seeds', '-3'], /--seeds '-3' is not an integer from 1 to 100$/],
  [
    'flag where a value should be',
    ['compare', '--data', '--label', 'y'],
    /--data needs a value, but '--label' follows it \(a value that starts with a dash is written --data=--label\)$/,
  ],
  ['flag without its value', ['compare', '--gamma'], /--gamma needs a value$/],
  [
    'non-numeric column',
    [
      'compare',
      '--data',
      file(
        'f.csv',
        rows(30, (i) => String(i % 2), 'hello'),
      ),
      '--label',
      'y',
    ],
    /columns that are not numeric: 'note'.*--ignore note/,
  ],
  ['out under a file', ['compare', '--out', join(file('plain', 'x'), 'report')], /cannot write to --out .*plain\/report/],
  ['out is a file', ['compare', '--out', file('plain2', 'x')], /--out .*plain2 exists and is not a directory/],
];

for (const [name, args, message] of cases) {
  test(`bad input exits 2 with one line: ${name}`, () => {
    const r = runCli(args);
    assert.equal(r.code, 2, `exit code; stderr: ${r.stderr}`);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line: ${r.stderr}`);
    assert.match(lines[0]!, /^focal-loss compare: /);
    assert.match(lines[0]!, message);
  });
}

test('eval-detections and render read flag values the same way (one shared parser)', async () => {
  const { parseEvalDetections } = await import('../../src/cli/eval_detections.js');
  const { parseRender } = await import('../../src/cli/render.js');
  assert.deepEqual(parseEvalDetections(['--gt', '-1', '--dt', 'd.json']), { gt: '-1', dt: 'd.json', json: false });
  assert.deepEqual(parseRender(['--results', '-1.json']), { results: '-1.json', out: 'report' });
  assert.throws(() => parseEvalDetections(['--gt', '--dt', 'd.json']), /^UsageError: --gt needs a value, but '--dt' follows it/);
  assert.throws(() => parseRender(['--results']), /^UsageError: --results needs a value$/);
});

test("--help documents '#N' for columns without a name", () => {
  const r = runCli(['--help']);
  assert.match(r.stdout, /#N,?\s+the N-th column counting from 1/);
  assert.match(r.stdout, /--ignore '#1,id'/);
});

test('a directory that is not a report is never replaced', () => {
  const mine = join(dir, 'mine');
  mkdirSync(mine);
  writeFileSync(join(mine, 'notes.txt'), 'keep');
  const r = runCli(['compare', '--tiny', '--out', mine]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /not a focal-loss report/);
  assert.deepEqual(readdirSync(mine), ['notes.txt']);
});

test('bad input leaves no report and no temporary directory behind', () => {
  const out = join(dir, 'never');
  const r = runCli(['compare', '--data', join(dir, 'b.csv'), '--label', 'y', '--out', out]);
  assert.equal(r.code, 2);
  assert.equal(existsSync(out), false);
  assert.ok(!readdirSync(dir).some((n) => n.includes('.tmp-')), 'no temp dir');
});

test('--version prints the package version and exits 0', () => {
  const r = runCli(['--version']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, `${JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version}\n`);
});

test('--help prints usage and exits 0', () => {
  const r = runCli(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Usage: focal-loss compare/);
});
