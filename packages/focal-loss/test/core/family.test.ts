/**
 * The element-wise focal family on plain arrays (float64): every reference case, the closed
 * form against central differences, saturation, reductions, weights, normalizer and errors.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import * as core from '../../src/core/index.js';
import { ELEMENTWISE_CASES, FAMILY_OPS, describeFamilyCase, familyOptionsOf } from '../helpers/family_cases.js';
import { GRAD_TOL, LOSS_TOL, assertClose } from '../helpers/reference_case.js';

type CoreLoss = (
  logits: ArrayLike<number>,
  targets: ArrayLike<number>,
  shape: number[],
  options?: Record<string, unknown>,
) => { loss: number | Float64Array; grad: Float64Array };
const LOSSES = core as unknown as Record<string, CoreLoss>;

test('core family matches every element-wise reference case (float64, far inside the float32 tolerances)', () => {
  assert.equal(ELEMENTWISE_CASES.length, 112);
  ELEMENTWISE_CASES.forEach((c, i) => {
    const { loss, grad } = LOSSES[FAMILY_OPS[c.kind]!](c.logits, c.targets, c.shape, familyOptionsOf(c));
    assertClose(loss as Float64Array, c.loss, LOSS_TOL.rtol / 100, 1e-12, `${describeFamilyCase(c, i)} loss`);
    assertClose(grad, c.grad, GRAD_TOL.rtol / 100, 1e-12, `${describeFamilyCase(c, i)} grad`);
  });
});

const LOSS_NAMES = ['qualityFocalLoss', 'varifocalLoss', 'gaussianFocalLoss', 'polyFocalLoss', 'asymmetricLoss'] as const;

let seed = 11;
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;

/** Options per loss, γ < 1 included, and targets in the loss's domain. */
function trialOf(name: (typeof LOSS_NAMES)[number], k: number, n: number): { options: Record<string, unknown>; targets: number[] } {
  const g = [0.5, 1, 2, 0.25][k % 4];
  const soft = () => (random() < 0.3 ? 0 : random() < 0.2 ? 1 : random());
  switch (name) {
    case 'qualityFocalLoss':
      return { options: { beta: g }, targets: Array.from({ length: n }, soft) };
    case 'varifocalLoss':
      return { options: { alpha: 0.75, gamma: g, iouWeighted: k % 2 === 0 }, targets: Array.from({ length: n }, soft) };
    case 'gaussianFocalLoss':
      return { options: { alpha: g, gamma: 4 - g, posWeight: 2, negWeight: 0.5 }, targets: Array.from({ length: n }, soft) };
    case 'polyFocalLoss':
      return { options: { alpha: k % 2 ? null : 0.25, gamma: g, epsilon: [1, -0.5, 2][k % 3] }, targets: Array.from({ length: n }, soft) };
    case 'asymmetricLoss':
      return {
        options: { gammaPos: g, gammaNeg: 4 * g, clip: [0.05, 0, 0.2][k % 3] },
        targets: Array.from({ length: n }, () => (random() < 0.3 ? 1 : 0)),
      };
  }
}

test('core family: closed-form gradients match central differences (γ < 1 included)', () => {
  for (const name of LOSS_NAMES) {
    for (let k = 0; k < 12; k++) {
      const n = 10;
      const logits = Array.from({ length: n }, () => 8 * (random() - 0.5));
      const { options, targets } = trialOf(name, k, n);
      const f = (x: number[]) => LOSSES[name](x, targets, [n], { ...options, reduction: 'sum' });
      const { grad } = f(logits);
      for (let i = 0; i < n; i++) {
        const h = 1e-6;
        const plus = logits.slice();
        plus[i] += h;
        const minus = logits.slice();
        minus[i] -= h;
        const numeric = ((f(plus).loss as number) - (f(minus).loss as number)) / (2 * h);
        // ASL with a clip has a kink at p = clip; stay away from it.
        const p = 1 / (1 + Math.exp(-logits[i]));
        if (name === 'asymmetricLoss' && Math.abs(p - (options.clip as number)) < 1e-4) continue;
        assert.ok(
          Math.abs(numeric - grad[i]) <= 1e-6 * Math.abs(numeric) + 1e-7,
          `${name} ${JSON.stringify(options)} x=${logits[i]} t=${targets[i]}: closed form ${grad[i]}, differences ${numeric}`,
        );
      }
    }
  }
});

