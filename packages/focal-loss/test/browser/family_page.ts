/**
 * Browser side of family.test.ts: every element-wise focal-family reference case
 * (fixtures/variants-reference.json) through the public ops and tf.grad on the asked backend,
 * the reductions, weights and normalizer against the float64 core, and saturated / infinite /
 * NaN logits. Reads with `await data()` (webgpu's synchronous readback is not dependable in
 * headless Chromium). Bundled by harness.ts.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import variants from '../fixtures/variants-reference.json' with { type: 'json' };
import * as ops from '../../src/index.js';
import * as core from '../../src/core/index.js';
import { FAMILY_OPS, type FamilyCase, describeFamilyCase, familyOptionsOf } from '../helpers/family_kinds.js';
import { GRAD_TOL, LOSS_TOL } from '../helpers/reference_case.js';
import { useBackend } from '../helpers/use_backend.js';

export interface FamilyReport {
  backend: string;
  fused: boolean;
  cases: number;
  /** DFL reference cases run. */
  dflCases: number;
  /** Whether FocalLossDistribution has a fused kernel on this backend. */
  dflFused: boolean;
  checks: number;
  failures: string[];
  worst: { loss: number; grad: number };
  leakedTensors: number;
}

type Op = (logits: tf.Tensor, targets: tf.Tensor, options?: Record<string, unknown>) => tf.Tensor;
type CoreLoss = (l: number[], t: number[], s: number[], o: Record<string, unknown>) => { loss: number | Float64Array; grad: Float64Array };

const CASES = (variants as unknown as { cases: FamilyCase[] }).cases.filter((c) => FAMILY_OPS[c.kind] !== undefined);

function compare(report: FamilyReport, what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, which: 'loss' | 'grad'): void {
  const tol = which === 'loss' ? LOSS_TOL : GRAD_TOL;
  if (actual.length !== expected.length) {
    report.failures.push(`${what} ${which}: length ${actual.length}, expected ${expected.length}`);
    return;
  }
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const a = actual[i];
    let ratio: number;
    if (!Number.isFinite(e)) ratio = Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)) ? 0 : Infinity;
    else ratio = Number.isFinite(a) ? Math.abs(a - e) / (tol.rtol * Math.abs(e) + tol.atol) : Infinity;
    report.worst[which] = Math.max(report.worst[which], Number.isFinite(e) ? ratio : 0);
    if (!(ratio <= 1) && report.failures.length < 20) report.failures.push(`${what} ${which}[${i}] = ${a}, expected ${e}`);
  }
}

async function lossAndGrad(
  op: Op,
  logits: number[],
  targets: number[],
  shape: number[],
  options: Record<string, unknown>,
): Promise<[Float32Array, Float32Array]> {
  const [loss, grad] = tf.tidy(() => {
    const x = tf.tensor(logits, shape);
    const t = tf.tensor(targets, shape);
    const w = options.weights === undefined ? {} : { weights: tf.tensor(options.weights as number[], shape) };
    const f = (v: tf.Tensor): tf.Tensor => op(v, t, { ...options, ...w });
    return [f(x), tf.grad((v: tf.Tensor) => tf.sum(f(v)))(x)];
  });
  const values = await Promise.all([loss.data(), grad.data()]);
  tf.dispose([loss, grad]);
  return values as [Float32Array, Float32Array];
}

