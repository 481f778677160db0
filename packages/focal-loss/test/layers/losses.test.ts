import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { losses } from '../../src/layers/index.js';
import { categoricalFocalLoss, sigmoidFocalLoss } from '../../src/index.js';
import { useBackend } from '../helpers/backends.js';

import { close, values } from './loss_checks.js';

await useBackend('cpu');

const EPS = 1e-7;

// ---- float64 references written from Keras 3's documented formulas ----------------------------

const _sig = (x: number): number => 1 / (1 + Math.exp(-x));
const clip = (p: number): number => Math.min(Math.max(p, EPS), 1 - EPS);

/** Keras binary_focal_crossentropy, one row, probabilities. */
function kerasBinaryRow(y: number[], p: number[], o: { alpha: number; gamma: number; balance: boolean; ls: number }): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const t = y[i] * (1 - o.ls) + 0.5 * o.ls;
    const pc = clip(p[i]);
    const bce = -(t * Math.log(pc) + (1 - t) * Math.log(1 - pc));
    const pt = t * p[i] + (1 - t) * (1 - p[i]);
    let l = Math.pow(1 - pt, o.gamma) * bce;
    if (o.balance) l *= t * o.alpha + (1 - t) * (1 - o.alpha);
    s += l;
  }
  return s / y.length;
}

/** Keras categorical_focal_crossentropy, one row, probabilities. */
function kerasCategoricalRow(y: number[], p: number[], o: { alpha: number | number[]; gamma: number; ls: number }): number {
  const C = y.length;
  const tot = p.reduce((a, b) => a + b, 0);
  let s = 0;
  for (let c = 0; c < C; c++) {
    const t = y[c] * (1 - o.ls) + o.ls / C;
    const q = clip(p[c] / tot);
    const a = typeof o.alpha === 'number' ? o.alpha : o.alpha[c];
    s += a * Math.pow(1 - q, o.gamma) * -t * Math.log(q);
  }
  return s;
}

// ---- values published in Keras' documentation ----------------------------------------------

test("values from Keras' documentation examples", () => {
  // keras.losses.binary_focal_crossentropy(y_true, y_pred, gamma=2) -> [0.330, 0.206]
  const b = values(
    losses.binaryFocalCrossentropy({ gamma: 2 })(
      tf.tensor2d([
        [0, 1],
        [0, 0],
      ]),
      tf.tensor2d([
        [0.6, 0.4],
        [0.4, 0.6],
      ]),
    ),
  );
  close(b, [0.33, 0.206], 2e-3, 'binary doc example');
  // keras categorical_focal_crossentropy(y_true, y_pred) -> [2.6340148e-04, 6.7591208e-01]
  const c = values(
    losses.categoricalFocalCrossentropy()(
      tf.tensor2d([
        [0, 1, 0],
        [0, 0, 1],
      ]),
      tf.tensor2d([
        [0.05, 0.9, 0.05],
        [0.1, 0.85, 0.05],
      ]),
    ),
  );
  close(c, [2.6340148e-4, 6.7591208e-1], 1e-5, 'categorical doc example');
  assert.ok(Math.abs(c[0] - 2.6340148e-4) < 1e-8);
});

// ---- binary ---------------------------------------------------------------------------------

test('binaryFocalCrossentropy (fromLogits) equals the foundation op, mean over axis', () => {
  const x = tf.tensor2d([
    [-3, -0.5, 0, 2.5],
    [8, -12, 1, 0.3],
    [0.1, 0.2, -0.7, 40],
  ]);
  const y = tf.tensor2d([
    [1, 0, 1, 0],
    [1, 1, 0, 0],
    [0, 1, 1, 1],
  ]);
  for (const o of [
    { gamma: 2, applyClassBalancing: false, labelSmoothing: 0, alpha: 0.25 },
    { gamma: 0, applyClassBalancing: true, labelSmoothing: 0, alpha: 0.4 },
    { gamma: 3.5, applyClassBalancing: true, labelSmoothing: 0.2, alpha: 0.75 },
  ]) {
    for (const axis of [-1, 0]) {
      const loss = losses.binaryFocalCrossentropy({ ...o, fromLogits: true, axis });
      const ref = tf.tidy(() =>
        tf.mean(
          sigmoidFocalLoss(x, y, {
            alpha: o.applyClassBalancing ? o.alpha : null,
            gamma: o.gamma,
            reduction: 'none',
            labelSmoothing: o.labelSmoothing,
          }),
          axis,
        ),
      );
      close(values(loss(y, x)), values(ref), 1e-6, JSON.stringify({ ...o, axis }));
    }
  }
  tf.dispose([x, y]);
});

