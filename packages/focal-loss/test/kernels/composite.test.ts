/**
 * The composite (plain tf ops) kernels against the float64 reference fixtures, called
 * directly on the cpu backend with the attrs the ops would pass (kernel_names.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { compositeFocalKernels } from '../../src/kernels/composite.js';
import {
  CATEGORICAL_FOCAL_LOSS,
  SIGMOID_FOCAL_LOSS,
  SOFTMAX_FOCAL_LOSS,
} from '../../src/kernels/kernel_names.js';
import {
  GRAD_TOL, LOSS_TOL, REFERENCE_FILES, type ReferenceCase as FixtureCase, assertClose, loadReferenceFile,
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
