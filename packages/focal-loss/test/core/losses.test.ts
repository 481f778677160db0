import assert from 'node:assert/strict';
import test from 'node:test';
import {
  categoricalFocalLoss,
  sigmoidFocalLoss,
  sigmoidFocalLossStar,
  softmaxFocalLoss,
  softmaxFocalLossInto,
} from '../../src/core/index.js';
import { softmaxFocalLossFromProbsInto } from '../../src/core/softmax.js';
import { GRAD_TOL, LOSS_TOL, REFERENCE_CASES, assertClose, describeCase, optionsOf, type ReferenceCase } from '../helpers/fixtures.js';

function runCore(c: ReferenceCase, logits: ArrayLike<number> = c.logits) {
  const options = optionsOf(c);
  if (c.weights != null) options.weights = c.weights;
  switch (c.kind) {
    case 'sigmoid':
      return sigmoidFocalLoss(logits, c.targets!, c.shape, options);
    case 'star':
      return sigmoidFocalLossStar(logits, c.targets!, c.shape, options);
    case 'softmax':
      return softmaxFocalLoss(logits, c.labels!, c.shape, options);
    case 'categorical':
      return categoricalFocalLoss(logits, c.targets!, c.shape, options);
  }
}

function asArray(loss: number | Float64Array): number[] {
  return typeof loss === 'number' ? [loss] : Array.from(loss);
}

test('core matches every float64 reference case (loss and gradient)', () => {
  assert.equal(REFERENCE_CASES.length, 658);
  REFERENCE_CASES.forEach((c, i) => {
    const { loss, grad } = runCore(c);
    const expected = Array.isArray(c.loss) ? c.loss : [c.loss];
    // float64 throughout: far inside the float32 tolerances.
    assertClose(asArray(loss), expected, LOSS_TOL.rtol / 100, 1e-12, `${describeCase(c, i)} loss`);
    assertClose(grad, c.grad, GRAD_TOL.rtol / 100, 1e-12, `${describeCase(c, i)} grad`);
  });
});

test('core gradients match central finite differences on random inputs', () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const normal = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  for (let trial = 0; trial < 40; trial++) {
    const rows = 3;
    const classes = 4;
    const shape = [rows, classes];
    const logits = Array.from({ length: rows * classes }, () => 3 * normal());
    const gamma = [0, 0.5, 1, 2, 3.7][trial % 5];
    const soft = Array.from({ length: rows * classes }, () => random());
    const labels = Array.from({ length: rows }, () => Math.floor(random() * classes));
    const beta = normal();
    const probs = soft.map((v, i) => v / soft.slice(i - (i % classes), i - (i % classes) + classes).reduce((a, b) => a + b));
    const losses: Array<[string, (x: number[]) => { loss: number; grad: Float64Array }]> = [
      ['sigmoid', (x) => sigmoidFocalLoss(x, soft, shape, { gamma, reduction: 'sum', labelSmoothing: 0.1 })],
      [
        'star',
        (x) =>
          sigmoidFocalLossStar(
            x,
            soft.map((v) => (v > 0.5 ? 1 : 0)),
            shape,
            { gamma: gamma + 0.5, beta, reduction: 'sum' },
          ),
      ],
      ['softmax', (x) => softmaxFocalLoss(x, labels, shape, { gamma, alpha: [0.1, 0.2, 0.3, 0.4], reduction: 'sum' })],
      ['categorical', (x) => categoricalFocalLoss(x, probs, shape, { gamma, reduction: 'sum', labelSmoothing: 0.05 })],
    ];
    for (const [name, f] of losses) {
      const { grad } = f(logits);
      const h = 1e-6;
      for (let k = 0; k < logits.length; k++) {
        const plus = logits.slice();
        plus[k] += h;
        const minus = logits.slice();
        minus[k] -= h;
        const numeric = (f(plus).loss - f(minus).loss) / (2 * h);
        assert.ok(
          Math.abs(numeric - grad[k]) <= 1e-6 + 1e-5 * Math.abs(numeric),
          `${name} trial ${trial} gamma ${gamma} d/dx[${k}]: closed form ${grad[k]}, finite difference ${numeric}`,
        );
      }
    }
  }
});

