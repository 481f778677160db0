import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectedCalibrationError, reliabilityBins } from '../../src/metrics/calibration.js';
import { argmaxRows, balancedAccuracy, confusionMatrix, macroF1, multiclassMetrics, rarestClasses } from '../../src/metrics/multiclass.js';
import { segmentationMetrics } from '../../src/metrics/segmentation.js';
import { mean, std } from '../../src/metrics/stats.js';

const close = (a: number, b: number, eps = 1e-12) => assert.ok(Math.abs(a - b) < eps, `${a} != ${b}`);

test('confusion matrix, balanced accuracy and macro-F1 on a hand-made case', () => {
  // true: 0 0 0 1 2, predicted: 0 0 1 1 1
  const m = confusionMatrix([0, 0, 0, 1, 2], [0, 0, 1, 1, 1], 3);
  assert.deepEqual(m, [
    [2, 1, 0],
    [0, 1, 0],
    [0, 1, 0],
  ]);
  close(balancedAccuracy(m), (2 / 3 + 1 + 0) / 3);
  // F1: class 0 p=1 r=2/3 → 0.8; class 1 p=1/3 r=1 → 0.5; class 2 → 0.
  close(macroF1(m), (0.8 + 0.5 + 0) / 3);
});

test('argmax, rarest classes and the combined metrics', () => {
  const probs = [0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.3, 0.3, 0.4];
  assert.deepEqual([...argmaxRows(probs, 3)], [0, 1, 2]);
  assert.deepEqual(rarestClasses([50, 3, 10], 2), [1, 2]);
  const m = multiclassMetrics(probs, [0, 1, 1], 3, [1]);
  close(m.accuracy, 2 / 3);
  close(m.rareRecall, 0.5);
});

test('reliability bins and ECE: a calibrated predictor has ECE 0, a confident wrong one ECE 1', () => {
  const conf = [0.25, 0.25, 0.25, 0.25];
  close(expectedCalibrationError(reliabilityBins(conf, [1, 0, 0, 0], 10)), 0);
  close(expectedCalibrationError(reliabilityBins([1, 1], [0, 0], 10)), 1);
  const bins = reliabilityBins([0.05, 0.95], [0, 1], 10);
  assert.equal(bins.length, 10);
  assert.equal(bins[0]!.weight, 1);
  assert.equal(bins[9]!.weight, 1);
});

test('segmentation metrics skip ignored pixels', () => {
  const labels = [1, 1, 0, 0, -1];
  const predicted = [1, 0, 1, 0, 1];
  const m = segmentationMetrics(predicted, labels, -1);
  close(m.iou, 1 / 3);
  close(m.dice, 0.5);
  close(m.precision, 0.5);
  close(m.recall, 0.5);
  assert.deepEqual(segmentationMetrics([0, 0], [0, 0]), { iou: 0, dice: 0, precision: 0, recall: 0 });
});

test('mean and sample std', () => {
  close(mean([1, 2, 3]), 2);
  close(std([1, 2, 3]), 1);
  assert.equal(std([5]), 0);
});
