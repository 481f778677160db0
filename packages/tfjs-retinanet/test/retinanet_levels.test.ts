import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createRetinaNet, detectionAnchors } from '../src/index.js';

test('createRetinaNet: 3 and 4 levels and colour input give one row per anchor of detectionAnchors', () => {
  for (const levels of [3, 4] as const) {
    const layout = { side: 64, levels, anchorSizeInStrides: 2, scales: [1], aspectRatios: [1, 2] };
    const anchors = detectionAnchors(layout);
    assert.deepEqual(
      anchors.levels.map((l) => l.stride),
      [4, 8, 16, 32].slice(0, levels),
    );
    const before = tf.memory().numTensors;
    const model = createRetinaNet({ width: 2, levels, anchorsPerCell: 2, numClasses: 3, prior: 0.01, seed: 1, inputChannels: 3 });
    const out = tf.tidy(() => model.forward(tf.ones([2, 64, 64, 3])));
    assert.deepEqual(out.shape, [2, anchors.count, 3 + 4]);
    out.dispose();
    model.dispose();
    assert.equal(tf.memory().numTensors, before);
  }
});

test('createRetinaNet: the two-level network is unchanged by the deeper levels (same weights, same outputs)', () => {
  const two = createRetinaNet({ width: 2, levels: 2, anchorsPerCell: 1, numClasses: 1, prior: 0.01, seed: 5 });
  const four = createRetinaNet({ width: 2, levels: 4, anchorsPerCell: 1, numClasses: 1, prior: 0.01, seed: 5 });
  assert.equal(four.variables.length, two.variables.length + 12);
  two.variables.forEach((v, i) => assert.deepEqual(v.dataSync(), four.variables[i]!.dataSync()));
  two.dispose();
  four.dispose();
});
