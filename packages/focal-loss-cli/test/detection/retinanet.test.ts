import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { sigmoidFocalLoss, sigmoidFocalLossStar } from 'focal-loss';
import { resolvePlan, setupBackend } from '../../src/compare/run.js';
import { detectionPlan, detectionSizes, detectionGrid, DETECTION_BASELINE_LABEL, DETECTION_FOCAL_LABEL } from '../../src/compare/config.js';
import { tasks } from '../../src/compare/tasks/index.js';
import { cocoApResampler } from '../../src/metrics/index.js';
import { makeDetectionData, runDetection } from '../../src/compare/tasks/detection.js';
import { createRetinaNet, detectionAnchors, detectionLoss, detectionTargets, detectScenes, PRIOR } from 'tfjs-retinanet';
import { trainModel, type EpochReport } from '../../src/compare/train.js';
import { summariseExperiment } from '../../src/compare/aggregate.js';
import type { ExperimentResult } from '../../src/compare/types.js';
import { DIGIT_CLASSES, generateDetectionScenes, scenesToCoco } from '../../src/data/detection_scenes.js';
import { Rng } from '../../src/data/rng.js';
import { evaluateCoco, type CocoGroundTruth, type CocoResult } from 'tfjs-retinanet';

test('RetinaNet output: one row per anchor, K logits + 4 deltas, classification starting at the prior', async () => {
  await setupBackend('wasm', true);
  const size = detectionSizes('tiny')[0]!;
  const anchors = detectionAnchors(size);
  const model = createRetinaNet({ width: 4, levels: 2, anchorsPerCell: anchors.anchorsPerCell, numClasses: 10, prior: PRIOR, seed: 1 });
  const out = tf.tidy(() => model.forward(tf.zeros([2, 32, 32, 1])));
  assert.deepEqual(out.shape, [2, anchors.count, 14]);
  const p = tf.tidy(
    () =>
      tf
        .sigmoid(tf.slice(out, [0, 0, 0], [-1, -1, 10]))
        .mean()
        .dataSync()[0]!,
  );
  assert.ok(Math.abs(p - PRIOR) < 2e-3, `mean initial probability ${p}`);
  out.dispose();
  model.dispose();
});

test('detection loss: focal loss over non-ignored anchors / positives + smooth L1 on positives', () => {
  // Two anchors, K = 2: anchor 0 positive (class 1), anchor 1 ignored.
  const output = tf.tensor3d([
    [
      [0.5, -1, 0.2, 0, 0, 0],
      [3, 3, 1, 1, 1, 1],
    ],
  ]);
  const target = tf.tensor3d([
    [
      [0, 1, 1, 0.1, 0.5, 0, 0, 1],
      [0, 0, 0, 0, 0, 0, 0, 0],
    ],
  ]);
  const loss = detectionLoss(output, target, { gamma: 2, alpha: 0.25 }, 2).dataSync()[0]!;
  const cls = (
    sigmoidFocalLoss(tf.tensor2d([[0.5, -1]]), tf.tensor2d([[0, 1]]), { gamma: 2, alpha: 0.25, reduction: 'sum' }) as tf.Scalar
  ).dataSync()[0]!;
  const beta = 1 / 9;
  const sl1 = (d: number) => (Math.abs(d) < beta ? (0.5 * d * d) / beta : Math.abs(d) - beta / 2);
  const box = sl1(0.2 - 0.1) + sl1(0 - 0.5);
  assert.ok(Math.abs(loss - (cls + box)) < 1e-5, `${loss} vs ${cls + box}`);
  tf.dispose([output, target]);
});