test('core family: finite loss and gradient at ±1e4, ±1e300 and γ < 1; limits at ±Infinity; NaN stays NaN', () => {
  const xs = [1e4, -1e4, 1e300, -1e300, 60, -60];
  for (const name of LOSS_NAMES) {
    for (let k = 0; k < 8; k++) {
      const { options, targets } = trialOf(name, k, xs.length);
      const { loss, grad } = LOSSES[name](xs, targets, [xs.length], { ...options, reduction: 'none' });
      for (const v of [...(loss as Float64Array), ...grad])
        assert.ok(Number.isFinite(v), `${name} ${JSON.stringify(options)} ${targets}: ${loss} ${grad}`);
    }
  }
  // Hard targets: 0 where the logit is right, +Infinity where wrong; the gradient's limits.
  const q = core.qualityFocalLoss([Infinity, -Infinity, Infinity, -Infinity], [1, 1, 0, 0], [4], { reduction: 'none' });
  assert.deepEqual(Array.from(q.loss), [0, Infinity, Infinity, 0]);
  assert.deepEqual(Array.from(q.grad), [0, -1, 1, 0]);
  const a = core.asymmetricLoss([Infinity, -Infinity, Infinity, -Infinity], [1, 1, 0, 0], [4], { reduction: 'none' });
  // Negatives with clip .05: -log(0.05) (0.95)^4 at +Infinity, finite.
  assert.ok(Math.abs(a.loss[2] + Math.log(0.05) * 0.95 ** 4) < 1e-12);
  assert.deepEqual([a.loss[0], a.loss[1], a.loss[3]], [0, Infinity, 0]);
  // A zero weight silences an infinite loss.
  assert.equal(core.varifocalLoss([-Infinity], [1], [1], { weights: [0], reduction: 'sum' }).loss, 0);
  const nan = core.polyFocalLoss([NaN], [1], [1], { reduction: 'none' });
  assert.ok(Number.isNaN(nan.loss[0]) && Number.isNaN(nan.grad[0]));
});

/** The reference implementations in probability space, transliterated (moderate logits: no clamp active). */
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const bceLogits = (x: number, t: number) => Math.max(x, 0) - x * t + Math.log1p(Math.exp(-Math.abs(x)));
const REFERENCE_CODE: Record<string, (x: number, t: number, o: Record<string, number>) => number> = {
  // mmdet/models/losses/gfocal_loss.py, quality_focal_loss: negatives
  // `F.binary_cross_entropy_with_logits(pred, zerolabel) * pred_sigmoid.pow(beta)`; positives
  // `F.binary_cross_entropy_with_logits(pred, score) * (score - pred_sigmoid).abs().pow(beta)`.
  qualityFocalLoss: (x, t, o) => bceLogits(x, t) * Math.abs(t - sigmoid(x)) ** o.beta,
  // mmdet/models/losses/varifocal_loss.py, varifocal_loss (iou_weighted=True):
  // `focal_weight = target * (target > 0.0).float() + alpha * (pred_sigmoid - target).abs().pow(gamma) * (target <= 0.0).float()`
  // `loss = F.binary_cross_entropy_with_logits(pred, target, reduction='none') * focal_weight`
  varifocalLoss: (x, t, o) => bceLogits(x, t) * (t * (t > 0 ? 1 : 0) + o.alpha * Math.abs(sigmoid(x) - t) ** o.gamma * (t <= 0 ? 1 : 0)),
  // mmdet/models/losses/gaussian_focal_loss.py, gaussian_focal_loss (pred = sigmoid(x), eps = 1e-12):
  // `pos_loss = -(pred + eps).log() * (1 - pred).pow(alpha) * pos_weights`
  // `neg_loss = -(1 - pred + eps).log() * pred.pow(alpha) * neg_weights`, neg_weights = (1 - gaussian_target).pow(gamma)
  gaussianFocalLoss: (x, t, o) => {
    const p = sigmoid(x);
    return -Math.log(p + 1e-12) * (1 - p) ** o.alpha * (t === 1 ? 1 : 0) - Math.log(1 - p + 1e-12) * p ** o.alpha * (1 - t) ** o.gamma;
  },
  // PolyLoss (arXiv 2204.12511) reference code, poly1_focal_loss (sigmoid):
  // `p = sigmoid(logits); ce = bce_with_logits(logits, labels); pt = labels * p + (1 - labels) * (1 - p)`
  // `FL = ce * (1 - pt) ** gamma; FL = alpha_t * FL (alpha >= 0); poly1 = FL + epsilon * (1 - pt) ** (gamma + 1)`
  polyFocalLoss: (x, t, o) => {
    const p = sigmoid(x);
    const pt = t * p + (1 - t) * (1 - p);
    const at = o.alpha * t + (1 - o.alpha) * (1 - t);
    return at * bceLogits(x, t) * (1 - pt) ** o.gamma + o.epsilon * (1 - pt) ** (o.gamma + 1);
  },
  // Alibaba-MIIL/ASL src/loss_functions/losses.py, AsymmetricLoss.forward (eps = 1e-8):
  // `xs_neg = (1 - x_sigmoid + clip).clamp(max=1)`; `los_pos = y * log(xs_pos.clamp(min=eps))`;
  // `los_neg = (1 - y) * log(xs_neg.clamp(min=eps))`; `pt = xs_pos * y + xs_neg * (1 - y)`;
  // `one_sided_w = pow(1 - pt, gamma_pos * y + gamma_neg * (1 - y))`; `-(los_pos + los_neg) * one_sided_w`
  asymmetricLoss: (x, y, o) => {
    const xsPos = sigmoid(x);
    const xsNeg = Math.min(1 - xsPos + o.clip, 1);
    const loss = y * Math.log(Math.max(xsPos, 1e-8)) + (1 - y) * Math.log(Math.max(xsNeg, 1e-8));
    const pt = xsPos * y + xsNeg * (1 - y);
    return -loss * (1 - pt) ** (o.gammaPos * y + o.gammaNeg * (1 - y));
  },
};

