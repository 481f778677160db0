/**
 * The whole reference fixture with the SIMD path forced on, on cpu and wasm, at the
 * foundation's tolerances (LOSS_TOL, GRAD_TOL); every case with the class axis last must
 * actually reach the SIMD kernels.
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
        const eligible = (c.kind !== 'softmax' && c.kind !== 'categorical') || c.axis === undefined || c.axis === -1 || c.axis === c.shape.length - 1;
        if (eligible) assert.ok(reached, `${describeCase(c, i)} did not reach the SIMD kernels`);
        if (reached) simdCases++;
      });
      assert.ok(simdCases > 500, `only ${simdCases} cases took the SIMD path`);
      assert.equal(tf.memory().numTensors, before, 'tensors leaked');
    } finally {
      setFocalLossSimd(null);
    }
  });
}
