/**
 * SIMD against the JS loops on the same inputs, for every option the ops take: weights,
 * alpha (null, a number, per class), gamma (the exact-product cases and general ones),
 * label smoothing, soft targets, FL*'s beta, ignoreIndex, normalizer and each reduction;
 * sigmoid, FL*, softmax and categorical.
 * Sizes cross the module's chunk (8192) and are not multiples of 4. Float32 arithmetic in
 * the module vs float64 in JS: losses within 2e-6 relative, gradients within 2e-5.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { categoricalFocalLoss, sigmoidFocalLoss, sigmoidFocalLossStar, softmaxFocalLoss } from '../../src/index.js';
import { NODE_BACKENDS, tf, useBackend } from '../helpers/backends.js';
import { assertNear, runPath, uniforms } from './helpers.js';

const LOSS_RTOL = 2e-6;
const GRAD_RTOL = 2e-5;
const ATOL = 1e-9;

const N = 20_003;
const logitsData = Float32Array.from(uniforms(N, 3), (u) => (u - 0.5) * 24);
const hardTargets = Float32Array.from(uniforms(N, 5), (u) => (u < 0.2 ? 1 : 0));
const softTargets = Float32Array.from(uniforms(N, 7), (u) => (u < 0.3 ? u / 0.3 : u < 0.5 ? 1 : 0));
const weightsData = Float32Array.from(uniforms(N, 9), (u) => u * 3);

const SIGMOID_OPTIONS: Array<Record<string, unknown>> = [
  { reduction: 'none' },
  { reduction: 'sum', gamma: 0 },
  { reduction: 'mean', gamma: 1, alpha: null },
  { reduction: 'none', gamma: 0.5, alpha: 0.75 },
  { reduction: 'sum', gamma: 3, labelSmoothing: 0.1 },
  { reduction: 'mean', gamma: 4 },
  { reduction: 'none', gamma: 2.5, weights: 'w' },
  { reduction: 'sum', gamma: 0.25, normalizer: 123.5, weights: 'w' },
];

function sigmoidOptions(o: Record<string, unknown>): Record<string, unknown> {
  return o.weights === 'w' ? { ...o, weights: tf.tensor(weightsData) } : o;
}

for (const backend of NODE_BACKENDS) {
  test(`${backend}: sigmoid focal loss and FL* through SIMD match the JS loop for every option`, async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const logits = tf.tensor(logitsData);
    for (const [name, targetsData] of [
      ['hard', hardTargets],
      ['soft', softTargets],
    ] as const) {
      const targets = tf.tensor(targetsData);
      for (const o of SIGMOID_OPTIONS) {
        for (const star of [false, true]) {
          if (star && (o.gamma === 0 || name === 'soft')) continue; // FL* needs gamma > 0 and its targets are binary
          const lossOf = (x: tf.Tensor): tf.Tensor =>
            tf.tidy(() => {
              const options = sigmoidOptions(star ? { ...o, beta: 0.5 } : o);
              return star ? sigmoidFocalLossStar(x, targets, options) : sigmoidFocalLoss(x, targets, options);
            });
          const simd = runPath(true, logits, lossOf);
          const js = runPath(false, logits, lossOf);
          const what = `${backend} ${star ? 'FL*' : 'focal'} ${name} ${JSON.stringify(o)}`;
          assert.ok(simd.simd > 0 && js.simd === 0, `${what}: paths not taken as forced (${simd.simd}, ${js.simd})`);
          assertNear(simd.loss, js.loss, LOSS_RTOL, ATOL, `${what} loss`);
          assertNear(simd.grad, js.grad, GRAD_RTOL, ATOL, `${what} grad`);
        }
      }
      targets.dispose();
    }
    logits.dispose();
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  });

  test(`${backend}: softmax focal loss through SIMD matches the JS loop for every option`, async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    for (const classes of [1, 3, 4, 7, 80, 1000]) {
      const rows = Math.ceil(25_000 / classes);
      const logits = tf.tensor(
        Float32Array.from(uniforms(rows * classes, classes), (u) => (u - 0.5) * 30),
        [rows, classes],
      );
      const labelValues = Int32Array.from(uniforms(rows, 11), (u) => Math.min(classes - 1, Math.floor(u * classes)));
      // Some rows ignored (-1), so 'mean' counts fewer rows than there are.
      const withIgnored = labelValues.map((y, r) => (r % 7 === 3 ? -1 : y));
      const weights = Float32Array.from(uniforms(rows, 13), (u) => u * 2);
      const alphas = Array.from(uniforms(classes, 17));
      const grid: Array<Record<string, unknown>> = [
        { reduction: 'none', gamma: 2 },
        { reduction: 'mean', gamma: 0, alpha: 0.25 },
        { reduction: 'sum', gamma: 1, alpha: alphas },
        { reduction: 'mean', gamma: 0.5, ignoreIndex: -1 },
        { reduction: 'none', gamma: 3, ignoreIndex: -1, weights: 'w' },
        { reduction: 'sum', gamma: 2.5, normalizer: 17, weights: 'w', alpha: alphas },
      ];
      for (const o of grid) {
        const labels = tf.tensor(o.ignoreIndex === -1 ? withIgnored : labelValues, [rows], 'int32');
        const lossOf = (x: tf.Tensor): tf.Tensor =>
          tf.tidy(() => softmaxFocalLoss(x, labels, o.weights === 'w' ? { ...o, weights: tf.tensor(weights) } : o));
        const simd = runPath(true, logits, lossOf);
        const js = runPath(false, logits, lossOf);
        const what = `${backend} softmax C=${classes} ${JSON.stringify({ ...o, alpha: Array.isArray(o.alpha) ? 'per class' : o.alpha })}`;
        assert.ok(simd.simd > 0 && js.simd === 0, `${what}: paths not taken as forced`);
        assertNear(simd.loss, js.loss, LOSS_RTOL, ATOL, `${what} loss`);
        assertNear(simd.grad, js.grad, GRAD_RTOL, ATOL, `${what} grad`);
        labels.dispose();
      }
      logits.dispose();
    }
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  });
}

for (const backend of NODE_BACKENDS) {
  test(`${backend}: categorical focal loss through SIMD matches the JS loop for every option`, async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    for (const classes of [2, 3, 4, 9, 80]) {
      const rows = Math.ceil(20_000 / classes);
      const logits = tf.tensor(
        Float32Array.from(uniforms(rows * classes, classes + 40), (u) => (u - 0.5) * 30),
        [rows, classes],
      );
      const labelValues = Int32Array.from(uniforms(rows, 41), (u) => Math.min(classes - 1, Math.floor(u * classes)));
      const oneHot = tf.tidy(() => tf.oneHot(tf.tensor(labelValues, [rows], 'int32'), classes).toFloat());
      // Soft targets: a random distribution per row, some classes exactly 0.
      const soft = tf.tidy(() => {
        const raw = tf.tensor(
          Float32Array.from(uniforms(rows * classes, 43), (u) => (u < 0.3 ? 0 : u)),
          [rows, classes],
        );
        return tf.div(raw, tf.add(tf.sum(raw, 1, true), 1e-6));
      });
      const weights = tf.tensor(Float32Array.from(uniforms(rows, 47), (u) => u * 2));
      const alphas = Array.from(uniforms(classes, 53));
      const grid: Array<[tf.Tensor, Record<string, unknown>]> = [
        [oneHot, { reduction: 'none', gamma: 2 }],
        [oneHot, { reduction: 'mean', gamma: 0, alpha: 0.25 }],
        [soft, { reduction: 'sum', gamma: 1, alpha: alphas }],
        [soft, { reduction: 'mean', gamma: 0.5, labelSmoothing: 0.1 }],
        [oneHot, { reduction: 'none', gamma: 3, weights, labelSmoothing: 0.2 }],
        [soft, { reduction: 'sum', gamma: 2.5, normalizer: 17, weights, alpha: alphas }],
      ];
      for (const [targets, o] of grid) {
        const lossOf = (x: tf.Tensor): tf.Tensor => categoricalFocalLoss(x, targets, o);
        const simd = runPath(true, logits, lossOf);
        const js = runPath(false, logits, lossOf);
        const what = `${backend} categorical C=${classes} ${targets === soft ? 'soft' : 'one-hot'} ${JSON.stringify({ ...o, weights: o.weights ? 'w' : undefined, alpha: Array.isArray(o.alpha) ? 'per class' : o.alpha })}`;
        assert.ok(simd.simd > 0 && js.simd === 0, `${what}: paths not taken as forced`);
        assertNear(simd.loss, js.loss, LOSS_RTOL, ATOL, `${what} loss`);
        assertNear(simd.grad, js.grad, GRAD_RTOL, ATOL, `${what} grad`);
      }
      tf.dispose([logits, oneHot, soft, weights]);
    }
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  });
}
