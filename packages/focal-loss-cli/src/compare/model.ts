/**
 * The MLP (classification) and the FCN (segmentation) that `compare` trains, as plain tf
 * variables and ops (the Model interface of tfjs-retinanet); the RetinaNet is in tfjs-retinanet.
 */
import * as tf from '@tensorflow/tfjs';
import { variableFrom, type Model } from 'tfjs-retinanet';

function heNormal(shape: number[], fanIn: number, seed: number): tf.Variable {
  return variableFrom(() => tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', seed));
}

/**
 * Bias of the output layer from class priors, as in the paper's "prior" initialisation:
 * a sigmoid output starts at p = prior (b = log(prior / (1 - prior))), a softmax output at
 * the training class frequencies. Without it, focal loss with large gamma starts with
 * a near-flat gradient from the many easy negatives, and cross-entropy spends its first
 * epoch learning the prior.
 */
export function priorBias(kind: 'binary' | 'multiclass', priors: readonly number[]): Float32Array {
  const clamp = (p: number) => Math.min(1 - 1e-4, Math.max(1e-4, p));
  if (kind === 'binary') {
    const p = clamp(priors[1]!);
    return Float32Array.of(Math.log(p / (1 - p)));
  }
  return Float32Array.from(priors, (p) => Math.log(clamp(p)));
}

/**
 * Two-layer perceptron: input → `hidden` ReLU units → `outputs` logits. The same seed
 * gives the same initial weights, so every loss setting starts from the same model.
 */
export function createMlp(inputDim: number, hidden: number, outputs: number, outputBias: Float32Array, seed: number): Model {
  const w1 = heNormal([inputDim, hidden], inputDim, seed);
  const b1 = variableFrom(() => tf.zeros([hidden]));
  // Small output weights so that the prior bias dominates at the start.
  const w2 = variableFrom(() => tf.randomNormal([hidden, outputs], 0, 0.01, 'float32', seed + 1));
  const b2 = variableFrom(() => tf.tensor1d(outputBias));
  const variables = [w1, b1, w2, b2];
  return {
    variables,
    forward: (x) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2),
    dispose: () => variables.forEach((v) => v.dispose()),
  };
}

/**
 * A small fully convolutional encoder-decoder for NHWC single-channel images whose side
 * is divisible by 4: two 3x3 conv + 2x2 max-pool stages, a bottleneck conv, then two
 * nearest-neighbour upsamplings each followed by a 3x3 conv (nearest-neighbour + conv
 * instead of conv2dTranspose avoids checkerboard artefacts), with a skip connection from
 * the full-resolution features so that thin strokes survive, and a 1x1 conv to two
 * logits (background, foreground).
 */
export function createFcn(width: number, foregroundPrior: number, seed: number): Model {
  const c1 = width;
  const c2 = width * 2;
  const conv = (inC: number, outC: number, k: number, s: number) => ({
    w: heNormal([k, k, inC, outC], k * k * inC, seed + s),
    b: variableFrom(() => tf.zeros([outC])),
  });
  const enc1 = conv(1, c1, 3, 1);
  const enc2 = conv(c1, c2, 3, 2);
  const mid = conv(c2, c2, 3, 3);
  const dec2 = conv(c2, c1, 3, 4);
  const dec1 = conv(c1 + c1, c1, 3, 5);
  const head = {
    w: variableFrom(() => tf.randomNormal([1, 1, c1, 2], 0, 0.01, 'float32', seed + 6)),
    b: variableFrom(() => tf.tensor1d([0, Math.log(foregroundPrior / (1 - foregroundPrior))])),
  };
  const layers = [enc1, enc2, mid, dec2, dec1, head];
  const variables = layers.flatMap((l) => [l.w, l.b]);
  const apply = (x: tf.Tensor4D, l: { w: tf.Variable; b: tf.Variable }, relu = true): tf.Tensor4D => {
    const y = tf.add(tf.conv2d(x, l.w as tf.Tensor4D, 1, 'same'), l.b) as tf.Tensor4D;
    return relu ? tf.relu(y) : y;
  };
  const up = (x: tf.Tensor4D): tf.Tensor4D => tf.image.resizeNearestNeighbor(x, [x.shape[1] * 2, x.shape[2] * 2]);
  return {
    variables,
    forward: (input) => {
      const x = input as tf.Tensor4D;
      const f1 = apply(x, enc1); // H
      const f2 = apply(tf.maxPool(f1, 2, 2, 'same'), enc2); // H/2
      const f3 = apply(tf.maxPool(f2, 2, 2, 'same'), mid); // H/4
      const u2 = apply(up(f3), dec2); // H/2
      const u1 = apply(tf.concat([up(u2), f1], 3), dec1); // H
      return apply(u1, head, false);
    },
    dispose: () => variables.forEach((v) => v.dispose()),
  };
}
