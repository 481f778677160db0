import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  COMPILE_METADATA_KEY,
  losses,
  loadFocalModel,
  priorProbabilityInitializer,
  saveFocalModel,
  tensorDataset,
} from '../../src/layers/index.js';
import { fileHandler, memoryStore } from './file_io.js';
import { useBackend } from '../helpers/backends.js';

await useBackend('cpu');

function data(n: number, seed: number): { x: tf.Tensor2D; y: tf.Tensor2D; labels: tf.Tensor1D } {
  return tf.tidy(() => {
    const x = tf.randomNormal([n, 4], 0, 1, 'float32', seed) as tf.Tensor2D;
    const score = tf.matMul(x, tf.tensor2d([[1.2], [-0.8], [0.5], [0.3]])).squeeze([1]);
    const y = tf.cast(tf.greater(score, 1.2), 'float32').reshape([n, 1]) as tf.Tensor2D;
    const labels = tf.add(
      tf.cast(tf.greater(score, 1.2), 'int32'),
      tf.mul(tf.scalar(2, 'int32'), tf.cast(tf.less(score, -1.5), 'int32')),
    ) as tf.Tensor1D;
    return { x, y, labels };
  });
}

function lossesOf(h: tf.History, key = 'loss'): number[] {
  return (h.history[key] as Array<number | tf.Tensor>).map((v) => (typeof v === 'number' ? v : v.dataSync()[0]));
}

function weightsOf(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => w.dataSync() as Float32Array);
}

function assertClose(a: number[], b: number[], tol: number, msg: string): void {
  assert.equal(a.length, b.length, msg);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= tol * Math.max(1, Math.abs(b[i])), `${msg} [${i}]: ${v} vs ${b[i]}`));
}

function maxDiff(a: Float32Array[], b: Float32Array[]): number {
  let m = 0;
  a.forEach((w, i) => w.forEach((v, j) => (m = Math.max(m, Math.abs(v - b[i][j])))));
  return m;
}