test('end to end: a few training steps on a handful of scenes lower the loss, no NaN, no tensor leak; evaluation runs', async () => {
  await setupBackend('wasm', true);
  const size = { ...detectionSizes('tiny')[0]!, trainScenes: 16, validationScenes: 4, testScenes: 6 };
  const data = makeDetectionData(size, 0);
  const before = tf.memory().numTensors;
  const model = createRetinaNet({
    width: 4,
    levels: 2,
    anchorsPerCell: data.anchors.anchorsPerCell,
    numClasses: 10,
    prior: PRIOR,
    seed: 3,
  });
  const row = data.anchors.count * 16;
  const reports: EpochReport[] = [];
  const result = await trainModel(model, {
    sampleCount: 16,
    epochs: 6,
    batchSize: 16,
    learningRate: 3e-3,
    rng: new Rng(1),
    makeBatch: (idx) => {
      const x = new Float32Array(idx.length * 1024);
      const y = new Float32Array(idx.length * row);
      idx.forEach((n, i) => {
        x.set(data.train.images.subarray(n * 1024, (n + 1) * 1024), i * 1024);
        y.set(data.targets.packed.subarray(n * row, (n + 1) * row), i * row);
      });
      return { x: tf.tensor4d(x, [idx.length, 32, 32, 1]), target: tf.tensor3d(y, [idx.length, data.anchors.count, 16]) };
    },
    loss: (out, target) => detectionLoss(out, target, { gamma: 2, alpha: 0.25 }),
    onEpoch: (r) => reports.push(r),
  });
  assert.equal(result.diverged, false);
  assert.ok(result.lossCurve.every(Number.isFinite));
  assert.ok(result.lossCurve.at(-1)! < result.lossCurve[0]! * 0.9, `loss ${result.lossCurve.map((v) => v.toFixed(3)).join(' ')}`);
  assert.ok(
    reports.every((r) => r.numTensors === reports[0]!.numTensors),
    `tensors per epoch ${reports.map((r) => r.numTensors)}`,
  );
  const dets = detectScenes(model, data.test, data.anchors);
  assert.ok(dets.every((d) => d.score > 0.05 && d.bbox[2]! >= 0 && d.bbox[3]! >= 0));
  model.dispose();
  assert.equal(tf.memory().numTensors, before);
  // One whole run through runDetection, as compare does it.
  const record = await runDetection(data, 'detection-32', detectionGrid()[1]!, 0, { ...size, epochs: 1 }, {}, 4);
  assert.ok(Number.isFinite(record.test.AP!) && record.test.AP! >= 0);
  // The report's example scenes: at most 20 detections per scene, highest first, boxes as [x1, y1, x2, y2].
  const boxes = record.examples!.boxes!;
  assert.equal(boxes.length, 4);
  for (const list of boxes) {
    assert.ok(list.length <= 20);
    assert.ok(list.every((b, i) => b.box[2]! >= b.box[0]! && b.box[3]! >= b.box[1]! && (i === 0 || b.score! <= list[i - 1]!.score!)));
  }
  // Figure 4: per γ, cumulative normalised loss from 0 to 1, non-decreasing, over every non-ignored (anchor, class) pair.
  const cdf = record.curves!.lossCdf!;
  assert.deepEqual(
    cdf.map((c) => c.gamma),
    [0, 0.5, 1, 2],
  );
  const t = detectionTargets(data.test, data.anchors, DIGIT_CLASSES);
  for (const c of cdf) {
    assert.equal(c.positives, t.numPositive);
    assert.equal(c.positives + c.negatives, (t.numPositive + t.numNegative) * 10);
    for (const curve of [c.positive, c.negative]) {
      assert.equal(curve[0], 0);
      assert.ok(Math.abs(curve.at(-1)! - 1) < 1e-9);
      assert.ok(curve.every((v, i) => i === 0 || v >= curve[i - 1]!));
    }
  }
  // Larger γ concentrates the negatives' loss on fewer, harder samples: the curve lies lower.
  const mid = (c: (typeof cdf)[number]) => c.negative[Math.floor(c.negative.length * 0.9)]!;
  assert.ok(mid(cdf[3]!) <= mid(cdf[0]!) + 1e-9, `γ 2: ${mid(cdf[3]!)}, γ 0: ${mid(cdf[0]!)}`);
  assert.equal(record.testResample!.units, 6);
  assert.equal(tf.memory().numTensors, before);
});

