/**
 * Forcing either path (setFocalLossSimd, FOCAL_LOSS_SIMD) and the clean fallback of calls the
 * SIMD kernels do not take (more classes than half a chunk): those run the JS loop and give
 * exactly its values.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { sigmoidFocalLoss, softmaxFocalLoss } from '../../src/index.js';
import { focalLossSimdActive, focalLossSimdMode, setFocalLossSimd, simdSupported } from '../../src/kernels/simd/index.js';
import { tf, useBackend } from '../helpers/backends.js';
import { runPath, uniforms } from './helpers.js';

test('Node has WebAssembly SIMD, and the default (auto) takes it', () => {
  assert.equal(simdSupported(), true);
  assert.equal(focalLossSimdMode(), process.env.FOCAL_LOSS_SIMD === undefined ? 'auto' : focalLossSimdMode());
  setFocalLossSimd(null);
  if (process.env.FOCAL_LOSS_SIMD === undefined) assert.equal(focalLossSimdActive(), true);
});

test('FOCAL_LOSS_SIMD sets the default; setFocalLossSimd overrides it; bad values name the setting', () => {
  const saved = process.env.FOCAL_LOSS_SIMD;
  try {
    process.env.FOCAL_LOSS_SIMD = '0';
    assert.equal(focalLossSimdMode(), 'off');
    assert.equal(focalLossSimdActive(), false);
    setFocalLossSimd(true);
    assert.equal(focalLossSimdMode(), 'on');
    assert.equal(focalLossSimdActive(), true);
    setFocalLossSimd(null);
    process.env.FOCAL_LOSS_SIMD = '1';
    assert.equal(focalLossSimdMode(), 'on');
    process.env.FOCAL_LOSS_SIMD = 'auto';
    assert.equal(focalLossSimdMode(), 'auto');
    process.env.FOCAL_LOSS_SIMD = 'yes';
    assert.throws(() => focalLossSimdMode(), /FOCAL_LOSS_SIMD must be 'auto', 'on', 'off'.*got "yes"/);
    assert.throws(() => setFocalLossSimd('always' as never), /setFocalLossSimd\(mode\) must be/);
  } finally {
    if (saved === undefined) delete process.env.FOCAL_LOSS_SIMD;
    else process.env.FOCAL_LOSS_SIMD = saved;
    setFocalLossSimd(null);
  }
});

test('forced off: the JS loop runs (no SIMD call) and gives different float32 roundings than SIMD', async () => {
  await useBackend('cpu');
  const n = 5000;
  const logits = tf.tensor(Float32Array.from(uniforms(n, 1), (u) => (u - 0.5) * 16));
  const targets = tf.tensor(Float32Array.from(uniforms(n, 2), (u) => (u < 0.5 ? 1 : 0)));
  const lossOf = (x: tf.Tensor): tf.Tensor => sigmoidFocalLoss(x, targets, { reduction: 'none', gamma: 1.5 });
  const off = runPath(false, logits, lossOf);
  const on = runPath(true, logits, lossOf);
  assert.equal(off.simd, 0);
  assert.ok(on.simd > 0);
  // Evidence the two paths really differ (float32 vs float64 arithmetic), so "off" is not SIMD.
  assert.ok(
    off.grad.some((g, i) => g !== on.grad[i]),
    'forced-off and forced-on results are bit-identical',
  );
  tf.dispose([logits, targets]);
});

for (const backend of ['cpu', 'wasm']) {
  test(`${backend}: calls the SIMD kernels do not take fall back to the JS loop with its exact values`, async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const cases: Array<[string, tf.Tensor, (x: tf.Tensor) => tf.Tensor]> = [];
    const wide = tf.tensor(
      Float32Array.from(uniforms(2 * 5000, 5), (u) => u * 4),
      [2, 5000],
    );
    const wideLabels = tf.tensor([4999, 0], [2], 'int32');
    cases.push(['softmax, 5000 classes (over half a chunk)', wide, (x) => softmaxFocalLoss(x, wideLabels)]);
    for (const [name, logits, lossOf] of cases) {
      const forced = runPath(true, logits, lossOf);
      const js = runPath(false, logits, lossOf);
      assert.equal(forced.simd, 0, `${name}: took the SIMD kernels`);
      assert.deepEqual(Array.from(forced.loss), Array.from(js.loss), `${name}: loss differs from the JS loop`);
      assert.deepEqual(Array.from(forced.grad), Array.from(js.grad), `${name}: gradient differs from the JS loop`);
    }
    tf.dispose([wide, wideLabels]);
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  });
}
