/**
 * Distribution Focal Loss on plain arrays (float64): the 8 DFL reference cases, mmdetection's
 * formula on hand cases, the closed form against central differences, saturation, limits,
 * reductions and errors.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { distributionFocalLoss } from '../../src/core/index.js';
import { FAMILY_CASES, describeFamilyCase } from '../helpers/family_cases.js';
import { GRAD_TOL, LOSS_TOL, assertClose } from '../helpers/reference_case.js';

const DFL_CASES = FAMILY_CASES.filter((c) => c.kind === 'distribution');

test('core distributionFocalLoss matches the 8 DFL reference cases (float64)', () => {
  assert.equal(DFL_CASES.length, 8);
  DFL_CASES.forEach((c, i) => {
    const { loss, grad } = distributionFocalLoss(c.logits, c.targets, c.shape, { regMax: c.params.regMax as number, reduction: 'none' });
    assertClose(loss, c.loss, LOSS_TOL.rtol / 100, 1e-12, `${describeFamilyCase(c, i)} loss`);
    assertClose(grad, c.grad, GRAD_TOL.rtol / 100, 1e-12, `${describeFamilyCase(c, i)} grad`);
  });
});

/**
 * mmdetection, mmdet/models/losses/gfocal_loss.py:
 *
 *     def distribution_focal_loss(pred, label):
 *         dis_left = label.long()
 *         dis_right = dis_left + 1
 *         weight_left = dis_right.float() - label
 *         weight_right = label - dis_left.float()
 *         loss = F.cross_entropy(pred, dis_left, reduction='none') * weight_left \
 *             + F.cross_entropy(pred, dis_right, reduction='none') * weight_right
 *         return loss
 *
 * written out naively (F.cross_entropy = -log softmax) for moderate logits.
 */
function mmdetDfl(pred: number[], label: number): number {
  const ce = (k: number) => -Math.log(Math.exp(pred[k]) / pred.reduce((s, v) => s + Math.exp(v), 0));
  const left = Math.trunc(label);
  return ce(left) * (left + 1 - label) + ce(left + 1) * (label - left);
}

test("distributionFocalLoss equals mmdetection's distribution_focal_loss on hand cases", () => {
  const rows = [
    [0.5, -1, 2, 0.3, 1],
    [3, 2, 1, 0, -1],
    [-2, -2, 5, 5, 0],
    [0, 0, 0, 0, 0],
  ];
  const labels = [0.25, 2, 3.99, 1.5];
  const { loss } = distributionFocalLoss(rows.flat(), labels, [4, 5], { regMax: 4, reduction: 'none' });
  rows.forEach((row, r) =>
    assert.ok(Math.abs(loss[r] - mmdetDfl(row, labels[r])) < 1e-12, `row ${r}: ${loss[r]} vs ${mmdetDfl(row, labels[r])}`),
  );
});

test('the closed-form gradient matches central differences; y = regMax is the limit', () => {
  let seed = 5;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (const regMax of [1, 4, 16]) {
    const rows = 3;
    const logits = Array.from({ length: rows * (regMax + 1) }, () => 6 * random() - 3);
    const targets = [random() * regMax, Math.floor(random() * regMax), regMax];
    const weights = [1, 0.5, 2];
    const options = { regMax, reduction: 'sum' as const, weights };
    const { grad } = distributionFocalLoss(logits, targets, [rows, regMax + 1], options);
    const h = 1e-6;
    logits.forEach((_, i) => {
      const plus = logits.slice();
      plus[i] += h;
      const minus = logits.slice();
      minus[i] -= h;
      const numeric =
        (distributionFocalLoss(plus, targets, [rows, regMax + 1], options).loss -
          distributionFocalLoss(minus, targets, [rows, regMax + 1], options).loss) /
        (2 * h);
      assert.ok(Math.abs(numeric - grad[i]) < 1e-6 * (1 + Math.abs(numeric)), `regMax ${regMax} [${i}]: ${grad[i]} vs ${numeric}`);
    });
  }
  // y = regMax: all weight on the last bin, as the limit y -> regMax from below.
  const x = [0.1, -0.4, 0.9, 0.3];
  const at = distributionFocalLoss(x, [3], [1, 4], { regMax: 3, reduction: 'sum' }).loss;
  const near = distributionFocalLoss(x, [3 - 1e-9], [1, 4], { regMax: 3, reduction: 'sum' }).loss;
  assert.ok(Math.abs(at - near) < 1e-8);
});

