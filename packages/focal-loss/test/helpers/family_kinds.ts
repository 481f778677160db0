/**
 * The focal-family reference case shape and how each kind maps onto this library's
 * element-wise family losses and their options (no Node imports: the browser pages use it).
 */
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

/** The options of a case, reduction 'none' (the fixture's losses are per element). */
export function familyOptionsOf(c: FamilyCase): Record<string, unknown> {
  return { ...c.params, reduction: 'none' };
}

export function describeFamilyCase(c: FamilyCase, index: number): string {
  return `#${index} ${c.kind} (${c.source}) ${JSON.stringify(c.params)} shape=[${c.shape}]`;
}
