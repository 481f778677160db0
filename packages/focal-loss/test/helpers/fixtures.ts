/** Loads the reference cases (both fixture files) for the Node tests. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ReferenceCase } from './reference_case.js';

export * from './reference_case.js';

export function loadReferenceFile(name: string): ReferenceCase[] {
  const path = fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
  return (JSON.parse(readFileSync(path, 'utf8')) as { cases: ReferenceCase[] }).cases;
}

export const REFERENCE_FILES = ['focal-reference.json', 'focal-reference-extra.json'] as const;

export const REFERENCE_CASES: ReferenceCase[] = REFERENCE_FILES.flatMap(loadReferenceFile);
