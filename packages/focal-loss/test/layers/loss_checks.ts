/** What the tfjs-layers loss tests share: an elementwise tolerance check and reading a tensor once. */
import assert from 'node:assert/strict';
import type * as tf from '@tensorflow/tfjs';

export function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5, msg = ''): void {
  assert.equal(actual.length, expected.length, `${msg} length`);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const e = expected[i];
    assert.ok(Number.isFinite(a), `${msg} [${i}] not finite: ${a}`);
    assert.ok(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)), `${msg} [${i}]: ${a} vs ${e}`);
  }
}

export function values(t: tf.Tensor): Float32Array {
  const v = t.dataSync() as Float32Array;
  t.dispose();
  return v;
}
