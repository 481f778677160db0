/**
 * The SIMD kernels with the class axis not last (NCHW segmentation, axis 0, ...): the rows
 * are gathered into the module and the gradient scattered back (src/kernels/simd/rows.ts).
 * Checked three ways: bit for bit against the same op on the transposed tensor with the
 * class axis last (the same rows through the same kernel); against the JS loop at the SIMD
 * tolerances, for every option; and at the edges (NaN and infinite logits in strided rows,
 * the JS loop's errors with its indices). Shapes cross the module's chunk inside an outer
 * index.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { categoricalFocalLoss, softmaxFocalLoss } from '../../src/index.js';
import { NODE_BACKENDS, tf, useBackend } from '../helpers/backends.js';
import { assertNear, errorOf, runPath, uniforms } from './helpers.js';

const LOSS_RTOL = 2e-6;
const GRAD_RTOL = 2e-5;
const ATOL = 1e-9;

/**
 * [shape, class axis]: inner sizes 1500 (a chunk holds 1170 rows of 7), 12, 10 and 5 (the
 * softmax kernel four rows at a time), and 7 with 1100 classes (the row kernel, gathered).
 */
const LAYOUTS: Array<[number[], number]> = [
  [[3, 7, 1500], 1],
  [[2, 5, 3, 4], 1],
  [[6, 10], 0],
  [[4, 3, 2, 5], 2],
  [[2, 1100, 7], 1],
];

/** The permutation moving `axis` to the end, and the labels' shape (the logits' without it). */
function toLast(shape: number[], axis: number): { perm: number[]; labelShape: number[] } {
  const perm = shape.map((_, i) => i).filter((i) => i !== axis);
  return { perm: [...perm, axis], labelShape: perm.map((i) => shape[i]) };
}

