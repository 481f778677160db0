/**
 * The focal-family reference cases (fixtures/variants-reference.json, from
 * ../shared/reference; conventions in fixtures/VARIANTS-README.md): loading, and how each
 * kind maps onto this library's element-wise family losses and their options.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface FamilyCase {
  kind: 'quality' | 'varifocal' | 'gaussian' | 'poly1' | 'asymmetric' | 'distribution';
  source: string;
  params: Record<string, number | null>;
  shape: number[];
  logits: number[];
  targets: number[];
  /** Per element (reduction 'none'). */
  loss: number[];
  /** d (sum of loss) / d logits. */
  grad: number[];
}

/** The fixture kinds and the op names of the element-wise losses that implement them. */
export const FAMILY_OPS: Partial<Record<FamilyCase['kind'], string>> = {
  quality: 'qualityFocalLoss',
  varifocal: 'varifocalLoss',
  gaussian: 'gaussianFocalLoss',
  poly1: 'polyFocalLoss',
  asymmetric: 'asymmetricLoss',
};

export const FAMILY_CASES: FamilyCase[] = (JSON.parse(
  readFileSync(fileURLToPath(new URL('../fixtures/variants-reference.json', import.meta.url)), 'utf8'),
) as { cases: FamilyCase[] }).cases;

/** The cases of the element-wise kinds this library implements. */
export const ELEMENTWISE_CASES = FAMILY_CASES.filter((c) => FAMILY_OPS[c.kind] !== undefined);

/** The options of a case, reduction 'none' (the fixture's losses are per element). */
export function familyOptionsOf(c: FamilyCase): Record<string, unknown> {
  return { ...c.params, reduction: 'none' };
}

export function describeFamilyCase(c: FamilyCase, index: number): string {
  return `#${index} ${c.kind} (${c.source}) ${JSON.stringify(c.params)} shape=[${c.shape}]`;
}
