/**
 * ±Infinity logits: where the loss has a limit, the ops return it (loss 0 with gradient 0
 * where the logit is on the right side; +Infinity where the loss grows without bound, with
 * the gradient's finite limit); NaN stays NaN, and so does a row with two +Infinity logits
 * (no limit). The limit's gradient is checked against the gradient at ±1e4, where every
 * exp has underflowed. On cpu, wasm and the composite path (helpers/composite_backend.ts).
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { categoricalFocalLoss, sigmoidFocalLoss, sigmoidFocalLossStar, softmaxFocalLoss } from '../../src/index.js';
import { NODE_BACKENDS, assertNoLeak, tf, useBackend } from '../helpers/backends.js';
import { COMPOSITE_BACKEND, useCompositeBackend } from '../helpers/composite_backend.js';

const INF = Infinity;

/** ±Infinity replaced by ±1e4: every exp has underflowed there, so the gradient is the limit's. */
function saturate(values: number[]): number[] {
  return values.map((v) => (v === INF ? 1e4 : v === -INF ? -1e4 : v));
}

/** FINITE: the loss is finite and equals the saturated logits' loss. */
const FINITE = 'finite';

interface InfinityCase {
  name: string;
  shape: number[];
  logits: number[];
  /** Per-element ('none') loss of the logits. */
  loss(x: tf.Tensor): tf.Tensor;
  /** Expected loss per element or row: 0, ±Infinity, NaN or FINITE. */
  expected: Array<number | typeof FINITE>;
  /** Logits per loss element: 1 (sigmoid) or the class count (rows, class axis last). */
  perRow: number;
}

const ROWS = [
  [INF, 0, 1],
  [INF, 0, 1],
  [-INF, 0, 1],
  [0, -INF, 1],
  [INF, INF, 0],
  [NaN, 0, 1],
];
const ROW_LABELS = [0, 1, 0, 2, 0, 0];
const ONE_HOT = ROW_LABELS.map((y) => [0, 1, 2].map((c) => (c === y ? 1 : 0)));

const CASES: InfinityCase[] = [
  {
    name: 'sigmoid, alpha 0.25, gamma 2, a zero weight',
    shape: [9],
    logits: [INF, -INF, INF, -INF, INF, -INF, INF, 0.5, NaN],
    loss: (x) =>
      sigmoidFocalLoss(x, [1, 0, 0, 1, 0.5, 0.5, 0, 1, 1], {
        alpha: 0.25,
        gamma: 2,
        weights: [1, 1, 1, 1, 1, 1, 0, 1, 1],
        reduction: 'none',
      }),
    expected: [0, 0, INF, INF, INF, INF, 0, FINITE, NaN],
    perRow: 1,
  },
  {
    name: 'sigmoid, gamma 0.5, label smoothing',
    shape: [5],
    logits: [INF, -INF, INF, -INF, -2],
    loss: (x) => sigmoidFocalLoss(x, [1, 0, 0, 1, 0], { alpha: null, gamma: 0.5, labelSmoothing: 0.1, reduction: 'none' }),
    expected: [INF, INF, INF, INF, FINITE],
    perRow: 1,
  },
  {
    name: 'sigmoid, gamma 0.5, no smoothing',
    shape: [4],
    logits: [INF, -INF, INF, -INF],
    loss: (x) => sigmoidFocalLoss(x, [1, 0, 0, 1], { alpha: null, gamma: 0.5, reduction: 'none' }),
    expected: [0, 0, INF, INF],
    perRow: 1,
  },
  {
    name: 'FL*',
    shape: [6],
    logits: [INF, -INF, INF, -INF, INF, NaN],
    loss: (x) => sigmoidFocalLossStar(x, [1, 0, 0, 1, 0.5, 1], { gamma: 2, beta: 1, reduction: 'none' }),
    expected: [0, 0, INF, INF, FINITE, NaN],
    perRow: 1,
  },
  {
    name: 'softmax, alpha per class, gamma 2',
    shape: [6, 3],
    logits: ROWS.flat(),
    loss: (x) => softmaxFocalLoss(x, ROW_LABELS, { alpha: [0.2, 0.3, 0.5], gamma: 2, reduction: 'none' }),
    expected: [0, INF, INF, FINITE, NaN, NaN],
    perRow: 3,
  },
  {
    name: 'softmax, gamma 0.5, a zero weight',
    shape: [6, 3],
    logits: ROWS.flat(),
    loss: (x) => softmaxFocalLoss(x, ROW_LABELS, { gamma: 0.5, weights: [1, 0, 1, 1, 1, 1], reduction: 'none' }),
    expected: [0, 0, INF, FINITE, NaN, NaN],
    perRow: 3,
  },
  {
    name: 'softmax, gamma 0, class axis 0',
    shape: [6, 3],
    logits: ROWS.flat(),
    loss: (x) => tf.transpose(softmaxFocalLoss(tf.transpose(x), ROW_LABELS, { gamma: 0, axis: 0, reduction: 'none' })),
    expected: [0, INF, INF, FINITE, NaN, NaN],
    perRow: 3,
  },
  {
    name: 'categorical, one-hot',
    shape: [6, 3],
    logits: ROWS.flat(),
    loss: (x) => categoricalFocalLoss(x, ONE_HOT, { alpha: [0.2, 0.3, 0.5], gamma: 2, reduction: 'none' }),
    expected: [0, INF, INF, FINITE, NaN, NaN],
    perRow: 3,
  },
  {
    name: 'categorical, soft targets, gamma 0.5',
    shape: [6, 3],
    logits: ROWS.flat(),
    loss: (x) =>
      categoricalFocalLoss(
        x,
        [
          [1, 0, 0],
          [0, 0.5, 0.5],
          [0, 1, 0],
          [0.5, 0, 0.5],
          [1, 0, 0],
          [1, 0, 0],
        ],
        { gamma: 0.5, reduction: 'none' },
      ),
    expected: [0, INF, FINITE, FINITE, NaN, NaN],
    perRow: 3,
  },
  {
    name: 'categorical, label smoothing',
    shape: [6, 3],
    logits: ROWS.flat(),
    loss: (x) => categoricalFocalLoss(x, ONE_HOT, { gamma: 2, labelSmoothing: 0.1, reduction: 'none' }),
    expected: [INF, INF, INF, INF, NaN, NaN],
    perRow: 3,
  },
];

