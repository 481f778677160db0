/**
 * diceLoss, focalTverskyLoss and unifiedFocalLoss through TF.js (composites, autodiff) on cpu
 * and wasm: values against the float64 core on random cases, autodiff gradients against
 * central differences of the core, ±1e4 logits and γ < 1 finite, errors, no leaks.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import * as core from '../../src/core/index.js';
import { diceLoss, focalTverskyLoss, unifiedFocalLoss } from '../../src/index.js';
import { NODE_BACKENDS, tf, useBackend } from '../helpers/backends.js';
import { assertClose } from '../helpers/reference_case.js';

type Options = Record<string, unknown>;
const OPS = {
  diceLoss: [diceLoss, core.diceLoss],
  focalTverskyLoss: [focalTverskyLoss, core.focalTverskyLoss],
  unifiedFocalLoss: [unifiedFocalLoss, core.unifiedFocalLoss],
} as const;
type Name = keyof typeof OPS;

interface Case {
  name: Name;
  shape: number[];
  labels: boolean;
  options: Options;
}

let seed = 11;
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;

/** Logits, and targets: integer labels (softmax) or masks (hard for sigmoid, soft for softmax). */
function data(c: Case): { logits: number[]; targets: number[]; targetShape: number[] } {
  const size = c.shape.reduce((a, b) => a * b, 1);
  const classes = c.shape[c.shape.length - 1];
  const logits = Array.from({ length: size }, () => 6 * random() - 3);
  if (c.labels) {
    const targets = Array.from({ length: size / classes }, () => Math.floor(random() * classes));
    if (c.options.ignoreIndex !== undefined) targets[1] = c.options.ignoreIndex as number;
    return { logits, targets, targetShape: c.shape.slice(0, -1) };
  }
  const sigmoid = c.options.activation === 'sigmoid';
  const targets = Array.from({ length: size }, () => (sigmoid ? (random() < 0.4 ? 1 : 0) : random()));
  if (!sigmoid) {
    // Soft masks that sum to 1 per pixel, as soft labels do.
    for (let r = 0; r < size / classes; r++) {
      const row = targets.slice(r * classes, (r + 1) * classes);
      const s = row.reduce((a, b) => a + b, 0);
      row.forEach((v, c2) => (targets[r * classes + c2] = v / s));
    }
  }
  return { logits, targets, targetShape: c.shape };
}

const CASES: Case[] = [];
for (const name of Object.keys(OPS) as Name[]) {
  CASES.push({ name, shape: [2, 3, 4, 3], labels: true, options: {} });
  CASES.push({ name, shape: [2, 5, 1], labels: false, options: { activation: 'sigmoid' } });
  CASES.push({ name, shape: [3, 2, 2, 2], labels: false, options: { perImage: false } });
  CASES.push({ name, shape: [2, 6, 3], labels: true, options: { ignoreIndex: 255, reduction: 'sum' } });
  if (name !== 'unifiedFocalLoss') {
    CASES.push({
      name,
      shape: [2, 4, 3],
      labels: true,
      options: { includeBackground: false, classWeights: [1, 0.5, 2], reduction: 'none' },
    });
    CASES.push({ name, shape: [2, 3, 3], labels: false, options: { activation: 'sigmoid', smooth: 1 } });
  }
}
CASES.push({ name: 'focalTverskyLoss', shape: [2, 4, 2], labels: true, options: { alpha: 0.3, beta: 0.9, gamma: 2 } });
CASES.push({ name: 'unifiedFocalLoss', shape: [2, 4, 4], labels: true, options: { lambda: 0.2, delta: 0.8, gamma: 0.9 } });
CASES.push({ name: 'unifiedFocalLoss', shape: [2, 4, 2], labels: true, options: { gamma: 0, reduction: 'none' } });

function describeCase(c: Case, i: number): string {
  return `#${i} ${c.name} [${c.shape}] ${c.labels ? 'labels' : 'masks'} ${JSON.stringify(c.options)}`;
}

/** The op's loss and d sum(loss) / d logits on the active backend. */
function runOp(c: Case, logits: number[], targets: number[], targetShape: number[]): { loss: Float32Array; grad: Float32Array } {
  const op = OPS[c.name][0] as (x: tf.Tensor, t: tf.Tensor, o: Options) => tf.Tensor;
  return tf.tidy(() => {
    const x = tf.tensor(logits, c.shape);
    const t = tf.tensor(targets, targetShape, c.labels ? 'int32' : 'float32');
    const f = (v: tf.Tensor) => op(v, t, c.options);
    return {
      loss: f(x).dataSync() as Float32Array,
      grad: tf
        .grad((v: tf.Tensor) => tf.sum(f(v)))(x)
        .dataSync() as Float32Array,
    };
  });
}

