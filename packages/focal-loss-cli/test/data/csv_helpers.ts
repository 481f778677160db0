/** What the CSV tests share: a temporary folder, file writers and the loading shorthands. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCsvClassification } from '../../src/data/csv.js';
import { DataError } from '../../src/data/errors.js';

export const dir = mkdtempSync(join(tmpdir(), 'fl-csv-'));
export function csv(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
/** A valid binary CSV: 40 rows, 8 positives. */
export function goodRows(extra = ''): string {
  const rows = ['a,b,y' + extra];
  for (let i = 0; i < 40; i++) rows.push(`${i}.25,${(i * 7) % 5}.5,${i % 5 === 0 ? 'yes' : 'no'}${extra ? ',x' + i : ''}`);
  return rows.join('\n') + '\n';
}
export const load = (path: string, extra: Partial<Parameters<typeof loadCsvClassification>[1]> = {}) =>
  loadCsvClassification(path, { label: 'y', seed: 0, ...extra });
export const fails = (fn: () => unknown, pattern: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof DataError && pattern.test(e.message) && !e.message.includes('\n'));
