import assert from 'node:assert/strict';
import test from 'node:test';
import { NODE_BACKENDS, tf, useBackend } from '../helpers/backends.js';
import { GRAD_TOL, LOSS_TOL, REFERENCE_CASES, assertClose, describeCase } from '../helpers/fixtures.js';
import { runCase } from '../helpers/run_op.js';

for (const backend of NODE_BACKENDS) {
  test(`every reference case passes on the ${backend} backend, with no NaN and no leak`, async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    let torchvisionNaN = 0;
    REFERENCE_CASES.forEach((c, i) => {
      const { loss, grad } = runCase(tf, c);
      const expected = Array.isArray(c.loss) ? c.loss : [c.loss];
      assertClose(loss, expected, LOSS_TOL.rtol, LOSS_TOL.atol, `${backend} ${describeCase(c, i)} loss`);
      assertClose(grad, c.grad, GRAD_TOL.rtol, GRAD_TOL.atol, `${backend} ${describeCase(c, i)} grad`);
      if (c.torchvision_grad?.some((g) => g === null)) torchvisionNaN++;
    });
    // The fixture holds cases where torchvision's own gradient is NaN; they passed above.
    assert.ok(torchvisionNaN > 0, 'expected reference cases where torchvision returns NaN');
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  });
}
