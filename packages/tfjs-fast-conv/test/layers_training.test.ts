/**
 * A tfjs-layers conv net trains along the same loss curve with and without the fast
 * kernels on cpu (relative difference of each loss and of the final weights ≤ 1e-5).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { registerFastConvKernels, unregisterFastConvKernels } from '../src/index.js';
import { relativeMaxError, trainLosses, useBackend } from './helpers.js';

test('tf.layers.conv2d model: same loss curve with and without the fast kernels', async () => {
  await useBackend('cpu');
  const before = tf.memory().numTensors;
  const ref = await trainLosses(6, 42);
  registerFastConvKernels();
  let fast: Awaited<ReturnType<typeof trainLosses>>;
  try {
    fast = await trainLosses(6, 42);
  } finally {
    unregisterFastConvKernels();
  }
  assert.ok(ref.losses[5]! < ref.losses[0]!, `loss should fall: ${ref.losses}`);
  const lossErr = relativeMaxError(fast.losses, ref.losses);
  assert.ok(lossErr <= 1e-5, `losses ${fast.losses} vs ${ref.losses}`);
  ref.weights.forEach((w, i) => {
    const err = relativeMaxError(fast.weights[i]!, w);
    assert.ok(err <= 1e-5, `weight ${i}: relative error ${err}`);
  });
  assert.equal(tf.memory().numTensors, before, 'tensors leaked');
});
