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
  ['x1,x2,y' + (extra ? ',note' : ''), ...Array.from({ length: n }, (_, i) => `${i},${i % 3}.5,${label(i)}${extra ? ',' + extra : ''}`)].join('\n') + '\n';

const cases: [string, string[], RegExp][] = [
  ['unknown flag', ['compare', '--bogus'], /Unknown option '--bogus'/],
  ['unknown command', ['train'], /unknown command 'train'/],
  ['no command', [], /missing command/],
  ['bad task', ['compare', '--task', 'tracking'], /--task 'tracking' must be one of classification, segmentation, detection/],
  ['class-weight power with detection', ['compare', '--task', 'detection', '--class-weight-power', '0.5'], /--class-weight-power is for multi-class softmax tasks; detection uses one sigmoid per class/],
  ['negative gamma', ['compare', '--gamma', '0,-1'], /--gamma '-1' is not a number from 0 to 20/],
  ['alpha out of range', ['compare', '--alpha', '0.25,2'], /--alpha '2' is not a number in \[0, 1\] or 'none'/],
  ['bad seeds', ['compare', '--seeds', '0'], /--seeds '0' is not an integer from 1 to 100/],
  ['bad backend', ['compare', '--backend', 'gpu'], /--backend 'gpu' must be one of cpu, wasm/],
  ['quick and full', ['compare', '--quick', '--full'], /--quick and --full exclude each other/],
  ['label without data', ['compare', '--label', 'y'], /--label needs --data/],
  ['data without label', ['compare', '--data', 'x.csv'], /--data needs --label COLUMN/],
  ['missing file', ['compare', '--data', join(dir, 'nope.csv'), '--label', 'y'], /cannot read .*nope\.csv: no such file/],
  ['empty file', ['compare', '--data', file('empty.csv', ''), '--label', 'y'], /empty\.csv is empty/],
  ['missing label column', ['compare', '--data', file('a.csv', rows(30, (i) => String(i % 2))), '--label', 'target'], /label column 'target' not found/],
  ['one class only', ['compare', '--data', file('b.csv', rows(30, () => 'a')), '--label', 'y'], /one class only \('a'\)/],
  ['too few rare samples', ['compare', '--data', file('c.csv', rows(30, (i) => (i < 3 ? 'r' : 'c'))), '--label', 'y'], /class 'r' has 3 rows; a stratified 3-way split needs at least 5/],
  ['NaN cell', ['compare', '--data', file('d.csv', rows(30, (i) => String(i % 2)).replace('\n4,', '\nNaN,')), '--label', 'y'], /NaN in column 'x1' at row 6/],
  ['empty cell', ['compare', '--data', file('e.csv', rows(30, (i) => String(i % 2)).replace(',1.5,', ',,')), '--label', 'y'], /empty cell in column 'x2' at row 3/],
  ['non-numeric column', ['compare', '--data', file('f.csv', rows(30, (i) => String(i % 2), 'hello')), '--label', 'y'], /columns that are not numeric: 'note'.*--ignore note/],
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
