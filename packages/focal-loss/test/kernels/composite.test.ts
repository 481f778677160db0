/**
 * The composite (plain tf ops) kernels against the float64 reference fixtures, called
 * directly on the cpu backend with the attrs the ops would pass (kernel_names.ts); their
 * checks and edge cases; and the composite path through the public ops on a backend whose
 * data is not on the CPU (helpers/composite_backend.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { compositeFocalKernels } from '../../src/kernels/composite.js';
import { CATEGORICAL_FOCAL_LOSS, SIGMOID_FOCAL_LOSS, SOFTMAX_FOCAL_LOSS } from '../../src/kernels/kernel_names.js';
import * as core from '../../src/core/index.js';
import { categoricalFocalLoss, sigmoidFocalLoss, softmaxFocalLoss } from '../../src/index.js';
import { useCompositeBackend } from '../helpers/composite_backend.js';
import {
  GRAD_TOL,
  LOSS_TOL,
  REFERENCE_FILES,
  type ReferenceCase as FixtureCase,
  assertClose,
  loadReferenceFile,
} from '../helpers/fixtures.js';

/** Runs one fixture case through the composite kernel the way the ops would call it. */
function runCase(c: FixtureCase): { loss: Float32Array; grad: Float32Array } {
  return tf.tidy(() => {
    const rank = c.shape.length;
    const logits = tf.tensor(c.logits, c.shape, 'float32');
    // A user normalizer: the op runs the 'sum' kernel and divides.
    const normalizer = c.normalizer ?? null;
    const reduction = normalizer !== null ? 'sum' : c.reduction;
    let name: string;
    let inputs: Record<string, tf.Tensor>;
    let attrs: Record<string, unknown>;
    if (c.kind === 'sigmoid' || c.kind === 'star') {
      name = SIGMOID_FOCAL_LOSS;
      inputs = { logits, targets: tf.tensor(c.targets!, c.shape, 'float32') };
      if (c.weights != null) inputs.weights = tf.tensor(c.weights, c.shape, 'float32');
      attrs = {
        mode: c.kind === 'star' ? 'star' : 'focal',
        alpha: c.alpha,
        gamma: c.gamma,
        beta: c.beta ?? 0,
        labelSmoothing: c.labelSmoothing ?? 0,
        reduction,
      };
    } else {
      const axis = (c.axis ?? -1) < 0 ? rank + (c.axis ?? -1) : c.axis!;
      const classes = c.shape[axis];
      const alpha = c.alpha === null ? null : typeof c.alpha === 'number' ? new Array(classes).fill(c.alpha) : c.alpha;
      if (c.kind === 'softmax') {
        name = SOFTMAX_FOCAL_LOSS;
        const labelShape = c.shape.filter((_, d) => d !== axis);
        inputs = { logits, labels: tf.tensor(c.labels!, labelShape, 'int32') };
        attrs = { alpha, gamma: c.gamma, ignoreIndex: c.ignoreIndex ?? null, axis, reduction };
      } else {
        name = CATEGORICAL_FOCAL_LOSS;
        inputs = { logits, targets: tf.tensor(c.targets!, c.shape, 'float32') };
        attrs = { alpha, gamma: c.gamma, labelSmoothing: c.labelSmoothing ?? 0, axis, reduction };
      }
    }
    let [loss, grad] = compositeFocalKernels[name](inputs, attrs);
    assert.deepEqual(grad.shape, c.shape);
    if (normalizer !== null) {
      loss = tf.div(loss, normalizer);
      grad = tf.div(grad, normalizer);
    }
    return { loss: loss.dataSync() as Float32Array, grad: grad.dataSync() as Float32Array };
  });
}

for (const file of REFERENCE_FILES) {
  test(`composite kernels match ${file} on the cpu backend`, async () => {
    await tf.setBackend('cpu');
    const cases = loadReferenceFile(file);
    const before = tf.memory().numTensors;
    cases.forEach((c, k) => {
      const { loss, grad } = runCase(c);
      const what = `${file} case ${k} (${c.kind}, ${c.reduction}, gamma ${c.gamma})`;
      assertClose(loss, Array.isArray(c.loss) ? c.loss : [c.loss], LOSS_TOL.rtol, LOSS_TOL.atol, `${what} loss`);
      assertClose(grad, c.grad, GRAD_TOL.rtol, GRAD_TOL.atol, `${what} grad`);
    });
    assert.equal(tf.memory().numTensors, before, 'the composite kernels leak no tensors');
  });
}

