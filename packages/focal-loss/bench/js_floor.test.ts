/**
 * The JS floor computes the same loss and gradient as the library's core loops, so that
 * "vs JS floor" compares equal work. Run with `node --import tsx --test bench/js_floor.test.ts`
 * (the package's `npm test` runs test/ only).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { sigmoidFocalLossInto, softmaxFocalLossInto } from '../src/core/index.js';
import { ALPHA, GAMMA, sigmoidData, softmaxData } from './data.js';
import { sigmoidFloor, softmaxFloor } from './js_floor.js';

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    assert.ok(d <= tol * Math.abs(expected[i]) + 1e-15, `element ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

test('sigmoid floor matches the core loop', () => {
  const data = sigmoidData(10_000);
  const grad = new Float32Array(data.logits.length);
  const reference = new Float64Array(data.logits.length);
  const options = { mode: 'focal' as const, alpha: ALPHA, gamma: GAMMA, beta: 0, labelSmoothing: 0, reduction: 'mean' as const };
  const expected = sigmoidFocalLossInto(data.logits, data.targets, null, options, null, reference);
  const loss = sigmoidFloor(data, grad);
  assert.ok(Math.abs(loss - expected) <= 1e-12 * Math.abs(expected), `${loss} vs ${expected}`);
  assertClose(grad, reference, 1e-6);
});

for (const n of [10_000, 200_000]) {
  test(`softmax floor matches the core loop (${n} elements)`, () => {
    const data = softmaxData(n);
    const [rows, classes] = data.shape;
    const grad = new Float32Array(data.logits.length);
    const reference = new Float64Array(data.logits.length);
    const options = { alpha: new Array<number>(classes).fill(ALPHA), gamma: GAMMA, ignoreIndex: null, reduction: 'mean' as const };
    const expected = softmaxFocalLossInto(
      data.logits,
      data.labels,
      null,
      { outer: rows, classes, inner: 1 },
      options,
      null,
      reference,
    ).loss;
    const loss = softmaxFloor(data, grad);
    assert.ok(Math.abs(loss - expected) <= 1e-12 * Math.abs(expected), `${loss} vs ${expected}`);
    assertClose(grad, reference, 1e-6);
  });
}
