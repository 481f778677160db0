/**
 * The PyTorch/torchvision reference cases (fixtures/, from ../shared/reference): their shape,
 * options and tolerances. No Node imports, so the browser test page bundles it too.
 */
export interface ReferenceCase {
  kind: 'sigmoid' | 'softmax' | 'categorical' | 'star';
  shape: number[];
  logits: number[];
  targets?: number[];
  labels?: number[];
  alpha: number | number[] | null;
  gamma: number;
  beta?: number;
  reduction: 'none' | 'sum' | 'mean';
  /** Flat, one per loss element. */
  weights?: number[] | null;
  normalizer?: number | null;
  ignoreIndex?: number | null;
  axis?: number;
  labelSmoothing?: number;
  loss: number | number[];
  grad: number[];
  torchvision_grad?: Array<number | null>;
}

export const LOSS_TOL = { rtol: 2e-5, atol: 1e-6 };
export const GRAD_TOL = { rtol: 1e-4, atol: 1e-6 };

/** The options of a case in this library's names, without `weights` (their form varies). */
export function optionsOf(c: ReferenceCase): Record<string, unknown> {
  const options: Record<string, unknown> = { gamma: c.gamma, reduction: c.reduction, alpha: c.alpha };
  if (c.normalizer != null) options.normalizer = c.normalizer;
  if (c.labelSmoothing) options.labelSmoothing = c.labelSmoothing;
  if (c.axis !== undefined) options.axis = c.axis;
  if (c.ignoreIndex != null) options.ignoreIndex = c.ignoreIndex;
  if (c.beta !== undefined) options.beta = c.beta;
  return options;
}

/** The shape of the per-element loss: the logits' (sigmoid, star) or without the class axis. */
export function lossShapeOf(c: ReferenceCase): number[] {
  if (c.kind === 'sigmoid' || c.kind === 'star') return c.shape;
  const axis = c.axis ?? -1;
  const classAxis = axis < 0 ? axis + c.shape.length : axis;
  return c.shape.filter((_, i) => i !== classAxis);
}

export function describeCase(c: ReferenceCase, index: number): string {
  return `#${index} ${c.kind} ${c.reduction} shape=[${c.shape}] gamma=${c.gamma} alpha=${JSON.stringify(c.alpha)}`;
}

/** |actual - expected| <= rtol |expected| + atol for every entry, and nothing NaN. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number, what: string): void {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length} != ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (!Number.isFinite(a) || Math.abs(a - e) > rtol * Math.abs(e) + atol) {
      throw new Error(`${what}[${i}]: got ${a}, expected ${e} (rtol ${rtol}, atol ${atol})`);
    }
  }
}
