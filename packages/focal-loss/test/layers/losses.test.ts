import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { losses } from '../../src/layers/index.js';
import { categoricalFocalLoss, sigmoidFocalLoss, softmaxFocalLoss } from '../../src/index.js';
import { useBackend } from '../helpers/backends.js';

await useBackend('cpu');

const EPS = 1e-7;

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5, msg = ''): void {
  assert.equal(actual.length, expected.length, `${msg} length`);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const e = expected[i];
    assert.ok(Number.isFinite(a), `${msg} [${i}] not finite: ${a}`);
    assert.ok(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)), `${msg} [${i}]: ${a} vs ${e}`);
  }
}

function values(t: tf.Tensor): Float32Array {
  const v = t.dataSync() as Float32Array;
  t.dispose();
  return v;
}

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

// ---- sparse ---------------------------------------------------------------------------------

test('sparseCategoricalFocalCrossentropy equals the op and the categorical loss on one-hot labels', () => {
  const x = tf.tensor2d([
    [2, -1, 0.5],
    [-20, 30, 0],
    [0.1, 0.1, 0.1],
    [5, 4, -3],
  ]);
  const labels = tf.tensor1d([0, 0, 2, 1], 'int32');
  const hot = tf.oneHot(labels, 3).toFloat();
  for (const fromLogits of [true, false]) {
    const pred = fromLogits ? x : tf.softmax(x);
    for (const alpha of [0.25, [0.2, 0.3, 0.5]]) {
      const sparse = losses.sparseCategoricalFocalCrossentropy({ alpha, gamma: 2, fromLogits });
      const cat = losses.categoricalFocalCrossentropy({ alpha, gamma: 2, fromLogits });
      const expected = values(cat(hot, pred));
      close(values(sparse(labels, pred)), expected, 1e-5, `[N] ${fromLogits}`);
      close(values(sparse(labels.reshape([4, 1]).toFloat(), pred)), expected, 1e-5, `[N,1] float ${fromLogits}`);
      if (fromLogits) {
        close(values(sparse(labels, x)), values(softmaxFocalLoss(x, labels, { alpha, gamma: 2, reduction: 'none' })), 1e-6);
      }
    }
    if (!fromLogits) pred.dispose();
  }
  tf.dispose([x, labels, hot]);
});

test('sparseCategoricalFocalCrossentropy: ignoreClass gives 0 and the batch mean counts valid labels only', () => {
  const x = tf.tensor2d([
    [2, -1, 0.5],
    [-2, 3, 0],
    [0.1, 0.1, 0.1],
    [5, 4, -3],
  ]);
  const labels = tf.tensor1d([0, -1, 2, -1], 'int32');
  const loss = losses.sparseCategoricalFocalCrossentropy({ fromLogits: true, ignoreClass: -1 });
  const v = values(loss(labels, x));
  assert.equal(v[1], 0);
  assert.equal(v[3], 0);
  const plain = losses.sparseCategoricalFocalCrossentropy({ fromLogits: true });
  const valid = values(plain(tf.tensor1d([0, 2], 'int32'), tf.gather(x, [0, 2])));
  const meanOfReturned = (v[0] + v[1] + v[2] + v[3]) / 4;
  close([meanOfReturned], [(valid[0] + valid[1]) / 2], 1e-6, 'mean over valid');
  close(
    [meanOfReturned],
    values(softmaxFocalLoss(x, labels, { alpha: 0.25, gamma: 2, ignoreIndex: -1, reduction: 'mean' })),
    1e-6,
    'op mean',
  );
  // all ignored: zeros, no NaN
  close(values(loss(tf.fill([4], -1, 'int32'), x)), [0, 0, 0, 0], 0);
  tf.dispose([x, labels]);
});

test('sparse: class axis 1 (segmentation-like [N, C, L] with labels [N, L])', () => {
  const x = tf.randomNormal([2, 3, 4], 0, 2, 'float32', 7);
  const labels = tf.tensor2d(
    [
      [0, 1, 2, 1],
      [2, 2, 0, 1],
    ],
    undefined,
    'int32',
  );
  const sparse = losses.sparseCategoricalFocalCrossentropy({ fromLogits: true, axis: 1 });
  const cat = losses.categoricalFocalCrossentropy({ fromLogits: true, axis: 1 });
  const hot = tf.oneHot(labels, 3).transpose([0, 2, 1]).toFloat();
  close(values(sparse(labels, x)), values(cat(hot, x)), 1e-5);
  tf.dispose([x, labels, hot]);
});

// ---- options, errors, serialisation, memory -------------------------------------------------

