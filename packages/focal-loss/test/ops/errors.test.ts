import assert from 'node:assert/strict';
import test from 'node:test';
import {
  categoricalFocalLoss, sigmoidFocalLoss, sigmoidFocalLossStar, softmaxFocalLoss,
} from '../../src/index.js';
import { NODE_BACKENDS, tf, useBackend } from '../helpers/backends.js';

for (const backend of NODE_BACKENDS) {
  test(`${backend}: bad input raises an error naming the op and the argument, without leaking`, async () => {
    await useBackend(backend);
    const x = tf.tensor2d([[1, 2, 3], [0, -1, 2]]);
    const t = tf.tensor2d([[1, 0, 0], [0, 0, 1]]);
    const labels = tf.tensor1d([0, 2], 'int32');
    const column = tf.tensor2d([[0], [1]], undefined, 'int32');
    const fractional = tf.tensor1d([0, 1.5]);
    const outOfRange = tf.tensor1d([0, 3], 'int32');
    const notIgnored = tf.tensor1d([-1, 7], 'int32');
    const negative = tf.scalar(-2);
    const vector = tf.tensor1d([1, 2]);
    const cases: Array<[() => unknown, RegExp]> = [
      [() => sigmoidFocalLoss(x, [[1, 0], [0, 1]]), /sigmoidFocalLoss: targets shape \[2, 2\] must equal the logits' shape \[2, 3\]/],
      [() => categoricalFocalLoss(x, [[1, 0, 0]]), /categoricalFocalLoss: targets shape \[1, 3\] must equal/],
      [() => softmaxFocalLoss(x, column), /softmaxFocalLoss: labels shape \[2, 1\] must be the logits' shape \[2, 3\] without the class axis 1, i.e. \[2\]/],
      [() => softmaxFocalLoss(x, fractional), /softmaxFocalLoss: labels\[1\] = 1.5 is not an integer in \[0, 3\)/],
      [() => softmaxFocalLoss(x, outOfRange), /softmaxFocalLoss: labels\[1\] = 3 is not an integer in \[0, 3\)/],
      [() => softmaxFocalLoss(x, notIgnored, { ignoreIndex: -1 }), /labels\[1\] = 7 is not an integer in \[0, 3\) and is not ignoreIndex \(-1\)/],
      [() => sigmoidFocalLoss(x, t, { alpha: 1.5 }), /sigmoidFocalLoss: alpha must be a number in \[0, 1\] or null, got 1.5/],
      [() => softmaxFocalLoss(x, labels, { alpha: [0.2, 0.8] }), /softmaxFocalLoss: alpha has 2 entries but the logits have 3 classes/],
      [() => categoricalFocalLoss(x, t, { alpha: [0.2, 0.8, -1] }), /categoricalFocalLoss: every alpha must be a number in \[0, 1\], got -1/],
      [() => sigmoidFocalLoss(x, t, { gamma: -0.5 }), /sigmoidFocalLoss: gamma must be a finite number >= 0, got -0.5/],
      [() => softmaxFocalLoss(x, labels, { gamma: NaN }), /softmaxFocalLoss: gamma must be a finite number >= 0, got NaN/],
      [() => sigmoidFocalLossStar(x, t, { gamma: 0 }), /sigmoidFocalLossStar: gamma must be a finite number > 0, got 0/],
      [() => sigmoidFocalLossStar(x, t, { beta: Infinity }), /sigmoidFocalLossStar: beta must be a finite number, got Infinity/],
      [() => sigmoidFocalLoss(x, t, { reduction: 'avg' as never }), /sigmoidFocalLoss: reduction must be one of 'none', 'sum', 'mean', got "avg"/],
      [() => sigmoidFocalLoss(x, t, { normalizer: 0 }), /sigmoidFocalLoss: normalizer must be a finite number > 0, got 0/],
      [() => softmaxFocalLoss(x, labels, { normalizer: negative }), /softmaxFocalLoss: normalizer must be a finite number > 0, got -2/],
      [() => softmaxFocalLoss(x, labels, { normalizer: vector as never }), /softmaxFocalLoss: normalizer must be a number or a scalar tensor, got a tensor of shape \[2\]/],
      [() => softmaxFocalLoss(x, labels, { axis: 2 }), /softmaxFocalLoss: axis must be an integer in \[-2, 1\] for logits of rank 2, got 2/],
      [() => categoricalFocalLoss(x, t, { labelSmoothing: 1 }), /categoricalFocalLoss: labelSmoothing must be a number in \[0, 1\), got 1/],
      [() => sigmoidFocalLoss(x, t, { gama: 2 } as never), /sigmoidFocalLoss: unknown option 'gama'/],
      [() => sigmoidFocalLoss(x, t, { weights: [1, 2] }), /sigmoidFocalLoss: weights shape \[2\] does not broadcast to the per-element loss shape \[2, 3\]/],
      [() => softmaxFocalLoss(x, labels, { ignoreIndex: 0.5 }), /softmaxFocalLoss: ignoreIndex must be an integer, got 0.5/],
      [() => sigmoidFocalLoss(undefined as never, t), /sigmoidFocalLoss: argument 'logits' is required/],
    ];
    for (const [call, message] of cases) {
      const before = tf.memory().numTensors;
      assert.throws(call, message);
      assert.equal(tf.memory().numTensors, before, `tensors leaked by the failing call expecting ${message}`);
    }
    tf.dispose([x, t, labels, column, fractional, outOfRange, notIgnored, negative, vector]);
  });
}
