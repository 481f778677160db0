/**
 * Built-in imbalanced classification sets made from MNIST:
 * - "digit k vs rest" with the positives subsampled to 1:100 in training and validation;
 * - a long-tailed 10-class set where class c keeps the fraction 0.01^(c/9).
 * Both are tested on the untouched MNIST test set, and also with sample weights that
 * re-weight the test set to the training prior.
 */
import { loadMnist, mnistFeatures } from './mnist.js';
import { indicesByClass, stratifiedSplit } from './split.js';
import { Rng } from './rng.js';

/** Features and integer labels of one part of a data set. */
export interface LabelledSet {
  x: Float32Array;
  y: Int32Array;
  count: number;
}

/** A classification problem ready for training: feature dimension, classes and the three parts. */
export interface ClassificationData {
  id: string;
  title: string;
  /** 'binary' trains one sigmoid output (class 1 is positive); 'multiclass' a softmax. */
  kind: 'binary' | 'multiclass';
  classNames: string[];
  featureDim: number;
  train: LabelledSet;
  validation: LabelledSet;
  test: LabelledSet;
  /** Per test row: weight that makes the test class distribution equal the training one. */
  testPriorWeights: Float32Array;
  /** One line on how the data was made, for the report. */
  description: string;
}

/** Sizes for the built-in MNIST sets (the quick mode subsamples, the full mode does not). */
export interface MnistClassificationSize {
  /** 1 (28x28 = 784 features) or 2 (14x14 = 196 features). */
  pool: 1 | 2;
  /** Fraction of MNIST's training rows to draw from (before the imbalance is applied). */
  trainFraction: number;
  /** Fraction of the MNIST test set to use (1 = untouched test set). */
  testFraction: number;
}

/** Counts per class. */
export function classCounts(labels: ArrayLike<number>, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]!++;
  return counts;
}

/**
 * Sample weights for `testLabels` so that weighted class frequencies equal those of the
 * training labels (w_c = prior_train(c) / prior_test(c)), scaled to average 1.
 */
export function priorWeights(trainLabels: ArrayLike<number>, testLabels: ArrayLike<number>, numClasses: number): Float32Array {
  const trainCounts = classCounts(trainLabels, numClasses);
  const testCounts = classCounts(testLabels, numClasses);
  const nTrain = trainLabels.length;
  const nTest = testLabels.length;
  const perClass = trainCounts.map((n, c) => (testCounts[c]! > 0 ? n / nTrain / (testCounts[c]! / nTest) : 0));
  const weights = new Float32Array(nTest);
  for (let i = 0; i < nTest; i++) weights[i] = perClass[testLabels[i]!]!;
  return weights;
}

function subsample(indices: number[], fraction: number, rng: Rng): number[] {
  if (fraction >= 1) return indices;
  return rng.shuffle([...indices]).slice(0, Math.max(1, Math.round(indices.length * fraction)));
}

function testPart(size: MnistClassificationSize, mapLabel: (digit: number) => number): { indices: number[]; y: Int32Array } {
  const test = loadMnist('test');
  // The test subsample (quick mode only) is the same for every seed: it is not part of the experiment's variance.
  const indices = subsample(
    Array.from({ length: test.count }, (_, i) => i),
    size.testFraction,
    new Rng(12345),
  );
  return { indices, y: Int32Array.from(indices, (i) => mapLabel(test.labels[i]!)) };
}

function labelledSet(indices: number[], y: Int32Array, split: 'train' | 'test', pool: 1 | 2): LabelledSet {
  return { x: mnistFeatures(loadMnist(split), indices, pool), y, count: indices.length };
}

/**
 * "Digit `digit` vs rest": all other digits are negatives, the digit's images are
 * subsampled so that positives : negatives = 1 : `ratio` in training and validation
 * (split 80/20, stratified). `seed` controls the subsample and the split.
 */
