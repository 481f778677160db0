/**
 * The SIMD path at the edges, against the JS loop: gamma < 1 at saturated logits (±1e4, no
 * NaN), ±Infinity logits (the exact limits, gradient 0 where the loss is 0), NaN
 * propagating, huge finite logits, and invalid targets and labels throwing the JS loop's
 * error with the same index, also past the first chunk.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { categoricalFocalLoss, sigmoidFocalLoss, sigmoidFocalLossStar, softmaxFocalLoss } from '../../src/index.js';
import { setFocalLossSimd } from '../../src/kernels/simd/index.js';
import { NODE_BACKENDS, tf, useBackend } from '../helpers/backends.js';
import { type PathResult, assertNear, errorOf, runPath } from './helpers.js';

const INF = Infinity;
/** Placed past the module's first chunk (8192 elements) and off a multiple of 4. */
const OFFSET = 9001;

function padded(values: number[], fill: number): Float32Array {
  const out = new Float32Array(OFFSET + values.length + 3).fill(fill);
  out.set(values, OFFSET);
  return out;
}

/**
 * The SIMD path took the call; the rows from `first` on (the edge rows) have the JS loop's
 * loss exactly or within 2e-6 relative (NaN where it is NaN); every loss and gradient within
 * the SIMD tolerances.
 */
function assertEdgeRows(simd: PathResult, js: PathResult, rows: number[][], first: number, what: string): void {
  assert.ok(simd.simd > 0, `${what}: the SIMD path was not taken`);
  for (let r = first; r < rows.length; r++) {
    assert.ok(
      Object.is(simd.loss[r], js.loss[r]) || Math.abs(simd.loss[r] - js.loss[r]) <= 2e-6 * Math.abs(js.loss[r]),
      `${what} row ${rows[r]}: loss ${simd.loss[r]} vs ${js.loss[r]}`,
    );
  }
  assertNear(simd.loss, js.loss, 2e-6, 1e-30, `${what} loss`);
  assertNear(simd.grad, js.grad, 2e-5, 1e-30, `${what} grad`);
}