test('bad options raise clear errors', () => {
  assert.throws(() => losses.binaryFocalCrossentropy({ gama: 2 } as never), /binaryFocalCrossentropy: unknown option 'gama'/);
  assert.throws(() => losses.binaryFocalCrossentropy({ gamma: -1 }), /binaryFocalCrossentropy: gamma must be .*>= 0/);
  assert.throws(() => losses.binaryFocalCrossentropy({ alpha: 1.5 }), /alpha must be .*\[0, 1\]/);
  assert.throws(() => losses.binaryFocalCrossentropy({ labelSmoothing: 1 }), /labelSmoothing must be a number in \[0, 1\)/);
  assert.throws(() => losses.binaryFocalCrossentropy({ fromLogits: 1 } as never), /fromLogits must be true or false/);
  assert.throws(() => losses.categoricalFocalCrossentropy({ gamma: -0.5 }), /categoricalFocalCrossentropy: gamma/);
  assert.throws(() => losses.categoricalFocalCrossentropy({ alpha: [] }), /alpha must not be an empty list/);
  assert.throws(() => losses.categoricalFocalCrossentropy({ alpha: [1, Number.NaN] }), /alpha\[1\]/);
  assert.throws(() => losses.sparseCategoricalFocalCrossentropy({ ignoreClass: 0.5 }), /ignoreClass must be an integer/);
  assert.throws(() => losses.sparseCategoricalFocalCrossentropy({ from_logits: true } as never), /unknown option 'from_logits'/);

  const x = tf.zeros([2, 3]);
  const cat = losses.categoricalFocalCrossentropy({ alpha: [1, 2] });
  assert.throws(() => cat(tf.zeros([2, 3]), x), /categoricalFocalCrossentropy: alpha has 2 entries but the prediction has 3 classes/);
  const sp = losses.sparseCategoricalFocalCrossentropy({ alpha: [1, 2, 3, 4] });
  assert.throws(() => sp(tf.zeros([2]), x), /sparseCategoricalFocalCrossentropy: alpha has 4 entries/);
  assert.throws(
    () => losses.sparseCategoricalFocalCrossentropy()(tf.zeros([3]), x),
    /labels of shape \[3\] do not fit a prediction of shape \[2,3\]/,
  );
  assert.throws(() => losses.categoricalFocalCrossentropy()(tf.zeros([2, 1]), x), /one-hot targets/);
  assert.throws(
    () => losses.binaryFocalCrossentropy({ axis: 2 })(x, x),
    /binaryFocalCrossentropy: axis must be an integer in \[-2, 1\] for a prediction of rank 2, got 2/,
  );
  x.dispose();
});

test('config round trip, names, and non-enumerable metadata', () => {
  const loss = losses.categoricalFocalCrossentropy({ alpha: [1, 2, 3], gamma: 1, fromLogits: true });
  assert.equal(loss.name, 'categoricalFocalCrossentropy');
  assert.equal(loss.className, 'CategoricalFocalCrossentropy');
  assert.deepEqual(Object.keys(loss), []); // tfjs-layers enumerates keys of a function loss
  const spec = losses.toConfig(loss);
  assert.deepEqual(spec, {
    className: 'CategoricalFocalCrossentropy',
    config: { alpha: [1, 2, 3], gamma: 1, fromLogits: true, labelSmoothing: 0, axis: -1, name: 'categoricalFocalCrossentropy' },
  });
  const again = losses.fromConfig(JSON.parse(JSON.stringify(spec)));
  assert.deepEqual(losses.toConfig(again), spec);
  const named = losses.binaryFocalCrossentropy({ name: 'focal' });
  assert.equal(named.name, 'focal');
  assert.deepEqual(losses.binaryFocalCrossentropy().getConfig(), {
    alpha: 0.25,
    gamma: 2,
    fromLogits: false,
    applyClassBalancing: false,
    labelSmoothing: 0,
    axis: -1,
    name: 'binaryFocalCrossentropy',
  });
  assert.deepEqual(losses.sparseCategoricalFocalCrossentropy().getConfig().ignoreClass, null);
  assert.throws(() => losses.fromConfig({ className: 'Nope' as never, config: {} }), /unknown focal loss class 'Nope'/);
  assert.throws(() => losses.fromConfig({ className: 'BinaryFocalCrossentropy', config: { beta: 1 } }), /unknown option 'beta'/);
  assert.equal(losses.isFocalLoss(loss), true);
  assert.equal(
    losses.isFocalLoss(() => 0),
    false,
  );
});

test('no tensor leaks; gradients finite at extreme inputs', () => {
  const x = tf.tensor2d([
    [-1e4, 0, 1e4],
    [50, -50, 0],
  ]);
  const yb = tf.tensor2d([
    [1, 0, 1],
    [0, 1, 1],
  ]);
  const yc = tf.tensor2d([
    [0, 1, 0],
    [0, 1, 0],
  ]);
  const lab = tf.tensor1d([2, 1], 'int32');
  const before = tf.memory().numTensors;
  const fns: Array<[(a: tf.Tensor, b: tf.Tensor) => tf.Tensor, tf.Tensor]> = [
    [losses.binaryFocalCrossentropy({ fromLogits: true, applyClassBalancing: true, labelSmoothing: 0.1 }), yb],
    [losses.categoricalFocalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }), yc],
    [losses.sparseCategoricalFocalCrossentropy({ fromLogits: true, ignoreClass: 1 }), lab],
    [losses.sparseCategoricalFocalCrossentropy({ fromLogits: true, gamma: 0.5 }), lab],
  ];
  for (const [fn, y] of fns) {
    const out = fn(y, x);
    const g = tf.grad((z: tf.Tensor) => fn(y, z).mean())(x);
    for (const v of [...out.dataSync(), ...g.dataSync()]) assert.ok(Number.isFinite(v), `${fn.name}: ${v}`);
    tf.dispose([out, g]);
  }
  assert.equal(tf.memory().numTensors, before, 'tensor count unchanged');
  tf.dispose([x, yb, yc, lab]);
});
