/**
 * Fixture case shapes and the tolerance check shared by the browser page and the test.
 * Tolerances are those of the cpu tests: loss within 2e-5 relative + 1e-6 absolute of the
 * float64 reference, gradient within 1e-4 relative + 1e-6 absolute, nothing NaN.
 */
export type { ReferenceCase as FixtureCase } from '../helpers/reference_case.js';
export { lossShapeOf as rowShapeOf, optionsOf } from '../helpers/reference_case.js';
import { GRAD_TOL as GRAD_TOLERANCE, LOSS_TOL as LOSS_TOLERANCE, type ReferenceCase as FixtureCase } from '../helpers/reference_case.js';

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
export function checkCase(report: SuiteReport, where: string, c: FixtureCase, loss: ArrayLike<number>, grad: ArrayLike<number>): void {
  report.cases++;
  const what = `${where} (${c.kind}, ${c.reduction}, gamma ${c.gamma}, alpha ${JSON.stringify(c.alpha)})`;
  compare(report, what, loss, Array.isArray(c.loss) ? c.loss : [c.loss], LOSS_TOLERANCE, 'loss');
  compare(report, what, grad, c.grad, GRAD_TOLERANCE, 'grad');
}
