/**
 * Keras-style factories of the element-wise focal family (losses.qualityFocalLoss, ...):
 * per-sample values equal the op's per-element loss averaged over the axis (from logits and
 * from clipped probabilities), configs round-trip through toConfig / fromConfig, a model
 * compiles and trains with each, and a save/load keeps the loss; errors name the loss.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { COMPILE_METADATA_KEY, loadFocalModel, losses, saveFocalModel } from '../../src/layers/index.js';
import { asymmetricLoss, gaussianFocalLoss, polyFocalLoss, qualityFocalLoss, varifocalLoss } from '../../src/index.js';
import { useBackend } from '../helpers/backends.js';
import { memoryStore } from './file_io.js';

await useBackend('cpu');

type Op = (logits: tf.Tensor, targets: tf.Tensor, options?: Record<string, unknown>) => tf.Tensor;
const FACTORIES: Array<[string, string, (o?: Record<string, unknown>) => losses.FocalLossFunction, Op, Record<string, unknown>, boolean]> =
  [
    ['qualityFocalLoss', 'QualityFocalLoss', losses.qualityFocalLoss as never, qualityFocalLoss as never, { beta: 1.5 }, false],
    [
      'varifocalLoss',
      'VarifocalLoss',
      losses.varifocalLoss as never,
      varifocalLoss as never,
      { alpha: 0.5, gamma: 1, iouWeighted: false },
      false,
    ],
    [
      'gaussianFocalLoss',
      'GaussianFocalLoss',
      losses.gaussianFocalLoss as never,
      gaussianFocalLoss as never,
      { alpha: 2, gamma: 3, posWeight: 2, negWeight: 1 },
      false,
    ],
    ['polyFocalLoss', 'PolyFocalLoss', losses.polyFocalLoss as never, polyFocalLoss as never, { alpha: null, gamma: 1, epsilon: 2 }, false],
    [
      'asymmetricLoss',
      'AsymmetricLoss',
      losses.asymmetricLoss as never,
      asymmetricLoss as never,
      { gammaPos: 1, gammaNeg: 4, clip: 0.05, detachFocalWeight: true },
      true,
    ],
  ];

const X = tf.tensor2d([
  [1.5, -0.3, 0.2, -2],
  [0.1, 2.5, -1, 0.7],
  [-0.4, 0.3, 3, -1.2],
]);
const SOFT = tf.tensor2d([
  [0.8, 0, 0.3, 0],
  [0, 1, 0, 0.6],
  [0.2, 0, 1, 0],
]);
const HARD = tf.tensor2d([
  [1, 0, 0, 0],
  [0, 1, 0, 1],
  [0, 0, 1, 0],
]);

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++)
    assert.ok(Math.abs(a[i] - b[i]) <= tol * Math.max(1, Math.abs(b[i])), `${what} [${i}]: ${a[i]} vs ${b[i]}`);
}

for (const [name, className, factory, op, params, binary] of FACTORIES) {
  test(`losses.${name}: per-sample mean of the op, logits and probabilities; config round trip; errors`, () => {
    const before = tf.memory().numTensors;
    const y = binary ? HARD : SOFT;
    const fromLogits = factory({ ...params, fromLogits: true });
    const expected = tf.tidy(() => tf.mean(op(X, y, { ...params, reduction: 'none' }), -1).dataSync());
    close(
      tf.tidy(() => fromLogits(y, X).dataSync()),
      expected,
      1e-6,
      `${name} logits`,
    );
    // Probabilities: the same loss at the logit of the (clipped) probability.
    const fromProbs = factory(params);
    close(
      tf.tidy(() => fromProbs(y, tf.sigmoid(X)).dataSync()),
      expected,
      1e-4,
      `${name} probabilities`,
    );
    // Config: resolved defaults, JSON round trip, identical values.
    const spec = losses.toConfig(fromLogits);
    assert.equal(spec.className, className);
    assert.deepEqual(spec.config, { ...params, fromLogits: true, axis: -1, name });
    const again = losses.fromConfig(JSON.parse(JSON.stringify(spec)));
    assert.ok(losses.isFocalLoss(again));
    close(
      tf.tidy(() => again(y, X).dataSync()),
      expected,
      0,
      `${name} after fromConfig`,
    );
    assert.equal(fromLogits.name, name);
    assert.throws(() => factory({ gama: 2 }), new RegExp(`${name}: unknown option 'gama'`));
    assert.throws(() => factory({ fromLogits: 1 }), new RegExp(`${name}: fromLogits must be true or false, got 1`));
    const wrong = tf.zeros([3, 3]);
    assert.throws(() => fromLogits(wrong, X), new RegExp(`${name}: yTrue shape \\[3,3\\] must equal yPred shape \\[3,4\\]`));
    wrong.dispose();
    assert.equal(tf.memory().numTensors, before, 'no leak');
  });
}

test("losses.varifocalLoss rejects a bad parameter naming it; defaults are the op's", () => {
  assert.throws(() => losses.varifocalLoss({ alpha: -1 }), /varifocalLoss: alpha must be a finite number >= 0, got -1/);
  assert.deepEqual(losses.toConfig(losses.asymmetricLoss()).config, {
    gammaPos: 0,
    gammaNeg: 4,
    clip: 0.05,
    detachFocalWeight: false,
    fromLogits: false,
    axis: -1,
    name: 'asymmetricLoss',
  });
});

test('a model compiles, trains and saves / loads with a family loss (multi-label ASL, from logits)', async () => {
  const start = tf.memory().numTensors;
  const x = tf.randomNormal([64, 4], 0, 1, 'float32', 3);
  const y = tf.tidy(() =>
    tf.cast(
      tf.greater(
        tf.matMul(
          x,
          tf.tensor2d([
            [1, 0, -1],
            [0.5, 1, 0],
            [0, -1, 1],
            [1, 1, 1],
          ]),
        ),
        0.5,
      ),
      'float32',
    ),
  );
  const model = tf.sequential({
    layers: [tf.layers.dense({ units: 3, inputShape: [4], kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) })],
  });
  const loss = losses.asymmetricLoss({ fromLogits: true, gammaNeg: 2 });
  model.compile({ optimizer: tf.train.adam(0.05), loss, metrics: [losses.qualityFocalLoss({ fromLogits: true })] });
  const history = await model.fit(x, y, { epochs: 15, batchSize: 64, verbose: 0 });
  const values = history.history.loss as number[];
  assert.ok(
    values.every(Number.isFinite) && values[values.length - 1] < values[0] * 0.8,
    `loss decreases: ${values[0]} -> ${values[values.length - 1]}`,
  );
  const store = memoryStore();
  await saveFocalModel(model, store.save);
  const record = store.artifacts().userDefinedMetadata?.[COMPILE_METADATA_KEY] as Record<string, unknown>;
  assert.deepEqual(record.loss, losses.toConfig(loss));
  const loaded = await loadFocalModel(store.load());
  const [a, b] = [model, loaded].map((m) => {
    const out = m.evaluate(x, y) as tf.Scalar[];
    const value = out[0].dataSync()[0];
    tf.dispose(out);
    return value;
  });
  assert.ok(Math.abs(a - b) < 1e-6, `same loss after load: ${a} vs ${b}`);
  model.optimizer.dispose();
  for (const m of [model, loaded]) m.dispose();
  tf.dispose([x, y]);
  assert.equal(tf.memory().numTensors, start, 'no leak');
});
