/**
 * The RetinaNet of this package used the way its README shows, with nothing of the CLI: bright
 * squares on a dark canvas, one class, targets from the anchors, a few Adam steps of the focal
 * loss, then inference scored with COCO's AP. Asserts what could break when the parts are
 * wired together: shapes, the prior bias, a falling loss, detections near the truth, no leak.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from 'focal-loss/core';
import { registerFastConvKernels, unregisterFastConvKernels } from 'tfjs-fast-conv';
import {
  batchTargets,
  batchTargetTensors,
  cocoMetrics,
  createRetinaNet,
  detectionAnchors,
  detectionLoss,
  detectionTargets,
  detectScenes,
  retinaNetLoss,
  targetRowWidth,
  type AnchorLayout,
  type CocoGroundTruth,
  type GroundTruthBoxes,
} from '../src/index.js';

const layout: AnchorLayout = { side: 32, levels: 2, anchorSizeInStrides: 2, scales: [1, 2 ** 0.5], aspectRatios: [1] };

/** `count` canvases with one bright square each (side 8 to 14), its box and class 0. */
function squares(count: number, seed: number): GroundTruthBoxes & { size: number; images: Float32Array } {
  const random = mulberry32(seed);
  const images = new Float32Array(count * 32 * 32);
  const boxes: Float32Array[] = [];
  const classes: Int32Array[] = [];
  for (let i = 0; i < count; i++) {
    const side = 8 + Math.floor(random() * 7);
    const x = Math.floor(random() * (32 - side));
    const y = Math.floor(random() * (32 - side));
    for (let r = y; r < y + side; r++) images.fill(1, i * 1024 + r * 32 + x, i * 1024 + r * 32 + x + side);
    boxes.push(Float32Array.of(x, y, x + side, y + side));
    classes.push(Int32Array.of(0));
  }
  return { count, size: 32, images, boxes, classes };
}

function toCoco(set: GroundTruthBoxes): CocoGroundTruth {
  return {
    images: Array.from({ length: set.count }, (_, i) => ({ id: i + 1, width: 32, height: 32 })),
    annotations: set.boxes.map((b, i) => ({
      id: i + 1,
      image_id: i + 1,
      category_id: 1,
      bbox: [b[0]!, b[1]!, b[2]! - b[0]!, b[3]! - b[1]!],
      area: (b[2]! - b[0]!) * (b[3]! - b[1]!),
      iscrowd: 0,
    })),
    categories: [{ id: 1, name: 'square' }],
  };
}

test('a RetinaNet trains on squares with the focal loss and finds them (COCO AP50), without leaking tensors', async () => {
  await tf.setBackend('cpu');
  // tfjs-backend-cpu's own convolution gradients take a minute here; these take seconds.
  registerFastConvKernels();
  const before = tf.memory().numTensors;
  const anchors = detectionAnchors(layout);
  const train = squares(32, 1);
  const targets = detectionTargets(train, anchors, 1);
  assert.ok(targets.numPositive >= train.count, 'every square claims at least one anchor');
  const model = createRetinaNet({ width: 4, levels: 2, anchorsPerCell: anchors.anchorsPerCell, numClasses: 1, prior: 0.01, seed: 3 });
  const x = tf.tensor4d(train.images, [train.count, 32, 32, 1]);
  const y = tf.tensor3d(targets.packed, [train.count, anchors.count, targetRowWidth(1)]);
  const first = tf.tidy(() => model.forward(x));
  assert.deepEqual(first.shape, [train.count, anchors.count, 1 + 4]);
  const startProbability = tf.tidy(
    () =>
      tf
        .sigmoid(tf.slice(first, [0, 0, 0], [-1, -1, 1]))
        .mean()
        .dataSync()[0]!,
  );
  first.dispose();
  assert.ok(Math.abs(startProbability - 0.01) < 0.005, `the prior bias starts every anchor near 0.01 (mean ${startProbability})`);

  const optimizer = tf.train.adam(1e-2);
  const losses: number[] = [];
  for (let step = 0; step < 40; step++) {
    const loss = optimizer.minimize(() => detectionLoss(model.forward(x), y, { gamma: 2, alpha: 0.25 }), true, model.variables)!;
    losses.push(loss.dataSync()[0]!);
    loss.dispose();
  }
  assert.ok(losses.every(Number.isFinite), 'finite losses');
  assert.ok(losses.at(-1)! < 0.5 * losses[0]!, `the loss falls (${losses[0]} -> ${losses.at(-1)})`);

  const metrics = cocoMetrics(toCoco(train), detectScenes(model, train, anchors, 1));
  assert.ok(metrics.AP50 > 0.5, `the squares it trained on are found: AP50 ${metrics.AP50}`);
  optimizer.dispose();
  model.dispose();
  tf.dispose([x, y]);
  assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
  unregisterFastConvKernels();
});

