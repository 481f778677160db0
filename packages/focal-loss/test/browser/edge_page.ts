/**
 * Browser side of edge_cases.test.ts: saturated, infinite and NaN logits, invalid labels, and
 * the accuracy of the GPU reductions at 10^6 elements against a float64 sum (src/core).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { categoricalFocalLoss, sigmoidFocalLoss, sigmoidFocalLossStar, softmaxFocalLoss } from '../../src/index.js';
import { sigmoidFocalLossInto, softmaxFocalLossInto } from '../../src/core/index.js';
import { useBackend } from '../helpers/use_backend.js';

export interface EdgeReport {
  backend: string;
  /** name -> [loss values, gradient values] (NaN kept as null by JSON). */
  results: Record<string, [number[], number[]]>;
  /** Relative error of the reduced loss at 10^6 elements against float64. */
  reductionError: Record<string, number>;
  leakedTensors: number;
}

/** Deterministic uniform numbers in [0, 1) (a 32-bit LCG). */
function uniforms(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32;
  }
  return out;
}

async function lossAndGrad(f: (x: tf.Tensor) => tf.Tensor, logits: tf.Tensor, none: boolean): Promise<[number[], number[]]> {
  const [loss, grad] = tf.tidy(() => [f(logits), tf.grad((x: tf.Tensor) => (none ? tf.sum(f(x)) : f(x)))(logits)]);
  const values: [number[], number[]] = [Array.from(await loss.data()), Array.from(await grad.data())];
  tf.dispose([loss, grad]);
  return values;
}

