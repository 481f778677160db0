/**
 * The sparse categorical loss, option errors, serialization and numerical robustness of the
 * tfjs-layers losses (the binary and categorical values are in losses.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { losses } from '../../src/layers/index.js';
import { softmaxFocalLoss } from '../../src/index.js';
import { useBackend } from '../helpers/backends.js';

import { close, values } from './loss_checks.js';

await useBackend('cpu');

// ---- sparse ---------------------------------------------------------------------------------

test('sparseCategoricalFocalCrossentropy equals the op and the categorical loss on one-hot labels', () => {
  const x = tf.tensor2d([
    [2, -1, 0.5],
    [-20, 30, 0],
    [0.1, 0.1, 0.1],
    [5, 4, -3],
  ]);
  const labels = tf.tensor1d([0, 0, 2, 1], 'int32');
  const hot = tf.oneHot(labels, 3).toFloat();
  for (const fromLogits of [true, false]) {
    const pred = fromLogits ? x : tf.softmax(x);
    for (const alpha of [0.25, [0.2, 0.3, 0.5]]) {
      const sparse = losses.sparseCategoricalFocalCrossentropy({ alpha, gamma: 2, fromLogits });
      const cat = losses.categoricalFocalCrossentropy({ alpha, gamma: 2, fromLogits });
      const expected = values(cat(hot, pred));
      close(values(sparse(labels, pred)), expected, 1e-5, `[N] ${fromLogits}`);
      close(values(sparse(labels.reshape([4, 1]).toFloat(), pred)), expected, 1e-5, `[N,1] float ${fromLogits}`);
      if (fromLogits) {
        close(values(sparse(labels, x)), values(softmaxFocalLoss(x, labels, { alpha, gamma: 2, reduction: 'none' })), 1e-6);
      }
    }
    if (!fromLogits) pred.dispose();
  }
  tf.dispose([x, labels, hot]);
});

test('sparseCategoricalFocalCrossentropy: ignoreClass gives 0 and the batch mean counts valid labels only', () => {
  const x = tf.tensor2d([
    [2, -1, 0.5],
    [-2, 3, 0],
    [0.1, 0.1, 0.1],
    [5, 4, -3],
  ]);
  const labels = tf.tensor1d([0, -1, 2, -1], 'int32');
  const loss = losses.sparseCategoricalFocalCrossentropy({ fromLogits: true, ignoreClass: -1 });
  const v = values(loss(labels, x));
  assert.equal(v[1], 0);
  assert.equal(v[3], 0);
  const plain = losses.sparseCategoricalFocalCrossentropy({ fromLogits: true });
  const valid = values(plain(tf.tensor1d([0, 2], 'int32'), tf.gather(x, [0, 2])));
  const meanOfReturned = (v[0] + v[1] + v[2] + v[3]) / 4;
  close([meanOfReturned], [(valid[0] + valid[1]) / 2], 1e-6, 'mean over valid');
  close(
    [meanOfReturned],
    values(softmaxFocalLoss(x, labels, { alpha: 0.25, gamma: 2, ignoreIndex: -1, reduction: 'mean' })),
    1e-6,
    'op mean',
  );
  // all ignored: zeros, no NaN
  close(values(loss(tf.fill([4], -1, 'int32'), x)), [0, 0, 0, 0], 0);
  tf.dispose([x, labels]);
});

test('sparse: class axis 1 (segmentation-like [N, C, L] with labels [N, L])', () => {
  const x = tf.randomNormal([2, 3, 4], 0, 2, 'float32', 7);
  const labels = tf.tensor2d(
    [
      [0, 1, 2, 1],
      [2, 2, 0, 1],
    ],
    undefined,
    'int32',
  );
  const sparse = losses.sparseCategoricalFocalCrossentropy({ fromLogits: true, axis: 1 });
  const cat = losses.categoricalFocalCrossentropy({ fromLogits: true, axis: 1 });
  const hot = tf.oneHot(labels, 3).transpose([0, 2, 1]).toFloat();
  close(values(sparse(labels, x)), values(cat(hot, x)), 1e-5);
  tf.dispose([x, labels, hot]);
});

// ---- options, errors, serialisation, memory -------------------------------------------------

test('bad options raise clear errors', () => {
  assert.throws(() => losses.binaryFocalCrossentropy({ gama: 2 } as never), /binaryFocalCrossentropy: unknown option 'gama'/);
  assert.throws(() => losses.binaryFocalCrossentropy({ gamma: -1 }), /binaryFocalCrossentropy: gamma must be .*>= 0/);
  assert.throws(() => losses.binaryFocalCrossentropy({ alpha: 1.5 }), /alpha must be .*\[0, 1\]/);
  assert.throws(() => losses.binaryFocalCrossentropy({ labelSmoothing: 1 }), /labelSmoothing must be a number in \[0, 1\)/);
  assert.throws(() => losses.binaryFocalCrossentropy({ fromLogits: 1 } as never), /fromLogits must be true or false/);
  assert.throws(() => losses.categoricalFocalCrossentropy({ gamma: -0.5 }), /categoricalFocalCrossentropy: gamma/);
  assert.throws(() => losses.categoricalFocalCrossentropy({ alpha: [] }), /alpha must not be an empty list/);
  assert.throws(() => losses.categoricalFocalCrossentropy({ alpha: [1, Number.NaN] }), /alpha\[1\]/);
  assert.throws(() => losses.sparseCategoricalFocalCrossentropy({ ignoreClass: 0.5 }), /ignoreClass must be an integer/);
  assert.throws(() => losses.sparseCategoricalFocalCrossentropy({ from_logits: true } as never), /unknown option 'from_logits'/);

  const x = tf.zeros([2, 3]);
  const cat = losses.categoricalFocalCrossentropy({ alpha: [1, 2] });
  assert.throws(() => cat(tf.zeros([2, 3]), x), /categoricalFocalCrossentropy: alpha has 2 entries but the prediction has 3 classes/);
  const sp = losses.sparseCategoricalFocalCrossentropy({ alpha: [1, 2, 3, 4] });
  assert.throws(() => sp(tf.zeros([2]), x), /sparseCategoricalFocalCrossentropy: alpha has 4 entries/);
  assert.throws(
    () => losses.sparseCategoricalFocalCrossentropy()(tf.zeros([3]), x),
    /labels of shape \[3\] do not fit a prediction of shape \[2,3\]/,
  );
  assert.throws(() => losses.categoricalFocalCrossentropy()(tf.zeros([2, 1]), x), /one-hot targets/);
  assert.throws(
    () => losses.binaryFocalCrossentropy({ axis: 2 })(x, x),
    /binaryFocalCrossentropy: axis must be an integer in \[-2, 1\] for a prediction of rank 2, got 2/,
  );
  x.dispose();
});

test('config round trip, names, and non-enumerable metadata', () => {
  const loss = losses.categoricalFocalCrossentropy({ alpha: [1, 2, 3], gamma: 1, fromLogits: true });
  assert.equal(loss.name, 'categoricalFocalCrossentropy');
  assert.equal(loss.className, 'CategoricalFocalCrossentropy');
  assert.deepEqual(Object.keys(loss), []); // tfjs-layers enumerates keys of a function loss
  const spec = losses.toConfig(loss);
  assert.deepEqual(spec, {
    className: 'CategoricalFocalCrossentropy',
    config: { alpha: [1, 2, 3], gamma: 1, fromLogits: true, labelSmoothing: 0, axis: -1, name: 'categoricalFocalCrossentropy' },
  });
  const again = losses.fromConfig(JSON.parse(JSON.stringify(spec)));
  assert.deepEqual(losses.toConfig(again), spec);
  const named = losses.binaryFocalCrossentropy({ name: 'focal' });
  assert.equal(named.name, 'focal');
  assert.deepEqual(losses.binaryFocalCrossentropy().getConfig(), {
    alpha: 0.25,
    gamma: 2,
    fromLogits: false,
    applyClassBalancing: false,
    labelSmoothing: 0,
    axis: -1,
    name: 'binaryFocalCrossentropy',
  });
  assert.deepEqual(losses.sparseCategoricalFocalCrossentropy().getConfig().ignoreClass, null);
  assert.throws(() => losses.fromConfig({ className: 'Nope' as never, config: {} }), /unknown focal loss class 'Nope'/);
  assert.throws(() => losses.fromConfig({ className: 'BinaryFocalCrossentropy', config: { beta: 1 } }), /unknown option 'beta'/);
  assert.equal(losses.isFocalLoss(loss), true);
  assert.equal(
    losses.isFocalLoss(() => 0),
    false,
  );
});

test('no tensor leaks; gradients finite at extreme inputs', () => {
  const x = tf.tensor2d([
    [-1e4, 0, 1e4],
    [50, -50, 0],
  ]);
  const yb = tf.tensor2d([
    [1, 0, 1],
    [0, 1, 1],
  ]);
  const yc = tf.tensor2d([
    [0, 1, 0],
    [0, 1, 0],
  ]);
  const lab = tf.tensor1d([2, 1], 'int32');
  const before = tf.memory().numTensors;
  const fns: Array<[(a: tf.Tensor, b: tf.Tensor) => tf.Tensor, tf.Tensor]> = [
    [losses.binaryFocalCrossentropy({ fromLogits: true, applyClassBalancing: true, labelSmoothing: 0.1 }), yb],
    [losses.categoricalFocalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }), yc],
    [losses.sparseCategoricalFocalCrossentropy({ fromLogits: true, ignoreClass: 1 }), lab],
    [losses.sparseCategoricalFocalCrossentropy({ fromLogits: true, gamma: 0.5 }), lab],
  ];
  for (const [fn, y] of fns) {
    const out = fn(y, x);
    const g = tf.grad((z: tf.Tensor) => fn(y, z).mean())(x);
    for (const v of [...out.dataSync(), ...g.dataSync()]) assert.ok(Number.isFinite(v), `${fn.name}: ${v}`);
    tf.dispose([out, g]);
  }
  assert.equal(tf.memory().numTensors, before, 'tensor count unchanged');
  tf.dispose([x, yb, yc, lab]);
});
