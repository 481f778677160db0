/**
 * Trains a small tfjs-layers classifier on a seeded, imbalanced synthetic problem (about
 * 1 positive in 50) with sigmoid focal loss, and prints the loss falling epoch by epoch.
 *
 *   npm run example            (from the repository root)
 */
import * as tf from '@tensorflow/tfjs';
import { sigmoidFocalLoss } from 'focal-loss';

const FEATURES = 8;
const SAMPLES = 4000;
const POSITIVE_RATE = 0.02;

/** Deterministic generator so that every run prints the same numbers. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Positives sit around a shifted mean; negatives around the origin; both overlap. */
function makeData(seed: number): { x: tf.Tensor2D; y: tf.Tensor2D; positives: number } {
  const random = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const positive = random() < POSITIVE_RATE;
    for (let f = 0; f < FEATURES; f++) xs.push(normal() + (positive && f < 3 ? 1.5 : 0));
    ys.push(positive ? 1 : 0);
  }
  return { x: tf.tensor2d(xs, [SAMPLES, FEATURES]), y: tf.tensor2d(ys, [SAMPLES, 1]), positives: ys.filter((v) => v === 1).length };
}

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const { x, y, positives } = makeData(42);
  console.log(`${SAMPLES} samples, ${positives} positives (${((100 * positives) / SAMPLES).toFixed(1)} %)`);

  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [FEATURES], units: 16, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      // Linear output: the loss takes logits, which keeps it exact where probabilities saturate.
      tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  model.compile({
    optimizer: tf.train.adam(0.01),
    loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => sigmoidFocalLoss(yPred, yTrue, { alpha: 0.25, gamma: 2 }),
  });

  await model.fit(x, y, {
    epochs: 10,
    batchSize: 128,
    shuffle: false,
    verbose: 0,
    callbacks: {
      onEpochEnd: (epoch, logs) => console.log(`epoch ${String(epoch + 1).padStart(2)}  focal loss ${logs?.loss.toFixed(5)}`),
    },
  });

  const recall = tf.tidy(() => {
    const predicted = tf.cast(tf.greater(model.predict(x) as tf.Tensor, 0), 'float32');
    return tf.sum(tf.mul(predicted, y)).dataSync()[0] / positives;
  });
  console.log(`recall of the rare class on the training set at p > 0.5: ${(100 * recall).toFixed(1)} %`);
  tf.dispose([x, y]);
  model.dispose();
}

await main();