/** Loss values and the gradient of their sum, with no tensor left behind. */
function lossAndGrad(loss: (x: tf.Tensor) => tf.Tensor, logits: number[], shape: number[]): { loss: number[]; grad: number[] } {
  return assertNoLeak(() =>
    tf.tidy(() => {
      const x = tf.tensor(logits, shape);
      const grad = tf.grad((v: tf.Tensor) => tf.sum(loss(v)))(x);
      return { loss: Array.from(loss(x).dataSync()), grad: Array.from(grad.dataSync()) };
    }),
  );
}

function checkCase(c: InfinityCase): void {
  const limit = lossAndGrad(c.loss, c.logits, c.shape);
  const saturated = lossAndGrad(c.loss, saturate(c.logits), c.shape);
  c.expected.forEach((expected, row) => {
    const what = `${c.name}, loss[${row}]`;
    const got = limit.loss[row];
    if (expected === FINITE) {
      assert.ok(
        Number.isFinite(got) && Math.abs(got - saturated.loss[row]) <= 1e-5 * Math.abs(got) + 1e-7,
        `${what} = ${got}, expected ${saturated.loss[row]}`,
      );
    } else {
      assert.ok(Object.is(got, expected) || (expected === 0 && got === 0), `${what} = ${got}, expected ${expected}`);
    }
    for (let k = row * c.perRow; k < (row + 1) * c.perRow; k++) {
      const g = limit.grad[k];
      if (Number.isNaN(expected)) {
        assert.ok(Number.isNaN(g), `${c.name}, grad[${k}] = ${g}, expected NaN`);
      } else {
        const e = saturated.grad[k];
        assert.ok(
          Number.isFinite(g) && Math.abs(g - e) <= 1e-5 * Math.abs(e) + 1e-7,
          `${c.name}, grad[${k}] = ${g}, expected ${e} (the gradient at ±1e4)`,
        );
      }
    }
  });
}

function checkReductions(): void {
  // One element at its exact limit leaves 'mean' finite; one unbounded element makes it +Infinity.
  const mean = lossAndGrad((x) => sigmoidFocalLoss(x, [1, 0, 1]), [INF, -INF, 0.5], [3]);
  const alone = lossAndGrad((x) => sigmoidFocalLoss(x, [1], { reduction: 'sum' }), [0.5], [1]);
  assert.ok(Math.abs(mean.loss[0] - alone.loss[0] / 3) < 1e-7, `mean ${mean.loss[0]}`);
  assert.deepEqual(mean.grad.slice(0, 2), [0, 0]);
  assert.ok(Math.abs(mean.grad[2] - alone.grad[0] / 3) < 1e-7);
  for (const reduction of ['sum', 'mean'] as const) {
    const unbounded = lossAndGrad((x) => softmaxFocalLoss(x, [1, 0], { reduction }), [INF, 0, 1, 2, 0, 1], [2, 3]);
    assert.equal(unbounded.loss[0], INF, `softmax ${reduction}`);
    assert.ok(unbounded.grad.every(Number.isFinite), `softmax ${reduction} gradient ${unbounded.grad}`);
  }
}

for (const backend of [...NODE_BACKENDS, COMPOSITE_BACKEND]) {
  test(`${backend}: ±Infinity logits give the loss's limits (0 with gradient 0, or +Infinity), NaN stays NaN`, async () => {
    if (backend === COMPOSITE_BACKEND) await useCompositeBackend();
    else await useBackend(backend);
    for (const c of CASES) checkCase(c);
    checkReductions();
  });
}
