/**
 * distributionFocalLoss through TF.js: the 8 DFL reference cases on cpu and wasm (fused
 * float64 kernels) and the composite path, at the foundation's tolerances; reductions,
 * weights and normalizer against the float64 core; saturation; errors; no leaks.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import * as core from '../../src/core/index.js';
import { distributionFocalLoss } from '../../src/index.js';
import { NODE_BACKENDS, assertNoLeak, tf, useBackend } from '../helpers/backends.js';
import { useCompositeBackend } from '../helpers/composite_backend.js';
import { FAMILY_CASES, describeFamilyCase } from '../helpers/family_cases.js';
import { GRAD_TOL, LOSS_TOL, assertClose } from '../helpers/reference_case.js';

const DFL_CASES = FAMILY_CASES.filter((c) => c.kind === 'distribution');
const BACKENDS: Array<[string, () => Promise<unknown>]> = [
  ...NODE_BACKENDS.map((b) => [b, () => useBackend(b)] as [string, () => Promise<unknown>]),
  ['composite', useCompositeBackend],
];

function run(
  logits: number[],
  targets: number[],
  shape: number[],
  options: Record<string, unknown>,
): { loss: Float32Array; grad: Float32Array } {
  return tf.tidy(() => {
    const x = tf.tensor(logits, shape);
    const y = tf.tensor(targets, shape.slice(0, -1));
    const w = options.weights === undefined ? {} : { weights: tf.tensor(options.weights as number[], shape.slice(0, -1)) };
    const f = (v: tf.Tensor) => distributionFocalLoss(v, y, { ...options, ...w });
    return {
      loss: f(x).dataSync() as Float32Array,
      grad: tf
        .grad((v: tf.Tensor) => tf.sum(f(v)))(x)
        .dataSync() as Float32Array,
    };
  });
}

for (const [backend, use] of BACKENDS) {
  test(`${backend}: the 8 DFL reference cases, reductions, weights and normalizer against the core, no leak`, async () => {
    await use();
    const before = tf.memory().numTensors;
    assert.equal(DFL_CASES.length, 8);
    DFL_CASES.forEach((c, i) => {
      const { loss, grad } = run(c.logits, c.targets, c.shape, { regMax: c.params.regMax, reduction: 'none' });
      assertClose(loss, c.loss, LOSS_TOL.rtol, LOSS_TOL.atol, `${backend} ${describeFamilyCase(c, i)} loss`);
      assertClose(grad, c.grad, GRAD_TOL.rtol, GRAD_TOL.atol, `${backend} ${describeFamilyCase(c, i)} grad`);
      const weights = c.targets.map((_, r) => (r % 3) * 0.5);
      for (const extra of [{ reduction: 'sum' }, { reduction: 'mean' }, { reduction: 'mean', weights, normalizer: 3 }]) {
        const options = { regMax: c.params.regMax as number, ...extra };
        const expected = core.distributionFocalLoss(c.logits, c.targets, c.shape, options as never);
        const got = run(c.logits, c.targets, c.shape, options);
        assertClose(
          got.loss,
          [expected.loss as number],
          LOSS_TOL.rtol,
          LOSS_TOL.atol,
          `${backend} #${i} ${JSON.stringify(extra).slice(0, 30)} loss`,
        );
        assertClose(got.grad, expected.grad, GRAD_TOL.rtol, GRAD_TOL.atol, `${backend} #${i} ${JSON.stringify(extra).slice(0, 30)} grad`);
      }
    });
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  });

  test(`${backend}: ±1e4 logits give finite loss and gradient; regMax 16 by default; errors`, async () => {
    await use();
    const { loss, grad } = assertNoLeak(() => run([1e4, -1e4, 0, 5, -1e4, 1e4], [0.5, 1.2], [2, 3], { regMax: 2, reduction: 'none' }));
    for (const v of [...loss, ...grad]) assert.ok(Number.isFinite(v), `${backend}: ${loss} / ${grad}`);
    assertClose(loss, [1e4, 0.8 * 2e4 + 0.2 * 0], 1e-6, 1e-3, `${backend} saturated loss`);
    const byDefault = assertNoLeak(() => tf.tidy(() => distributionFocalLoss(tf.zeros([2, 17]), [3.5, 16]).dataSync()[0]));
    assert.ok(Math.abs(byDefault - Math.log(17)) < 1e-5);
    const x = tf.zeros([2, 3]);
    const cases: Array<[() => unknown, RegExp]> = [
      [
        () => distributionFocalLoss(x, [1, 1]),
        /distributionFocalLoss: logits need regMax \+ 1 = 17 bins on the last axis, got shape \[2, 3\]/,
      ],
      [() => distributionFocalLoss(x, [1, 1], { regMax: -1 }), /distributionFocalLoss: regMax must be an integer >= 1, got -1/],
      [
        () => distributionFocalLoss(x, [1, 1, 1], { regMax: 2 }),
        /distributionFocalLoss: targets shape \[3\] must be the logits' shape \[2, 3\] without the bins axis, i\.e\. \[2\]/,
      ],
      [
        () => distributionFocalLoss(x, [1, 1], { regMax: 2, weights: [1, 2, 3] }),
        /distributionFocalLoss: weights shape \[3\] does not broadcast/,
      ],
      [
        () => distributionFocalLoss(x, [1, 1], { regMax: 2, normalizer: 0 }),
        /distributionFocalLoss: normalizer must be a finite number > 0, got 0/,
      ],
    ];
    if (backend !== 'composite')
      cases.push([
        () => distributionFocalLoss(x, [1, 2.5], { regMax: 2 }),
        /distributionFocalLoss: targets\[1\] = 2.5 is not in \[0, regMax\] = \[0, 2\]/,
      ]);
    for (const [call, message] of cases) {
      const before = tf.memory().numTensors;
      assert.throws(call, message);
      assert.equal(tf.memory().numTensors, before, `tensors leaked by the failing call expecting ${message}`);
    }
    x.dispose();
  });
}
