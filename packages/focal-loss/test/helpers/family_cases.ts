/**
 * The focal-family reference cases (fixtures/variants-reference.json, from
 * ../shared/reference; conventions in fixtures/VARIANTS-README.md): loading, and how each
 * kind maps onto this library's element-wise family losses and their options.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FAMILY_OPS, type FamilyCase } from './family_kinds.js';

export { FAMILY_OPS, type FamilyCase, describeFamilyCase, familyOptionsOf } from './family_kinds.js';

export const FAMILY_CASES: FamilyCase[] = (
  JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/variants-reference.json', import.meta.url)), 'utf8')) as {
    cases: FamilyCase[];
  }
).cases;

/** The cases of the element-wise kinds this library implements. */
export const ELEMENTWISE_CASES = FAMILY_CASES.filter((c) => FAMILY_OPS[c.kind] !== undefined);
