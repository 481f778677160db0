/**
 * The element-wise focal family through the public TF.js ops: every reference case of
 * fixtures/variants-reference.json on cpu and wasm (fused float64 kernels) and on the
 * composite path (helpers/composite_backend.ts), at the foundation's tolerances; the
 * reductions, weights and normalizer against the core; saturation; errors and leaks.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import * as core from '../../src/core/index.js';
import { asymmetricLoss, gaussianFocalLoss, polyFocalLoss, qualityFocalLoss, varifocalLoss } from '../../src/index.js';
import { NODE_BACKENDS, assertNoLeak, tf, useBackend } from '../helpers/backends.js';
import { useCompositeBackend } from '../helpers/composite_backend.js';
import { ELEMENTWISE_CASES, FAMILY_OPS, describeFamilyCase } from '../helpers/family_cases.js';
import { GRAD_TOL, LOSS_TOL, assertClose } from '../helpers/reference_case.js';
import { familyOp, runFamilyCase } from '../helpers/run_family.js';

const BACKENDS: Array<[string, () => Promise<unknown>]> = [
  ...NODE_BACKENDS.map((b) => [b, () => useBackend(b)] as [string, () => Promise<unknown>]),
  ['composite', useCompositeBackend],
];

for (const [backend, use] of BACKENDS) {
  test(`${backend}: every element-wise family reference case passes, no NaN, no leak`, async () => {
    await use();
    const before = tf.memory().numTensors;
    assert.equal(ELEMENTWISE_CASES.length, 112);
    ELEMENTWISE_CASES.forEach((c, i) => {
      const { loss, grad } = runFamilyCase(tf, c);
      assertClose(loss, c.loss, LOSS_TOL.rtol, LOSS_TOL.atol, `${backend} ${describeFamilyCase(c, i)} loss`);
      assertClose(grad, c.grad, GRAD_TOL.rtol, GRAD_TOL.atol, `${backend} ${describeFamilyCase(c, i)} grad`);
    });
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  });

  test(`${backend}: 'sum', 'mean', weights and normalizer agree with the float64 core`, async () => {
    await use();
    const before = tf.memory().numTensors;
    for (const c of ELEMENTWISE_CASES.filter((k) => k.source !== 'saturation').slice(0, 40)) {
      const name = FAMILY_OPS[c.kind]!;
      const coreLoss = (core as unknown as Record<string, (...a: unknown[]) => { loss: number; grad: Float64Array }>)[name];
      const weights = c.logits.map((_, i) => (i % 3) * 0.5);
      for (const extra of [{ reduction: 'sum' }, { reduction: 'mean' }, { reduction: 'mean', weights, normalizer: 3 }]) {
        const expected = coreLoss(c.logits, c.targets, c.shape, { ...c.params, ...extra });
        const w = 'weights' in extra ? tf.tensor(weights, c.shape) : null;
        const { loss, grad } = runFamilyCase(tf, c, { ...extra, ...(w === null ? {} : { weights: w }) });
        w?.dispose();
        const what = `${backend} ${name} ${JSON.stringify(c.params)} ${JSON.stringify(extra.reduction)}${'weights' in extra ? ' weighted, normalizer 3' : ''}`;
        assertClose(loss, [expected.loss], LOSS_TOL.rtol, LOSS_TOL.atol, `${what} loss`);
        assertClose(grad, expected.grad, GRAD_TOL.rtol, GRAD_TOL.atol, `${what} grad`);
      }
    }
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  });

  test(`${backend}: ±1e4 logits and gamma < 1 give finite loss and gradient; ±Infinity their limits`, async () => {
    await use();
    const logits = [1e4, -1e4, 30, -30, 0, 1e4, -1e4];
    const targets = [1, 0, 1, 0, 1, 0, 1];
    const soft = [0.3, 0.7, 1, 0, 0.5, 0, 1];
    const calls: Array<[string, (x: tf.Tensor) => tf.Tensor]> = [
      ['quality β .5', (x) => qualityFocalLoss(x, soft, { beta: 0.5, reduction: 'none' })],
      ['varifocal γ .5', (x) => varifocalLoss(x, soft, { gamma: 0.5, reduction: 'none' })],
      ['gaussian α .5', (x) => gaussianFocalLoss(x, soft, { alpha: 0.5, gamma: 0.5, reduction: 'none' })],
      ['poly γ .5', (x) => polyFocalLoss(x, soft, { gamma: 0.5, reduction: 'none' })],
      ['asymmetric γ .5', (x) => asymmetricLoss(x, targets, { gammaPos: 0.5, gammaNeg: 0.5, reduction: 'none' })],
      ['asymmetric clip 0', (x) => asymmetricLoss(x, targets, { gammaNeg: 0.5, clip: 0, reduction: 'none' })],
    ];
    for (const [what, f] of calls) {
      const [loss, grad] = assertNoLeak(
        () =>
          tf.tidy(() => {
            const x = tf.tensor1d(logits);
            return [
              Array.from(f(x).dataSync()),
              Array.from(
                tf
                  .grad((z: tf.Tensor) => tf.sum(f(z)))(x)
                  .dataSync(),
              ),
            ];
          }),
        what,
      );
      for (const v of [...loss, ...grad]) assert.ok(Number.isFinite(v), `${backend} ${what}: ${loss} / ${grad}`);
    }
    // At ±Infinity: the limits (Infinity where the logit is wrong about a hard target, 0 where right).
    const inf = assertNoLeak(() =>
      tf.tidy(() =>
        Array.from(qualityFocalLoss([Infinity, -Infinity, Infinity, -Infinity], [1, 1, 0, 0], { reduction: 'none' }).dataSync()),
      ),
    );
    assert.deepEqual(inf, [0, Infinity, Infinity, 0]);
  });

  test(`${backend}: bad options and targets raise errors naming the op and the argument, without leaking`, async () => {
    await use();
    const x = tf.tensor2d([
      [1, -2],
      [0.5, 3],
    ]);
    const t = tf.tensor2d([
      [1, 0],
      [0.5, 0],
    ]);
    const cases: Array<[() => unknown, RegExp]> = [
      [() => qualityFocalLoss(x, t, { beta: -1 }), /qualityFocalLoss: beta must be a finite number >= 0, got -1/],
      [() => varifocalLoss(x, t, { alpha: NaN }), /varifocalLoss: alpha must be a finite number >= 0, got NaN/],
      [() => varifocalLoss(x, t, { iouWeighted: 1 as never }), /varifocalLoss: iouWeighted must be true or false, got 1/],
      [() => gaussianFocalLoss(x, t, { gamma: Infinity }), /gaussianFocalLoss: gamma must be a finite number >= 0, got Infinity/],
      [() => polyFocalLoss(x, t, { alpha: 2 }), /polyFocalLoss: alpha must be a number in \[0, 1\] or null, got 2/],
      [() => polyFocalLoss(x, t, { epsilon: 'one' as never }), /polyFocalLoss: epsilon must be a finite number, got "one"/],
      [
        () =>
          asymmetricLoss(
            x,
            [
              [1, 0],
              [0, 0],
            ],
            { clip: 1.5 },
          ),
        /asymmetricLoss: clip must be a number in \[0, 1\], got 1.5/,
      ],
      [() => polyFocalLoss(x, t, { gama: 2 } as never), /polyFocalLoss: unknown option 'gama'/],
      [
        () => qualityFocalLoss(x, t, { reduction: 'avg' as never }),
        /qualityFocalLoss: reduction must be one of 'none', 'sum', 'mean', got "avg"/,
      ],
      [() => varifocalLoss(x, t, { normalizer: 0 }), /varifocalLoss: normalizer must be a finite number > 0, got 0/],
      [() => gaussianFocalLoss(x, [[1, 0]]), /gaussianFocalLoss: targets shape \[1, 2\] must equal the logits' shape \[2, 2\]/],
      [() => qualityFocalLoss(x, t, { weights: [1, 2, 3] }), /qualityFocalLoss: weights shape \[3\] does not broadcast/],
      [() => qualityFocalLoss(null as never, t), /qualityFocalLoss: argument 'logits' is required/],
    ];
    // Target values are read and checked only where the data is on the CPU (as the foundation ops do).
    if (backend !== 'composite') {
      cases.push(
        [
          () =>
            qualityFocalLoss(x, [
              [1, 0],
              [1.5, 0],
            ]),
          /qualityFocalLoss: targets\[2\] = 1.5 is not in \[0, 1\]/,
        ],
        [() => asymmetricLoss(x, t), /asymmetricLoss: targets\[2\] = 0.5 is not 0 or 1/],
        [
          () =>
            varifocalLoss(x, [
              [NaN, 0],
              [0, 0],
            ]),
          /varifocalLoss: targets\[0\] = NaN is not in \[0, 1\]/,
        ],
      );
    }
    for (const [call, message] of cases) {
      const before = tf.memory().numTensors;
      assert.throws(call, message);
      assert.equal(tf.memory().numTensors, before, `tensors leaked by the failing call expecting ${message}`);
    }
    x.dispose();
    t.dispose();
  });
}

test('familyOp covers every element-wise fixture kind', () => {
  for (const c of ELEMENTWISE_CASES) assert.equal(typeof familyOp(c), 'function');
});
