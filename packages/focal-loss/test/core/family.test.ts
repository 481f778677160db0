/**
 * The element-wise focal family on plain arrays (float64): every reference case, the closed
 * form against central differences, saturation, reductions, weights, normalizer and errors.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import * as core from '../../src/core/index.js';
import { ELEMENTWISE_CASES, FAMILY_OPS, describeFamilyCase, familyOptionsOf } from '../helpers/family_cases.js';
import { GRAD_TOL, LOSS_TOL, assertClose } from '../helpers/reference_case.js';

type CoreLoss = (logits: ArrayLike<number>, targets: ArrayLike<number>, shape: number[], options?: Record<string, unknown>) => { loss: number | Float64Array; grad: Float64Array };
const LOSSES = core as unknown as Record<string, CoreLoss>;

test('core family matches every element-wise reference case (float64, far inside the float32 tolerances)', () => {
  assert.equal(ELEMENTWISE_CASES.length, 112);
  ELEMENTWISE_CASES.forEach((c, i) => {
    const { loss, grad } = LOSSES[FAMILY_OPS[c.kind]!](c.logits, c.targets, c.shape, familyOptionsOf(c));
    assertClose(loss as Float64Array, c.loss, LOSS_TOL.rtol / 100, 1e-12, `${describeFamilyCase(c, i)} loss`);
    assertClose(grad, c.grad, GRAD_TOL.rtol / 100, 1e-12, `${describeFamilyCase(c, i)} grad`);
  });
});