test('in-memory round trip: the next fit steps match (loss, options and Adam state restored)', async () => {
  const start = tf.memory().numTensors;
  const { x, y, labels } = data(64, 11);
  const build = (): tf.LayersModel =>
    tf.sequential({
      layers: [
        tf.layers.dense({ units: 6, inputShape: [4], activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
        tf.layers.dense({
          units: 1,
          kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
          biasInitializer: priorProbabilityInitializer(0.05),
        }),
      ],
    });
  const a = build();
  const loss = losses.binaryFocalCrossentropy({
    fromLogits: true,
    applyClassBalancing: true,
    alpha: 0.8,
    gamma: 1.5,
    labelSmoothing: 0.05,
  });
  a.compile({
    optimizer: tf.train.adam(0.03),
    loss,
    metrics: ['acc', losses.binaryFocalCrossentropy({ fromLogits: true, name: 'plainFocal' })],
  });
  await a.fit(x, y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 });

  const store = memoryStore();
  await saveFocalModel(a, store.save);
  assert.equal(a.loss, loss, 'the model keeps its loss after saving');
  const saved = store.artifacts();
  assert.equal(saved.trainingConfig, undefined, "tfjs' lossy training config is not written");
  const record = saved.userDefinedMetadata?.[COMPILE_METADATA_KEY] as Record<string, unknown>;
  assert.deepEqual(record.loss, losses.toConfig(loss));

  const b = await loadFocalModel(store.load());
  assert.ok(b.optimizer !== undefined && b.optimizer.getClassName() === 'Adam');
  assert.equal(b.getUserDefinedMetadata(), undefined, 'the compile record is not left in the metadata');
  assert.equal(maxDiff(weightsOf(a), weightsOf(b)), 0);

  // Control: same weights, same loss, but a fresh Adam (what recompiling by hand gives).
  const c = build();
  c.setWeights(a.getWeights());
  c.compile({ optimizer: tf.train.adam(0.03), loss });

  const ha = await a.fit(x, y, { epochs: 3, batchSize: 64, shuffle: false, verbose: 0 });
  const hb = await b.fit(x, y, { epochs: 3, batchSize: 64, shuffle: false, verbose: 0 });
  const _hc = await c.fit(x, y, { epochs: 3, batchSize: 64, shuffle: false, verbose: 0 });
  assertClose(lossesOf(hb), lossesOf(ha), 1e-6, 'loss after load');
  assertClose(lossesOf(hb, 'plainFocal'), lossesOf(ha, 'plainFocal'), 1e-6, 'metric after load');
  assert.ok(maxDiff(weightsOf(a), weightsOf(b)) < 1e-6, 'same weights after resuming');
  assert.ok(maxDiff(weightsOf(a), weightsOf(c)) > 1e-4, 'a fresh optimizer would have diverged (test is sensitive)');
  // An optimizer passed to compile() as an object is the caller's to dispose (b's was made by the loader).
  for (const m of [a, c]) m.optimizer.dispose();
  for (const m of [a, b, c]) m.dispose();
  tf.dispose([x, y, labels]);
  assert.equal(tf.memory().numTensors, start);
});

test('file round trip (Node IOHandler): two outputs with a dict of losses, prior initializer, metadata', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'focal-layers-'));
  const start = tf.memory().numTensors;
  try {
    const { x, y, labels } = data(48, 12);
    const yHot = tf.tidy(() => tf.oneHot(labels, 3).toFloat());
    const input = tf.input({ shape: [4] });
    const hidden = tf.layers
      .dense({ units: 6, activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) })
      .apply(input) as tf.SymbolicTensor;
    const det = tf.layers
      .dense({
        units: 1,
        name: 'det',
        biasInitializer: priorProbabilityInitializer(0.01),
        kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }),
      })
      .apply(hidden) as tf.SymbolicTensor;
    const cls = tf.layers
      .dense({ units: 3, name: 'cls', kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) })
      .apply(hidden) as tf.SymbolicTensor;
    const a = tf.model({ inputs: input, outputs: [det, cls] });
    a.compile({
      optimizer: tf.train.rmsprop(0.01, 0.9, 0.1),
      loss: {
        det: losses.binaryFocalCrossentropy({ fromLogits: true, gamma: 2 }),
        cls: losses.categoricalFocalCrossentropy({ fromLogits: true, alpha: [0.25, 1, 1.5], labelSmoothing: 0.1 }),
      },
    });
    a.setUserDefinedMetadata({ owner: 'test', classes: ['bg', 'a', 'b'] });
    await a.fit(x, [y, yHot], { epochs: 2, batchSize: 16, shuffle: false, verbose: 0 });
    await saveFocalModel(a, fileHandler(dir));

    // The same files load with plain tf.loadLayersModel, uncompiled, for inference.
    const plain = await tf.loadLayersModel(fileHandler(dir));
    assert.equal(plain.optimizer, undefined);
    const [pa, pb] = [a, plain].map((m) => tf.tidy(() => Array.from((m.predict(x) as tf.Tensor[])[1].dataSync())));
    assertClose(pb, pa, 1e-6, 'plain loader predicts');

    const b = await loadFocalModel(fileHandler(dir));
    assert.deepEqual(b.getUserDefinedMetadata(), { owner: 'test', classes: ['bg', 'a', 'b'] });
    assert.equal(b.optimizer.getClassName(), 'RMSProp');
    const ha = await a.fit(x, [y, yHot], { epochs: 2, batchSize: 48, shuffle: false, verbose: 0 });
    const hb = await b.fit(x, [y, yHot], { epochs: 2, batchSize: 48, shuffle: false, verbose: 0 });
    for (const key of ['loss', 'det_loss', 'cls_loss']) assertClose(lossesOf(hb, key), lossesOf(ha, key), 1e-6, key);
    a.optimizer.dispose();
    for (const m of [a, b, plain]) m.dispose();
    tf.dispose([x, y, labels, yHot]);
    assert.equal(tf.memory().numTensors, start);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('sparse loss: save, load and resume with fitDataset; array of losses', async () => {
  const start = tf.memory().numTensors;
  const { x, y, labels } = data(64, 13);
  const a = tf.sequential({
    layers: [
      tf.layers.dense({ units: 6, inputShape: [4], activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 6 }) }),
      tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }) }),
    ],
  });
  a.compile({
    optimizer: tf.train.adam(0.02),
    loss: [losses.sparseCategoricalFocalCrossentropy({ fromLogits: true, ignoreClass: 2, alpha: [0.5, 1, 1] })],
    metrics: [tf.metrics.sparseCategoricalAccuracy],
  });
  await a.fitDataset(tensorDataset(x, labels, { batchSize: 16, seed: 3 }), { epochs: 2, verbose: 0 });
  const store = memoryStore();
  await saveFocalModel(a, store.save);
  const b = await loadFocalModel(store.load());
  const ha = await a.fitDataset(tensorDataset(x, labels, { batchSize: 16, seed: 4 }), { epochs: 2, verbose: 0 });
  const hb = await b.fitDataset(tensorDataset(x, labels, { batchSize: 16, seed: 4 }), { epochs: 2, verbose: 0 });
  assertClose(lossesOf(hb), lossesOf(ha), 1e-6, 'sparse resume');
  assertClose(lossesOf(hb, 'sparseCategoricalAccuracy'), lossesOf(ha, 'sparseCategoricalAccuracy'), 1e-6, 'metric');
  a.optimizer.dispose();
  a.dispose();
  b.dispose();
  tf.dispose([x, y, labels]);
  assert.equal(tf.memory().numTensors, start);
});