test('binaryFocalCrossentropy matches Keras on hand-computed cases (probabilities)', () => {
  const yRows = [
    [1, 0, 1],
    [0, 0, 1],
  ];
  const pRows = [
    [0.9, 0.2, 0.6],
    [0.05, 0.7, 0.999],
  ];
  const y = tf.tensor2d(yRows);
  const p = tf.tensor2d(pRows);
  for (const o of [
    { alpha: 0.25, gamma: 2, balance: false, ls: 0 },
    { alpha: 0.25, gamma: 2, balance: true, ls: 0 },
    { alpha: 0.9, gamma: 1, balance: true, ls: 0.1 },
    { alpha: 0.5, gamma: 0, balance: false, ls: 0.3 },
  ]) {
    const loss = losses.binaryFocalCrossentropy({
      alpha: o.alpha,
      gamma: o.gamma,
      applyClassBalancing: o.balance,
      labelSmoothing: o.ls,
    });
    const expected = yRows.map((r, i) => kerasBinaryRow(r, pRows[i], o));
    close(values(loss(y, p)), expected, 2e-5, JSON.stringify(o));
  }
  // alpha has no effect unless applyClassBalancing (Keras semantics)
  const a = values(losses.binaryFocalCrossentropy({ alpha: 0.1 })(y, p));
  const b = values(losses.binaryFocalCrossentropy({ alpha: 0.9 })(y, p));
  close(a, b, 0, 'alpha ignored');
  // one concrete number: t = 1, p = 0.9, gamma 2: 0.01 * -log(0.9)
  const one = values(losses.binaryFocalCrossentropy()(tf.tensor2d([[1]]), tf.tensor2d([[0.9]])));
  close(one, [0.01 * -Math.log(0.9)], 1e-5);
  // label smoothing goes toward 0.5: same as passing t (1 - s) + s / 2 by hand
  const smoothed = values(losses.binaryFocalCrossentropy({ labelSmoothing: 0.6 })(y, p));
  const byHand = values(losses.binaryFocalCrossentropy()(tf.add(tf.mul(y, 0.4), 0.3), p));
  close(smoothed, byHand, 1e-6, 'smoothing toward 0.5');
  tf.dispose([y, p]);
});

test('binaryFocalCrossentropy: exact from logits (no 16.1 cap), clipped like Keras from probabilities', () => {
  const t = tf.tensor2d([[1]]);
  const x = tf.tensor2d([[-30]]);
  const fromLogits = losses.binaryFocalCrossentropy({ fromLogits: true });
  const v = values(fromLogits(t, x))[0];
  close([v], [30 + Math.log1p(Math.exp(-30))], 1e-6, 'exact large loss');
  const g = tf.grad((z: tf.Tensor) => fromLogits(t, z).sum())(x);
  const gv = values(g)[0];
  assert.ok(Number.isFinite(gv) && gv < -0.99, `gradient stays alive: ${gv}`);
  // with probabilities, p = 0 is clipped to 1e-7 as in Keras: loss -log(1e-7), zero gradient
  const probs = losses.binaryFocalCrossentropy();
  const p0 = tf.tensor2d([[0]]);
  close(values(probs(t, p0)), [-Math.log(EPS)], 1e-4, 'clipped');
  const gp = values(tf.grad((z: tf.Tensor) => probs(t, z).sum())(p0));
  assert.equal(gp[0], 0);
  tf.dispose([t, x, p0]);
});

// ---- categorical ----------------------------------------------------------------------------

test('categoricalFocalCrossentropy (fromLogits) equals the foundation op, any axis', () => {
  const x = tf.tensor2d([
    [2, -1, 0.5],
    [-20, 30, 0],
    [0.1, 0.1, 0.1],
    [5, 4, -3],
  ]);
  const y = tf.tensor2d([
    [1, 0, 0],
    [1, 0, 0],
    [0, 0.3, 0.7],
    [0, 1, 0],
  ]);
  for (const o of [
    { alpha: 0.25, gamma: 2, labelSmoothing: 0 },
    { alpha: [0.2, 0.3, 0.5], gamma: 1.5, labelSmoothing: 0.1 },
    { alpha: 1, gamma: 0, labelSmoothing: 0 },
  ]) {
    const loss = losses.categoricalFocalCrossentropy({ ...o, fromLogits: true });
    const ref = categoricalFocalLoss(x, y, { ...o, reduction: 'none' });
    close(values(loss(y, x)), values(ref), 1e-6, JSON.stringify(o));
    // class axis 1 of [N, C, 1] vs the same data with the class axis last
    const lossAx = losses.categoricalFocalCrossentropy({ ...o, fromLogits: true, axis: 1 });
    const r = lossAx(y.expandDims(2), x.expandDims(2));
    assert.deepEqual(r.shape, [4, 1]);
    close(values(r), values(loss(y, x)), 1e-6, 'axis 1');
  }
  tf.dispose([x, y]);
});

test('categoricalFocalCrossentropy matches Keras on hand-computed cases (probabilities)', () => {
  const yRows = [
    [0, 1, 0],
    [1, 0, 0],
    [0, 0, 1],
  ];
  const pRows = [
    [0.2, 0.7, 0.1],
    [0.5, 0.25, 0.25],
    [0.3, 0.6, 0.3],
  ]; // last row sums to 1.2: normalised
  const y = tf.tensor2d(yRows);
  const p = tf.tensor2d(pRows);
  for (const o of [
    { alpha: 0.25, gamma: 2, ls: 0 },
    { alpha: [0.5, 1, 2], gamma: 2, ls: 0 },
    { alpha: 1, gamma: 0, ls: 0.3 },
    { alpha: [1, 1, 1], gamma: 3, ls: 0.1 },
  ]) {
    const loss = losses.categoricalFocalCrossentropy({ alpha: o.alpha, gamma: o.gamma, labelSmoothing: o.ls });
    const expected = yRows.map((r, i) => kerasCategoricalRow(r, pRows[i], o));
    close(values(loss(y, p)), expected, 2e-5, JSON.stringify(o));
  }
  // label smoothing toward 1/C: same as passing y (1 - s) + s / C by hand
  const smoothed = values(losses.categoricalFocalCrossentropy({ labelSmoothing: 0.6 })(y, p));
  const byHand = values(losses.categoricalFocalCrossentropy()(tf.add(tf.mul(y, 0.4), 0.2), p));
  close(smoothed, byHand, 1e-6, 'smoothing toward 1/C');
  tf.dispose([y, p]);
});
