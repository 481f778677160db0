/**
 * Cross-entropy against focal loss on one seeded, imbalanced synthetic problem (about 1
 * positive in 50): the same tfjs-layers model, the same initial weights and the same
 * train/validation/test split; held-out metrics printed side by side.
 *
 *   npm run example            (from the repository root)
 */
import '../tfjs_quiet.js';
import * as tf from '@tensorflow/tfjs';
import { sigmoidFocalLoss } from 'focal-loss';
import { Rng } from '../data/rng.js';
import { stratifiedSplit } from '../data/split.js';
import { averagePrecision, bestF1Threshold, metricsAtThreshold } from '../metrics/index.js';

const FEATURES = 8;
const SAMPLES = 20000;
const POSITIVE_RATE = 0.02;

/** Positives sit around a mean shifted in 3 of the 8 features; the classes overlap. */
function makeData(rng: Rng): { x: Float32Array; y: Int32Array } {
  const x = new Float32Array(SAMPLES * FEATURES);
  const y = new Int32Array(SAMPLES);
  for (let i = 0; i < SAMPLES; i++) {
    y[i] = rng.next() < POSITIVE_RATE ? 1 : 0;
    for (let f = 0; f < FEATURES; f++) x[i * FEATURES + f] = rng.normal() + (y[i] && f < 3 ? 1 : 0);
  }
  return { x, y };
}

/** Trains a fresh model (seeded weights) with `loss` and returns its predicted probabilities on `evaluate`. */
async function trainAndScore(
  loss: (yTrue: tf.Tensor, logits: tf.Tensor) => tf.Tensor,
  train: { x: tf.Tensor2D; y: tf.Tensor2D },
  evaluate: tf.Tensor2D[],
): Promise<Float32Array[]> {
  const prior = Math.log(POSITIVE_RATE / (1 - POSITIVE_RATE));
  const model = tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [FEATURES],
        units: 16,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
      }),
      // Linear output (the losses take logits), starting at the positive rate as in the paper.
      tf.layers.dense({
        units: 1,
        kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
        biasInitializer: tf.initializers.constant({ value: prior }),
      }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss });
  // The split is already shuffled; shuffle: false keeps the batch order the same for both losses.
  await model.fit(train.x, train.y, { epochs: 10, batchSize: 256, shuffle: false, verbose: 0 });
  const scores = evaluate.map((x) => tf.tidy(() => tf.sigmoid(model.predict(x) as tf.Tensor).dataSync() as Float32Array));
  model.dispose();
  return scores;
}

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const rng = new Rng(42);
  const data = makeData(rng);
  const [trainRows, validationRows, testRows] = stratifiedSplit(data.y, 2, [0.6, 0.2, 0.2], rng) as [number[], number[], number[]];
  const take = (rows: number[]) => ({
    x: tf.tensor2d(
      rows.flatMap((r) => Array.from(data.x.subarray(r * FEATURES, (r + 1) * FEATURES))),
      [rows.length, FEATURES],
    ),
    y: Int32Array.from(rows, (r) => data.y[r]!),
  });
  const [train, validation, test] = [take(trainRows), take(validationRows), take(testRows)];
  const trainTargets = tf.tensor2d(Float32Array.from(train.y), [train.y.length, 1]);
  const positives = (y: Int32Array) => y.reduce((a, b) => a + b, 0);
  console.log(
    `${SAMPLES} samples, ${positives(data.y)} positives; seeded stratified split: train ${train.y.length} ` +
      `(${positives(train.y)} positives), validation ${validation.y.length} (${positives(validation.y)}), test ${test.y.length} (${positives(test.y)})`,
  );

  const losses = {
    'cross-entropy': (yTrue: tf.Tensor, logits: tf.Tensor) => tf.losses.sigmoidCrossEntropy(yTrue, logits),
    'focal γ=2 α=0.25': (yTrue: tf.Tensor, logits: tf.Tensor) => sigmoidFocalLoss(logits, yTrue, { gamma: 2, alpha: 0.25 }),
  };
  const rows: Record<string, { ap: number; threshold: number; recall: number; precision: number }> = {};
  for (const [name, loss] of Object.entries(losses)) {
    const started = performance.now();
    const [validationScores, testScores] = await trainAndScore(loss, { x: train.x, y: trainTargets }, [validation.x, test.x]);
    // The threshold is chosen on validation (best F1) and only then applied to the test split.
    const threshold = bestF1Threshold(validationScores!, validation.y);
    const { recall, precision } = metricsAtThreshold(testScores!, test.y, threshold);
    rows[name] = { ap: averagePrecision(testScores!, test.y), threshold, recall, precision };
    console.log(`trained with ${name} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  tf.dispose([train.x, validation.x, test.x, trainTargets]);

  const [ce, focal] = Object.values(rows) as [(typeof rows)[string], (typeof rows)[string]];
  const line = (label: string, a: string, b: string) => console.log(`${label.padEnd(36)}${a.padStart(14)}${b.padStart(20)}`);
  console.log();
  line('held-out test split', 'cross-entropy', 'focal γ=2 α=0.25');
  line('average precision (AUPRC)', ce.ap.toFixed(3), focal.ap.toFixed(3));
  line('threshold (best F1 on validation)', ce.threshold.toFixed(3), focal.threshold.toFixed(3));
  line('recall at that threshold', ce.recall.toFixed(3), focal.recall.toFixed(3));
  line('precision at that threshold', ce.precision.toFixed(3), focal.precision.toFixed(3));
  console.log();
  const difference = focal.ap - ce.ap;
  console.log(
    Math.abs(difference) < 0.01
      ? `On this split the two are about even (test AP ${ce.ap.toFixed(3)} vs ${focal.ap.toFixed(3)}).`
      : `On this split ${difference > 0 ? 'focal loss' : 'cross-entropy'} did better on test AP (${Math.max(ce.ap, focal.ap).toFixed(3)} vs ${Math.min(ce.ap, focal.ap).toFixed(3)}).`,
  );
  console.log(
    'One split of one synthetic problem is not a verdict: `npx focal-loss compare` runs a grid of γ and α\n' +
      'over several seeds, picks the setting on validation and reports the spread.',
  );
}

await main();
