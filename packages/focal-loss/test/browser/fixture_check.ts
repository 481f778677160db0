/**
 * Fixture case shapes and the tolerance check shared by the browser page and the test.
 * Tolerances are those of the cpu tests: loss within 2e-5 relative + 1e-6 absolute of the
 * float64 reference, gradient within 1e-4 relative + 1e-6 absolute, nothing NaN.
 */
export interface FixtureCase {
  kind: 'sigmoid' | 'softmax' | 'categorical' | 'star';
  shape: number[];
  logits: number[];
  targets?: number[];
  labels?: number[];
  weights?: number[] | null;
  alpha: number | number[] | null;
  gamma: number;
  beta?: number;
  axis?: number;
  ignoreIndex?: number | null;
  labelSmoothing?: number;
  reduction: 'none' | 'sum' | 'mean';
  normalizer?: number | null;
  loss: number | number[];
  grad: number[];
}

export const LOSS_TOLERANCE = { rtol: 2e-5, atol: 1e-6 };
export const GRAD_TOLERANCE = { rtol: 1e-4, atol: 1e-6 };

export interface SuiteReport {
  backend: string;
  cases: number;
  /** The first failures, described. */
  failures: string[];
  leakedTensors: number;
  /** Whether each kernel name had a fused kernel on this backend. */
  fused: Record<string, boolean>;
  /** Largest error in units of the tolerance (<= 1 passes). */
  worst: { loss: number; grad: number };
}

/** The options object of a case in this library's names. */
export function optionsOf(c: FixtureCase): Record<string, unknown> {
  const options: Record<string, unknown> = { gamma: c.gamma, reduction: c.reduction, alpha: c.alpha };
  if (c.normalizer != null) options.normalizer = c.normalizer;
  if (c.labelSmoothing) options.labelSmoothing = c.labelSmoothing;
  if (c.axis !== undefined) options.axis = c.axis;
  if (c.ignoreIndex != null) options.ignoreIndex = c.ignoreIndex;
  if (c.beta !== undefined) options.beta = c.beta;
  return options;
}

/** The loss's shape for 'none' with a class axis: the logits' shape without it. */
export function rowShapeOf(c: FixtureCase): number[] {
  const axis = c.axis ?? -1;
  const classAxis = axis < 0 ? axis + c.shape.length : axis;
  return c.shape.filter((_, i) => i !== classAxis);
}

const MAX_REPORTED = 20;

function compare(
  report: SuiteReport,
  what: string,
  actual: ArrayLike<number>,
  expected: number[],
  tolerance: { rtol: number; atol: number },
  which: 'loss' | 'grad',
): void {
  if (actual.length !== expected.length) {
    report.failures.push(`${what} ${which}: length ${actual.length}, expected ${expected.length}`);
    return;
  }
  for (let i = 0; i < expected.length; i++) {
    const allowed = tolerance.rtol * Math.abs(expected[i]) + tolerance.atol;
    const error = Math.abs(actual[i] - expected[i]);
    const ratio = Number.isFinite(actual[i]) ? error / allowed : Infinity;
    report.worst[which] = Math.max(report.worst[which], ratio);
    if (!(ratio <= 1) && report.failures.length < MAX_REPORTED) {
      report.failures.push(`${what} ${which}[${i}] = ${actual[i]}, expected ${expected[i]}`);
    }
  }
}

/** Checks one case's loss and gradient, recording failures in the report. */
export function checkCase(
  report: SuiteReport,
  where: string,
  c: FixtureCase,
  loss: ArrayLike<number>,
  grad: ArrayLike<number>,
): void {
  report.cases++;
  const what = `${where} (${c.kind}, ${c.reduction}, gamma ${c.gamma}, alpha ${JSON.stringify(c.alpha)})`;
  compare(report, what, loss, Array.isArray(c.loss) ? c.loss : [c.loss], LOSS_TOLERANCE, 'loss');
  compare(report, what, grad, c.grad, GRAD_TOLERANCE, 'grad');
}