test('retinaNetLoss on the heads equals detectionLoss on the packed output, value and gradients', async () => {
  await tf.setBackend('cpu');
  registerFastConvKernels();
  const before = tf.memory().numTensors;
  const anchors = detectionAnchors(layout);
  const train = squares(6, 7);
  const targets = detectionTargets(train, anchors, 1);
  assert.ok(targets.numIgnored > 0, 'some anchors are ignored, so the weights matter');
  const model = createRetinaNet({ width: 4, levels: 2, anchorsPerCell: anchors.anchorsPerCell, numClasses: 1, prior: 0.01, seed: 5 });
  const images = [4, 1, 3];
  const pixels = 32 * 32;
  const x = tf.tensor4d(Float32Array.from(images.flatMap((i) => [...train.images.subarray(i * pixels, (i + 1) * pixels)])), [3, 32, 32, 1]);
  const row = anchors.count * targetRowWidth(1);
  const packed = tf.tensor3d(Float32Array.from(images.flatMap((i) => [...targets.packed.subarray(i * row, (i + 1) * row)])), [
    3,
    anchors.count,
    targetRowWidth(1),
  ]);
  const batch = batchTargets(targets, images, anchors.levels, 1);
  assert.deepEqual(
    batch.levels.map((l) => l.positive.length),
    anchors.levels.map((l) => 3 * l.count),
  );
  const perLevel = batchTargetTensors(batch, 1);
  for (const [name, setting] of [
    ['focal', { gamma: 2, alpha: 0.25 }],
    ['FL*', { gamma: 2, alpha: 0.25, beta: 1 }],
  ] as const) {
    const packedLoss = tf.variableGrads(() => detectionLoss(model.forward(x), packed, setting), model.variables);
    const levelLoss = tf.variableGrads(() => retinaNetLoss(model.heads(x), perLevel, setting), model.variables);
    const a = packedLoss.value.dataSync()[0]!;
    const b = levelLoss.value.dataSync()[0]!;
    assert.ok(Math.abs(a - b) <= 1e-5 * Math.abs(a), `${name}: loss ${b} vs ${a}`);
    for (const v of model.variables) {
      const ga = packedLoss.grads[v.name]!.dataSync();
      const gb = levelLoss.grads[v.name]!.dataSync();
      const scale = Math.max(...ga.map(Math.abs), 1e-12);
      const err = Math.max(...ga.map((g, i) => Math.abs(g - gb[i]!)));
      assert.ok(err <= 1e-4 * scale, `${name}: gradient of ${v.name} off by ${err} (scale ${scale})`);
    }
    tf.dispose([packedLoss.value, levelLoss.value, packedLoss.grads, levelLoss.grads]);
  }
  model.dispose();
  tf.dispose([x, packed, ...perLevel.levels.flatMap((l) => [l.classes, l.weights, l.boxTargets, l.positive])]);
  assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
  unregisterFastConvKernels();
});
