/** The CLI's JSON file reader: encodings, gzip, the size limit, and syntax errors that say where. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { jsonSyntaxProblem, printable, readJsonFile } from '../../src/cli/json_file.js';
import { DataError } from '../../src/data/errors.js';
import { Rng } from '../../src/data/rng.js';

const dir = mkdtempSync(join(tmpdir(), 'fl-json-file-'));
const write = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const refuses = (f: () => unknown, message: RegExp) =>
  assert.throws(f, (e: unknown) => e instanceof DataError && message.test(e.message) && !e.message.includes('\n'), String(message));

test('the size limit holds for the file and for what a gzip file decompresses to', () => {
  const text = JSON.stringify({ values: Array.from({ length: 200 }, (_, i) => i) });
  assert.deepEqual(readJsonFile(write('ok.json', text), '--x', { maxBytes: text.length }), JSON.parse(text));
  refuses(
    () => readJsonFile(write('big.json', text), '--x', { maxBytes: 100 }),
    /^--x .*big\.json is \d+ bytes; JSON files are read up to 100 bytes \(the limit set\)$/,
  );
  // The compressed file is small; its content is not.
  const packed = gzipSync(text);
  assert.ok(packed.length < 400);
  refuses(
    () => readJsonFile(write('big.json.gz', packed), '--x', { maxBytes: 400, tooLargeHint: 'make it smaller' }),
    /^--x .*big\.json\.gz decompresses to more than 400 bytes; JSON files are read up to 400 bytes \(the limit set\); make it smaller$/,
  );
});

test('an empty file, and a byte-order mark in the middle, are named', () => {
  refuses(() => readJsonFile(write('empty.json', ''), '--x'), /empty\.json is not valid JSON: the file is empty$/);
  refuses(
    () => readJsonFile(write('bom-inside.json', '{"a": \ufeff1}'), '--x'),
    /is not valid JSON: unexpected character U\+FEFF \(a byte-order mark\) at line 1, column 7 \(expecting a value\)$/,
  );
});

test('syntax problems say where, on which line and column, and what was expected', () => {
  const cases: [string, string][] = [
    ['{"a": }', "unexpected '}' at line 1, column 7 (expecting a value)"],
    ['{"a": 1,]', "unexpected ']' at line 1, column 9 (expecting a property name in double quotes)"],
    ['[1, 2', "the text ends before the JSON is complete (at line 1, column 6, expecting ',' or ']')"],
    ['{\n  "images": [\n    {"id": 1 "x": 2}\n  ]\n}', "unexpected '\"' at line 3, column 14 (expecting ',' or '}')"],
    ['{"a": 1} x', "unexpected 'x' at line 1, column 10 (expecting the end of the text after the JSON value)"],
    [
      '{"a": "x\ty"}',
      'unexpected character U+0009 at line 1, column 9 (expecting the string to go on (control characters must be written as \\u escapes))',
    ],
    ['[01]', "unexpected '1' at line 1, column 3 (expecting ',' or ']')"],
    ['[1.]', "unexpected ']' at line 1, column 4 (expecting a digit after the decimal point)"],
    ['[tru]', "unexpected 't' at line 1, column 2 (expecting a value)"],
    ['{"a" 1}', "unexpected '1' at line 1, column 6 (expecting ':' after the property name)"],
    ['["\\x"]', "unexpected 'x' at line 1, column 4 (expecting an escape: one of \" \\ / b f n r t u)"],
    ['\x1f\x8b\x08', 'unexpected character U+001F at line 1, column 1 (expecting a value)'],
  ];
  for (const [text, problem] of cases) assert.equal(jsonSyntaxProblem(text), problem, text);
  // Nesting deeper than any call stack.
  const deep = '['.repeat(1e6);
  assert.match(jsonSyntaxProblem(deep)!, /^the text ends before the JSON is complete/);
  assert.equal(jsonSyntaxProblem(`${deep}${']'.repeat(1e6)}`), undefined);
});

test('jsonSyntaxProblem finds a problem exactly where JSON.parse fails (random mutations of valid JSON)', () => {
  const rng = new Rng(7);
  const base = JSON.stringify(
    { images: [{ id: 1, file: 'a\\"b\u00e9' }], values: [-0.5, 1e-7, 2e3, 0, true, false, null, {}, []], nested: { x: [[1], { y: 'z' }] } },
    null,
    1,
  );
  const alphabet = '{}[]",:.-+eE0123456789 \n\ttrufalsn\\u/x';
  for (let trial = 0; trial < 3000; trial++) {
    const chars = [...base];
    for (let m = 1 + Math.floor(rng.next() * 3); m > 0; m--) {
      const at = Math.floor(rng.next() * chars.length);
      const op = rng.next();
      const c = alphabet[Math.floor(rng.next() * alphabet.length)]!;
      if (op < 0.4) chars[at] = c;
      else if (op < 0.7) chars.splice(at, 1);
      else chars.splice(at, 0, c);
    }
    const text = chars.join('');
    let valid = true;
    try {
      JSON.parse(text);
    } catch {
      valid = false;
    }
    assert.equal(jsonSyntaxProblem(text) === undefined, valid, text);
  }
});

test('printable writes invisible characters as code points', () => {
  assert.equal(printable('a\x00b\u200bc\ufeffd\u2028é'), 'aU+0000bU+200BcU+FEFFdU+2028é');
});