function randomResults(gt: CocoGroundTruth, rng: Rng): CocoResult[] {
  const out: CocoResult[] = [];
  for (const a of gt.annotations) {
    const jitter = () => rng.normal() * 1.5;
    if (rng.next() < 0.8)
      out.push({
        image_id: a.image_id,
        category_id: a.category_id,
        bbox: [a.bbox[0]! + jitter(), a.bbox[1]! + jitter(), Math.max(1, a.bbox[2]! + jitter()), Math.max(1, a.bbox[3]! + jitter())],
        score: rng.next(),
      });
    if (rng.next() < 0.5)
      out.push({
        image_id: a.image_id,
        category_id: 1 + rng.int(10),
        bbox: [rng.uniform(0, 20), rng.uniform(0, 20), rng.uniform(3, 12), rng.uniform(3, 12)],
        score: rng.next(),
      });
  }
  return out;
}

test('per-image bootstrap of COCO AP equals evaluateCoco on the resampled images', () => {
  const rng = new Rng(9);
  const scenes = generateDetectionScenes({ count: 30, size: 32, source: 'test', seed: 4 });
  const gt = scenesToCoco(scenes);
  const dt = randomResults(gt, rng);
  const resample = cocoApResampler(gt, dt);
  assert.equal(resample.units, 30);
  const ones = new Float64Array(30).fill(1);
  assert.ok(Math.abs(resample.metric(ones) - evaluateCoco(gt, dt).named.AP) < 1e-12);
  for (let trial = 0; trial < 3; trial++) {
    const counts = new Float64Array(30);
    for (let k = 0; k < 30; k++) counts[rng.int(30)]!++;
    // The same images repeated counts[i] times, as new images.
    const images: CocoGroundTruth['images'][number][] = [];
    const annotations: CocoGroundTruth['annotations'][number][] = [];
    const results: CocoResult[] = [];
    for (let i = 0; i < 30; i++) {
      for (let c = 0; c < counts[i]!; c++) {
        const id = images.length + 1;
        images.push({ id });
        for (const a of gt.annotations.filter((x) => x.image_id === i + 1))
          annotations.push({ ...a, id: annotations.length + 1, image_id: id });
        for (const d of dt.filter((x) => x.image_id === i + 1)) results.push({ ...d, image_id: id });
      }
    }
    const expected = evaluateCoco({ images, annotations, categories: gt.categories }, results).named.AP;
    assert.ok(Math.abs(resample.metric(counts) - expected) < 1e-9, `trial ${trial}: ${resample.metric(counts)} vs ${expected}`);
  }
});

test('detection verdicts compare against the α = .75 cross-entropy baseline', () => {
  const grid = detectionGrid();
  assert.deepEqual(
    grid.map((s) => s.label),
    [DETECTION_BASELINE_LABEL, 'γ=2 α=0.25'],
  );
  const run = (label: number, seed: number, ap: number) => ({
    experiment: 'd',
    setting: grid[label]!,
    seed,
    epochs: 1,
    trainLoss: [1],
    diverged: false,
    seconds: 1,
    validation: { AP: ap },
    test: { AP: ap, AP50: ap, AP75: ap, AR100: ap },
  });
  const experiment: ExperimentResult = {
    id: 'd',
    title: 'd',
    task: 'detection',
    kind: 'detection',
    description: '',
    training: '',
    metrics: { primary: 'AP', names: ['AP'], lowerIsBetter: [] },
    grid,
    seeds: [0, 1],
    runs: [run(0, 0, 0.3), run(1, 0, 0.2), run(0, 1, 0.31), run(1, 1, 0.21)],
    baseline: DETECTION_BASELINE_LABEL,
  };
  const summary = summariseExperiment(experiment);
  assert.equal(summary.verdict?.against, DETECTION_BASELINE_LABEL);
  assert.ok(Math.abs(summary.verdict!.delta + 0.1) < 1e-12);
  assert.ok(summary.settings[0]!.baseline && !summary.settings[1]!.baseline);
  assert.match(summary.verdictText, /the baseline γ=0 α=0.75/);
});