test('core FL* equals its closed form', () => {
  const x = [-3, -0.5, 0, 0.7, 4];
  const t = [0, 1, 1, 0, 1];
  const gamma = 1.5;
  const beta = 0.3;
  const { loss } = sigmoidFocalLossStar(x, t, [5], { gamma, beta, alpha: 0.25, reduction: 'none' });
  x.forEach((xi, i) => {
    const xt = xi * (2 * t[i] - 1);
    const at = t[i] === 1 ? 0.25 : 0.75;
    const expected = (at * -Math.log(1 / (1 + Math.exp(-(gamma * xt + beta))))) / gamma;
    assert.ok(Math.abs(loss[i] - expected) < 1e-12, `FL*[${i}] = ${loss[i]}, expected ${expected}`);
  });
});

test('core is finite at saturated logits for gamma < 1 (where torchvision gives NaN)', () => {
  for (const gamma of [0.1, 0.5, 0.9]) {
    const x = [1e4, -1e4, 50, -50, 30];
    const { loss, grad } = sigmoidFocalLoss(x, [1, 0, 1, 0, 1], [5], { gamma, reduction: 'sum' });
    assert.ok(Number.isFinite(loss));
    for (const g of grad) assert.ok(Number.isFinite(g), `gradient ${g} at gamma ${gamma}`);
    const s = softmaxFocalLoss([1e4, -1e4, 0], [0], [1, 3], { gamma });
    assert.ok(Number.isFinite(s.loss) && [...s.grad].every(Number.isFinite));
  }
});

test('core rejects mismatched lengths and bad options, naming the argument', () => {
  assert.throws(() => sigmoidFocalLoss([1, 2], [1], [2]), /sigmoidFocalLoss: targets has 1 values, expected 2/);
  assert.throws(() => sigmoidFocalLoss([1, 2], [1, 0], [3]), /sigmoidFocalLoss: logits has 2 values but shape \[3\]/);
  assert.throws(() => softmaxFocalLoss([1, 2, 3], [3], [1, 3]), /labels\[0\] = 3 is not an integer in \[0, 3\)/);
  assert.throws(() => softmaxFocalLoss([1, 2, 3], [0.5], [1, 3]), /labels\[0\] = 0.5/);
  assert.throws(() => sigmoidFocalLoss([1], [1], [1], { gamma: -1 }), /gamma must be a finite number >= 0/);
  assert.throws(() => sigmoidFocalLoss([1], [1], [1], { weights: [1, 2] }), /weights has 2 values, expected 1/);
});

test('core rejects targets outside [0, 1] and NaN targets, naming the op and the index', () => {
  assert.throws(
    () => sigmoidFocalLoss([1, 2, 3, 0.5], [0, 0, 0, 2], [4]),
    /^Error: sigmoidFocalLoss: targets\[3\] = 2 is not in \[0, 1\]$/,
  );
  assert.throws(() => sigmoidFocalLoss([1, 2], [0, 1.5], [2], { gamma: 0.5 }), /sigmoidFocalLoss: targets\[1\] = 1.5 is not in \[0, 1\]/);
  assert.throws(() => sigmoidFocalLoss([1, 2], [NaN, 1], [2]), /sigmoidFocalLoss: targets\[0\] = NaN is not in \[0, 1\]/);
  assert.throws(() => sigmoidFocalLossStar([1, 2], [0, -0.5], [2]), /sigmoidFocalLossStar: targets\[1\] = -0.5 is not in \[0, 1\]/);
  assert.throws(() => categoricalFocalLoss([1, 2, 3], [-1, 2, 0], [1, 3]), /categoricalFocalLoss: targets\[0\] = -1 is not in \[0, 1\]/);
  assert.throws(
    () => categoricalFocalLoss([1, 2, 3, 4], [0, 1, 0, Infinity], [2, 2], { axis: 0 }),
    /categoricalFocalLoss: targets\[3\] = Infinity is not in \[0, 1\]/,
  );
  // The ends and soft values are fine.
  assert.ok(Number.isFinite(sigmoidFocalLoss([1, 2, 3], [0, 0.5, 1], [3]).loss));
});

