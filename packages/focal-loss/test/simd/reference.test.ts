/**
 * The whole reference fixture with the SIMD path forced on, on cpu and wasm, at the
 * foundation's tolerances (LOSS_TOL, GRAD_TOL); every case must actually reach the SIMD
 * kernels (a class axis anywhere, up to 4096 classes).
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { setFocalLossSimd, simdCalls } from '../../src/kernels/simd/index.js';
import { NODE_BACKENDS, tf, useBackend } from '../helpers/backends.js';
import { GRAD_TOL, LOSS_TOL, REFERENCE_CASES, assertClose, describeCase } from '../helpers/fixtures.js';
import { runCase } from '../helpers/run_op.js';

for (const backend of NODE_BACKENDS) {
  test(`every reference case passes through the SIMD path on ${backend}, no NaN, no leak`, async () => {
    await useBackend(backend);
    setFocalLossSimd(true);
    try {
      const before = tf.memory().numTensors;
      let simdCases = 0;
      REFERENCE_CASES.forEach((c, i) => {
        const calls = simdCalls.sigmoid + simdCalls.softmax + simdCalls.categorical;
        const { loss, grad } = runCase(tf, c);
        const expected = Array.isArray(c.loss) ? c.loss : [c.loss];
        assertClose(loss, expected, LOSS_TOL.rtol, LOSS_TOL.atol, `${backend} SIMD ${describeCase(c, i)} loss`);
        assertClose(grad, c.grad, GRAD_TOL.rtol, GRAD_TOL.atol, `${backend} SIMD ${describeCase(c, i)} grad`);
        const reached = simdCalls.sigmoid + simdCalls.softmax + simdCalls.categorical > calls;
        assert.ok(reached, `${describeCase(c, i)} did not reach the SIMD kernels`);
        simdCases++;
      });
      assert.equal(simdCases, REFERENCE_CASES.length);
      assert.equal(tf.memory().numTensors, before, 'tensors leaked');
    } finally {
      setFocalLossSimd(null);
    }
  });
}
