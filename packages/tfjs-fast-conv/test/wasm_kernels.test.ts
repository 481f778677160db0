/**
 * The wasm backend trains convolutions with the fast kernels registered: both gradients are
 * computed as forward convolutions in wasm's own XNNPACK Conv2D (src/wasm_forward_grads.ts).
 * Results are compared with tfjs-backend-cpu's own kernels, which accumulate in float64
 * (error: max abs error / max abs reference value ≤ 1e-5) over strides, paddings (including
 * padding beyond the filter and rows that no output reads), filter shapes and channel counts.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerFastConvKernels, unregisterFastConvKernels } from '../src/index.js';
import { type ConvCase, convAndGrads, randomTensor, relativeMaxError, seededRandom, trainLosses, useBackend } from './helpers.js';

type Case = ConvCase & { name: string };

function grid(): Case[] {
  const cases: Case[] = [];
  const sizes: [number, number][] = [
    [7, 9],
    [10, 10],
    [8, 5],
    [11, 6],
  ];
  const channels: [number, number][] = [
    [1, 3],
    [3, 8],
    [16, 4],
  ];
  let n = 0;
  for (const [kh, kw] of [
    [1, 1],
    [3, 3],
    [2, 3],
    [5, 5],
  ] as const) {
    for (const stride of [1, 2, 3]) {
      for (const pad of ['same', 'valid'] as const) {
        for (const [ci, co] of channels) {
          const [h, w] = sizes[n++ % sizes.length]!;
          if (pad === 'valid' && (h < kh || w < kw)) continue;
          cases.push({
            name: `k${kh}x${kw} s${stride} ${pad} ${h}x${w} ${ci}->${co}`,
            xShape: [2, h, w, ci],
            filterShape: [kh, kw, ci, co],
            stride,
            pad,
          });
        }
      }
    }
  }
  cases.push({
    name: 'explicit padding, asymmetric',
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
  cases.push({
    name: 'explicit padding wider than the filter',
    xShape: [1, 5, 6, 2],
    filterShape: [3, 2, 2, 3],
    stride: 2,
    pad: [
      [0, 0],
      [4, 3],
      [3, 5],
      [0, 0],
    ],
  });
  cases.push({ name: 'numeric pad 1, stride 2', xShape: [2, 8, 6, 5], filterShape: [3, 3, 5, 6], stride: 2, pad: 1 });
  cases.push({
    name: 'valid, stride 3: last row and column unread',
    xShape: [2, 10, 11, 3],
    filterShape: [3, 3, 3, 2],
    stride: 3,
    pad: 'valid',
  });
  return cases;
}

test('wasm in tfjs 4.22 has no Conv2DBackpropFilter of its own', async () => {
  await useBackend('wasm');
  assert.equal(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm'), undefined);
});

test('conv2d gradients on wasm match tfjs-backend-cpu over strides, paddings and shapes', async () => {
  const cases = grid();
  assert.ok(cases.length >= 70, `${cases.length} cases`);
  await useBackend('cpu');
  const refs = cases.map((c, i) => convAndGrads(c, 500 + i));
  registerFastConvKernels();
  try {
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    cases.forEach((c, i) => {
      const [fwd, dx, dw] = convAndGrads(c, 500 + i).map((g, j) => relativeMaxError(g, refs[i]![j]!));
      assert.ok(fwd! <= 1e-5, `${c.name} forward: ${fwd}`);
      assert.ok(dx! <= 1e-5, `${c.name} dx: ${dx}`);
      assert.ok(dw! <= 1e-5, `${c.name} dfilter: ${dw}`);
    });
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  } finally {
    unregisterFastConvKernels();
  }
});

test('the filter gradient keeps float32 accuracy at a training-size layer (16 images of 96×96)', async () => {
  const c: Case = { name: 'compare 96×96 first layer', xShape: [16, 96, 96, 8], filterShape: [3, 3, 8, 16], stride: 1, pad: 'same' };
  registerFastConvKernels();
  try {
    // The reference: this package's cpu loops, which accumulate in float64 (tfjs-backend-cpu's
    // own filter gradient would take half a minute here) and match tfjs-backend-cpu above.
    await useBackend('cpu');
    const ref = convAndGrads(c, 77);
    await useBackend('wasm');
    const [, dx, dw] = convAndGrads(c, 77).map((g, j) => relativeMaxError(g, ref[j]!));
    // 147,456 float32 products per filter entry: √147456 × 6e-8 ≈ 2.3e-5 is the error scale.
    assert.ok(dx! <= 1e-5, `dx: ${dx}`);
    assert.ok(dw! <= 2.5e-5, `dfilter: ${dw}`);
  } finally {
    unregisterFastConvKernels();
  }
});

test('no wasm memory is kept per call: the heap stays put over 300 gradient calls', async () => {
  registerFastConvKernels();
  try {
    await useBackend('wasm');
    const heap = () => (tf.backend() as unknown as { wasm: { HEAP8: Int8Array } }).wasm.HEAP8.length;
    const rand = seededRandom(5);
    const x = randomTensor([4, 24, 24, 8], rand) as tf.Tensor4D;
    const step = () =>
      tf.tidy(() => {
        // A new filter each call, as after every optimiser step: XNNPACK packs it each time.
        const w = randomTensor([3, 3, 8, 8], rand) as tf.Tensor4D;
        const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf
            .conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')
            .square()
            .sum(),
        )([x, w]);
        dx!.dataSync();
        dw!.dataSync();
      });
    for (let i = 0; i < 20; i++) step();
    const before = heap();
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 300; i++) step();
    assert.equal(heap(), before, 'the wasm heap grew');
    assert.equal(tf.memory().numTensors, tensors, 'tensors leaked');
    x.dispose();
  } finally {
    unregisterFastConvKernels();
  }
});

test('cases outside the fast path go to the native Conv2DBackpropInput', async () => {
  await useBackend('wasm');
  const native = tf.getKernel(tf.Conv2DBackpropInput, 'wasm')!;
  const rand = seededRandom(9);
  const dy = randomTensor([1, 6, 6, 4], rand);
  const filter = randomTensor([3, 3, 2, 4], rand);
  // Dilation 2 is not a case the forward-conv path covers.
  const attrs = { strides: [1, 1], pad: 'valid', dilations: [2, 2], inputShape: [1, 10, 10, 2], dataFormat: 'NHWC' };
  const direct = tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter }, attrs) as tf.Tensor;
  registerFastConvKernels();
  try {
    assert.notEqual(tf.getKernel(tf.Conv2DBackpropInput, 'wasm'), native);
    const routed = tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter }, attrs) as tf.Tensor;
    assert.deepEqual(routed.dataSync(), direct.dataSync());
    tf.dispose(routed);
  } finally {
    unregisterFastConvKernels();
  }
  assert.equal(tf.getKernel(tf.Conv2DBackpropInput, 'wasm'), native);
  tf.dispose([dy, filter, direct]);
});

test('a tf.layers conv net trains on wasm along the cpu loss curve', async () => {
  await useBackend('cpu');
  const ref = await trainLosses(6, 42);
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
