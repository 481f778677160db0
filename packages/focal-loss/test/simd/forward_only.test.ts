/**
 * Inference does not pay for the gradient: with no tape recording, the cpu and wasm fused
 * kernels return an empty gradient placeholder (tf.profile shows the kernel's output shapes);
 * inside tf.grad they return the full gradient. Same loss either way (reduced and per
 * element), on the SIMD path and on the JS loops (SIMD forced off; on wasm that includes the
 * native-Softmax path), for every fused op; no tensor leaks.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import {
  categoricalFocalLoss,
  distributionFocalLoss,
  polyFocalLoss,
  sigmoidFocalLoss,
  sigmoidFocalLossStar,
  softmaxFocalLoss,
} from '../../src/index.js';
import {
  CATEGORICAL_FOCAL_LOSS,
  DISTRIBUTION_FOCAL_LOSS,
  ELEMENTWISE_FOCAL_LOSS,
  SIGMOID_FOCAL_LOSS,
  SOFTMAX_FOCAL_LOSS,
} from '../../src/kernels/kernel_names.js';
import { setFocalLossSimd } from '../../src/kernels/simd/index.js';
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
  for (const simd of [true, false]) {
    test(`${backend}, SIMD ${simd ? 'on' : 'off'}: no tape recording → the fused kernels skip the gradient; under tf.grad they compute it`, async () => {
      await useBackend(backend);
      setFocalLossSimd(simd);
      const before = tf.memory().numTensors;
      const x = tf.tensor(
        Float32Array.from(uniforms(4 * 6, 1), (u) => u * 4 - 2),
        [4, 6],
      );
      const targets = tf.tensor(
        Float32Array.from(uniforms(4 * 6, 2), (u) => (u < 0.3 ? 1 : 0)),
        [4, 6],
      );
      const labels = tf.tensor([0, 5, 2, 3], [4], 'int32');
      const columnLabels = tf.tensor([0, 3, 2, 1, 1, 0], [6], 'int32');
      const oneHot = tf.tidy(() => tf.oneHot(labels, 6).toFloat());
      const bins = tf.tensor([0.5, 4.2, 3, 1.7], [4]);
      const ops: Array<[string, string, (z: tf.Tensor, reduction: 'mean' | 'none') => tf.Tensor]> = [
        ['sigmoid', SIGMOID_FOCAL_LOSS, (z, reduction) => sigmoidFocalLoss(z, targets, { reduction })],
        ['FL*', SIGMOID_FOCAL_LOSS, (z, reduction) => sigmoidFocalLossStar(z, targets, { reduction })],
        ['softmax', SOFTMAX_FOCAL_LOSS, (z, reduction) => softmaxFocalLoss(z, labels, { reduction })],
        ['softmax, class axis 0', SOFTMAX_FOCAL_LOSS, (z, reduction) => softmaxFocalLoss(z, columnLabels, { axis: 0, reduction })],
        ['categorical', CATEGORICAL_FOCAL_LOSS, (z, reduction) => categoricalFocalLoss(z, oneHot, { reduction })],
        ['poly', ELEMENTWISE_FOCAL_LOSS, (z, reduction) => polyFocalLoss(z, targets, { reduction })],
        ['distribution', DISTRIBUTION_FOCAL_LOSS, (z, reduction) => distributionFocalLoss(z, bins, { regMax: 5, reduction })],
      ];
      try {
        for (const [what, name, op] of ops) {
          const forward = await kernelOutputShapes(name, () => op(x, 'mean'));
          assert.deepEqual(forward, [[], [0]], `${what} forward only`);
          let gradLoss = NaN;
          const info = await tf.profile(() => {
            const { value, grad } = tf.valueAndGrad((z: tf.Tensor) => op(z, 'mean') as tf.Scalar)(x);
            gradLoss = value.dataSync()[0];
            tf.dispose([value, grad]);
          });
          const taped = info.kernels.find((k) => k.name === name)!.outputShapes;
          assert.deepEqual(taped, [[], [4, 6]], `${what} under a tape`);
          const plain = tf.tidy(() => op(x, 'mean').dataSync()[0]);
          assert.equal(plain, gradLoss, `${what}: forward-only loss differs from the taped one`);
          // Per element (or row): the forward-only values are the taped ones, bit for bit.
          const plainNone = tf.tidy(() => Array.from(op(x, 'none').dataSync()));
          let tapedNone: number[] = [];
          tf.tidy(() => {
            tf.grad((z: tf.Tensor) => {
              const loss = op(z, 'none');
              tapedNone = Array.from(loss.dataSync());
              return loss.sum();
            })(x);
          });
          assert.deepEqual(plainNone, tapedNone, `${what}: forward-only per-element losses differ from the taped ones`);
        }
      } finally {
        setFocalLossSimd(null);
      }
      tf.dispose([x, targets, labels, columnLabels, oneHot, bins]);
      assert.equal(tf.memory().numTensors, before, 'tensors leaked');
    });
  }
}