test('core family equals the formula of each reference implementation on hand cases', () => {
  const logits = [-4, -1.5, -0.2, 0, 0.3, 1.2, 2.5, 5];
  const soft = [0, 0.3, 1, 0, 0.8, 0.45, 0, 1];
  const hard = [0, 1, 1, 0, 0, 1, 0, 1];
  const hand: Array<[(typeof LOSS_NAMES)[number], Record<string, number>, number[]]> = [
    ['qualityFocalLoss', { beta: 2 }, soft],
    ['varifocalLoss', { alpha: 0.75, gamma: 2 }, soft],
    ['gaussianFocalLoss', { alpha: 2, gamma: 4 }, soft],
    ['polyFocalLoss', { alpha: 0.25, gamma: 2, epsilon: 1 }, soft],
    ['asymmetricLoss', { gammaPos: 1, gammaNeg: 4, clip: 0.05 }, hard],
    ['asymmetricLoss', { gammaPos: 0, gammaNeg: 4, clip: 0.05 }, hard],
  ];
  for (const [name, options, targets] of hand) {
    const { loss } = LOSSES[name](logits, targets, [logits.length], { ...options, reduction: 'none' });
    const expected = logits.map((x, i) => REFERENCE_CODE[name](x, targets[i], options));
    assertClose(loss as Float64Array, expected, 1e-9, 1e-11, `${name} ${JSON.stringify(options)}`);
  }
  // Defaults: QFL β 2; VFL α .75 γ 2 iouWeighted; Gaussian α 2 γ 4; Poly-1 α .25 γ 2 ε 1; ASL γ- 4 γ+ 0 clip .05.
  for (const [name, options, targets] of hand.filter((h) => !(h[0] === 'asymmetricLoss' && h[1].gammaPos === 1))) {
    const a = LOSSES[name](logits, targets, [logits.length], { reduction: 'sum' });
    const b = LOSSES[name](logits, targets, [logits.length], { ...options, reduction: 'sum' });
    assert.equal(a.loss, b.loss, `${name}: defaults ${JSON.stringify(options)}`);
  }
});

test('core family: the plain-array entry checks its arguments, naming op and argument', () => {
  assert.throws(() => core.qualityFocalLoss([1, 2], [0], [2]), /qualityFocalLoss: targets has 1 values, expected 2/);
  assert.throws(() => core.varifocalLoss([1, 2], [0, 0], [3]), /varifocalLoss: logits has 2 values but shape \[3\] needs 3/);
  assert.throws(() => core.gaussianFocalLoss([1], [0], [1], { weights: [1, 2] }), /gaussianFocalLoss: weights has 2 values, expected 1/);
  assert.throws(() => core.polyFocalLoss([1], [2], [1]), /polyFocalLoss: targets\[0\] = 2 is not in \[0, 1\]/);
  assert.throws(() => core.asymmetricLoss([1], [0.5], [1]), /asymmetricLoss: targets\[0\] = 0.5 is not 0 or 1/);
  assert.throws(
    () => core.asymmetricLoss([1], [1], [1], { gammaNeg: -1 }),
    /asymmetricLoss: gammaNeg must be a finite number >= 0, got -1/,
  );
  assert.throws(
    () => core.qualityFocalLoss([1], [1], [1], { gamma: 2 } as never),
    /qualityFocalLoss: unknown option 'gamma'; expected one of reduction, weights, normalizer, beta/,
  );
});

test('classBalancedAlpha: (1 - β) / (1 - β^n) normalised to sum to C; errors name the argument', () => {
  const counts = [1000, 100, 10, 1];
  const beta = 0.999;
  const w = core.classBalancedAlpha(counts, beta);
  const raw = counts.map((n) => (1 - beta) / (1 - beta ** n));
  const total = raw.reduce((x, y) => x + y, 0);
  assertClose(
    w,
    raw.map((r) => (r / total) * counts.length),
    1e-12,
    0,
    'classBalancedAlpha',
  );
  assert.ok(Math.abs(w.reduce((x, y) => x + y, 0) - 4) < 1e-12);
  assert.ok(w[0] < w[1] && w[1] < w[2] && w[2] < w[3]);
  assert.deepEqual(core.classBalancedAlpha([5, 50], 0), [1, 1]);
  // β near 1 without cancellation: weights tend to 1 / n_c (normalised).
  const near = core.classBalancedAlpha([1, 2], 1 - 1e-12);
  assert.ok(Math.abs(near[0] / near[1] - 2) < 1e-6, `${near}`);
  assert.throws(() => core.classBalancedAlpha([3, 0], 0.9), /classBalancedAlpha: counts\[1\] = 0 is not a finite number > 0/);
  assert.throws(() => core.classBalancedAlpha([3, 1], 1), /classBalancedAlpha: beta must be a number in \[0, 1\), got 1/);
  assert.throws(() => core.classBalancedAlpha([], 0.9), /classBalancedAlpha: counts must be a non-empty array of numbers/);
});
