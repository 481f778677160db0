/**
 * The wasm backend can train convolutions once the fast kernels are registered.
 * Results are compared with tfjs-backend-cpu's own kernels (error: max abs error /
 * max abs reference value ≤ 1e-5). On wasm the forward pass (XNNPACK) and the input
 * gradient stay wasm's native kernels; only the weight gradient is ours.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerFastConvKernels, unregisterFastConvKernels } from '../src/index.js';
import { wasmBackpropInputConfig } from '../src/wasm_kernels.js';
import { type ConvCase, convAndGrads, relativeMaxError, trainLosses, useBackend } from './helpers.js';

type Case = ConvCase;

const CASES: Case[] = [
  { xShape: [2, 7, 9, 3], filterShape: [3, 3, 3, 8], stride: 1, pad: 'same' },
  { xShape: [4, 9, 7, 8], filterShape: [5, 5, 8, 4], stride: 2, pad: 'valid' },
  { xShape: [1, 5, 5, 32], filterShape: [1, 1, 32, 32], stride: 1, pad: 'valid' },
  { xShape: [3, 9, 9, 1], filterShape: [3, 3, 1, 16], stride: 2, pad: 'same' },
];

async function onBackend<T>(name: string, f: () => T | Promise<T>): Promise<T> {
  await useBackend(name);
  return f();
}

test('wasm in tfjs 4.22 has no Conv2DBackpropFilter of its own', async () => {
  await useBackend('wasm');
  assert.equal(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm'), undefined);
});

test('conv2d gradients on wasm match tfjs-backend-cpu', async () => {
  const refs = await onBackend('cpu', () => CASES.map((c, i) => convAndGrads(c, 500 + i)));
  registerFastConvKernels();
  try {
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    CASES.forEach((c, i) => {
      const got = convAndGrads(c, 500 + i);
      const [fwd, dx, dw] = got.map((g, j) => relativeMaxError(g, refs[i]![j]!));
      assert.ok(fwd! <= 1e-5, `case ${i} forward: ${fwd}`);
      assert.ok(dx! <= 1e-5, `case ${i} dx: ${dx}`);
      assert.ok(dw! <= 1e-5, `case ${i} dfilter: ${dw}`);
    });
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  } finally {
    unregisterFastConvKernels();
  }
});

test('the fallback wasm Conv2DBackpropInput matches tfjs-backend-cpu', async () => {
  const refs = await onBackend('cpu', () => CASES.map((c, i) => convAndGrads(c, 700 + i)));
  await useBackend('wasm');
  // Swap the native kernel out for the JS one for this test only.
  const native = tf.getKernel(tf.Conv2DBackpropInput, 'wasm')!;
  tf.unregisterKernel(tf.Conv2DBackpropInput, 'wasm');
  tf.registerKernel(wasmBackpropInputConfig);
  registerFastConvKernels();
  const before = tf.memory().numTensors;
  try {
    CASES.forEach((c, i) => {
      const err = relativeMaxError(convAndGrads(c, 700 + i)[1]!, refs[i]![1]!);
      assert.ok(err <= 1e-5, `case ${i} dx: ${err}`);
    });
  } finally {
    unregisterFastConvKernels();
    tf.unregisterKernel(tf.Conv2DBackpropInput, 'wasm');
    tf.registerKernel(native);
  }
  assert.equal(tf.getKernel(tf.Conv2DBackpropInput, 'wasm'), native);
  assert.equal(tf.memory().numTensors, before, 'tensors leaked');
});

test('a tf.layers conv net trains on wasm along the cpu loss curve', async () => {
  const ref = await onBackend('cpu', () => trainLosses(6, 42));
  registerFastConvKernels();
  try {
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    const got = await trainLosses(6, 42);
    assert.ok(got.losses[5]! < got.losses[0]!, `loss should fall: ${got.losses}`);
    const err = relativeMaxError(got.losses, ref.losses);
    assert.ok(err <= 1e-5, `losses ${got.losses} vs ${ref.losses}`);
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  } finally {
    unregisterFastConvKernels();
  }
  assert.equal(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm'), undefined);
});
