import assert from 'node:assert/strict';
import test from 'node:test';
import { categoricalFocalLoss, sigmoidFocalLoss, sigmoidFocalLossStar, softmaxFocalLoss } from '../../src/index.js';
import { NODE_BACKENDS, assertNoLeak, tf, useBackend } from '../helpers/backends.js';

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

for (const backend of NODE_BACKENDS) {
  test(`${backend}: gamma = 0 with alpha null equals TF.js cross-entropy`, async () => {
    await useBackend(backend);
    tf.tidy(() => {
      const logits = tf.randomNormal([16, 5], 0, 3, 'float32', 1);
      const targets = tf.cast(tf.greater(tf.randomUniform([16, 5], 0, 1, 'float32', 2), 0.7), 'float32');
      const ce = tf.losses.sigmoidCrossEntropy(targets, logits);
      const fl = sigmoidFocalLoss(logits, targets, { gamma: 0, alpha: null });
      assert.ok(maxAbsDiff(ce, fl) < 1e-6, `sigmoid: ${ce.dataSync()} vs ${fl.dataSync()}`);
      const labels = tf.tensor1d([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 4, 4, 4, 0, 0, 1], 'int32');
      const onehot = tf.oneHot(labels, 5);
      const sce = tf.losses.softmaxCrossEntropy(onehot, logits);
      assert.ok(maxAbsDiff(sce, softmaxFocalLoss(logits, labels, { gamma: 0 })) < 1e-6);
      assert.ok(maxAbsDiff(sce, categoricalFocalLoss(logits, onehot, { gamma: 0 })) < 1e-6);
    });
  });

  test(`${backend}: focal loss <= cross-entropy element-wise, for every gamma`, async () => {
    await useBackend(backend);
    tf.tidy(() => {
      const logits = tf.randomNormal([200], 0, 4, 'float32', 3);
      const targets = tf.cast(tf.greater(tf.randomUniform([200], 0, 1, 'float32', 4), 0.5), 'float32');
      const ce = sigmoidFocalLoss(logits, targets, { gamma: 0, alpha: null, reduction: 'none' });
      for (const gamma of [0.25, 0.5, 1, 2, 5]) {
        const fl = sigmoidFocalLoss(logits, targets, { gamma, alpha: null, reduction: 'none' });
        assert.equal(tf.sum(tf.cast(tf.greater(fl, tf.add(ce, 1e-7)), 'int32')).dataSync()[0], 0, `gamma ${gamma}`);
      }
      const rows = tf.randomNormal([50, 6], 0, 3, 'float32', 5);
      const labels = tf.tensor1d(
        Array.from({ length: 50 }, (_, i) => i % 6),
        'int32',
      );
      const sce = softmaxFocalLoss(rows, labels, { gamma: 0, reduction: 'none' });
      const sfl = softmaxFocalLoss(rows, labels, { gamma: 2, reduction: 'none' });
      assert.equal(tf.sum(tf.cast(tf.greater(sfl, tf.add(sce, 1e-7)), 'int32')).dataSync()[0], 0);
    });
  });

  test(`${backend}: finite loss and gradient at logits of ±1e4 and gamma < 1; NaN propagates`, async () => {
    await useBackend(backend);
    tf.tidy(() => {
      const x = tf.tensor2d([
        [1e4, -1e4, 50],
        [-50, 0, 1e4],
      ]);
      const t = tf.tensor2d([
        [1, 0, 1],
        [0, 1, 0],
      ]);
      const labels = tf.tensor1d([0, 2], 'int32');
      for (const gamma of [0.2, 0.5, 2]) {
        const fns: Array<(v: tf.Tensor) => tf.Tensor> = [
          (v) => sigmoidFocalLoss(v, t, { gamma, reduction: 'sum' }),
          (v) => sigmoidFocalLossStar(v, t, { gamma, reduction: 'sum' }),
          (v) => softmaxFocalLoss(v, labels, { gamma, reduction: 'sum' }),
          (v) => categoricalFocalLoss(v, tf.oneHot(labels, 3), { gamma, reduction: 'sum' }),
        ];
        for (const f of fns) {
          const { value, grad } = tf.valueAndGrad(f)(x);
          assert.ok(Number.isFinite(value.dataSync()[0]), `loss at gamma ${gamma}`);
          assert.ok(Array.from(grad.dataSync()).every(Number.isFinite), `gradient at gamma ${gamma}`);
        }
      }
      const withNaN = tf.tensor2d([
        [NaN, 0, 1],
        [0, 1, 2],
      ]);
      assert.ok(Number.isNaN(sigmoidFocalLoss(withNaN, t).dataSync()[0]));
      assert.ok(Number.isNaN(softmaxFocalLoss(withNaN, labels).dataSync()[0]));
      assert.ok(Number.isNaN(categoricalFocalLoss(withNaN, tf.oneHot(labels, 3)).dataSync()[0]));
    });
  });

  test(`${backend}: normalizer, weights broadcasting, class axis and ignoreIndex behave as documented`, async () => {
    await useBackend(backend);
    tf.tidy(() => {
      const x = tf.randomNormal([2, 3, 4], 0, 2, 'float32', 6);
      const t = tf.cast(tf.greater(tf.randomUniform([2, 3, 4], 0, 1, 'float32', 7), 0.8), 'float32');
      const sum = sigmoidFocalLoss(x, t, { reduction: 'sum' });
      const byNumber = sigmoidFocalLoss(x, t, { normalizer: 5 });
      const byTensor = sigmoidFocalLoss(x, t, { normalizer: tf.scalar(5) });
      assert.ok(Math.abs(sum.dataSync()[0] / 5 - byNumber.dataSync()[0]) < 1e-6);
      assert.ok(maxAbsDiff(byNumber, byTensor) < 1e-7);
      // Per-class weights [4] broadcast over [2, 3, 4].
      const w = tf.tensor1d([1, 0, 2, 0.5]);
      const weighted = sigmoidFocalLoss(x, t, { weights: w, reduction: 'none' });
      const manual = tf.mul(sigmoidFocalLoss(x, t, { reduction: 'none' }), w);
      assert.ok(maxAbsDiff(weighted, manual) < 1e-7);
      // NCHW with axis 1 equals NHWC with axis -1.
      const nhwc = tf.randomNormal([2, 3, 3, 4], 0, 2, 'float32', 8);
      const labels = tf.tensor3d(
        [
          [
            [0, 1, 2],
            [3, 0, 1],
            [2, 3, -1],
          ],
          [
            [1, 1, 1],
            [0, -1, 3],
            [2, 2, 0],
          ],
        ],
        undefined,
        'int32',
      );
      const a = softmaxFocalLoss(nhwc, labels, { ignoreIndex: -1, alpha: [0.1, 0.2, 0.3, 0.4] });
      const b = softmaxFocalLoss(tf.transpose(nhwc, [0, 3, 1, 2]), labels, { ignoreIndex: -1, axis: 1, alpha: [0.1, 0.2, 0.3, 0.4] });
      assert.ok(maxAbsDiff(a, b) < 1e-6);
      // 'mean' counts only the 16 labelled pixels, and ignored pixels get zero gradient.
      const total = softmaxFocalLoss(nhwc, labels, { ignoreIndex: -1, alpha: [0.1, 0.2, 0.3, 0.4], reduction: 'sum' });
      assert.ok(Math.abs(total.dataSync()[0] / 16 - a.dataSync()[0]) < 1e-6);
      const g = tf.grad((v: tf.Tensor) => softmaxFocalLoss(v, labels, { ignoreIndex: -1 }))(nhwc);
      assert.deepEqual(Array.from(tf.slice(g, [0, 2, 2, 0], [1, 1, 1, 4]).dataSync()), [0, 0, 0, 0]);
    });
  });

  test(`${backend}: targets, labels and weights get zero gradient; no tensor leaks in or out of tidy`, async () => {
    await useBackend(backend);
    const x = tf.randomNormal([4, 3], 0, 1, 'float32', 9);
    const t = tf.tensor2d([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [1, 0, 0],
    ]);
    const w = tf.ones([4, 3]);
    assertNoLeak(() => {
      const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => sigmoidFocalLoss(a, b, { weights: c }))([x, t, w]);
      tf.tidy(() => {
        assert.equal(tf.sum(tf.abs(grads[1])).dataSync()[0], 0);
        assert.equal(tf.sum(tf.abs(grads[2])).dataSync()[0], 0);
      });
      tf.dispose(grads);
    }, 'tf.grads');
    const labels = tf.tensor1d([0, 1, 2, 0], 'int32');
    for (const reduction of ['none', 'sum', 'mean'] as const) {
      assertNoLeak(() => sigmoidFocalLoss(x, t, { reduction }).dispose(), `sigmoid ${reduction}`);
      assertNoLeak(() => sigmoidFocalLossStar(x, t, { reduction }).dispose(), `star ${reduction}`);
      assertNoLeak(() => softmaxFocalLoss(x, labels, { reduction, normalizer: 2 }).dispose(), `softmax ${reduction}`);
      assertNoLeak(() => categoricalFocalLoss(x, t, { reduction, weights: [1, 2, 3, 4] }).dispose(), `categorical ${reduction}`);
      assertNoLeak(
        () =>
          tf.tidy(() => {
            sigmoidFocalLoss([[1, 2]], [[0, 1]], { reduction });
          }),
        `tidy ${reduction}`,
      );
      assertNoLeak(
        () =>
          tf
            .grad((v: tf.Tensor) => softmaxFocalLoss(v, labels, { reduction: 'sum' }))(x)
            .dispose(),
        'grad',
      );
    }
    tf.dispose([x, t, w, labels]);
  });
}