test('softmax from native probabilities (the wasm path) agrees with the logits path, extremes included', () => {
  const rows = [
    [2, -1, 0.5, 0],
    [1e4, -1e4, 0, 3],
    [-1e4, 1e4, 50, -50],
    [30, 0, 0, 0],
    [0, 0, 0, 0],
    [-120, 0, 1, 2],
  ];
  const classes = 4;
  const logits = rows.flat();
  const probs = new Float32Array(logits.length);
  rows.forEach((row, r) => {
    const max = Math.max(...row);
    const s = row.reduce((acc, v) => acc + Math.exp(v - max), 0);
    row.forEach((v, c) => {
      probs[r * classes + c] = Math.exp(v - max) / s;
    });
  });
  for (const gamma of [0, 0.5, 2]) {
    for (const labels of [
      [0, 1, 3, 0, 2, 0],
      [1, 0, 2, 1, 3, 3],
    ]) {
      const options = { alpha: [0.1, 0.2, 0.3, 0.4], gamma, ignoreIndex: null, reduction: 'sum' as const };
      const expectedGrad = new Float64Array(logits.length);
      const expected = softmaxFocalLossInto(logits, labels, null, { outer: rows.length, classes, inner: 1 }, options, null, expectedGrad);
      const grad = new Float64Array(logits.length);
      const actual = softmaxFocalLossFromProbsInto(probs, logits, labels, null, classes, options, null, grad);
      assert.ok(
        Math.abs(actual.loss - expected.loss) <= 1e-5 * Math.abs(expected.loss) + 1e-6,
        `gamma ${gamma}: loss ${actual.loss} vs ${expected.loss}`,
      );
      assertClose(grad, expectedGrad, 1e-4, 1e-6, `gamma ${gamma} labels ${labels} grad`);
    }
  }
});

test('core treats options null as no options and rejects options that are not an object', () => {
  const calls: Array<[string, (options: unknown) => { loss: unknown }]> = [
    ['sigmoidFocalLoss', (options) => sigmoidFocalLoss([1, -2], [1, 0], [2], options as never)],
    ['sigmoidFocalLossStar', (options) => sigmoidFocalLossStar([1, -2], [1, 0], [2], options as never)],
    ['softmaxFocalLoss', (options) => softmaxFocalLoss([1, -2], [1], [1, 2], options as never)],
    ['categoricalFocalLoss', (options) => categoricalFocalLoss([1, -2], [0, 1], [1, 2], options as never)],
  ];
  for (const [op, call] of calls) {
    assert.equal(call(null).loss, call(undefined).loss, op);
    assert.throws(() => call(2), new RegExp(`^Error: ${op}: options must be an object, got 2$`));
  }
});

test('core returns the limits at ±Infinity logits: 0 with gradient 0 where exact, +Infinity where unbounded', () => {
  // -0 as 0 (x + 0), so that deepEqual compares values.
  const plain = (values: ArrayLike<number>) => Array.from(values, (v) => v + 0);
  const sigmoid = sigmoidFocalLoss([Infinity, -Infinity, Infinity, -Infinity, Infinity, NaN], [1, 0, 0, 1, 0.5, 1], [6], {
    alpha: 0.25,
    gamma: 2,
    reduction: 'none',
  });
  assert.deepEqual(plain(sigmoid.loss), [0, 0, Infinity, Infinity, Infinity, NaN]);
  // The gradient's limits: ±a_t k^(g+1), k = 1 - t at +Infinity and t at -Infinity.
  assert.deepEqual(plain(sigmoid.grad), [0, 0, 0.75, -0.25, 0.5 * 0.5 ** 3, NaN]);
  const star = sigmoidFocalLossStar([Infinity, -Infinity, Infinity], [1, 0, 0], [3], { alpha: null, gamma: 2, beta: 1, reduction: 'none' });
  assert.deepEqual(
    [plain(star.loss), plain(star.grad)],
    [
      [0, 0, Infinity],
      [0, 0, 1],
    ],
  );
  const rows = [Infinity, 0, 1, Infinity, 0, 1, Infinity, Infinity, 0];
  const softmax = softmaxFocalLoss(rows, [0, 1, 0], [3, 3], { gamma: 2, reduction: 'none' });
  assert.deepEqual(plain(softmax.loss), [0, Infinity, NaN], 'two +Infinity logits in a row have no limit');
  assert.deepEqual(plain(softmax.grad.slice(0, 6)), [0, 0, 0, 1, -1, 0]);
  const categorical = categoricalFocalLoss(rows.slice(0, 6), [1, 0, 0, 0, 1, 0], [2, 3], { gamma: 2, reduction: 'none' });
  assert.deepEqual(
    [plain(categorical.loss), plain(categorical.grad)],
    [
      [0, Infinity],
      [0, 0, 0, 1, -1, 0],
    ],
  );
  // A zero weight keeps an infinite loss at 0, as at every finite logit.
  assert.equal(softmaxFocalLoss(rows.slice(3, 6), [1], [1, 3], { weights: [0] }).loss, 0);
});
