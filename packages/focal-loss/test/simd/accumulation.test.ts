/**
 * The reduced loss accumulates in float64: at 10^7 elements the SIMD path's sum and mean are
 * within 1e-6 relative of the float64 core's (whose own rounding is ~1e-9 there), directly
 * and through the op on the cpu backend.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { sigmoidFocalLossInto } from '../../src/core/index.js';
import { sigmoidFocalLoss } from '../../src/index.js';
import { activeSimdKernels, setFocalLossSimd, sigmoidSimdInto } from '../../src/kernels/simd/index.js';
import { tf, useBackend } from '../helpers/backends.js';
import { uniforms } from './helpers.js';

const N = 10_000_000;
const BOUND = 1e-6;

test('SIMD sigmoid focal loss over 10^7 elements: reduced loss within 1e-6 relative of float64', async () => {
  const logits = Float32Array.from(uniforms(N, 21), (u) => (u - 0.5) * 12);
  const targets = Float32Array.from(uniforms(N, 23), (u) => (u < 0.1 ? 1 : 0));
  const options = { mode: 'focal' as const, alpha: 0.25, gamma: 2, beta: 0, labelSmoothing: 0, reduction: 'sum' as const };
  const exact = sigmoidFocalLossInto(logits, targets, null, options, null, new Float64Array(N));
  setFocalLossSimd(true);
  try {
    const k = activeSimdKernels();
    assert.ok(k !== null);
    const sum = sigmoidSimdInto(k, logits, targets, null, options, null, new Float32Array(N));
    const relSum = Math.abs(sum - exact) / exact;
    assert.ok(relSum <= BOUND, `sum: relative error ${relSum}`);
    await useBackend('cpu');
    const mean = tf.tidy(() => sigmoidFocalLoss(tf.tensor(logits), tf.tensor(targets)).dataSync()[0]);
    // The op returns float32: its rounding (<= 6e-8) is inside the bound.
    const relMean = Math.abs(mean - exact / N) / (exact / N);
    assert.ok(relMean <= BOUND, `mean through the op: relative error ${relMean}`);
    // A float32 running sum would not meet the bound here, so the test can tell the difference.
    let f32 = Math.fround(0);
    const perElement = new Float32Array(N);
    sigmoidSimdInto(k, logits, targets, null, { ...options, reduction: 'none' }, perElement, null);
    for (let i = 0; i < N; i++) f32 = Math.fround(f32 + perElement[i]);
    assert.ok(Math.abs(f32 - exact) / exact > BOUND, 'a float32 running sum met the bound too: the test is not discriminating');
  } finally {
    setFocalLossSimd(null);
  }
});