function coreLoss(c: Case, logits: number[], targets: number[]): number[] {
  const f = OPS[c.name][1] as (x: number[], t: number[], s: number[], o: Options) => { loss: number | Float64Array };
  const { loss } = f(logits, targets, c.shape, c.options);
  return typeof loss === 'number' ? [loss] : Array.from(loss);
}

const sumOf = (v: number[]) => v.reduce((a, b) => a + b, 0);

for (const backend of NODE_BACKENDS) {
  test(`${backend}: ${CASES.length} random cases, loss against the float64 core, autodiff gradient against its central differences, no leak`, async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    CASES.forEach((c, i) => {
      const { logits, targets, targetShape } = data(c);
      const { loss, grad } = runOp(c, logits, targets, targetShape);
      const expected = coreLoss(c, logits, targets);
      assertClose(loss, expected, 2e-5, 1e-6, `${backend} ${describeCase(c, i)} loss`);
      const h = 1e-5;
      const numeric = logits.map((_, k) => {
        const plus = logits.slice();
        plus[k] += h;
        const minus = logits.slice();
        minus[k] -= h;
        return (sumOf(coreLoss(c, plus, targets)) - sumOf(coreLoss(c, minus, targets))) / (2 * h);
      });
      const scale = Math.max(...numeric.map(Math.abs));
      assertClose(grad, numeric, 2e-3, 2e-4 * scale + 1e-7, `${backend} ${describeCase(c, i)} grad`);
    });
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  });

  test(`${backend}: ±1e4 logits and γ < 1 give finite loss and gradient; a perfect prediction gives Dice 0 and gradient 0`, async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const shape = [2, 2, 2, 3];
    const labels = [0, 1, 2, 2, 1, 1, 0, 2];
    const perfect = labels.flatMap((l) => [0, 1, 2].map((c) => (c === l ? 1e4 : -1e4)));
    const mixed = perfect.map((v, i) => (i % 5 === 0 ? -v : v));
    const options: Array<[Name, Options]> = [
      ['diceLoss', {}],
      ['focalTverskyLoss', {}],
      ['focalTverskyLoss', { gamma: 0.3 }],
      ['unifiedFocalLoss', {}],
      ['unifiedFocalLoss', { gamma: 0.9 }],
      ['unifiedFocalLoss', { gamma: 0.1, perImage: false }],
    ];
    for (const [name, o] of options) {
      for (const [what, logits] of [
        ['perfect', perfect],
        ['mixed', mixed],
      ] as const) {
        const c: Case = { name, shape, labels: true, options: o };
        const { loss, grad } = runOp(c, logits, labels, shape.slice(0, -1));
        for (const v of [...loss, ...grad])
          assert.ok(Number.isFinite(v), `${backend} ${name} ${JSON.stringify(o)} ${what}: loss ${loss[0]}, gradient has ${v}`);
        if (what === 'perfect' && name !== 'unifiedFocalLoss') {
          assert.ok(loss[0] < 1e-6, `${backend} ${name} ${what}: ${loss[0]}`);
          assert.ok(
            grad.every((g) => g === 0),
            `${backend} ${name} ${what}: gradient ${grad}`,
          );
        }
        if (what === 'mixed')
          assertClose(loss, coreLoss(c, logits, labels), 1e-4, 1e-5, `${backend} ${name} ${JSON.stringify(o)} saturated vs core`);
      }
    }
    // Sigmoid binary at ±1e4 (the two-class view of unifiedFocalLoss included).
    for (const name of Object.keys(OPS) as Name[]) {
      const c: Case = { name, shape: [1, 4, 1], labels: false, options: { activation: 'sigmoid' } };
      const { loss, grad } = runOp(c, [1e4, -1e4, 1e4, -1e4], [1, 0, 0, 1], [1, 4, 1]);
      for (const v of [...loss, ...grad]) assert.ok(Number.isFinite(v), `${backend} ${name} sigmoid ±1e4: ${loss} / ${grad}`);
      assertClose(loss, coreLoss(c, [1e4, -1e4, 1e4, -1e4], [1, 0, 0, 1]), 1e-4, 1e-5, `${backend} ${name} sigmoid ±1e4 vs core`);
    }
    // Close to perfect, not saturated: γ < 1 powers of a tiny 1 - TI keep finite, correct gradients.
    const near = labels.flatMap((l) => [0, 1, 2].map((c) => (c === l ? 8 : -8)));
    for (const name of ['focalTverskyLoss', 'unifiedFocalLoss'] as const) {
      const c: Case = { name, shape, labels: true, options: { gamma: name === 'focalTverskyLoss' ? 0.3 : 0.5 } };
      const { grad } = runOp(c, near, labels, shape.slice(0, -1));
      const h = 1e-6;
      const numeric = near.map((_, k) => {
        const plus = near.slice();
        plus[k] += h;
        const minus = near.slice();
        minus[k] -= h;
        return (coreLoss(c, plus, labels)[0] - coreLoss(c, minus, labels)[0]) / (2 * h);
      });
      const scale = Math.max(...numeric.map(Math.abs));
      assertClose(grad, numeric, 1e-3, 1e-4 * scale, `${backend} ${name} near-perfect gradient`);
    }
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  });

  test(`${backend}: no pixel (batch 0, or a spatial axis 0) gives loss 0 ('none': zeros), a zero gradient, the core's values, no leak`, async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const inputs: Array<{ shape: number[]; labels: boolean; options: Options }> = [
      { shape: [0, 4], labels: false, options: {} },
      { shape: [0, 4], labels: true, options: {} },
      { shape: [0, 1, 8, 8], labels: true, options: { ignoreIndex: 255 } },
      { shape: [0, 8, 8, 1], labels: false, options: { activation: 'sigmoid' } },
      { shape: [2, 0, 3], labels: true, options: {} },
      { shape: [2, 0, 0, 3], labels: false, options: {} },
    ];
    for (const name of Object.keys(OPS) as Name[]) {
      for (const input of inputs) {
        for (const perImage of [true, false]) {
          for (const reduction of ['none', 'sum', 'mean'] as const) {
            const c: Case = { name, shape: input.shape, labels: input.labels, options: { ...input.options, perImage, reduction } };
            const what = `${backend} ${describeCase(c, 0)}`;
            const classes = c.shape[c.shape.length - 1];
            const groups = perImage ? c.shape[0] : 1;
            const targetShape = c.labels ? c.shape.slice(0, -1) : c.shape;
            const { loss, grad, lossShape } = tf.tidy(() => {
              const op = OPS[name][0] as (x: tf.Tensor, t: tf.Tensor, o: Options) => tf.Tensor;
              const x = tf.zeros(c.shape);
              const t = tf.zeros(targetShape, c.labels ? 'int32' : 'float32');
              const out = op(x, t, c.options);
              const g = tf.grad((v: tf.Tensor) => tf.sum(op(v, t, c.options)))(x);
              assert.deepEqual(g.shape, c.shape, `${what}: gradient shape`);
              return { loss: Array.from(out.dataSync()), grad: Array.from(g.dataSync()), lossShape: out.shape };
            });
            const expectedShape = reduction !== 'none' ? [] : name === 'unifiedFocalLoss' ? [groups] : [groups, classes];
            assert.deepEqual(lossShape, expectedShape, `${what}: loss shape`);
            assert.deepEqual(loss, new Array(expectedShape.reduce((a, b) => a * b, 1)).fill(0), `${what}: loss`);
            assert.deepEqual(grad, [], `${what}: gradient`);
            assert.deepEqual(coreLoss(c, [], []), loss, `${what}: core`);
          }
        }
      }
    }
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  });

  test(`${backend}: errors name the op and the argument, and leak nothing`, async () => {
    await useBackend(backend);
    const x = tf.zeros([1, 2, 2]);
    const cases: Array<[() => unknown, RegExp]> = [
      [() => diceLoss([0, 1, 2], [0, 1, 0]), /diceLoss: logits must have rank >= 2/],
      [
        () => diceLoss(x, [[0, 1, 1]]),
        /diceLoss: targets \(shape \[1, 3\]\) must have the logits' shape \[1, 2, 2\] or, for integer labels, \[1, 2\]/,
      ],
      [() => diceLoss(x, [[0, 2]]), /diceLoss: targets\[1\] = 2 is not an integer in \[0, 2\)/],
      [
        () => diceLoss(x, [[0, 255]], { ignoreIndex: -1 }),
        /diceLoss: targets\[1\] = 255 is not an integer in \[0, 2\) and is not ignoreIndex \(-1\)/,
      ],
      [
        () =>
          diceLoss(x, [
            [
              [0, 1.5],
              [1, 0],
            ],
          ]),
        /diceLoss: targets\[1\] = 1.5 is not in \[0, 1\]/,
      ],
      [
        () => diceLoss(x, [[0, 1]], { activation: 'sigmoid', ignoreIndex: 0 }),
        /diceLoss: targets \(shape \[1, 2\]\) must have the logits' shape \[1, 2, 2\]$/,
      ],
      [() => diceLoss(x, [[0, 1]], { classWeights: [1, -1] }), /diceLoss: every classWeights entry must be a finite number >= 0, got -1/],
      [() => diceLoss(x, [[0, 1]], { reduction: 'avg' as never }), /diceLoss: reduction must be one of 'none', 'sum', 'mean', got "avg"/],
      [() => diceLoss(x, null as never), /diceLoss: argument 'targets' is required/],
      [() => focalTverskyLoss(x, [[0, 1]], { beta: Number.NaN }), /focalTverskyLoss: beta must be a finite number >= 0, got NaN/],
      [() => focalTverskyLoss(x, [[0, 1]], { smooth: -1 }), /focalTverskyLoss: smooth must be a finite number > 0, got -1/],
      // beta defaults to 1 - alpha: an alpha above 1 is reported as alpha's fault, not beta's.
      [
        () => focalTverskyLoss(x, [[0, 1]], { alpha: 2 }),
        /^Error: focalTverskyLoss: alpha must be in \[0, 1\] when beta is not given \(beta defaults to 1 - alpha\), got 2$/,
      ],
      [
        () => core.focalTverskyLoss([0, 0, 0, 0], [0, 1], [1, 2, 2], { alpha: 1.5 }),
        /^Error: focalTverskyLoss: alpha must be in \[0, 1\] when beta is not given \(beta defaults to 1 - alpha\), got 1.5$/,
      ],
      [
        () => tf.tidy(() => diceLoss(tf.zeros([2, 3, 0]), tf.zeros([2, 3, 0]), { activation: 'sigmoid' })),
        /^Error: diceLoss: logits must have at least 1 class on the last axis, got shape \[2, 3, 0\]$/,
      ],
      [
        () => core.unifiedFocalLoss([], [], [0, 0], { activation: 'sigmoid' }),
        /^Error: unifiedFocalLoss: logits must have at least 1 class on the last axis, got shape \[0, 0\]$/,
      ],
      // An empty batch is checked as a full one (tidy: the test's own inputs are disposed too).
      [
        () => tf.tidy(() => diceLoss(tf.zeros([0, 3]), tf.zeros([0], 'int32'), { classWeights: [1, 2] })),
        /diceLoss: classWeights has 2 entries but the logits have 3 classes/,
      ],
      [
        () => tf.tidy(() => focalTverskyLoss(tf.zeros([0, 1]), tf.zeros([0, 1]), { activation: 'sigmoid', includeBackground: false })),
        /focalTverskyLoss: includeBackground false drops class 0, but the logits have only 1 class/,
      ],
      [
        () => tf.tidy(() => unifiedFocalLoss(tf.zeros([0, 2]), tf.zeros([0, 2]), { activation: 'sigmoid' })),
        /unifiedFocalLoss: activation 'sigmoid' is for binary segmentation with one channel/,
      ],
      [
        () => tf.tidy(() => diceLoss(tf.zeros([0, 3]), tf.zeros([0, 2]))),
        /diceLoss: targets \(shape \[0, 2\]\) must have the logits' shape \[0, 3\]/,
      ],
      [() => unifiedFocalLoss(x, [[0, 1]], { delta: -0.1 }), /unifiedFocalLoss: delta must be a number in \[0, 1\], got -0.1/],
      [
        () =>
          unifiedFocalLoss(
            x,
            [
              [
                [0, 1],
                [1, 0],
              ],
            ],
            { activation: 'sigmoid' },
          ),
        /unifiedFocalLoss: activation 'sigmoid' is for binary segmentation with one channel \(background 1 - p\); got 2 channels/,
      ],
      [() => unifiedFocalLoss(x, [[0, 1]], { alpha: 0.5 } as never), /unifiedFocalLoss: unknown option 'alpha'/],
    ];
    for (const [call, message] of cases) {
      const before = tf.memory().numTensors;
      assert.throws(call, message);
      assert.equal(tf.memory().numTensors, before, `tensors leaked by the failing call expecting ${message}`);
    }
    // alpha and beta are each any finite number >= 0 when both are given.
    const given = tf.tidy(() => focalTverskyLoss(x, [[0, 1]], { alpha: 2, beta: 0.5 }).dataSync()[0]);
    assert.ok(Number.isFinite(given) && given > 0, `alpha 2 with beta 0.5: ${given}`);
    x.dispose();
  });
}