async function runFamily(backend: string): Promise<FamilyReport> {
  await useBackend(backend);
  const report: FamilyReport = {
    backend,
    fused: tf.getKernel('FocalLossElementwise', backend) !== undefined,
    cases: 0,
    dflCases: 0,
    dflFused: tf.getKernel('FocalLossDistribution', backend) !== undefined,
    checks: 0,
    failures: [],
    worst: { loss: 0, grad: 0 },
    leakedTensors: 0,
  };
  const before = tf.memory().numTensors;
  const opOf = (name: string): Op => (ops as unknown as Record<string, Op>)[name];
  const coreOf = (name: string): CoreLoss => (core as unknown as Record<string, CoreLoss>)[name];
  // 1. Every reference case, per element, with d (sum loss) / d logits.
  for (const [i, c] of CASES.entries()) {
    const [loss, grad] = await lossAndGrad(opOf(FAMILY_OPS[c.kind]!), c.logits, c.targets, c.shape, familyOptionsOf(c));
    compare(report, describeFamilyCase(c, i), loss, c.loss, 'loss');
    compare(report, describeFamilyCase(c, i), grad, c.grad, 'grad');
    report.cases++;
  }
  // 2. 'sum', 'mean', weights and normalizer (the GPU sum tree) against the float64 core.
  for (const c of CASES.filter((k) => k.source !== 'saturation').slice(0, 40)) {
    const name = FAMILY_OPS[c.kind]!;
    const weights = c.logits.map((_, i) => (i % 3) * 0.5);
    for (const extra of [{ reduction: 'sum' }, { reduction: 'mean' }, { reduction: 'mean', weights, normalizer: 3 }]) {
      const options = { ...c.params, ...extra };
      const expected = coreOf(name)(c.logits, c.targets, c.shape, options);
      const [loss, grad] = await lossAndGrad(opOf(name), c.logits, c.targets, c.shape, options);
      const what = `${name} ${JSON.stringify(c.params)} ${JSON.stringify(extra).slice(0, 40)}`;
      compare(report, what, loss, [expected.loss as number], 'loss');
      compare(report, what, grad, expected.grad, 'grad');
      report.checks++;
    }
  }
  // 3. Saturated, infinite and NaN logits, exponents below 1, against the float64 core.
  const logits = [1e4, -1e4, 30, -30, 0, 1e4, -1e4, Infinity, -Infinity, Infinity, -Infinity, NaN];
  const targets = [1, 0, 1, 0, 1, 0, 1, 1, 0, 0, 1, 1];
  const soft = [0.3, 0.7, 1, 0, 0.5, 0.2, 0.9, 0.6, 0.4, 0, 1, 0.5];
  const settings: Array<[string, Record<string, unknown>, number[]]> = [
    ['qualityFocalLoss', { beta: 0.5 }, soft],
    ['varifocalLoss', { gamma: 0.5, iouWeighted: false }, soft],
    ['gaussianFocalLoss', { alpha: 0.5, gamma: 0.5 }, soft],
    ['polyFocalLoss', { gamma: 0.5, alpha: null, epsilon: -1 }, soft],
    ['asymmetricLoss', { gammaPos: 0.5, gammaNeg: 0.5 }, targets],
    ['asymmetricLoss', { gammaPos: 1, gammaNeg: 4, clip: 0 }, targets],
    // detachFocalWeight: the GLSL / WGSL snippets' weight-constant gradient (each branch).
    ['asymmetricLoss', { gammaPos: 1, gammaNeg: 4, clip: 0, detachFocalWeight: true }, targets],
    ['asymmetricLoss', { gammaPos: 0.5, gammaNeg: 0.5, clip: 0.05, detachFocalWeight: true }, targets],
  ];
  for (const [name, params, t] of settings) {
    const options = { ...params, reduction: 'none' };
    const expected = coreOf(name)(logits, t, [logits.length], options);
    const [loss, grad] = await lossAndGrad(opOf(name), logits, t, [logits.length], options);
    compare(report, `${name} ${JSON.stringify(params)} saturated/infinite`, loss, expected.loss as Float64Array, 'loss');
    compare(report, `${name} ${JSON.stringify(params)} saturated/infinite`, grad, expected.grad, 'grad');
    report.checks++;
  }
  // int32 targets (on webgpu a cast to float32 only relabels the buffer): same as float32.
  {
    const x = [2, -1, 0.5, -3, 0.2, 1];
    const t = [1, 0, 0, 1, 0, 1];
    const expected = coreOf('asymmetricLoss')(x, t, [2, 3], { reduction: 'none' });
    const [loss, grad] = tf.tidy(() => {
      const logits = tf.tensor(x, [2, 3]);
      const targets = tf.tensor(t, [2, 3], 'int32');
      const f = (v: tf.Tensor): tf.Tensor => ops.asymmetricLoss(v, targets, { reduction: 'none' });
      return [f(logits), tf.grad((v: tf.Tensor) => tf.sum(f(v)))(logits)];
    });
    const values = await Promise.all([loss.data(), grad.data()]);
    tf.dispose([loss, grad]);
    compare(report, 'asymmetricLoss int32 targets', values[0], expected.loss as Float64Array, 'loss');
    compare(report, 'asymmetricLoss int32 targets', values[1], expected.grad, 'grad');
    report.checks++;
  }
  // 4. Distribution Focal Loss (its fused GPU plan: row stats, loss, gradient), the 8 DFL cases.
  const dfl = (variants as unknown as { cases: FamilyCase[] }).cases.filter((c) => c.kind === 'distribution');
  for (const [i, c] of dfl.entries()) {
    const [loss, grad] = tf.tidy(() => {
      const x = tf.tensor(c.logits, c.shape);
      const y = tf.tensor(c.targets, c.shape.slice(0, -1));
      const f = (v: tf.Tensor): tf.Tensor => ops.distributionFocalLoss(v, y, { regMax: c.params.regMax as number, reduction: 'none' });
      return [f(x), tf.grad((v: tf.Tensor) => tf.sum(f(v)))(x)];
    });
    const [lossValues, gradValues] = await Promise.all([loss.data(), grad.data()]);
    tf.dispose([loss, grad]);
    compare(report, `DFL ${describeFamilyCase(c, i)}`, lossValues, c.loss, 'loss');
    compare(report, `DFL ${describeFamilyCase(c, i)}`, gradValues, c.grad, 'grad');
    report.dflCases++;
  }
  // 5. DFL: 'sum', 'mean', per-row weights and normalizer (the sum tree), y = 0 and y = regMax,
  // saturated, infinite and NaN logits, against the float64 core.
  {
    const coreDfl = core.distributionFocalLoss as unknown as CoreLoss;
    const rows = 40;
    const bins = 5;
    const x = Array.from({ length: rows * bins }, (_, k) => 4 * Math.sin(k * 1.3) + Math.cos(k * 0.7));
    const y = Array.from({ length: rows }, (_, r) => (r === 0 ? 0 : r === 1 ? bins - 1 : ((r * 0.37) % 1) * (bins - 1)));
    const weights = Array.from({ length: rows }, (_, r) => (r % 4) * 0.5);
    const saturated = [1e4, -1e4, 0, 5, -1e4, Infinity, 0, 0, 0, 0, -Infinity, 1, 2, 3, 4, NaN, 0, 0, 0, 0, Infinity, Infinity, 0, 0, 0];
    const settings: Array<[string, number[], number[], Record<string, unknown>]> = [
      ['sum', x, y, { reduction: 'sum' }],
      ['mean', x, y, { reduction: 'mean' }],
      ['mean, weights, normalizer', x, y, { reduction: 'mean', weights, normalizer: 7 }],
      ['none, weights', x, y, { reduction: 'none', weights }],
      ['saturated / infinite / NaN', saturated, [1.5, 0, 3.2, 2, 1], { reduction: 'none' }],
    ];
    for (const [what, logits, targets, options] of settings) {
      const shape = [targets.length, bins];
      const o: Record<string, unknown> = { ...options, regMax: bins - 1 };
      const expected = coreDfl(logits, targets, shape, o);
      const [loss, grad] = tf.tidy(() => {
        const xs = tf.tensor(logits, shape);
        const ys = tf.tensor(targets, [targets.length]);
        const w = o.weights === undefined ? {} : { weights: tf.tensor(o.weights as number[], [targets.length]) };
        const f = (v: tf.Tensor): tf.Tensor => ops.distributionFocalLoss(v, ys, { ...o, ...w });
        return [f(xs), tf.grad((v: tf.Tensor) => tf.sum(f(v)))(xs)];
      });
      const [lossValues, gradValues] = await Promise.all([loss.data(), grad.data()]);
      tf.dispose([loss, grad]);
      const expectedLoss = typeof expected.loss === 'number' ? [expected.loss] : expected.loss;
      compare(report, `DFL ${what}`, lossValues, expectedLoss, 'loss');
      compare(report, `DFL ${what}`, gradValues, expected.grad, 'grad');
      report.checks++;
    }
  }
  report.leakedTensors = tf.memory().numTensors - before;
  return report;
}

(globalThis as unknown as { runFamilySuite: typeof runFamily }).runFamilySuite = runFamily;