export function mnistOneVsRest(digit: number, ratio: number, size: MnistClassificationSize, seed: number): ClassificationData {
  const rng = new Rng(seed);
  const train = loadMnist('train');
  const all = subsample(
    Array.from({ length: train.count }, (_, i) => i),
    size.trainFraction,
    rng,
  );
  const negatives = all.filter((i) => train.labels[i] !== digit);
  const positives = rng.shuffle(all.filter((i) => train.labels[i] === digit)).slice(0, Math.round(negatives.length / ratio));
  const pool = [...negatives, ...positives];
  const labels = Int32Array.from(pool, (i) => (train.labels[i] === digit ? 1 : 0));
  const [trainPart, valPart] = stratifiedSplit(labels, 2, [0.8, 0.2], rng);
  const pick = (part: number[]) =>
    labelledSet(
      part.map((p) => pool[p]!),
      Int32Array.from(part, (p) => labels[p]!),
      'train',
      size.pool,
    );
  const trainSet = pick(trainPart!);
  const test = testPart(size, (d) => (d === digit ? 1 : 0));
  const counts = classCounts(trainSet.y, 2);
  return {
    id: `mnist-${digit}-vs-rest`,
    title: `MNIST ${digit} vs rest (1:${ratio})`,
    kind: 'binary',
    classNames: ['rest', String(digit)],
    featureDim: (28 / size.pool) ** 2,
    train: trainSet,
    validation: pick(valPart!),
    test: labelledSet(test.indices, test.y, 'test', size.pool),
    testPriorWeights: priorWeights(trainSet.y, test.y, 2),
    description:
      `Digit ${digit} (positive) against all other digits; positives subsampled to 1:${ratio} ` +
      `(train ${counts[1]} positives / ${counts[0]} negatives). Test: MNIST test set (${test.indices.length} rows), ` +
      `also re-weighted to the training prior.`,
  };
}

/**
 * Long-tailed 10-class MNIST: class c keeps the fraction `imbalance^(c/9)` of its rows
 * (imbalance 0.01: digit 0 keeps all, digit 9 keeps 1 %), split 80/20 stratified.
 */
export function mnistLongTail(imbalance: number, size: MnistClassificationSize, seed: number): ClassificationData {
  const rng = new Rng(seed);
  const train = loadMnist('train');
  const all = subsample(
    Array.from({ length: train.count }, (_, i) => i),
    size.trainFraction,
    rng,
  );
  const groups = indicesByClass(
    Int32Array.from(all, (i) => train.labels[i]!),
    10,
  );
  const pool: number[] = [];
  groups.forEach((group, c) => {
    const keep = Math.max(5, Math.round(group.length * imbalance ** (c / 9)));
    pool.push(...rng.shuffle(group.map((g) => all[g]!)).slice(0, keep));
  });
  const labels = Int32Array.from(pool, (i) => train.labels[i]!);
  const [trainPart, valPart] = stratifiedSplit(labels, 10, [0.8, 0.2], rng);
  const pick = (part: number[]) =>
    labelledSet(
      part.map((p) => pool[p]!),
      Int32Array.from(part, (p) => labels[p]!),
      'train',
      size.pool,
    );
  const trainSet = pick(trainPart!);
  const test = testPart(size, (d) => d);
  const counts = classCounts(trainSet.y, 10);
  return {
    id: 'mnist-long-tail',
    title: `MNIST long-tailed 10 classes (${Math.round(1 / imbalance)}:1)`,
    kind: 'multiclass',
    classNames: Array.from({ length: 10 }, (_, c) => String(c)),
    featureDim: (28 / size.pool) ** 2,
    train: trainSet,
    validation: pick(valPart!),
    test: labelledSet(test.indices, test.y, 'test', size.pool),
    testPriorWeights: priorWeights(trainSet.y, test.y, 10),
    description:
      `Digit c keeps the fraction ${imbalance}^(c/9) of its training rows (train counts ${counts.join('/')}). ` +
      `Test: MNIST test set (${test.indices.length} rows), also re-weighted to the training prior.`,
  };
}
