/**
 * asymmetricLoss's detachFocalWeight: the gradient of the reference code's default, which
 * computes the focusing weight without gradient. Alibaba-MIIL/ASL, src/loss_functions/losses.py
 * (HEAD 8c9e0bd), AsymmetricLoss(gamma_neg=4, gamma_pos=1, clip=0.05, eps=1e-8,
 * disable_torch_grad_focal_loss=True).forward:
 *
 *     xs_neg = (xs_neg + self.clip).clamp(max=1)
 *     los_pos = y * torch.log(xs_pos.clamp(min=self.eps))
 *     los_neg = (1 - y) * torch.log(xs_neg.clamp(min=self.eps))
 *     loss = los_pos + los_neg
 *     if self.disable_torch_grad_focal_loss:
 *         torch.set_grad_enabled(False)
 *     pt = xs_pos * y + xs_neg * (1 - y)
 *     one_sided_w = torch.pow(1 - pt, self.gamma_pos * y + self.gamma_neg * (1 - y))
 *     if self.disable_torch_grad_focal_loss:
 *         torch.set_grad_enabled(True)
 *     loss *= one_sided_w
 *     return -loss.sum()
 *
 * so its gradient is w · d(-log pt)/dx with w held constant: checked here against that
 * product (w from the formula, the cross-entropy's derivative by central differences) in the
 * float64 core, and the ops on cpu, wasm and the composite path against the core.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import * as core from '../../src/core/index.js';
import { asymmetricLoss } from '../../src/index.js';
import { NODE_BACKENDS, tf, useBackend } from '../helpers/backends.js';
import { useCompositeBackend } from '../helpers/composite_backend.js';
import { FAMILY_CASES } from '../helpers/family_cases.js';
import { GRAD_TOL, LOSS_TOL, assertClose } from '../helpers/reference_case.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
/** The reference code's pieces for one element (eps clamps inactive here): -log pt and w. */
function reference(x: number, y: number, gammaPos: number, gammaNeg: number, clip: number): { ce: number; w: number } {
  const xsPos = sigmoid(x);
  const xsNeg = clip > 0 ? Math.min(1 - xsPos + clip, 1) : 1 - xsPos;
  const pt = y === 1 ? xsPos : xsNeg;
  return { ce: -Math.log(pt), w: Math.pow(1 - pt, y === 1 ? gammaPos : gammaNeg) };
}

const LOGITS = [-3, -1.2, -0.4, 0.1, 0.7, 1.9, 3.5, -2.2, 0.3, 2.6];
const TARGETS = [1, 0, 1, 0, 1, 0, 1, 0, 0, 1];
const SETTINGS = [
  { gammaPos: 0, gammaNeg: 4, clip: 0.05 },
  { gammaPos: 1, gammaNeg: 4, clip: 0.05 },
  { gammaPos: 0.5, gammaNeg: 0.5, clip: 0 },
  { gammaPos: 2, gammaNeg: 1, clip: 0.2 },
];

