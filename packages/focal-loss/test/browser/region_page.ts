/**
 * Browser side of region.test.ts: diceLoss, focalTverskyLoss and unifiedFocalLoss (composites
 * of TF.js ops) on the asked backend against the float64 core: the loss, and the autodiff
 * gradient against central differences of the core; ±1e4 logits finite. Reads with
 * `await data()` (webgpu's synchronous readback is not dependable in headless Chromium).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import * as ops from '../../src/index.js';
import * as core from '../../src/core/index.js';
import { useBackend } from '../helpers/use_backend.js';

export interface RegionReport {
  backend: string;
  cases: number;
  failures: string[];
  /** Worst |error| / (rtol |expected| + atol) over the cases. */
  worst: { loss: number; grad: number };
  leakedTensors: number;
}

type Op = (logits: tf.Tensor, targets: tf.Tensor, options?: Record<string, unknown>) => tf.Tensor;
type CoreLoss = (l: number[], t: number[], s: number[], o: Record<string, unknown>) => { loss: number | Float64Array };

const NAMES = ['diceLoss', 'focalTverskyLoss', 'unifiedFocalLoss'];
const SETTINGS: Array<{ shape: number[]; labels: boolean; options: Record<string, unknown> }> = [
  { shape: [2, 3, 4, 3], labels: true, options: {} },
  { shape: [2, 5, 1], labels: false, options: { activation: 'sigmoid' } },
  { shape: [2, 6, 3], labels: true, options: { ignoreIndex: 255, perImage: false, reduction: 'sum' } },
];

let seed = 5;
const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const total = (v: number | Float64Array): number => (typeof v === 'number' ? v : v.reduce((a, b) => a + b, 0));

function check(
  report: RegionReport,
  what: string,
  which: 'loss' | 'grad',
  actual: ArrayLike<number>,
  expected: number[],
  rtol: number,
  atol: number,
): void {
  for (let i = 0; i < expected.length; i++) {
    const ratio = Number.isFinite(actual[i]) ? Math.abs(actual[i] - expected[i]) / (rtol * Math.abs(expected[i]) + atol) : Infinity;
    report.worst[which] = Math.max(report.worst[which], ratio);
    if (!(ratio <= 1) && report.failures.length < 20)
      report.failures.push(`${what} ${which}[${i}] = ${actual[i]}, expected ${expected[i]}`);
  }
}

async function lossAndGrad(
  op: Op,
  logits: number[],
  targets: number[],
  shape: number[],
  targetShape: number[],
  labels: boolean,
  options: Record<string, unknown>,
): Promise<[Float32Array, Float32Array]> {
  const [loss, grad] = tf.tidy(() => {
    const x = tf.tensor(logits, shape);
    const t = tf.tensor(targets, targetShape, labels ? 'int32' : 'float32');
    const f = (v: tf.Tensor): tf.Tensor => tf.sum(op(v, t, options));
    return [f(x), tf.grad(f)(x)];
  });
  const values = await Promise.all([loss.data(), grad.data()]);
  tf.dispose([loss, grad]);
  return values as [Float32Array, Float32Array];
}

async function runRegion(backend: string): Promise<RegionReport> {
  await useBackend(backend);
  const report: RegionReport = { backend, cases: 0, failures: [], worst: { loss: 0, grad: 0 }, leakedTensors: 0 };
  const before = tf.memory().numTensors;
  for (const name of NAMES) {
    const op = (ops as unknown as Record<string, Op>)[name];
    const coreLoss = (core as unknown as Record<string, CoreLoss>)[name];
    for (const s of SETTINGS) {
      const size = s.shape.reduce((a, b) => a * b, 1);
      const classes = s.shape[s.shape.length - 1];
      const logits = Array.from({ length: size }, () => 6 * random() - 3);
      const targets = s.labels
        ? Array.from({ length: size / classes }, (_, i) =>
            i === 1 && s.options.ignoreIndex !== undefined ? 255 : Math.floor(random() * classes),
          )
        : Array.from({ length: size }, () => (random() < 0.4 ? 1 : 0));
      const targetShape = s.labels ? s.shape.slice(0, -1) : s.shape;
      const what = `${backend} ${name} [${s.shape}] ${JSON.stringify(s.options)}`;
      const [loss, grad] = await lossAndGrad(op, logits, targets, s.shape, targetShape, s.labels, s.options);
      check(report, what, 'loss', loss, [total(coreLoss(logits, targets, s.shape, s.options).loss)], 1e-4, 1e-5);
      const h = 1e-5;
      const numeric = logits.map((_, k) => {
        const plus = logits.slice();
        plus[k] += h;
        const minus = logits.slice();
        minus[k] -= h;
        return (
          (total(coreLoss(plus, targets, s.shape, s.options).loss) - total(coreLoss(minus, targets, s.shape, s.options).loss)) / (2 * h)
        );
      });
      const scale = Math.max(...numeric.map(Math.abs));
      check(report, what, 'grad', grad, numeric, 5e-3, 5e-4 * scale + 1e-7);
      // Saturated: ±1e4 logits give a finite loss and gradient, the loss the core's.
      const saturated = logits.map((v) => (v > 0 ? 1e4 : -1e4));
      const [sLoss, sGrad] = await lossAndGrad(op, saturated, targets, s.shape, targetShape, s.labels, s.options);
      if (![...sLoss, ...sGrad].every(Number.isFinite) && report.failures.length < 20) report.failures.push(`${what} ±1e4: not finite`);
      check(report, `${what} ±1e4`, 'loss', sLoss, [total(coreLoss(saturated, targets, s.shape, s.options).loss)], 1e-4, 1e-5);
      report.cases++;
    }
  }
  report.leakedTensors = tf.memory().numTensors - before;
  return report;
}

(globalThis as unknown as { runRegionSuite: typeof runRegion }).runRegionSuite = runRegion;
