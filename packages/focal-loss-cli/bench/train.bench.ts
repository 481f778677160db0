/**
 * Training speed of compare's RetinaNet: ms per step (forward, loss, backward and the Adam
 * update of one batch of 16) on the wasm backend set up as `compare` sets it up, on compare's
 * own MNIST detection scenes and targets, through compare's own training loop (`trainModel`).
 *
 *   npm run bench:train -w focal-loss-cli -- --side 32|40|96 [--json] [--profile] [--warmup N] [--steps N]
 *
 * 32: the `--quick` detection size (6 anchors per cell: scales 1, 2^(1/3), 2^(2/3) × aspect
 * ratios 1, 2); 40: `--full`'s main experiment; 96: 96×96 with 9 anchors per cell (bench/sizes.ts). Loss:
 * γ 2 α .25 with the prior. 5 warm-up steps, then 30 timed steps; a step is timed from one
 * `makeBatch` call of `trainModel` to the next (batch tensors, `optimizer.minimize`, reading
 * the cost, disposing). The LAST line is JSON (with --json, the only line on stdout): {"side","anchorsPerCell","batch","params","stepMs"}
 * with stepMs the median. `--profile` adds tf.profile's top kernels by time over 10 more steps.
 * bench/retinanet_twin.py is the same model in PyTorch; train_compare.bench.ts runs both.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { PRIOR } from 'tfjs-retinanet';
import { setupBackend } from '../src/compare/backend.js';
import { detectionGrid } from '../src/compare/config.js';
import { benchSize } from './sizes.js';
import { detectionTraining, makeDetectionData } from '../src/compare/tasks/detection.js';
import { trainModel } from '../src/compare/train.js';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
};
const side = Number(arg('--side', '32'));
const warmup = Number(arg('--warmup', '5'));
const timed = Number(arg('--steps', '30'));
const json = argv.includes('--json');
const profile = argv.includes('--profile');

const sizeOf = benchSize;

/** Thrown by makeBatch to stop trainModel once the wanted steps have run. */
class Enough extends Error {}

const size = sizeOf(side);
const setting = detectionGrid('quick').find((s) => s.label === 'γ=2 α=0.25')!;
await setupBackend('wasm', true);
if (tf.getBackend() !== 'wasm') throw new Error(`the backend is ${tf.getBackend()}, not wasm`);
const wasmThreads = getThreadsCount();

// compare's data of seed 0 (validation and test scenes are not used here: a few only).
const seed = 0;
const data = makeDetectionData({ ...size, validationScenes: 4, testScenes: 4 }, seed);
const { train, anchors, targets } = data;
const positiveRate = targets.numPositive / (train.count * anchors.count);
const ignoredRate = targets.numIgnored / (train.count * anchors.count);

// The model and its training exactly as runDetection sets them up (seed, prior, batches, loss).
const { model, options } = detectionTraining(data, setting, seed, size);
const params = model.variables.reduce((s, v) => s + v.size, 0);
const batchesPerEpoch = Math.ceil(train.count / size.batchSize);

/** Runs `steps` training steps through trainModel; returns the time of each step in ms. */
async function trainSteps(steps: number): Promise<number[]> {
  const marks: number[] = [];
  try {
    await trainModel(model, {
      ...options,
      epochs: Math.ceil((steps + 1) / batchesPerEpoch),
      makeBatch: (indices) => {
        marks.push(performance.now());
        if (marks.length > steps) throw new Enough();
        return options.makeBatch(indices);
      },
    });
  } catch (e) {
    if (!(e instanceof Enough)) throw e;
  }
  return marks.slice(1).map((t, i) => t - marks[i]!);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const times = (await trainSteps(warmup + timed)).slice(warmup);
const stepMs = median(times);
const tensorsAfter = tf.memory().numTensors;

let profileLines: string[] = [];
if (profile) {
  const steps = 10;
  const info = await tf.profile(() => trainSteps(steps));
  const byName = new Map<string, { ms: number; calls: number }>();
  for (const k of info.kernels) {
    const e = byName.get(k.name) ?? { ms: 0, calls: 0 };
    e.ms += Number(k.kernelTimeMs) || 0;
    e.calls++;
    byName.set(k.name, e);
  }
  const total = [...byName.values()].reduce((s, e) => s + e.ms, 0);
  profileLines = [
    `tf.profile over ${steps} steps: ${(total / steps).toFixed(1)} ms/step in kernels (${info.kernels.length / steps} kernel calls/step)`,
    ...[...byName.entries()]
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, 15)
      .map(
        ([name, e]) =>
          `  ${name.padEnd(28)} ${(e.ms / steps).toFixed(2).padStart(8)} ms/step ${((100 * e.ms) / total).toFixed(1).padStart(5)}%  ${(e.calls / steps).toFixed(0).padStart(4)} calls/step`,
      ),
  ];
}
model.dispose();

// --json: the human lines go to stderr, stdout is the JSON line only.
const say = json ? console.error : console.log;
const sorted = [...times].sort((a, b) => a - b);
say(
  `tfjs ${tf.getBackend()} (${wasmThreads} thread${wasmThreads > 1 ? 's' : ''}${tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? ', SIMD' : ''}) RetinaNet ${side}x${side}, ${anchors.anchorsPerCell} anchors/cell (${anchors.count} anchors/image), batch ${size.batchSize}, ` +
    `${params} params, Adam ${size.learningRate}, γ ${setting.gamma} α ${setting.alpha} prior ${PRIOR}; positives ${(100 * positiveRate).toFixed(2)}% ignored ${(100 * ignoredRate).toFixed(2)}% of anchors; ` +
    `${timed} steps after ${warmup} warm-up: median ${stepMs.toFixed(1)} ms/step (min ${sorted[0]!.toFixed(1)}, max ${sorted[sorted.length - 1]!.toFixed(1)}); ${tensorsAfter} tensors after`,
);
for (const line of profileLines) say(line);
const result = { side, anchorsPerCell: anchors.anchorsPerCell, batch: size.batchSize, params, stepMs: Number(stepMs.toFixed(2)) };
console.log(JSON.stringify(result));