test('saturation: ±1e4 logits give finite loss and gradient; infinite logits their limits', () => {
  const logits = [1e4, -1e4, 0, 5, -1e4, 1e4, -1e4, 1e4, -1e4];
  const { loss, grad } = distributionFocalLoss(logits, [0.5, 1.2, 1.9], [3, 3], { regMax: 2, reduction: 'none' });
  for (const v of [...loss, ...grad]) assert.ok(Number.isFinite(v), `${loss} / ${grad}`);
  assert.ok(Math.abs(loss[0] - 0.5 * 2e4) < 1e-6, `-log S_1 = 2e4 at weight .5: ${loss[0]}`);
  // Right at the only bin with weight: loss 0, gradient 0; wrong: +Infinity with finite gradient.
  const inf = distributionFocalLoss([Infinity, 0, 0, 0, Infinity, 0], [0, 0], [2, 3], { regMax: 2, reduction: 'none' });
  assert.deepEqual(Array.from(inf.loss), [0, Infinity]);
  assert.deepEqual(Array.from(inf.grad), [0, 0, 0, -1, 1, 0]);
  const nan = distributionFocalLoss([NaN, 0, 0, Infinity, Infinity, 0], [0.5, 0.5], [2, 3], { regMax: 2, reduction: 'none' });
  assert.ok(Number.isNaN(nan.loss[0]) && Number.isNaN(nan.loss[1]));
});

test('reductions, weights and normalizer', () => {
  const x = [0.3, -1, 2, 0.5, 1, 1.5, -0.5, 0, 2.5];
  const y = [0.4, 1, 1.7];
  const none = distributionFocalLoss(x, y, [3, 3], { regMax: 2, reduction: 'none' });
  const sum = distributionFocalLoss(x, y, [3, 3], { regMax: 2, reduction: 'sum' });
  const mean = distributionFocalLoss(x, y, [3, 3], { regMax: 2 });
  const total = none.loss.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum.loss - total) < 1e-12 && Math.abs(mean.loss - total / 3) < 1e-12);
  sum.grad.forEach((g, i) => assert.ok(Math.abs(mean.grad[i] - g / 3) < 1e-15));
  const w = [2, 0, 1];
  const normalized = distributionFocalLoss(x, y, [3, 3], { regMax: 2, weights: w, normalizer: 4 });
  assert.ok(Math.abs(normalized.loss - (2 * none.loss[0] + none.loss[2]) / 4) < 1e-12);
  assert.deepEqual(Array.from(normalized.grad.slice(3, 6)), [0, 0, 0]);
});

test('errors name the op and the argument', () => {
  const x = [0, 1, 2, 3, 4, 5];
  const cases: Array<[() => unknown, RegExp]> = [
    [
      () => distributionFocalLoss(x, [1], [2, 3]),
      /distributionFocalLoss: logits need regMax \+ 1 = 17 bins on the last axis, got shape \[2, 3\]/,
    ],
    [() => distributionFocalLoss(x, [1, 2], [2, 3], { regMax: 0 }), /distributionFocalLoss: regMax must be an integer >= 1, got 0/],
    [() => distributionFocalLoss(x, [1, 2], [2, 3], { regMax: 2.5 }), /regMax must be an integer >= 1, got 2.5/],
    [() => distributionFocalLoss(x, [1], [2, 3], { regMax: 2 }), /distributionFocalLoss: targets has 1 values, expected 2/],
    [
      () => distributionFocalLoss(x, [1, 2.5], [2, 3], { regMax: 2 }),
      /distributionFocalLoss: targets\[1\] = 2.5 is not in \[0, regMax\] = \[0, 2\]/,
    ],
    [() => distributionFocalLoss(x, [-0.1, 1], [2, 3], { regMax: 2 }), /targets\[0\] = -0.1 is not in/],
    [() => distributionFocalLoss(x, [NaN, 1], [2, 3], { regMax: 2 }), /targets\[0\] = NaN is not in/],
    [
      () => distributionFocalLoss(x, [1, 1], [2, 3], { regMax: 2, weights: [1] }),
      /distributionFocalLoss: weights has 1 values, expected 2/,
    ],
    [() => distributionFocalLoss(x, [1, 1], [2, 3], { regMax: 2, reg_max: 2 } as never), /distributionFocalLoss: unknown option 'reg_max'/],
  ];
  for (const [call, message] of cases) assert.throws(call, message);
});