for (const backend of NODE_BACKENDS) {
  test(`${backend}: SIMD with the class axis not last equals the class-axis-last SIMD on the transposed tensor, and the JS loop`, async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    LAYOUTS.forEach(([shape, axis], k) => {
      const size = shape.reduce((a, b) => a * b, 1);
      const classes = shape[axis];
      const { perm, labelShape } = toLast(shape, axis);
      const rows = size / classes;
      const x = tf.tensor(
        Float32Array.from(uniforms(size, 60 + k), (u) => (u - 0.5) * 20),
        shape,
      );
      const labelValues = Int32Array.from(uniforms(rows, 70 + k), (u) => Math.min(classes - 1, Math.floor(u * classes)));
      const labels = tf.tensor(
        labelValues.map((y, r) => (r % 9 === 4 ? -1 : y)),
        labelShape,
        'int32',
      );
      const weights = tf.tensor(
        Float32Array.from(uniforms(rows, 80 + k), (u) => u * 2),
        labelShape,
      );
      const alpha = Array.from(uniforms(classes, 90 + k));
      const soft = tf.tidy(() => {
        const raw = tf.tensor(
          Float32Array.from(uniforms(size, 100 + k), (u) => (u < 0.3 ? 0 : u)),
          shape,
        );
        return tf.div(raw, tf.add(tf.sum(raw, axis, true), 1e-6));
      });
      const grid: Array<[string, (z: tf.Tensor, classAxis: number, transposed: boolean) => tf.Tensor]> = [
        ['softmax none', (z, a, t) => softmaxFocalLoss(z, t ? labels : labels, { axis: a, reduction: 'none', gamma: 2, ignoreIndex: -1 })],
        ['softmax mean, alpha, weights', (z, a) => softmaxFocalLoss(z, labels, { axis: a, alpha, weights, gamma: 0.5, ignoreIndex: -1 })],
        ['softmax sum, gamma 3', (z, a) => softmaxFocalLoss(z, labels, { axis: a, reduction: 'sum', gamma: 3, ignoreIndex: -1 })],
        ['categorical none', (z, a, t) => categoricalFocalLoss(z, t ? soft.transpose(perm) : soft, { axis: a, reduction: 'none' })],
        [
          'categorical mean, alpha, weights, smoothing',
          (z, a, t) =>
            categoricalFocalLoss(z, t ? soft.transpose(perm) : soft, { axis: a, alpha, weights, labelSmoothing: 0.1, gamma: 2.5 }),
        ],
      ];
      for (const [name, op] of grid) {
        const what = `${backend} ${name} shape [${shape}] axis ${axis}`;
        const strided = runPath(true, x, (z) => op(z, axis, false));
        const js = runPath(false, x, (z) => op(z, axis, false));
        const last = runPath(true, x, (z) => tf.tidy(() => op(z.transpose(perm), shape.length - 1, true)));
        assert.ok(strided.simd > 0 && js.simd === 0, `${what}: paths not taken as forced`);
        assert.deepEqual(Array.from(strided.loss), Array.from(last.loss), `${what}: loss differs from the class-axis-last SIMD`);
        assert.deepEqual(Array.from(strided.grad), Array.from(last.grad), `${what}: gradient differs from the class-axis-last SIMD`);
        assertNear(strided.loss, js.loss, LOSS_RTOL, ATOL, `${what} loss`);
        assertNear(strided.grad, js.grad, GRAD_RTOL, ATOL, `${what} grad`);
      }
      tf.dispose([x, labels, weights, soft]);
    });
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  });

  test(`${backend}: SIMD with the class axis not last, at the edges: the JS loop's values and errors`, async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const shape = [2, 5, 1000];
    const size = 2 * 5 * 1000;
    const values = Float32Array.from(uniforms(size, 5), (u) => (u - 0.5) * 8);
    // Row (o = 1, i = 17): a NaN; row (0, 900): +Infinity at its label's class (both redone
    // by the float64 core: exactly the JS values); row (1, 3): -Infinity (e^-Inf = 0, computed
    // by the module: within the tolerances).
    values[(1 * 5 + 2) * 1000 + 17] = NaN;
    values[(0 * 5 + 4) * 1000 + 900] = Infinity;
    values[(1 * 5 + 0) * 1000 + 3] = -Infinity;
    const x = tf.tensor(values, shape);
    const labelValues = Int32Array.from(uniforms(2000, 6), (u) => Math.min(4, Math.floor(u * 5)));
    labelValues[900] = 4;
    const labels = tf.tensor(labelValues, [2, 1000], 'int32');
    const oneHot = tf.tidy(() => tf.oneHot(labels, 5).transpose([0, 2, 1]).toFloat());
    for (const [name, lossOf] of [
      ['softmax', (z: tf.Tensor) => softmaxFocalLoss(z, labels, { axis: 1, reduction: 'none', gamma: 0.5 })],
      ['categorical', (z: tf.Tensor) => categoricalFocalLoss(z, oneHot, { axis: 1, reduction: 'none', gamma: 0.5 })],
    ] as const) {
      const simd = runPath(true, x, lossOf);
      const js = runPath(false, x, lossOf);
      assert.ok(simd.simd > 0);
      for (const r of [1017, 900]) {
        assert.ok(Object.is(simd.loss[r], js.loss[r]), `${backend} ${name} row ${r} loss: ${simd.loss[r]} vs ${js.loss[r]}`);
        for (let c = 0; c < 5; c++) {
          const at = (Math.floor(r / 1000) * 5 + c) * 1000 + (r % 1000);
          assert.ok(
            Object.is(simd.grad[at], js.grad[at]),
            `${backend} ${name} row ${r} class ${c} grad: ${simd.grad[at]} vs ${js.grad[at]}`,
          );
        }
      }
      assert.ok(Number.isNaN(simd.loss[1017]), `${name}: the NaN row's loss is not NaN`);
      assertNear(simd.loss, js.loss, LOSS_RTOL, ATOL, `${backend} ${name} loss`);
      assertNear(simd.grad, js.grad, GRAD_RTOL, ATOL, `${backend} ${name} grad`);
    }
    // Errors name the same index on both paths: a label out of range, a target outside [0, 1].
    const badLabels = tf.tensor(
      labelValues.map((y, r) => (r === 1234 ? 5 : y)),
      [2, 1000],
      'int32',
    );
    const badTargets = tf.tidy(() => {
      const data = Float32Array.from(oneHot.dataSync());
      data[(1 * 5 + 3) * 1000 + 234] = 1.5;
      return tf.tensor(data, shape);
    });
    for (const [name, fn] of [
      ['label', () => softmaxFocalLoss(x, badLabels, { axis: 1 })],
      ['target', () => categoricalFocalLoss(x, badTargets, { axis: 1 })],
    ] as const) {
      const messages = [true, false].map((simd) => errorOf(() => runPath(simd, x, fn)));
      assert.match(messages[0], /focal/i, `${name}: no error on the SIMD path (${messages.join(' / ')})`);
      assert.equal(messages[0], messages[1], `${backend} bad ${name}: SIMD and JS errors differ`);
    }
    tf.dispose([x, labels, oneHot, badLabels, badTargets]);
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  });
}