test("core: detachFocalWeight gives w · d(-log pt)/dx (the reference code's default), the same loss, and differs from the full derivative", () => {
  for (const s of SETTINGS) {
    const detached = core.asymmetricLoss(LOGITS, TARGETS, [LOGITS.length], { ...s, detachFocalWeight: true, reduction: 'none' });
    const full = core.asymmetricLoss(LOGITS, TARGETS, [LOGITS.length], { ...s, reduction: 'none' });
    const h = 1e-6;
    LOGITS.forEach((x, i) => {
      const y = TARGETS[i];
      const { ce, w } = reference(x, y, s.gammaPos, s.gammaNeg, s.clip);
      const dce =
        (reference(x + h, y, s.gammaPos, s.gammaNeg, s.clip).ce - reference(x - h, y, s.gammaPos, s.gammaNeg, s.clip).ce) / (2 * h);
      const what = `${JSON.stringify(s)} x=${x} t=${y}`;
      assert.ok(Math.abs(detached.loss[i] - w * ce) < 1e-12, `${what} loss ${detached.loss[i]} vs ${w * ce}`);
      assert.ok(Math.abs(detached.grad[i] - w * dce) < 1e-8 * (1 + Math.abs(w * dce)), `${what} grad ${detached.grad[i]} vs ${w * dce}`);
      assert.equal(detached.loss[i], full.loss[i], `${what}: the loss does not depend on the option`);
    });
    const gammaActive = s.gammaPos > 0 || s.gammaNeg > 0;
    const differs = LOGITS.some((_, i) => Math.abs(detached.grad[i] - full.grad[i]) > 1e-6);
    assert.equal(differs, gammaActive, `${JSON.stringify(s)}: detaching changes the gradient exactly when a γ is > 0`);
  }
  // ±1e4 and ±Infinity logits: finite limits, the same loss.
  const x = [1e4, -1e4, 1e4, -1e4, Infinity, -Infinity];
  const t = [1, 1, 0, 0, 1, 0];
  const d = core.asymmetricLoss(x, t, [6], { gammaPos: 0.5, gammaNeg: 0.5, detachFocalWeight: true, reduction: 'none' });
  // Right and confident: 0; t = 1 at -1e4: w = 1 times d(softplus(-x))/dx = -1; the clipped negative at +1e4: q = 0 gives 0.
  assert.deepEqual(
    Array.from(d.grad).map((v) => v + 0),
    [0, -1, 0, 0, 0, 0],
  );
  assert.throws(
    () => core.asymmetricLoss([1], [1], [1], { detachFocalWeight: 1 as never }),
    /asymmetricLoss: detachFocalWeight must be true or false, got 1/,
  );
});

const BACKENDS: Array<[string, () => Promise<unknown>]> = [
  ...NODE_BACKENDS.map((b) => [b, () => useBackend(b)] as [string, () => Promise<unknown>]),
  ['composite', useCompositeBackend],
];

for (const [backend, use] of BACKENDS) {
  test(`${backend}: asymmetricLoss detachFocalWeight matches the float64 core; the ASL reference cases pass with it off`, async () => {
    await use();
    const before = tf.memory().numTensors;
    for (const s of [...SETTINGS, { gammaPos: 0.5, gammaNeg: 0.5, clip: 0.05 }]) {
      const logits = [...LOGITS, 1e4, -1e4, 1e4, -1e4];
      const targets = [...TARGETS, 1, 1, 0, 0];
      const options = { ...s, detachFocalWeight: true, reduction: 'none' as const };
      const expected = core.asymmetricLoss(logits, targets, [logits.length], options);
      const [loss, grad] = tf.tidy(() => {
        const x = tf.tensor1d(logits);
        const y = tf.tensor1d(targets);
        return [
          asymmetricLoss(x, y, options).dataSync(),
          tf
            .grad((v: tf.Tensor) => tf.sum(asymmetricLoss(v, y, options)))(x)
            .dataSync(),
        ];
      });
      assertClose(loss, expected.loss, LOSS_TOL.rtol, LOSS_TOL.atol, `${backend} ${JSON.stringify(s)} loss`);
      assertClose(grad, expected.grad, GRAD_TOL.rtol, GRAD_TOL.atol, `${backend} ${JSON.stringify(s)} grad`);
    }
    const cases = FAMILY_CASES.filter((c) => c.kind === 'asymmetric');
    assert.ok(cases.length >= 6);
    for (const c of cases) {
      const options = { ...c.params, detachFocalWeight: false, reduction: 'none' as const };
      const [loss, grad] = tf.tidy(() => {
        const x = tf.tensor(c.logits, c.shape);
        const y = tf.tensor(c.targets, c.shape);
        return [
          asymmetricLoss(x, y, options).dataSync(),
          tf
            .grad((v: tf.Tensor) => tf.sum(asymmetricLoss(v, y, options)))(x)
            .dataSync(),
        ];
      });
      assertClose(loss, c.loss, LOSS_TOL.rtol, LOSS_TOL.atol, `${backend} reference ${JSON.stringify(c.params)} loss`);
      assertClose(grad, c.grad, GRAD_TOL.rtol, GRAD_TOL.atol, `${backend} reference ${JSON.stringify(c.params)} grad`);
    }
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  });
}