for (const backend of NODE_BACKENDS) {
  test(`${backend}: SIMD saturation, ±Infinity and NaN logits give the JS loop's values`, async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const edge = [1e4, -1e4, 1e4, -1e4, INF, -INF, INF, -INF, NaN, 3e38, -3e38, 1e30, 50, -50, 88, -88, 104, -104];
    const logits = tf.tensor(padded(edge, 0.5));
    const targets = tf.tensor(
      padded(
        edge.map((_, i) => [1, 0, 0, 1, 0.5][i % 5]),
        1,
      ),
    );
    const weights = tf.tensor(
      padded(
        edge.map((_, i) => (i % 7 === 6 ? 0 : 1.5)),
        1,
      ),
    );
    for (const gamma of [0, 0.25, 0.5, 2, 2.5]) {
      for (const star of [false, true]) {
        if (star && gamma === 0) continue;
        const lossOf = (x: tf.Tensor): tf.Tensor =>
          tf.tidy(() => {
            const options = { gamma, reduction: 'none' as const, weights, alpha: 0.25 };
            return star ? sigmoidFocalLossStar(x, targets.round(), options) : sigmoidFocalLoss(x, targets, options);
          });
        const simd = runPath(true, logits, lossOf);
        const js = runPath(false, logits, lossOf);
        const what = `${backend} ${star ? 'FL*' : 'focal'} gamma ${gamma}`;
        assert.ok(simd.simd > 0);
        // Exactly the JS values on the edge elements (redone by the float64 core), NaN where JS has NaN.
        for (let i = OFFSET; i < OFFSET + edge.length; i++) {
          const x = edge[i - OFFSET];
          if (!Number.isFinite(x)) {
            assert.ok(Object.is(simd.loss[i], js.loss[i]), `${what} loss at x=${x}: ${simd.loss[i]} vs ${js.loss[i]}`);
            assert.ok(Object.is(simd.grad[i], js.grad[i]), `${what} grad at x=${x}: ${simd.grad[i]} vs ${js.grad[i]}`);
          }
          if (!Number.isNaN(x)) assert.ok(!Number.isNaN(simd.grad[i]), `${what}: NaN gradient at x = ${x}`);
        }
        assertNear(simd.loss, js.loss, 2e-6, 1e-30, `${what} loss`);
        assertNear(simd.grad, js.grad, 2e-5, 1e-30, `${what} grad`);
      }
    }
    tf.dispose([logits, targets, weights]);
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  });

  // 5 classes take the four-rows-at-a-time kernel, 21 the row kernel (padded with logits of -3).
  for (const width of [5, 21]) {
    test(`${backend}: SIMD softmax rows (${width} classes) with ±Infinity, NaN and ±1e4 logits give the JS loop's values`, async () => {
      await useBackend(backend);
      const rows = [
        [INF, 0, 1, 2, 3],
        [0, INF, 1, 2, 3],
        [-INF, 0, 1, 2, 3],
        [0, -INF, 1, 2, 3],
        [INF, INF, 0, 0, 0],
        [NaN, 0, 1, 2, 3],
        [-INF, -INF, -INF, -INF, -INF],
        [1e4, -1e4, 0, 0, 0],
        [-1e4, 1e4, 0, 0, 0],
        [3e38, 0, 0, 0, 0],
        [2, 2, 2, 0, 0],
        [1e-30, 0, 0, 0, 0],
      ];
      const filler = Array.from({ length: 2000 }, (_, r) => [r % 5, 1, 2, 0.5, -1]);
      const pad = (row: number[]): number[] => [
        ...row,
        ...new Array<number>(width - row.length).fill(row.every((v) => v === -INF) ? -INF : -3),
      ];
      const all = [...filler, ...rows].map(pad);
      const logits = tf.tensor(all.flat(), [all.length, width]);
      const rowLabels = [0, 0, 1, 1, 0, 1, 0, 1, 1, 1, 2, 0];
      const labels = tf.tensor(
        all.map((_, r) => (r < filler.length ? r % 5 : rowLabels[r - filler.length])),
        [all.length],
        'int32',
      );
      for (const gamma of [0, 0.5, 2]) {
        const lossOf = (x: tf.Tensor): tf.Tensor => softmaxFocalLoss(x, labels, { gamma, reduction: 'none', alpha: 0.5 });
        const simd = runPath(true, logits, lossOf);
        const js = runPath(false, logits, lossOf);
        assertEdgeRows(simd, js, all, filler.length, `${backend} softmax ${width} classes gamma ${gamma}`);
      }
      tf.dispose([logits, labels]);
    });
  }

  test(`${backend}: invalid targets and labels throw the JS loop's error, with the index, on the SIMD path`, async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const logits = tf.tensor(padded([0.5, 1, 2, 3], 0));
    for (const bad of [1.5, -0.1, NaN]) {
      const targets = tf.tensor(padded([0, 1, bad, 0], 0));
      const call = (): unknown => tf.tidy(() => sigmoidFocalLoss(logits, targets).dataSync());
      setFocalLossSimd(true);
      const simd = errorOf(call);
      setFocalLossSimd(false);
      const js = errorOf(call);
      setFocalLossSimd(null);
      assert.equal(simd, js);
      assert.match(simd, new RegExp(`targets\\[${OFFSET + 2}\\]`));
      targets.dispose();
    }
    const x = tf.zeros([3000, 4]);
    for (const bad of [4, -1, 2.5]) {
      const labelValues = new Float32Array(3000);
      labelValues[2500] = bad;
      const labels = tf.tensor(labelValues, [3000], 'float32');
      const call = (): unknown => tf.tidy(() => softmaxFocalLoss(x, labels).dataSync());
      setFocalLossSimd(true);
      const simd = errorOf(call);
      setFocalLossSimd(false);
      const js = errorOf(call);
      setFocalLossSimd(null);
      assert.equal(simd, js);
      assert.match(simd, /labels\[2500\]/);
      labels.dispose();
    }
    for (const bad of [1.5, -0.1, NaN]) {
      const targetValues = new Float32Array(3000 * 4);
      targetValues[2500 * 4 + 3] = bad;
      const targets = tf.tensor(targetValues, [3000, 4]);
      const call = (): unknown => tf.tidy(() => categoricalFocalLoss(x, targets).dataSync());
      setFocalLossSimd(true);
      const simd = errorOf(call);
      setFocalLossSimd(false);
      const js = errorOf(call);
      setFocalLossSimd(null);
      assert.equal(simd, js);
      assert.match(simd, new RegExp(`targets\\[${2500 * 4 + 3}\\]`));
      targets.dispose();
    }
    tf.dispose([logits, x]);
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  });

  test(`${backend}: SIMD categorical rows with ±Infinity, NaN and ±1e4 logits give the JS loop's values`, async () => {
    await useBackend(backend);
    const rows = [
      [INF, 0, 1],
      [0, INF, 1],
      [-INF, 0, 1],
      [INF, INF, 0],
      [NaN, 0, 1],
      [1e4, -1e4, 0],
      [-1e4, 1e4, 0],
    ];
    const filler = Array.from({ length: 3000 }, (_, r) => [r % 3, 1, -0.5]);
    const all = [...filler, ...rows];
    const logits = tf.tensor(all.flat(), [all.length, 3]);
    const targets = tf.tensor(
      all.flatMap(
        (_, r) =>
          [
            [1, 0, 0],
            [0.2, 0.8, 0],
            [0, 0, 1],
          ][r % 3],
      ),
      [all.length, 3],
    );
    for (const gamma of [0, 0.5, 2]) {
      const lossOf = (x: tf.Tensor): tf.Tensor => categoricalFocalLoss(x, targets, { gamma, reduction: 'none', alpha: 0.5 });
      const simd = runPath(true, logits, lossOf);
      const js = runPath(false, logits, lossOf);
      assertEdgeRows(simd, js, all, filler.length, `${backend} categorical gamma ${gamma}`);
    }
    tf.dispose([logits, targets]);
  });
}