test('--full detection plan: the main experiment at >= 1:400 with Table 1a, 1b and FL*; ablations that change one thing; 5 seeds; --quick keeps the pair', () => {
  const full = resolvePlan({ task: 'detection', mode: 'full', ignore: [], out: 'x', backend: 'wasm' });
  const plan = detectionPlan('full');
  assert.deepEqual(
    plan.map((p) => p.size.id ?? 'main'),
    ['main', 'imbalance-24', 'imbalance-48', 'sgd', 'extremes'],
  );
  assert.deepEqual(full.seeds, [0, 1, 2, 3, 4]);
  assert.deepEqual(
    full.grids[0]!.map((s) => s.label),
    ['γ=0 α=0.25', 'γ=0 α=0.75', 'γ=0 α=0.9', 'γ=1 α=0.25', 'γ=2 α=0.25', 'FL* γ=2 β=1 α=0.25'],
  );
  // The settings that only inflate the multiplicity are ablations, not candidates.
  for (const label of ['γ=0 α=0.99', 'γ=5 α=0.25', 'γ=0 α=0.75 no prior']) assert.ok(!full.grids[0]!.some((s) => s.label === label), label);
  assert.deepEqual(
    full.grids[3]!.map((s) => s.label),
    [DETECTION_BASELINE_LABEL, DETECTION_FOCAL_LABEL, 'γ=0 α=0.75 no prior'],
  );
  assert.deepEqual(
    full.grids[4]!.map((s) => s.label),
    [DETECTION_BASELINE_LABEL, 'γ=0 α=0.99', 'γ=5 α=0.25'],
  );
  // The main experiment's training set is at the paper's imbalance (>= 1:400 negatives per positive anchor).
  const main = plan[0]!.size;
  const targets = detectionTargets(
    generateDetectionScenes({
      size: main.side,
      count: 200,
      source: 'train',
      seed: 1,
      maxDigits: main.maxDigits,
      minSide: main.digitSides![0],
      maxSide: main.digitSides![1],
    }),
    detectionAnchors(main),
    10,
  );
  assert.ok(targets.numNegative / targets.numPositive >= 400, `1:${targets.numNegative / targets.numPositive}`);
  assert.deepEqual(main.learningCurve, [DETECTION_BASELINE_LABEL, DETECTION_FOCAL_LABEL]);
  // Each ablation changes one thing against the main experiment (besides its words and the imbalance-axis mark).
  const changed = (i: number) =>
    Object.keys(plan[i]!.size)
      .filter((k) => !['id', 'axis', 'imbalanceAxis', 'learningCurve'].includes(k))
      .filter((k) => JSON.stringify((plan[i]!.size as never)[k]) !== JSON.stringify((main as never)[k]))
      .sort();
  assert.deepEqual(changed(1), ['side']);
  assert.deepEqual(changed(2), ['side']);
  assert.deepEqual(changed(3), ['learningRate', 'optimizer']);
  assert.deepEqual(changed(4), []);
  assert.deepEqual(
    plan.map((p) => p.size.imbalanceAxis === true),
    [true, true, true, false, false],
  );
  // Ablations on the first seeds only; --seeds caps them.
  assert.deepEqual(
    tasks.detection.plan({ task: 'detection', mode: 'full', ignore: [], out: 'x', backend: 'wasm' }, {}).experiments.map((e) => e.seeds),
    [undefined, [0, 1, 2, 3, 4], [0, 1, 2], [0, 1, 2], [0, 1, 2]],
  );
  assert.deepEqual(
    tasks.detection
      .plan({ task: 'detection', mode: 'full', seeds: 2, ignore: [], out: 'x', backend: 'wasm' }, {})
      .experiments.map((e) => e.seeds),
    [undefined, [0, 1], [0, 1], [0, 1], [0, 1]],
  );
  const quick = resolvePlan({ task: 'detection', mode: 'quick', ignore: [], out: 'x', backend: 'wasm' });
  assert.deepEqual(
    quick.grids[0]!.map((s) => s.label),
    [DETECTION_BASELINE_LABEL, DETECTION_FOCAL_LABEL],
  );
  assert.deepEqual(quick.seeds, [0, 1, 2, 3]);
});

