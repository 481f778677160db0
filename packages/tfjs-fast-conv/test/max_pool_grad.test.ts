/**
 * wasm's MaxPoolGrad replacement (src/max_pool_grad.ts) gives tfjs-backend-cpu's gradients of
 * tf.maxPool exactly, ties included (the first largest input of a window takes the gradient),
 * over filter sizes, strides and paddings.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerFastConvKernels, unregisterFastConvKernels } from '../src/index.js';
import { seededRandom, useBackend } from './helpers.js';

interface PoolCase {
  shape: [number, number, number, number];
  filter: number | [number, number];
  stride: number | [number, number];
  pad: 'same' | 'valid' | number;
  /** Inputs drawn from {0, 1, 2}, so that windows have ties. */
  ties: boolean;
}

const CASES: PoolCase[] = [];
for (const ties of [false, true]) {
  CASES.push({ shape: [2, 8, 8, 3], filter: 2, stride: 2, pad: 'same', ties });
  CASES.push({ shape: [2, 9, 7, 4], filter: 2, stride: 2, pad: 'same', ties });
  CASES.push({ shape: [1, 9, 7, 2], filter: 3, stride: 2, pad: 'valid', ties });
  CASES.push({ shape: [2, 6, 10, 1], filter: [3, 2], stride: [1, 2], pad: 'same', ties });
  CASES.push({ shape: [1, 7, 7, 5], filter: 3, stride: 1, pad: 1, ties });
}

function poolGrad(c: PoolCase, seed: number): Float32Array {
  return tf.tidy(() => {
    const rand = seededRandom(seed);
    const n = c.shape.reduce((p, d) => p * d, 1);
    const x = tf.tensor4d(
      Float32Array.from({ length: n }, () => (c.ties ? Math.floor(rand() * 3) : rand())),
      c.shape,
    );
    const out = tf.maxPool(x, c.filter, c.stride, c.pad);
    const dy = tf.tensor(
      Float32Array.from({ length: out.size }, () => rand() * 2 - 1),
      out.shape,
    );
    return tf
      .grad((a: tf.Tensor) =>
        tf
          .maxPool(a as tf.Tensor4D, c.filter, c.stride, c.pad)
          .mul(dy)
          .sum(),
      )(x)
      .dataSync() as Float32Array;
  });
}

test('MaxPoolGrad on wasm equals tfjs-backend-cpu, ties included', async () => {
  await useBackend('cpu');
  const want = CASES.map((c, i) => poolGrad(c, 40 + i));
  registerFastConvKernels();
  try {
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    CASES.forEach((c, i) => assert.deepEqual(poolGrad(c, 40 + i), want[i], `case ${i}: ${JSON.stringify(c)}`));
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  } finally {
    unregisterFastConvKernels();
  }
  assert.equal(tf.getKernel(tf.MaxPoolGrad, 'wasm')?.kernelName, tf.MaxPoolGrad, "wasm's own kernel is back");
});