test('composite sigmoid kernel: finite at |x| = 1e4 for gamma < 1, NaN propagates', async () => {
  await tf.setBackend('cpu');
  const x = tf.tensor1d([1e4, -1e4, 1e4, -1e4, NaN]);
  const t = tf.tensor1d([1, 0, 0, 1, 1]);
  const [loss, grad] = compositeFocalKernels[SIGMOID_FOCAL_LOSS](
    { logits: x, targets: t },
    { mode: 'focal', alpha: 0.25, gamma: 0.5, beta: 0, labelSmoothing: 0, reduction: 'none' },
  );
  const l = loss.dataSync();
  const g = grad.dataSync();
  assert.deepEqual(Array.from(l.slice(0, 2)), [0, 0]);
  assert.deepEqual(Array.from(g.slice(0, 2)), [0, 0]);
  assert.ok(Number.isFinite(l[2]) && Number.isFinite(l[3]) && Number.isFinite(g[2]) && Number.isFinite(g[3]));
  assert.ok(Number.isNaN(l[4]) && Number.isNaN(g[4]));
  tf.dispose([x, t, loss, grad]);
});

/** Loss and gradient of one composite kernel call, as arrays; the tensors are disposed. */
function runComposite(name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>): { loss: number[]; grad: number[] } {
  const [loss, grad] = compositeFocalKernels[name](inputs, attrs);
  const values = { loss: Array.from(loss.dataSync()), grad: Array.from(grad.dataSync()) };
  tf.dispose([loss, grad]);
  return values;
}

test('composite softmax and categorical kernels take a class axis of size 1, as the core does', async () => {
  await tf.setBackend('cpu');
  const before = tf.memory().numTensors;
  const logits = tf.tensor2d([[3], [-1], [0]]);
  const labels = tf.tensor1d([0, 0, 0], 'int32');
  const targets = tf.tensor2d([[1], [1], [0.5]]);
  for (const gamma of [0, 0.5, 2]) {
    for (const reduction of ['none', 'sum', 'mean'] as const) {
      const what = `gamma ${gamma}, ${reduction}`;
      const softmax = runComposite(SOFTMAX_FOCAL_LOSS, { logits, labels }, { alpha: [0.25], gamma, ignoreIndex: null, axis: 1, reduction });
      const softmaxCore = core.softmaxFocalLoss([3, -1, 0], [0, 0, 0], [3, 1], { alpha: [0.25], gamma, reduction });
      assertClose(softmax.loss, typeof softmaxCore.loss === 'number' ? [softmaxCore.loss] : softmaxCore.loss, 0, 0, `softmax ${what} loss`);
      assertClose(softmax.grad, softmaxCore.grad, 0, 0, `softmax ${what} grad`);
      const categorical = runComposite(
        CATEGORICAL_FOCAL_LOSS,
        { logits, targets },
        { alpha: null, gamma, labelSmoothing: 0.1, axis: 1, reduction },
      );
      const categoricalCore = core.categoricalFocalLoss([3, -1, 0], [1, 1, 0.5], [3, 1], { gamma, labelSmoothing: 0.1, reduction });
      assertClose(
        categorical.loss,
        typeof categoricalCore.loss === 'number' ? [categoricalCore.loss] : categoricalCore.loss,
        0,
        0,
        `categorical ${what} loss`,
      );
      assertClose(categorical.grad, categoricalCore.grad, 0, 0, `categorical ${what} grad`);
    }
  }
  tf.dispose([logits, labels, targets]);
  assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
});

