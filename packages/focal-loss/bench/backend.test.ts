/**
 * The shared useBackend (test/helpers/use_backend.ts) fails loudly where tf.setBackend alone
 * would let a benchmark measure another backend than the one its table names: tfjs answers a
 * backend that fails to initialise with `false` and a console warning, and the next op
 * silently picks the best remaining backend (cpu here: this file does not import the wasm
 * backend, whose asynchronous start would make that op throw instead).
 * The tests and benchmark of tfjs-fast-conv use the same helper.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../test/helpers/use_backend.js';

test('useBackend switches to a working backend', async () => {
  await useBackend('cpu');
  assert.equal(tf.getBackend(), 'cpu');
});

test('useBackend rejects a backend name nothing registered', async () => {
  await assert.rejects(useBackend('no-such-backend'), /^Error: useBackend: no backend 'no-such-backend' is registered/);
});

test('useBackend rejects a backend that fails to initialise, where tf.setBackend falls back silently', async () => {
  const name = 'failing-for-test';
  // Lowest priority, so that tfjs never picks it as its best backend.
  tf.registerBackend(name, async () => Promise.reject(new Error('no device')), -1);
  const warn = console.warn;
  const warnings: string[] = [];
  console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
  try {
    // The failure tests used to ignore: no throw, and ops still run, on another backend.
    assert.equal(await tf.setBackend(name), false);
    const before = tf.memory().numTensors;
    assert.equal(
      tf.tidy(() => tf.add(tf.scalar(1), 1).dataSync()[0]),
      2,
    );
    assert.equal(tf.memory().numTensors, before);
    assert.equal(tf.getBackend(), 'cpu');
    assert.ok(
      warnings.some((w) => w.includes(`Initialization of backend ${name} failed`)),
      warnings.join('\n'),
    );

    await assert.rejects(useBackend(name), new RegExp(`^Error: useBackend: backend '${name}' failed to initialise`));
  } finally {
    console.warn = warn;
    tf.removeBackend(name);
    await useBackend('cpu');
  }
});