async function runEdges(backend: string): Promise<EdgeReport> {
  await useBackend(backend);
  const before = tf.memory().numTensors;
  const report: EdgeReport = { backend, results: {}, reductionError: {}, leakedTensors: 0 };
  const saturated = tf.tensor1d([1e4, -1e4, 1e4, -1e4, 50, -50, 30, NaN, 0]);
  const binary = tf.tensor1d([1, 0, 0, 1, 1, 0, 0, 1, 1]);
  for (const gamma of [0.5, 2]) {
    report.results[`sigmoid gamma ${gamma}`] = await lossAndGrad(
      (x) => sigmoidFocalLoss(x, binary, { gamma, alpha: 0.25, reduction: 'none' }),
      saturated,
      true,
    );
  }
  report.results.star = await lossAndGrad(
    (x) => sigmoidFocalLossStar(x, binary, { gamma: 2, beta: 1, reduction: 'none' }),
    saturated,
    true,
  );
  const rows = tf.tensor2d([
    [1e4, -1e4, 0],
    [-1e4, 1e4, 3],
    [0.5, 0.2, NaN],
    [2, 1, 0],
  ]);
  const labels = tf.tensor1d([0, 0, 1, 2], 'int32');
  report.results['softmax gamma 0.5'] = await lossAndGrad(
    (x) => softmaxFocalLoss(x, labels, { gamma: 0.5, reduction: 'none' }),
    rows,
    true,
  );
  // Logits from a packed webgl texture (matMul output) reach the kernels through Reshape.
  const a = tf.tensor2d([
    [0.5, -1, 2],
    [1, 0.25, -0.5],
    [3, 1, 0],
    [-2, 0.5, 1],
  ]);
  const b = tf.tensor2d([
    [1, -1, 0.5],
    [0.2, 0.4, -0.3],
    [-0.7, 0.1, 0.9],
  ]);
  report.results['softmax of matMul logits'] = await lossAndGrad(
    (w) => softmaxFocalLoss(tf.matMul(a, w), labels, { gamma: 2, reduction: 'mean' }),
    b,
    false,
  );
  report.results['sigmoid of matMul logits'] = await lossAndGrad(
    (w) => sigmoidFocalLoss(tf.matMul(a, w), tf.onesLike(a), { gamma: 1.5, reduction: 'sum' }),
    b,
    false,
  );
  tf.dispose([a, b]);
  // Every label ignored: 'mean' has nothing to count, and gives loss 0 and gradient 0.
  const ignored = tf.tensor1d([255, 255, 255, 255], 'int32');
  const finite = tf.tensor2d([
    [1, 2, 3],
    [0, 0, 0],
    [-1, 5, 2],
    [2, 1, 0],
  ]);
  report.results['softmax all ignored, mean'] = await lossAndGrad(
    (x) => softmaxFocalLoss(x, ignored, { gamma: 2, ignoreIndex: 255, reduction: 'mean' }),
    finite,
    false,
  );
  tf.dispose([ignored, finite]);
  const soft = tf.tensor2d([
    [1, 0, 0],
    [0.2, 0.8, 0],
    [0, 0, 1],
    [0.5, 0, 0.5],
  ]);
  report.results['categorical gamma 0.5'] = await lossAndGrad(
    (x) => categoricalFocalLoss(x, soft, { gamma: 0.5, alpha: [0.2, 0.3, 0.5], labelSmoothing: 0.1, reduction: 'none' }),
    rows,
    true,
  );
  soft.dispose();
  // int32 targets: cast to float32, which on webgpu relabels the int32 buffer (no conversion).
  const intTargets = tf.tensor2d(
    [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [1, 0, 0],
    ],
    undefined,
    'int32',
  );
  const finiteRows = tf.tensor2d([
    [1, -2, 0.5],
    [0, 0, 3],
    [2, 1, -1],
    [-1, 0.5, 2],
  ]);
  report.results['categorical, int32 targets'] = await lossAndGrad(
    (x) => categoricalFocalLoss(x, intTargets, { gamma: 2, alpha: [0.2, 0.3, 0.5], reduction: 'none' }),
    finiteRows,
    true,
  );
  const intWeights = tf.tensor1d([1, 2, 3], 'int32');
  report.results['sigmoid, int32 targets and weights'] = await lossAndGrad(
    (x) => sigmoidFocalLoss(x, intTargets, { gamma: 2, weights: intWeights, reduction: 'none' }),
    finiteRows,
    true,
  );
  tf.dispose([intTargets, finiteRows, intWeights]);
  // ±Infinity logits: the loss's limits, 0 with gradient 0 where the logit is on the right
  // side, +Infinity where the loss is unbounded (also through the sum tree); NaN for two
  // +Infinity in a row (no limit). The cpu results, checked in Node, are the reference.
  const infinite = tf.tensor1d([Infinity, -Infinity, Infinity, -Infinity, Infinity, -Infinity, Infinity, 0.5]);
  const infiniteTargets = tf.tensor1d([1, 0, 0, 1, 0.5, 0.5, 0, 1]);
  const infiniteWeights = tf.tensor1d([1, 1, 1, 1, 1, 1, 0, 1]);
  for (const gamma of [0.5, 2]) {
    report.results[`sigmoid ±Infinity gamma ${gamma}`] = await lossAndGrad(
      (x) => sigmoidFocalLoss(x, infiniteTargets, { gamma, alpha: 0.25, weights: infiniteWeights, reduction: 'none' }),
      infinite,
      true,
    );
  }
  report.results['sigmoid ±Infinity, sum'] = await lossAndGrad(
    (x) => sigmoidFocalLoss(x, infiniteTargets, { gamma: 2, reduction: 'sum' }),
    infinite,
    false,
  );
  const atLimit = tf.tensor1d([Infinity, -Infinity, 0.5]);
  report.results['sigmoid ±Infinity at the limit, mean'] = await lossAndGrad(
    (x) => sigmoidFocalLoss(x, [1, 0, 1], { gamma: 2, reduction: 'mean' }),
    atLimit,
    false,
  );
  report.results['star ±Infinity'] = await lossAndGrad(
    (x) => sigmoidFocalLossStar(x, infiniteTargets, { gamma: 2, beta: 1, weights: infiniteWeights, reduction: 'none' }),
    infinite,
    true,
  );
  // The sigmoid GPU path runs as an element-wise family member with its own exact limits:
  // a target within 2^-20 of the side the logit is on still gives +Infinity (the family's
  // default rule, evaluating at ±1e30, would not), and label smoothing moves the limits.
  const nearTargets = [1 - 2 ** -20, 2 ** -20, 1 - 2 ** -20, 2 ** -20, 0.5];
  const nearLogits = tf.tensor1d([Infinity, -Infinity, -Infinity, Infinity, Infinity]);
  report.results['sigmoid ±Infinity, targets near 0 and 1, gamma 4'] = await lossAndGrad(
    (x) => sigmoidFocalLoss(x, nearTargets, { gamma: 4, alpha: 0.25, reduction: 'none' }),
    nearLogits,
    true,
  );
  report.results['sigmoid ±Infinity, label smoothing'] = await lossAndGrad(
    (x) =>
      sigmoidFocalLoss(x, infiniteTargets, { gamma: 0.5, alpha: 0.25, labelSmoothing: 0.1, weights: infiniteWeights, reduction: 'none' }),
    infinite,
    true,
  );
  report.results['star ±Infinity, label smoothing, no alpha'] = await lossAndGrad(
    (x) => sigmoidFocalLossStar(x, infiniteTargets, { gamma: 1.5, beta: -0.5, alpha: null, labelSmoothing: 0.2, reduction: 'none' }),
    infinite,
    true,
  );
  tf.dispose(nearLogits);
  const infiniteRows = tf.tensor2d([
    [Infinity, 0, 1],
    [Infinity, 0, 1],
    [-Infinity, 0, 1],
    [0, -Infinity, 1],
    [Infinity, Infinity, 0],
  ]);
  const infiniteLabels = tf.tensor1d([0, 1, 0, 2, 0], 'int32');
  const infiniteOneHot = tf.oneHot(infiniteLabels, 3);
  report.results['softmax ±Infinity'] = await lossAndGrad(
    (x) => softmaxFocalLoss(x, infiniteLabels, { gamma: 0.5, alpha: [0.2, 0.3, 0.5], weights: [1, 1, 1, 1, 1], reduction: 'none' }),
    infiniteRows,
    true,
  );
  report.results['softmax ±Infinity, a zero weight, sum'] = await lossAndGrad(
    (x) =>
      softmaxFocalLoss(tf.slice(x, [0, 0], [4, 3]), tf.slice(infiniteLabels, 0, 4), { gamma: 2, weights: [1, 0, 0, 1], reduction: 'sum' }),
    infiniteRows,
    false,
  );
  report.results['categorical ±Infinity'] = await lossAndGrad(
    (x) => categoricalFocalLoss(x, infiniteOneHot, { gamma: 2, alpha: [0.2, 0.3, 0.5], reduction: 'none' }),
    infiniteRows,
    true,
  );
  report.results['categorical ±Infinity, label smoothing'] = await lossAndGrad(
    (x) => categoricalFocalLoss(x, infiniteOneHot, { gamma: 0.5, labelSmoothing: 0.1, reduction: 'none' }),
    infiniteRows,
    true,
  );
  tf.dispose([infinite, infiniteTargets, infiniteWeights, atLimit, infiniteRows, infiniteLabels, infiniteOneHot]);
  if (backend !== 'cpu') {
    // Labels are not validated on the GPU: out of range gives NaN for that row only.
    const bad = tf.tensor1d([0, 3, -1, 1], 'int32');
    const same = tf.tensor2d([
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
    ]);
    report.results['softmax invalid label'] = await lossAndGrad(
      (x) => softmaxFocalLoss(x, bad, { gamma: 2, ignoreIndex: -1, reduction: 'none' }),
      same,
      true,
    );
    tf.dispose([bad, same]);
  }
  tf.dispose([saturated, binary, rows, labels]);

  // Reductions at 10^6 elements: float32 GPU sums against a float64 sum.
  const n = 1_000_000;
  const x = uniforms(n, 1).map((u) => (u - 0.5) * 12);
  const t = uniforms(n, 2).map((u) => (u < 0.1 ? 1 : 0));
  const grad64 = new Float64Array(n);
  const options = { mode: 'focal' as const, alpha: 0.25, gamma: 2, beta: 0, labelSmoothing: 0 };
  for (const reduction of ['sum', 'mean'] as const) {
    const exact = sigmoidFocalLossInto(x, t, null, { ...options, reduction }, null, grad64);
    const got = tf.tidy(() => sigmoidFocalLoss(tf.tensor1d(x), tf.tensor1d(t), { alpha: 0.25, gamma: 2, reduction }));
    report.reductionError[`sigmoid ${reduction}`] = Math.abs((await got.data())[0] - exact) / Math.abs(exact);
    got.dispose();
  }
  const classes = 10;
  const sx = uniforms(n, 3).map((u) => (u - 0.5) * 8);
  const sy = uniforms(n / classes, 4).map((u) => (u < 0.05 ? 255 : Math.floor(u * classes)));
  const exact = softmaxFocalLossInto(
    sx,
    sy,
    null,
    { outer: n / classes, classes, inner: 1 },
    { alpha: null, gamma: 2, ignoreIndex: 255, reduction: 'mean' },
    null,
    new Float64Array(n),
  ).loss;
  const got = tf.tidy(() =>
    softmaxFocalLoss(tf.tensor2d(sx, [n / classes, classes]), tf.tensor1d(sy, 'int32'), { gamma: 2, ignoreIndex: 255, reduction: 'mean' }),
  );
  report.reductionError['softmax mean, ignoreIndex'] = Math.abs((await got.data())[0] - exact) / Math.abs(exact);
  got.dispose();
  report.leakedTensors = tf.memory().numTensors - before;
  return report;
}

(globalThis as unknown as { runEdgeSuite: typeof runEdges }).runEdgeSuite = runEdges;
