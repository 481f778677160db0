import assert from 'node:assert/strict';
import test from 'node:test';
import { categoricalFocalLoss, sigmoidFocalLoss, sigmoidFocalLossStar, softmaxFocalLoss } from '../../src/index.js';
import { NODE_BACKENDS, assertNoLeak, tf, useBackend } from '../helpers/backends.js';

/** Asserts that each call throws an error matching its pattern and leaks no tensor. */
function assertAllThrow(cases: Array<[() => unknown, RegExp]>): void {
  for (const [call, message] of cases) {
    const before = tf.memory().numTensors;
    assert.throws(call, message);
    assert.equal(tf.memory().numTensors, before, `tensors leaked by the failing call expecting ${message}`);
  }
}

/** The loss of `call` as numbers, asserting that it leaks no tensor. */
function lossValues(call: () => tf.Tensor): number[] {
  return assertNoLeak(() => {
    const loss = call();
    const values = Array.from(loss.dataSync());
    loss.dispose();
    return values;
  });
}

for (const backend of NODE_BACKENDS) {
  test(`${backend}: bad input raises an error naming the op and the argument, without leaking`, async () => {
    await useBackend(backend);
    const x = tf.tensor2d([
      [1, 2, 3],
      [0, -1, 2],
    ]);
    const t = tf.tensor2d([
      [1, 0, 0],
      [0, 0, 1],
    ]);
    const labels = tf.tensor1d([0, 2], 'int32');
    const column = tf.tensor2d([[0], [1]], undefined, 'int32');
    const fractional = tf.tensor1d([0, 1.5]);
    const outOfRange = tf.tensor1d([0, 3], 'int32');
    const notIgnored = tf.tensor1d([-1, 7], 'int32');
    const negative = tf.scalar(-2);
    const vector = tf.tensor1d([1, 2]);
    assertAllThrow([
      [
        () =>
          sigmoidFocalLoss(x, [
            [1, 0],
            [0, 1],
          ]),
        /sigmoidFocalLoss: targets shape \[2, 2\] must equal the logits' shape \[2, 3\]/,
      ],
      [() => categoricalFocalLoss(x, [[1, 0, 0]]), /categoricalFocalLoss: targets shape \[1, 3\] must equal/],
      [
        () => softmaxFocalLoss(x, column),
        /softmaxFocalLoss: labels shape \[2, 1\] must be the logits' shape \[2, 3\] without the class axis 1, i.e. \[2\]/,
      ],
      [() => softmaxFocalLoss(x, fractional), /softmaxFocalLoss: labels\[1\] = 1.5 is not an integer in \[0, 3\)/],
      [() => softmaxFocalLoss(x, outOfRange), /softmaxFocalLoss: labels\[1\] = 3 is not an integer in \[0, 3\)/],
      [
        () => softmaxFocalLoss(x, notIgnored, { ignoreIndex: -1 }),
        /labels\[1\] = 7 is not an integer in \[0, 3\) and is not ignoreIndex \(-1\)/,
      ],
      [() => sigmoidFocalLoss(x, t, { alpha: 1.5 }), /sigmoidFocalLoss: alpha must be a number in \[0, 1\] or null, got 1.5/],
      [() => softmaxFocalLoss(x, labels, { alpha: [0.2, 0.8] }), /softmaxFocalLoss: alpha has 2 entries but the logits have 3 classes/],
      [
        () => categoricalFocalLoss(x, t, { alpha: [0.2, 0.8, -1] }),
        /categoricalFocalLoss: every alpha must be a number in \[0, 1\], got -1/,
      ],
      [() => sigmoidFocalLoss(x, t, { gamma: -0.5 }), /sigmoidFocalLoss: gamma must be a finite number >= 0, got -0.5/],
      [() => softmaxFocalLoss(x, labels, { gamma: NaN }), /softmaxFocalLoss: gamma must be a finite number >= 0, got NaN/],
      [() => sigmoidFocalLossStar(x, t, { gamma: 0 }), /sigmoidFocalLossStar: gamma must be a finite number > 0, got 0/],
      [() => sigmoidFocalLossStar(x, t, { beta: Infinity }), /sigmoidFocalLossStar: beta must be a finite number, got Infinity/],
      [
        () => sigmoidFocalLoss(x, t, { reduction: 'avg' as never }),
        /sigmoidFocalLoss: reduction must be one of 'none', 'sum', 'mean', got "avg"/,
      ],
      [() => sigmoidFocalLoss(x, t, { normalizer: 0 }), /sigmoidFocalLoss: normalizer must be a finite number > 0, got 0/],
      [() => softmaxFocalLoss(x, labels, { normalizer: negative }), /softmaxFocalLoss: normalizer must be a finite number > 0, got -2/],
      [
        () => softmaxFocalLoss(x, labels, { normalizer: vector as never }),
        /softmaxFocalLoss: normalizer must be a number or a scalar tensor, got a tensor of shape \[2\]/,
      ],
      [
        () => softmaxFocalLoss(x, labels, { axis: 2 }),
        /softmaxFocalLoss: axis must be an integer in \[-2, 1\] for logits of rank 2, got 2/,
      ],
      [() => categoricalFocalLoss(x, t, { labelSmoothing: 1 }), /categoricalFocalLoss: labelSmoothing must be a number in \[0, 1\), got 1/],
      [() => sigmoidFocalLoss(x, t, { gama: 2 } as never), /sigmoidFocalLoss: unknown option 'gama'/],
      [
        () => sigmoidFocalLoss(x, t, { weights: [1, 2] }),
        /sigmoidFocalLoss: weights shape \[2\] does not broadcast to the per-element loss shape \[2, 3\]/,
      ],
      [() => softmaxFocalLoss(x, labels, { ignoreIndex: 0.5 }), /softmaxFocalLoss: ignoreIndex must be an integer, got 0.5/],
      [() => sigmoidFocalLoss(undefined as never, t), /sigmoidFocalLoss: argument 'logits' is required/],
    ]);
    tf.dispose([x, t, labels, column, fractional, outOfRange, notIgnored, negative, vector]);
  });

  test(`${backend}: labels given as plain or typed arrays are checked as tensors are, not truncated`, async () => {
    await useBackend(backend);
    const x = tf.tensor2d([
      [1, 2, 3],
      [0, -1, 2],
    ]);
    assertAllThrow([
      [() => softmaxFocalLoss(x, [0, 2.5]), /softmaxFocalLoss: labels\[1\] = 2.5 is not an integer in \[0, 3\)/],
      [() => softmaxFocalLoss(x, new Float32Array([1.7, 0])), /softmaxFocalLoss: labels\[0\] = 1\.7\d* is not an integer in \[0, 3\)/],
      [() => softmaxFocalLoss(x, [0, NaN]), /softmaxFocalLoss: labels\[1\] = NaN is not an integer in \[0, 3\)/],
      [() => softmaxFocalLoss(x, [-0.5, 0]), /softmaxFocalLoss: labels\[0\] = -0.5 is not an integer in \[0, 3\)/],
      [() => softmaxFocalLoss(x, new Int32Array([0, 3])), /softmaxFocalLoss: labels\[1\] = 3 is not an integer in \[0, 3\)/],
      [
        () => softmaxFocalLoss(x, [0.5, 255], { ignoreIndex: 255 }),
        /labels\[0\] = 0.5 is not an integer in \[0, 3\) and is not ignoreIndex \(255\)/,
      ],
      [
        () => softmaxFocalLoss(x, [true, false] as never),
        /softmaxFocalLoss: labels must be int32 or float32 holding integers, got dtype bool/,
      ],
    ]);
    // Valid labels give the same loss however they are passed.
    const int32 = tf.tensor1d([0, 2], 'int32');
    const expected = lossValues(() => softmaxFocalLoss(x, int32, { reduction: 'none' }));
    for (const labels of [[0, 2], new Int32Array([0, 2]), new Float32Array([0, 2]), new Uint8Array([0, 2])]) {
      assert.deepEqual(
        lossValues(() => softmaxFocalLoss(x, labels, { reduction: 'none' })),
        expected,
        `labels ${labels.constructor.name}`,
      );
    }
    tf.dispose([x, int32]);
  });

  test(`${backend}: targets outside [0, 1] or NaN are rejected, naming the op and the index`, async () => {
    await useBackend(backend);
    const x = tf.tensor2d([
      [1, 2, 3],
      [0, -1, 0.5],
    ]);
    const two = tf.tensor2d([
      [0, 0, 0],
      [2, 0, 0],
    ]);
    assertAllThrow([
      [() => sigmoidFocalLoss(x, two), /^Error: sigmoidFocalLoss: targets\[3\] = 2 is not in \[0, 1\]$/],
      [
        () =>
          sigmoidFocalLoss(
            x,
            [
              [0, 0, 0],
              [0, 0, 1.5],
            ],
            { gamma: 0.5 },
          ),
        /sigmoidFocalLoss: targets\[5\] = 1.5 is not in \[0, 1\]/,
      ],
      [
        () =>
          sigmoidFocalLoss(
            x,
            [
              [0, NaN, 0],
              [0, 0, 1],
            ],
            { labelSmoothing: 0.1 },
          ),
        /sigmoidFocalLoss: targets\[1\] = NaN is not in \[0, 1\]/,
      ],
      [
        () =>
          sigmoidFocalLoss(
            x,
            [
              [0, 0, -Infinity],
              [0, 0, 1],
            ],
            { reduction: 'none' },
          ),
        /sigmoidFocalLoss: targets\[2\] = -Infinity is not in \[0, 1\]/,
      ],
      [
        () =>
          sigmoidFocalLossStar(x, [
            [0, -1, 0],
            [0, 0, 1],
          ]),
        /sigmoidFocalLossStar: targets\[1\] = -1 is not in \[0, 1\]/,
      ],
      [
        () =>
          categoricalFocalLoss(x, [
            [-1, 2, 0],
            [0, 0, 1],
          ]),
        /categoricalFocalLoss: targets\[0\] = -1 is not in \[0, 1\]/,
      ],
      [
        () =>
          categoricalFocalLoss(
            x,
            [
              [0, 0, 1],
              [0, NaN, 1],
            ],
            { axis: 0 },
          ),
        /categoricalFocalLoss: targets\[4\] = NaN is not in \[0, 1\]/,
      ],
    ]);
    // Soft targets inside [0, 1], its ends included, are fine.
    for (const loss of [
      lossValues(() =>
        sigmoidFocalLoss(
          x,
          [
            [0, 0.3, 1],
            [1, 0.5, 0],
          ],
          { gamma: 0.5 },
        ),
      ),
      lossValues(() =>
        categoricalFocalLoss(x, [
          [0.2, 0.8, 0],
          [0, 0, 1],
        ]),
      ),
    ])
      assert.ok(loss.every(Number.isFinite) && loss.every((v) => v >= 0), `loss ${loss}`);
    tf.dispose([x, two]);
  });

  test(`${backend}: a tensor normalizer must be a float32 or int32 scalar (rank 0)`, async () => {
    await useBackend(backend);
    const x = tf.tensor2d([
      [1, 2, 3],
      [0, -1, 2],
    ]);
    const labels = tf.tensor1d([0, 2], 'int32');
    const rank1 = tf.tensor1d([2]);
    const rank2 = tf.tensor2d([[2]]);
    const bool = tf.scalar(true, 'bool');
    const int = tf.scalar(2, 'int32');
    assertAllThrow([
      [
        () => softmaxFocalLoss(x, labels, { normalizer: rank1 as never }),
        /softmaxFocalLoss: normalizer must be a number or a scalar tensor, got a tensor of shape \[1\]/,
      ],
      [
        () => sigmoidFocalLoss(x, x, { normalizer: rank2 as never }),
        /sigmoidFocalLoss: normalizer must be a number or a scalar tensor, got a tensor of shape \[1, 1\]/,
      ],
      [
        () => categoricalFocalLoss(x, x, { normalizer: bool }),
        /categoricalFocalLoss: normalizer must be a number or a float32 or int32 scalar tensor, got dtype bool/,
      ],
      [
        () => softmaxFocalLoss(x, labels, { normalizer: '2' as never }),
        /softmaxFocalLoss: normalizer must be a number or a scalar tensor, got "2"/,
      ],
    ]);
    const byNumber = lossValues(() => softmaxFocalLoss(x, labels, { normalizer: 2 }));
    assert.deepEqual(
      lossValues(() => softmaxFocalLoss(x, labels, { normalizer: int })),
      byNumber,
    );
    tf.dispose([x, labels, rank1, rank2, bool, int]);
  });

  test(`${backend}: options null means no options; ragged nested arrays are rejected, naming the argument`, async () => {
    await useBackend(backend);
    const x = tf.tensor2d([
      [1, 2, 3],
      [0, -1, 2],
    ]);
    const t = tf.tensor2d([
      [1, 0, 0],
      [0, 0, 1],
    ]);
    const labels = tf.tensor1d([0, 2], 'int32');
    const ops: Array<[string, (options: unknown) => tf.Tensor]> = [
      ['sigmoidFocalLoss', (options) => sigmoidFocalLoss(x, t, options as never)],
      ['sigmoidFocalLossStar', (options) => sigmoidFocalLossStar(x, t, options as never)],
      ['softmaxFocalLoss', (options) => softmaxFocalLoss(x, labels, options as never)],
      ['categoricalFocalLoss', (options) => categoricalFocalLoss(x, t, options as never)],
    ];
    for (const [name, run] of ops) {
      assert.deepEqual(
        lossValues(() => run(null)),
        lossValues(() => run(undefined)),
        `${name} with options null`,
      );
      assertAllThrow([
        [() => run(5), new RegExp(`^Error: ${name}: options must be an object, got 5$`)],
        [() => run('mean'), new RegExp(`${name}: options must be an object, got "mean"`)],
      ]);
    }
    assertAllThrow([
      [
        () =>
          sigmoidFocalLoss(
            [[1, 2], [3]],
            [
              [1, 0],
              [1, 0],
            ],
          ),
        /sigmoidFocalLoss: argument 'logits' must be a Tensor or a rectangular array of numbers: logits\[1\] has 1 entries, expected 2/,
      ],
      [
        () =>
          sigmoidFocalLoss(
            [
              [1, 2],
              [3, 4],
            ],
            [[1, 0], [1]],
          ),
        /sigmoidFocalLoss: argument 'targets' must be a Tensor or a rectangular array of numbers: targets\[1\] has 1 entries, expected 2/,
      ],
      [
        () =>
          categoricalFocalLoss(
            [[[1], [2]], [[3]]],
            [
              [[1], [1]],
              [[1], [1]],
            ],
          ),
        /categoricalFocalLoss: argument 'logits' must be .*: logits\[1\] has 1 entries, expected 2/,
      ],
      [
        () =>
          sigmoidFocalLoss([[1, 2], 3] as never, [
            [1, 0],
            [1, 0],
          ]),
        /argument 'logits' must be .*: logits\[1\] is a number, expected an array of 2/,
      ],
      [() => sigmoidFocalLoss([1, [2]] as never, [1, 0]), /argument 'logits' must be .*: logits\[1\] is an array, expected a number/],
      [
        () => softmaxFocalLoss(x, [[0], [1, 2]] as never),
        /softmaxFocalLoss: argument 'labels' must be .*: labels\[1\] has 2 entries, expected 1/,
      ],
      [
        () =>
          sigmoidFocalLoss(x, t, {
            weights: [
              [1, 1, 1],
              [1, 1],
            ],
          }),
        /sigmoidFocalLoss: argument 'weights' must be .*: weights\[1\] has 2 entries, expected 3/,
      ],
      [
        () =>
          sigmoidFocalLoss([new Float32Array([1, 2]), new Float32Array([3])] as never, [
            [1, 0],
            [1, 0],
          ]),
        /logits\[1\] has 1 entries, expected 2/,
      ],
    ]);
    // Rectangular nested arrays and arrays of typed arrays are fine.
    assert.deepEqual(
      lossValues(() =>
        sigmoidFocalLoss(
          [new Float32Array([1, 2, 3]), new Float32Array([0, -1, 2])],
          [
            [1, 0, 0],
            [0, 0, 1],
          ],
        ),
      ),
      lossValues(() => sigmoidFocalLoss(x, t)),
    );
    tf.dispose([x, t, labels]);
  });
}
