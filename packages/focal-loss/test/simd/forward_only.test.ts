/**
 * Inference does not pay for the gradient: with no tape recording, the cpu and wasm fused
 * kernels return an empty gradient placeholder (tf.profile shows the kernel's output shapes);
 * inside tf.grad they return the full gradient. Same loss either way; no tensor leaks.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { categoricalFocalLoss, sigmoidFocalLoss, softmaxFocalLoss } from '../../src/index.js';
import { SIGMOID_FOCAL_LOSS, SOFTMAX_FOCAL_LOSS, CATEGORICAL_FOCAL_LOSS } from '../../src/kernels/kernel_names.js';
import { NODE_BACKENDS, tf, useBackend } from '../helpers/backends.js';
import { uniforms } from './helpers.js';

async function kernelOutputShapes(kernelName: string, fn: () => tf.Tensor): Promise<number[][]> {
  const info = await tf.profile(() => {
    const out = fn();
    out.dataSync();
    out.dispose();
  });
  const kernel = info.kernels.find((k) => k.name === kernelName);
  assert.ok(kernel !== undefined, `${kernelName} did not run`);
  return kernel.outputShapes;
}

for (const backend of NODE_BACKENDS) {
  test(`${backend}: no tape recording → the fused kernels skip the gradient; under tf.grad they compute it`, async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const x = tf.tensor(Float32Array.from(uniforms(4 * 6, 1), (u) => u * 4 - 2), [4, 6]);
    const targets = tf.tensor(Float32Array.from(uniforms(4 * 6, 2), (u) => (u < 0.3 ? 1 : 0)), [4, 6]);
    const labels = tf.tensor([0, 5, 2, 3], [4], 'int32');
    const oneHot = tf.tidy(() => tf.oneHot(labels, 6).toFloat());
    const ops: Array<[string, (z: tf.Tensor) => tf.Tensor]> = [
      [SIGMOID_FOCAL_LOSS, (z) => sigmoidFocalLoss(z, targets)],
      [SOFTMAX_FOCAL_LOSS, (z) => softmaxFocalLoss(z, labels)],
      [CATEGORICAL_FOCAL_LOSS, (z) => categoricalFocalLoss(z, oneHot)],
    ];
    for (const [name, op] of ops) {
      const forward = await kernelOutputShapes(name, () => op(x));
      assert.deepEqual(forward, [[], [0]], `${name} forward only`);
      let taped: number[][] = [];
      let gradLoss = NaN;
      const info = await tf.profile(() => {
        const { value, grad } = tf.valueAndGrad((z: tf.Tensor) => op(z) as tf.Scalar)(x);
        gradLoss = value.dataSync()[0];
        tf.dispose([value, grad]);
      });
      taped = info.kernels.find((k) => k.name === name)!.outputShapes;
      assert.deepEqual(taped, [[], [4, 6]], `${name} under a tape`);
      const plain = tf.tidy(() => op(x).dataSync()[0]);
      assert.equal(plain, gradLoss, `${name}: forward-only loss differs from the taped one`);
    }
    tf.dispose([x, targets, labels, oneHot]);
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  });
}
