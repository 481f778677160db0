/**
 * Learning curve of compare's RetinaNet: test COCO AP against training steps, to pick a
 * schedule that reaches a plateau (the last doubling of the steps adds < 10 % AP). One setting,
 * one seed per process; run the two settings in two processes to use both cores:
 *
 *   node --import tsx packages/focal-loss-cli/bench/learning-curve.bench.ts --setting ce|fl [--side 40|32|96]
 *       [--train-scenes N] [--test-scenes N] [--epochs N] [--seed N] [--batch N] [--lr X]
 *       [--canvas SIDE] [--digit-sides MIN,MAX] [--steps-schedule]
 *
 * The model, data, targets, loss and optimiser are compare's (`detectionTraining`,
 * `makeDetectionData`, `trainModel`); the size is one of bench/sizes.ts (40: `--full`'s main
 * experiment), changed by the options given. Adam's rate is constant unless
 * `--steps-schedule` (÷10 at 2/3 and 8/9 of the run), so that the model after e epochs is that
 * of an e-epoch run: test AP is measured after epochs 1, 2, 4, 8, … and after the last one.
 * Writes bench/results/learning-curve-<canvas side>-<setting>.json; the last line printed is its JSON.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { cocoMetrics, detectScenes } from 'tfjs-retinanet';
import { setupBackend } from '../src/compare/backend.js';
import { type DetectionSize, detectionGrid } from '../src/compare/config.js';
import { benchSize } from './sizes.js';
import { scenesToCoco, DIGIT_CLASSES } from '../src/data/detection_scenes.js';
import { detectionTraining, makeDetectionData } from '../src/compare/tasks/detection.js';
import { trainModel } from '../src/compare/train.js';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
};
const settingName = arg('--setting', 'ce');
const side = Number(arg('--side', '40'));
const seed = Number(arg('--seed', '0'));

const labels: Record<string, string> = { ce: 'γ=0 α=0.75', fl: 'γ=2 α=0.25' };
const setting = detectionGrid('quick').find((s) => s.label === labels[settingName]);
if (!setting) throw new Error(`--setting must be ce or fl, not ${settingName}`);
const base = benchSize(side);
const size: DetectionSize = {
  ...base,
  trainScenes: Number(arg('--train-scenes', String(base.trainScenes))),
  testScenes: Number(arg('--test-scenes', String(side === 40 ? base.testScenes : 300))),
  validationScenes: 8,
  epochs: Number(arg('--epochs', '32')),
  batchSize: Number(arg('--batch', String(base.batchSize))),
  learningRate: Number(arg('--lr', String(base.learningRate))),
  ...(argv.includes('--canvas') ? { side: Number(arg('--canvas', String(side))) } : {}),
  ...(argv.includes('--digit-sides') ? { digitSides: arg('--digit-sides', '8,14').split(',').map(Number) as [number, number] } : {}),
};

await setupBackend('wasm', true);
if (tf.getBackend() !== 'wasm') throw new Error(`the backend is ${tf.getBackend()}, not wasm`);
const data = makeDetectionData(size, seed);
const { model, options } = detectionTraining(data, setting, seed, size);
const stepsPerEpoch = Math.ceil(data.train.count / size.batchSize);
const imbalance = Math.round(data.targets.numNegative / Math.max(1, data.targets.numPositive));
const gt = scenesToCoco(data.test);
const points: { epoch: number; steps: number; trainLoss: number; AP: number; AP50: number; seconds: number }[] = [];
const started = performance.now();
const evaluateAt = (epoch: number) => (epoch & (epoch - 1)) === 0 || epoch === size.epochs;

console.error(
  `learning curve: ${settingName} (${setting.label}), ${size.side}x${size.side}, ${data.anchors.anchorsPerCell} anchors/cell, 1:${imbalance} positive : negative anchors, ` +
    `${size.trainScenes} train / ${size.testScenes} test scenes, ${stepsPerEpoch} steps per epoch, ${size.epochs} epochs, seed ${seed}`,
);
try {
  await trainModel(model, {
    ...options,
    adamSchedule: argv.includes('--steps-schedule') ? 'steps' : 'constant',
    epochs: size.epochs,
    onEpoch: (r) => {
      if (!evaluateAt(r.epoch)) return;
      const m = cocoMetrics(gt, detectScenes(model, data.test, data.anchors, DIGIT_CLASSES));
      const point = {
        epoch: r.epoch,
        steps: r.epoch * stepsPerEpoch,
        trainLoss: r.loss,
        AP: m.AP,
        AP50: m.AP50,
        seconds: (performance.now() - started) / 1000,
      };
      points.push(point);
      console.error(
        `epoch ${point.epoch} (${point.steps} steps): loss ${point.trainLoss.toFixed(3)}, test AP ${point.AP.toFixed(4)}, AP50 ${point.AP50.toFixed(4)} (${point.seconds.toFixed(0)} s)`,
      );
    },
  });
} finally {
  model.dispose();
}

const report = {
  benchmark: 'learning-curve',
  date: new Date().toISOString(),
  side: size.side,
  anchorsPerCell: data.anchors.anchorsPerCell,
  imbalance: `1:${imbalance}`,
  setting: setting.label,
  seed,
  trainScenes: size.trainScenes,
  testScenes: size.testScenes,
  batch: size.batchSize,
  learningRate: size.learningRate,
  schedule: argv.includes('--steps-schedule') ? 'steps' : 'constant',
  digitSides: size.digitSides ?? null,
  command: `node --import tsx packages/focal-loss-cli/bench/learning-curve.bench.ts ${argv.join(' ')}`,
  points,
};
const dir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}learning-curve-${size.side}-${settingName}.json`, `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(report));