test('functions that are not focal losses: by name, resolved with customFunctions', async () => {
  const start = tf.memory().numTensors;
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
  const anonymous = [(yt: tf.Tensor, yp: tf.Tensor) => tf.losses.meanSquaredError(yt, yp)][0];
  // One optimizer for both compiles: a recompile drops, without disposing, the one before.
  const sgd = tf.train.sgd(0.1);
  model.compile({ optimizer: sgd, loss: anonymous });
  await assert.rejects(saveFocalModel(model, memoryStore().save), /saveFocalModel: cannot store the loss/);

  function myLoss(yt: tf.Tensor, yp: tf.Tensor): tf.Tensor {
    return tf.mean(tf.square(tf.sub(yt, yp)), -1);
  }
  model.compile({ optimizer: sgd, loss: myLoss });
  const store = memoryStore();
  await saveFocalModel(model, store.save);
  await assert.rejects(
    loadFocalModel(store.load()),
    /function 'myLoss' as loss; pass it as loadFocalModel\(handler, \{ customFunctions: \{ myLoss \} \}\)/,
  );
  const back = await loadFocalModel(store.load(), { customFunctions: { myLoss } });
  const [x, y] = [tf.ones([4, 2]), tf.ones([4, 1])];
  const h = await back.fit(x, y, { epochs: 1, verbose: 0 });
  assert.ok(Number.isFinite(lossesOf(h)[0]));
  tf.dispose([x, y]);
  sgd.dispose();
  model.dispose();
  back.dispose();
  assert.equal(tf.memory().numTensors, start);
});

test('an uncompiled model saves and loads as with tfjs', async () => {
  const start = tf.memory().numTensors;
  const model = tf.sequential({
    layers: [tf.layers.dense({ units: 2, inputShape: [3], biasInitializer: priorProbabilityInitializer(0.2) })],
  });
  const store = memoryStore();
  await saveFocalModel(model, store.save);
  const back = await loadFocalModel(store.load());
  assert.equal(back.optimizer, undefined);
  const p = tf.tidy(() => tf.sigmoid(back.predict(tf.zeros([1, 3])) as tf.Tensor).dataSync());
  assert.ok(Math.abs(p[0] - 0.2) < 1e-6);
  model.dispose();
  back.dispose();
  assert.equal(tf.memory().numTensors, start);
});

/** A compiled two-layer model (by default Adam, owned by the model; one fit step) to save in the tests below. */
async function trainedModel(compileArgs: Partial<tf.ModelCompileArgs> = {}): Promise<tf.LayersModel> {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 3, inputShape: [2], activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 8 }) }),
      tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 9 }) }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: losses.binaryFocalCrossentropy({ fromLogits: true }), ...compileArgs });
  const [x, y] = [tf.ones([4, 2]), tf.ones([4, 1])];
  await model.fit(x, y, { epochs: 1, verbose: 0 });
  tf.dispose([x, y]);
  return model;
}

test('a failing load disposes the half-loaded model: numTensors unchanged for each failure kind', async () => {
  function myLoss(yt: tf.Tensor, yp: tf.Tensor): tf.Tensor {
    return tf.mean(tf.square(tf.sub(yt, yp)), -1);
  }
  function myMetric(yt: tf.Tensor, yp: tf.Tensor): tf.Tensor {
    return tf.mean(tf.abs(tf.sub(yt, yp)), -1);
  }
  const model = await trainedModel({ loss: myLoss, metrics: [myMetric] });
  const store = memoryStore();
  await saveFocalModel(model, store.save);
  const record = store.artifacts().userDefinedMetadata![COMPILE_METADATA_KEY] as Record<string, unknown>;
  const cases: Array<[string, unknown, unknown, RegExp]> = [
    ['bad saved loss option', { className: 'BinaryFocalCrossentropy', config: { gamma: -1 } }, [], /gamma/],
    ['unknown loss function', { function: 'myLoss' }, [], /function 'myLoss' as loss/],
    ['unknown metric function', 'meanSquaredError', [{ function: 'myMetric' }], /function 'myMetric' as metric \[0\]/],
    // Decodes, but compile() rejects it: fails after tfjs built the model and its optimizer.
    ['loss for an output the model lacks', { nope: 'meanSquaredError' }, [], /nope/],
  ];
  for (const [what, loss, metrics, message] of cases) {
    Object.assign(record, { loss, metrics });
    const before = tf.memory().numTensors;
    await assert.rejects(loadFocalModel(store.load()), message, what);
    assert.equal(tf.memory().numTensors, before, `${what}: the half-loaded model's tensors are disposed`);
  }
  model.dispose();
});

