/**
 * FusedAdam (src/compare/adam.ts) follows tf.train.adam: the same variables after 25 steps of
 * the same problem, on cpu and on wasm, within float32 rounding; no tensors left behind.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { mulberry32 } from 'focal-loss/core';
import { FusedAdam } from '../../src/compare/adam.js';
import { useBackend } from '../../../focal-loss/test/helpers/use_backend.js';

/** A small logistic regression with a hidden layer: two weight matrices and a bias. */
function problem(seed: number) {
  const rand = mulberry32(seed);
  const values = (n: number) => Float32Array.from({ length: n }, () => rand() * 2 - 1);
  const x = tf.tensor2d(values(64 * 5), [64, 5]);
  const y = tf.tensor2d(
    Float32Array.from({ length: 64 }, () => (rand() < 0.3 ? 1 : 0)),
    [64, 1],
  );
  const initial = [tf.tensor2d(values(5 * 8), [5, 8]), tf.zeros([8]), tf.tensor2d(values(8), [8, 1])];
  const variables = initial.map((t) => tf.variable(t));
  tf.dispose(initial);
  const loss = () =>
    tf.tidy(() => {
      const h = tf.relu(tf.add(tf.matMul(x, variables[0]!), variables[1]!));
      return tf.losses.sigmoidCrossEntropy(y, tf.matMul(h, variables[2]!)) as tf.Scalar;
    });
  return { variables, loss, dispose: () => tf.dispose([x, y, ...variables]) };
}

function train(fused: boolean, steps: number): { losses: number[]; weights: Float32Array[] } {
  const p = problem(3);
  const reference = fused ? null : tf.train.adam(0.05);
  const adam = fused ? new FusedAdam(0.05) : null;
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const cost = adam ? adam.minimize(p.loss, p.variables) : reference!.minimize(p.loss, true, p.variables)!;
    losses.push(cost.dataSync()[0]!);
    cost.dispose();
  }
  const weights = p.variables.map((v) => v.dataSync() as Float32Array);
  reference?.dispose();
  p.dispose();
  return { losses, weights };
}

for (const backend of ['cpu', 'wasm']) {
  test(`FusedAdam takes tf.train.adam's steps on ${backend}`, async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const want = train(false, 25);
    const got = train(true, 25);
    assert.ok(got.losses[24]! < got.losses[0]! * 0.9, `the loss falls: ${got.losses[0]} → ${got.losses[24]}`);
    got.losses.forEach((l, i) =>
      assert.ok(Math.abs(l - want.losses[i]!) <= 1e-5 * Math.abs(want.losses[i]!), `step ${i}: ${l} vs ${want.losses[i]}`),
    );
    got.weights.forEach((w, j) =>
      w.forEach((v, i) => assert.ok(Math.abs(v - want.weights[j]![i]!) <= 2e-5, `variable ${j}[${i}]: ${v} vs ${want.weights[j]![i]}`)),
    );
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  });
}

test('FusedAdam refuses a learning rate that is not positive', () => {
  assert.throws(() => new FusedAdam(0), /learningRate must be > 0/);
  assert.throws(() => new FusedAdam(Number.NaN), /learningRate must be > 0/);
});
