/**
 * The fast cpu kernels against tfjs-backend-cpu's own, on seeded random inputs.
 * Error measure everywhere: max abs error / max abs reference value ≤ 1e-5.
 * Reference shapes stay small: the original weight gradient runs at ~4 M
 * multiply-adds/s.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { fastConvKernelsRegistered, registerFastConvKernels, unregisterFastConvKernels } from '../src/index.js';
import { type ConvCase, convAndGrads, randomTensor, relativeMaxError, seededRandom, useBackend } from './helpers.js';

const TOLERANCE = 1e-5;

interface Case extends ConvCase {
  name: string;
}

function gridCases(): Case[] {
  const sizes: [number, number][] = [
    [5, 7],
    [7, 5],
    [9, 7],
    [7, 9],
  ];
  const channels: [number, number][] = [
    [1, 3],
    [3, 8],
    [8, 32],
    [32, 1],
    [32, 32],
  ];
  const cases: Case[] = [];
  let n = 0;
  for (const k of [1, 3, 5]) {
    for (const stride of [1, 2]) {
      for (const pad of ['same', 'valid'] as const) {
        for (const batch of [1, 4]) {
          for (const [ci, co] of channels) {
            const [h, w] = sizes[n++ % sizes.length]!;
            cases.push({
              name: `k${k} s${stride} ${pad} b${batch} ${h}x${w} ${ci}->${co}`,
              xShape: [batch, h, w, ci],
              filterShape: [k, k, ci, co],
              stride,
              pad,
            });
          }
        }
      }
    }
  }
  // Explicit and numeric padding, even sizes, asymmetric 'same' padding.
  cases.push({
    name: 'explicit pad',
    xShape: [2, 6, 7, 3],
    filterShape: [3, 3, 3, 4],
    stride: 1,
    pad: [
      [0, 0],
      [1, 2],
      [2, 0],
      [0, 0],
    ],
  });
  cases.push({ name: 'numeric pad 1 stride 2', xShape: [2, 8, 6, 5], filterShape: [3, 3, 5, 6], stride: 2, pad: 1 });
  cases.push({ name: 'non-square kernel even size', xShape: [3, 8, 10, 4], filterShape: [2, 3, 4, 5], stride: 2, pad: 'same' });
  return cases;
}

function compareCases(cases: Case[]): void {
  const refs = cases.map((c, i) => convAndGrads(c, 1000 + i));
  registerFastConvKernels();
  try {
    cases.forEach((c, i) => {
      const fast = convAndGrads(c, 1000 + i);
      ['forward', 'dx', 'dfilter'].forEach((what, j) => {
        const err = relativeMaxError(fast[j]!, refs[i]![j]!);
        assert.ok(err <= TOLERANCE, `${c.name} ${what}: relative error ${err}`);
      });
    });
  } finally {
    unregisterFastConvKernels();
  }
}

test.before(async () => {
  await useBackend('cpu');
});

test('forward and both gradients match tfjs-backend-cpu over the shape grid', () => {
  const before = tf.memory().numTensors;
  compareCases(gridCases());
  assert.equal(tf.memory().numTensors, before, 'tensors leaked');
});

test('FusedConv2D with bias and activations matches the original kernel', () => {
  const rand = seededRandom(7);
  const x = randomTensor([3, 7, 9, 5], rand) as tf.Tensor4D;
  const w = randomTensor([3, 3, 5, 6], rand) as tf.Tensor4D;
  const bias = randomTensor([6], rand) as tf.Tensor1D;
  const scalarBias = tf.scalar(0.3);
  const alpha = tf.tensor1d([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
  const before = tf.memory().numTensors;
  const run = () =>
    (['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu'] as const).flatMap((activation) =>
      [bias, scalarBias].map((b) =>
        tf.tidy(() =>
          tf.fused
            .conv2d({
              x,
              filter: w,
              strides: 2,
              pad: 'same',
              bias: b,
              activation,
              preluActivationWeights: activation === 'prelu' ? alpha : undefined,
              leakyreluAlpha: 0.15,
            })
            .dataSync(),
        ),
      ),
    );
  const ref = run();
  registerFastConvKernels();
  try {
    const fast = run();
    ref.forEach((r, i) => {
      const err = relativeMaxError(fast[i]!, r);
      assert.ok(err <= TOLERANCE, `fused case ${i}: relative error ${err}`);
    });
  } finally {
    unregisterFastConvKernels();
  }
  assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  tf.dispose([x, w, bias, scalarBias, alpha]);
});

test('conv2dTranspose, which runs Conv2DBackpropInput forward, and its gradients match', () => {
  const before = tf.memory().numTensors;
  const run = () =>
    tf.tidy(() => {
      const rand = seededRandom(23);
      const x = randomTensor([2, 5, 7, 8], rand) as tf.Tensor4D;
      const w = randomTensor([3, 3, 4, 8], rand) as tf.Tensor4D;
      const f = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.conv2dTranspose(a, b, [2, 10, 14, 4], 2, 'same');
      const y = f(x, w);
      const dy = randomTensor(y.shape, rand);
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        f(a as tf.Tensor4D, b as tf.Tensor4D)
          .mul(dy)
          .sum(),
      )([x, w]);
      return [y, dx!, dw!].map((t) => t.dataSync() as Float32Array);
    });
  const ref = run();
  registerFastConvKernels();
  try {
    const fast = run();
    ref.forEach((r, i) => {
      const err = relativeMaxError(fast[i]!, r);
      assert.ok(err <= TOLERANCE, `output ${i}: relative error ${err}`);
    });
  } finally {
    unregisterFastConvKernels();
  }
  assert.equal(tf.memory().numTensors, before, 'tensors leaked');
});

test('cases outside the fast path (NCHW, dilation 2) fall back to the original kernels', () => {
  const before = tf.memory().numTensors;
  const rand = seededRandom(11);
  const x = randomTensor([2, 4, 7, 7], rand) as tf.Tensor4D;
  const w = randomTensor([3, 3, 4, 5], rand) as tf.Tensor4D;
  const xh = randomTensor([2, 9, 9, 4], rand) as tf.Tensor4D;
  const run = () => [
    tf.tidy(() => tf.conv2d(x, w, 1, 'same', 'NCHW').dataSync()),
    tf.tidy(() => tf.conv2d(xh, w, 1, 'same', 'NHWC', 2).dataSync()),
  ];
  const ref = run();
  registerFastConvKernels();
  try {
    const fast = run();
    ref.forEach((r, i) => assert.deepEqual(fast[i], r));
  } finally {
    unregisterFastConvKernels();
  }
  tf.dispose([x, w, xh]);
  assert.equal(tf.memory().numTensors, before, 'tensors leaked');
});

test('register is idempotent and unregister restores the original kernel configs', () => {
  const names = [tf.Conv2D, tf.FusedConv2D, tf.Conv2DBackpropFilter, tf.Conv2DBackpropInput];
  const originals = names.map((n) => tf.getKernel(n, 'cpu'));
  const wasmFilterBefore = tf.getKernel(tf.Conv2DBackpropFilter, 'wasm');
  registerFastConvKernels();
  registerFastConvKernels();
  assert.ok(fastConvKernelsRegistered());
  names.forEach((n, i) => assert.notEqual(tf.getKernel(n, 'cpu'), originals[i]));
  assert.ok(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm') !== undefined);
  unregisterFastConvKernels();
  unregisterFastConvKernels();
  assert.ok(!fastConvKernelsRegistered());
  names.forEach((n, i) => assert.equal(tf.getKernel(n, 'cpu'), originals[i]));
  assert.equal(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm'), wasmFilterBefore);
});