test('saveFocalModel leaves no tensor behind (tfjs-layers model.save with includeOptimizer leaks the step count)', async () => {
  for (const optimizer of ['sgd', 'momentum', 'adam', 'rmsprop', 'adagrad', 'adadelta'] as const) {
    const opt = optimizer === 'momentum' ? tf.train.momentum(0.1, 0.9) : optimizer;
    const model = await trainedModel({ optimizer: opt });
    const before = tf.memory().numTensors;
    await saveFocalModel(model, memoryStore().save);
    assert.equal(tf.memory().numTensors, before, optimizer);
    model.dispose();
    if (typeof opt !== 'string') opt.dispose();
  }
});

test('an optimizer whose state tfjs cannot save (Adamax): named in the error; { includeOptimizer: false } saves without it', async () => {
  const start = tf.memory().numTensors;
  const model = await trainedModel({ optimizer: tf.train.adamax(0.02) });
  const store = memoryStore();
  const before = tf.memory().numTensors;
  await assert.rejects(
    saveFocalModel(model, store.save),
    /^Error: saveFocalModel: cannot save the state of the Adamax optimizer \(tfjs: getWeights\(\) is not implemented for Adamax yet\.\); .*saveFocalModel\(model, handler, \{ includeOptimizer: false \}\)/,
  );
  assert.equal(tf.memory().numTensors, before);
  assert.throws(() => store.artifacts(), /nothing saved/, 'nothing was written');

  await saveFocalModel(model, store.save, { includeOptimizer: false });
  assert.equal(tf.memory().numTensors, before);
  const saved = store.artifacts();
  assert.ok(
    saved.weightSpecs!.every((s) => s.group !== 'optimizer'),
    'no optimizer state in the weights',
  );
  const back = await loadFocalModel(store.load());
  // Same optimizer class and hyperparameters, fresh state; same loss.
  assert.equal(back.optimizer.getClassName(), 'Adamax');
  assert.deepEqual(back.optimizer.getConfig(), model.optimizer.getConfig());
  assert.ok(losses.isFocalLoss(back.loss));
  assert.deepEqual(losses.toConfig(back.loss as losses.FocalLossFunction), losses.toConfig(model.loss as losses.FocalLossFunction));
  const [x, y] = [tf.ones([4, 2]), tf.ones([4, 1])];
  const h = await back.fit(x, y, { epochs: 1, verbose: 0 });
  assert.ok(Number.isFinite(lossesOf(h)[0]));
  tf.dispose([x, y]);
  back.dispose();
  model.optimizer.dispose();
  model.dispose();
  assert.equal(tf.memory().numTensors, start, 'all disposed');
});

test(`user metadata under '${COMPILE_METADATA_KEY}': refused when saving a compiled model, kept intact otherwise`, async () => {
  const userMeta = { [COMPILE_METADATA_KEY]: { mine: [1, 2], format: 'my-app/v2' }, other: 'kept' };
  const model = await trainedModel();
  model.setUserDefinedMetadata(userMeta);
  const store = memoryStore();
  const before = tf.memory().numTensors;
  await assert.rejects(
    saveFocalModel(model, store.save),
    new RegExp(
      `^Error: saveFocalModel: the model's user-defined metadata has the key '${COMPILE_METADATA_KEY}', which saveFocalModel uses for the compile record`,
    ),
  );
  assert.equal(tf.memory().numTensors, before);
  assert.throws(() => store.artifacts(), /nothing saved/, 'nothing was written');

  // What tfjs' own save writes, and what an uncompiled model saves, loads with the user's value.
  const uncompiled = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
  uncompiled.setUserDefinedMetadata(userMeta);
  for (const [what, save] of [
    ['plain model.save', (h: tf.io.IOHandler) => model.save(h)],
    ['saveFocalModel, uncompiled', (h: tf.io.IOHandler) => saveFocalModel(uncompiled, h)],
  ] as const) {
    await save(store.save);
    const back = await loadFocalModel(store.load());
    assert.deepEqual(back.getUserDefinedMetadata(), userMeta, what);
    back.dispose();
  }
  assert.equal(tf.memory().numTensors, before + 2, 'only the uncompiled model remains');
  for (const m of [model, uncompiled]) m.dispose();
});