test('FL* and "no prior" settings: FL* loss and bias (p* starts at the prior), bias 0 without the prior; both train and evaluate', async () => {
  await setupBackend('wasm', true);
  const grid = detectionGrid('full');
  const star = grid.find((s) => s.label === 'FL* γ=2 β=1 α=0.25')!;
  const noPrior = detectionPlan('full')
    .flatMap((p) => p.grid)
    .find((s) => s.label === 'γ=0 α=0.75 no prior')!;
  // Loss: FL* over the non-ignored anchors, as sigmoidFocalLossStar.
  const output = tf.tensor3d([
    [
      [0.5, -1, 0, 0, 0, 0],
      [3, 3, 1, 1, 1, 1],
    ],
  ]);
  const target = tf.tensor3d([
    [
      [0, 1, 1, 0, 0, 0, 0, 1],
      [0, 0, 0, 0, 0, 0, 0, 0],
    ],
  ]);
  const loss = detectionLoss(output, target, star, 2).dataSync()[0]!;
  const cls = (
    sigmoidFocalLossStar(tf.tensor2d([[0.5, -1]]), tf.tensor2d([[0, 1]]), { gamma: 2, beta: 1, alpha: 0.25, reduction: 'sum' }) as tf.Scalar
  ).dataSync()[0]!;
  assert.ok(Math.abs(loss - cls) < 1e-5, `${loss} vs ${cls}`);
  tf.dispose([output, target]);
  // Bias: σ(γ b + β) = π for FL*; 0 without the prior.
  const size = detectionSizes('tiny')[0]!;
  const anchors = detectionAnchors(size);
  const starModel = createRetinaNet({
    width: 4,
    levels: 2,
    anchorsPerCell: anchors.anchorsPerCell,
    numClasses: 10,
    prior: PRIOR,
    star: { gamma: 2, beta: 1 },
    seed: 1,
  });
  const b = starModel.variables.at(-3)!.dataSync()[0]!;
  assert.ok(Math.abs(1 / (1 + Math.exp(-(2 * b + 1))) - PRIOR) < 1e-6, `bias ${b}`);
  starModel.dispose();
  const plain = createRetinaNet({ width: 4, levels: 2, anchorsPerCell: anchors.anchorsPerCell, numClasses: 10, prior: null, seed: 1 });
  assert.equal(plain.variables.at(-3)!.dataSync()[0], 0);
  plain.dispose();
  const data = makeDetectionData({ ...size, trainScenes: 8, validationScenes: 4, testScenes: 4 }, 0);
  for (const setting of [star, noPrior]) {
    const record = await runDetection(data, 'detection-32', setting, 0, { ...size, epochs: 1 }, {}, 2);
    assert.ok(record.trainLoss.every(Number.isFinite) && Number.isFinite(record.test.AP!), setting.label);
    assert.equal(record.examples!.boxes!.length, 2);
    // Figure 4 reads σ(x): kept for FL (and CE) models, not for FL*.
    assert.equal(record.curves?.lossCdf === undefined, setting.beta !== undefined);
  }
});

test('"What γ adds" compares against the γ=0 setting with the prior, not the "no prior" one', () => {
  const grid = [...detectionGrid('full'), { gamma: 0, alpha: 0.75, prior: false, label: 'γ=0 α=0.75 no prior' }];
  const runs = grid.flatMap((setting, k) =>
    [0, 1].map((seed) => ({
      experiment: 'd',
      setting,
      seed,
      epochs: 1,
      trainLoss: [1],
      diverged: false,
      seconds: 1,
      validation: { AP: setting.label === 'γ=2 α=0.25' ? 0.5 : 0.1 + k * 0.001 },
      test: { AP: 0.2 + seed * 0.01 },
    })),
  );
  const experiment: ExperimentResult = {
    id: 'd',
    title: 'd',
    task: 'detection',
    kind: 'detection',
    description: '',
    training: '',
    metrics: { primary: 'AP', names: ['AP'], lowerIsBetter: [] },
    grid,
    seeds: [0, 1],
    runs,
    baseline: DETECTION_BASELINE_LABEL,
  };
  const summary = summariseExperiment(experiment);
  assert.equal(summary.selected.label, 'γ=2 α=0.25');
  assert.equal(summary.focalVerdict?.against, 'γ=0 α=0.25');
  assert.match(summary.verdictText, /With 2 seeds this is a preview, not a test: .*; run --seeds 3 or more/);
});
