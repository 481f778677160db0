/**
 * Shared helpers for the convolution kernel tests (and bench/conv.bench.ts): a checked
 * backend switch, a seeded generator and the error measure used throughout (max abs
 * error / max abs reference value).
 */
import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from 'focal-loss/core';

// The one checked backend switch of the repository's tests (fails unless the backend asked for runs).
export { useBackend } from '../../focal-loss/test/helpers/use_backend.js';

/** The seeded uniform generator of the focal-loss packages (mulberry32). */
export const seededRandom = mulberry32;

/** A tensor of values uniform in [-1, 1) drawn from `rand`. */
export function randomTensor(shape: number[], rand: () => number): tf.Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = rand() * 2 - 1;
  return tf.tensor(v, shape, 'float32');
}

export type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];

/** One convolution to check: NHWC input shape, [kh, kw, in, out] filter, stride, padding. */
export interface ConvCase {
  xShape: [number, number, number, number];
  filterShape: [number, number, number, number];
  stride: number;
  pad: Pad;
}

/** Forward, dx and dfilter through tf.grads, i.e. through whichever kernels are registered. */
export function convAndGrads(c: ConvCase, seed: number): Float32Array[] {
  return tf.tidy(() => {
    const rand = seededRandom(seed);
    const x = randomTensor(c.xShape, rand) as tf.Tensor4D;
    const w = randomTensor(c.filterShape, rand) as tf.Tensor4D;
    const f = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.conv2d(a, b, c.stride, c.pad);
    const y = f(x, w);
    const dy = randomTensor(y.shape, rand);
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      f(a as tf.Tensor4D, b as tf.Tensor4D)
        .mul(dy)
        .sum(),
    )([x, w]);
    return [y, dx!, dw!].map((t) => t.dataSync() as Float32Array);
  });
}

/** max |a - b| / max |b|: the relative error of `a` against the reference `b`. */
export function relativeMaxError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let err = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return scale === 0 ? err : err / scale;
}

/** A small conv net like the demos': fused (bias) and unfused (relu) conv paths, stride 2, 'valid'. */
export function buildConvModel(seed: number): tf.Sequential {
  const init = (s: number) => tf.initializers.glorotUniform({ seed: s });
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [9, 9, 3],
        filters: 8,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(seed),
      }),
      tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'valid', kernelInitializer: init(seed + 1) }),
      tf.layers.conv2d({ filters: 4, kernelSize: 1, kernelInitializer: init(seed + 2) }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2, kernelInitializer: init(seed + 3) }),
    ],
  });
  // A string optimizer is owned, and disposed, by the model; a tf.train one would leak its scalar.
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  return model;
}

/** Losses of `steps` trainOnBatch calls on fixed seeded data, plus the final weights. */
export async function trainLosses(steps: number, seed: number): Promise<{ losses: number[]; weights: Float32Array[] }> {
  const model = buildConvModel(seed);
  const rand = seededRandom(seed);
  const xs = randomTensor([4, 9, 9, 3], rand);
  const ys = randomTensor([4, 2], rand);
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) losses.push((await model.trainOnBatch(xs, ys)) as number);
  const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
  tf.dispose([xs, ys]);
  model.dispose();
  return { losses, weights };
}
