import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  averagePrecision,
  bestF1Threshold,
  metricsAtThreshold,
  precisionRecallCurve,
  rocAuc,
  thinCurve,
} from '../../src/metrics/binary.js';

const close = (a: number, b: number, eps = 1e-12) => assert.ok(Math.abs(a - b) < eps, `${a} != ${b}`);

test('average precision of a known ranking: + - + - gives (1 + 2/3) / 2', () => {
  close(averagePrecision([0.9, 0.8, 0.7, 0.6], [1, 0, 1, 0]), (1 + 2 / 3) / 2);
});

test('average precision is 1 for a perfect ranking and the prevalence when all scores tie', () => {
  close(averagePrecision([0.9, 0.8, 0.1, 0.2], [1, 1, 0, 0]), 1);
  close(averagePrecision([0.5, 0.5, 0.5, 0.5], [1, 0, 0, 0]), 0.25);
});

test('average precision does not depend on the order of tied scores', () => {
  close(averagePrecision([0.5, 0.5, 0.9], [1, 0, 0]), averagePrecision([0.5, 0.5, 0.9], [0, 1, 0]));
});

test('average precision with weights: doubling negatives halves precision at full recall', () => {
  close(averagePrecision([0.9, 0.8, 0.7, 0.6], [1, 0, 1, 0], [1, 2, 1, 2]), 0.5 * 1 + 0.5 * 0.5);
});

test('average precision is NaN without positives', () => {
  assert.ok(Number.isNaN(averagePrecision([0.1, 0.2], [0, 0])));
});

test('ROC-AUC counts ordered pairs, ties as one half', () => {
  close(rocAuc([0.9, 0.8, 0.7, 0.6], [1, 0, 1, 0]), 0.75);
  close(rocAuc([0.5, 0.5, 0.5], [1, 0, 0]), 0.5);
  close(rocAuc([0.1, 0.9], [1, 0]), 0);
  assert.ok(Number.isNaN(rocAuc([0.1, 0.9], [1, 1])));
});

test('precision-recall curve has one point per distinct score, highest first', () => {
  const curve = precisionRecallCurve([0.2, 0.9, 0.9, 0.4], [0, 1, 0, 1]);
  assert.deepEqual(
    curve.map((p) => p.threshold),
    [0.9, 0.4, 0.2],
  );
  assert.deepEqual(
    curve.map((p) => p.recall),
    [0.5, 1, 1],
  );
  assert.deepEqual(
    curve.map((p) => p.precision),
    [0.5, 2 / 3, 0.5],
  );
});

test('metrics at a threshold: predicted positive when score >= threshold', () => {
  const m = metricsAtThreshold([0.9, 0.6, 0.5, 0.1], [1, 0, 1, 1], 0.5);
  close(m.precision, 2 / 3);
  close(m.recall, 2 / 3);
  close(m.f1, 2 / 3);
  const none = metricsAtThreshold([0.1], [1], 0.5);
  assert.equal(none.precision, 0);
  assert.equal(none.f1, 0);
});

test('best F1 threshold separates a separable set', () => {
  assert.equal(bestF1Threshold([0.1, 0.3, 0.35, 0.8], [0, 0, 1, 1]), 0.35);
});

test('thinCurve keeps the first and last point', () => {
  const thin = thinCurve(
    Array.from({ length: 1000 }, (_, i) => i),
    11,
  );
  assert.equal(thin.length, 11);
  assert.equal(thin[0], 0);
  assert.equal(thin[10], 999);
});