test("composite kernels where the data is on the CPU throw the fused kernels' errors for invalid labels and targets", async () => {
  await tf.setBackend('cpu');
  const x = tf.tensor2d([
    [1, 2, 3],
    [0, -1, 2],
  ]);
  const softmax =
    (labels: tf.Tensor, ignoreIndex: number | null = null) =>
    () =>
      runComposite(SOFTMAX_FOCAL_LOSS, { logits: x, labels }, { alpha: null, gamma: 2, ignoreIndex, axis: 1, reduction: 'mean' });
  const sigmoid =
    (targets: tf.Tensor, mode = 'focal') =>
    () =>
      runComposite(
        SIGMOID_FOCAL_LOSS,
        { logits: x, targets },
        { mode, alpha: 0.25, gamma: 2, beta: 1, labelSmoothing: 0, reduction: 'sum' },
      );
  const categorical = (targets: tf.Tensor) => () =>
    runComposite(CATEGORICAL_FOCAL_LOSS, { logits: x, targets }, { alpha: null, gamma: 2, labelSmoothing: 0, axis: 1, reduction: 'none' });
  const inputs = {
    seven: tf.tensor1d([0, 7], 'int32'),
    minusOne: tf.tensor1d([-1, 0], 'int32'),
    fraction: tf.tensor1d([0, 2.5]),
    nan: tf.tensor1d([NaN, 0]),
    two: tf.tensor2d([
      [0, 0, 0],
      [0, 2, 0],
    ]),
    nanTarget: tf.tensor2d([
      [0, 0, NaN],
      [0, 1, 0],
    ]),
    negative: tf.tensor2d([
      [-1, 2, 0],
      [0, 0, 1],
    ]),
  };
  const before = tf.memory().numTensors;
  const cases: Array<[() => unknown, RegExp]> = [
    [softmax(inputs.seven), /^Error: softmaxFocalLoss: labels\[1\] = 7 is not an integer in \[0, 3\)$/],
    [softmax(inputs.seven, 255), /softmaxFocalLoss: labels\[1\] = 7 is not an integer in \[0, 3\) and is not ignoreIndex \(255\)/],
    [softmax(inputs.minusOne), /softmaxFocalLoss: labels\[0\] = -1 is not an integer in \[0, 3\)/],
    [softmax(inputs.fraction), /softmaxFocalLoss: labels\[1\] = 2.5 is not an integer in \[0, 3\)/],
    [softmax(inputs.nan), /softmaxFocalLoss: labels\[0\] = NaN is not an integer in \[0, 3\)/],
    [sigmoid(inputs.two), /^Error: sigmoidFocalLoss: targets\[4\] = 2 is not in \[0, 1\]$/],
    [sigmoid(inputs.nanTarget, 'star'), /sigmoidFocalLossStar: targets\[2\] = NaN is not in \[0, 1\]/],
    [categorical(inputs.negative), /categoricalFocalLoss: targets\[0\] = -1 is not in \[0, 1\]/],
  ];
  for (const [call, message] of cases) assert.throws(call, message);
  assert.equal(tf.memory().numTensors, before, 'the failing calls leak no tensors');
  // An ignored label is not checked.
  assert.ok(softmax(inputs.minusOne, -1)().loss.every(Number.isFinite));
  tf.dispose([x, ...Object.values(inputs)]);
});

test('composite path where the data is not on the CPU: an invalid label gives NaN for its row, as on the GPU; C = 1 works', async () => {
  await tf.setBackend('cpu');
  const x = tf.tensor2d([
    [1, 2, 3],
    [0, -1, 2],
    [1, 1, 1],
    [2, 0, 1],
    [0, 0, 5],
    [-3, 1, 0],
  ]);
  const valid = tf.tensor1d([0, 1, 0, 2, 1, 0]);
  const labels = tf.tensor1d([0, 7, -1, 2.5, NaN, -0]);
  const reference = tf.tidy(() => {
    const g = tf.grad((v: tf.Tensor) => softmaxFocalLoss(v, valid, { reduction: 'sum', ignoreIndex: -1 }))(x);
    return { loss: Array.from(softmaxFocalLoss(x, valid, { reduction: 'none' }).dataSync()), grad: Array.from(g.dataSync()) };
  });
  await useCompositeBackend();
  const before = tf.memory().numTensors;
  const { loss, grad } = tf.tidy(() => {
    const g = tf.grad((v: tf.Tensor) => softmaxFocalLoss(v, labels, { reduction: 'sum', ignoreIndex: -1 }))(x);
    return {
      loss: Array.from(softmaxFocalLoss(x, labels, { reduction: 'none', ignoreIndex: -1 }).dataSync()),
      grad: Array.from(g.dataSync()),
    };
  });
  assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
  // Rows: valid, 7, ignored, 2.5, NaN, valid.
  for (const row of [1, 3, 4]) {
    assert.ok(Number.isNaN(loss[row]), `row ${row}: loss ${loss[row]}, expected NaN`);
    assert.ok(grad.slice(3 * row, 3 * row + 3).every(Number.isNaN), `row ${row}: gradient NaN`);
  }
  assert.deepEqual([loss[2], ...grad.slice(6, 9)], [0, 0, 0, 0], 'the ignored row gives 0');
  for (const row of [0, 5]) {
    assertClose([loss[row]], [reference.loss[row]], 1e-6, 1e-7, `row ${row} loss`);
    assertClose(grad.slice(3 * row, 3 * row + 3), reference.grad.slice(3 * row, 3 * row + 3), 1e-5, 1e-7, `row ${row} grad`);
  }
  // Targets are not checked there either, and a class axis of size 1 works.
  const column = tf.tensor2d([[2], [-1]]);
  const one = tf.tidy(() => Array.from(softmaxFocalLoss(column, [0, 0], { reduction: 'none' }).dataSync()));
  assert.deepEqual(one, [0, 0]);
  const soft = tf.tidy(() => Array.from(categoricalFocalLoss(column, [[1], [0.5]], { reduction: 'none', gamma: 0 }).dataSync()));
  assert.deepEqual(soft, [0, 0]);
  assert.ok(tf.tidy(() => sigmoidFocalLoss(x, tf.fill(x.shape, 2)).dataSync()[0]) < 0, 'target 2 is used as given');
  tf.dispose([x, valid, labels, column]);
  await tf.setBackend('cpu');
});
