/**
 * Convolution kernels: the fast ones (src/) against tfjs-backend-cpu's own, side
 * by side in one run, for conv layers typical of the demos (batch 16). A second table
 * does the same on the wasm backend: its native forward and input gradient against the
 * fast gradients (forward convolutions in wasm's own XNNPACK Conv2D; wasm has no weight
 * gradient of its own).
 *
 *   node --import tsx packages/focal-loss-cli/bench/conv.bench.ts [--quick]
 *
 * Prints markdown tables and writes bench/results/conv.json at the repository root.
 * Kernel times are medians of repeated runs after one warm-up (tfjs's own kernels too: 3
 * repeats or more); "step" is forward + input gradient +
 * weight gradient. A second table times whole `trainOnBatch` steps of a small
 * tf.layers conv net (the demos' shape of model).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerFastConvKernels, unregisterFastConvKernels } from '../src/index.js';
import { useBackend } from '../test/helpers.js';

const quick = process.argv.includes('--quick');

interface Layer {
  name: string;
  xShape: [number, number, number, number];
  filterShape: [number, number, number, number];
  stride: number;
}

const LAYERS: Layer[] = [
  { name: '32×32×16→32 3×3 s1', xShape: [16, 32, 32, 16], filterShape: [3, 3, 16, 32], stride: 1 },
  { name: '16×16×32→32 3×3 s1', xShape: [16, 16, 16, 32], filterShape: [3, 3, 32, 32], stride: 1 },
  { name: '64×64×1→16 3×3 s2', xShape: [16, 64, 64, 1], filterShape: [3, 3, 1, 16], stride: 2 },
];

type Pass = 'forward' | 'inputGrad' | 'weightGrad';
const PASSES: Pass[] = ['forward', 'inputGrad', 'weightGrad'];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs one kernel straight through the engine and waits for its values. */
function runPass(pass: Pass, l: Layer, x: tf.Tensor, w: tf.Tensor, dy: tf.Tensor): void {
  const attrs = { strides: l.stride, pad: 'same', dataFormat: 'NHWC', dilations: 1 };
  let out: tf.Tensor;
  if (pass === 'forward') {
    out = tf.engine().runKernel(tf.Conv2D, { x, filter: w }, attrs) as tf.Tensor;
  } else if (pass === 'inputGrad') {
    out = tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter: w }, { ...attrs, inputShape: l.xShape }) as tf.Tensor;
  } else {
    out = tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, { ...attrs, filterShape: l.filterShape }) as tf.Tensor;
  }
  out.dataSync();
  out.dispose();
}

/** Median milliseconds of `repeats` runs after one warm-up run. */
function time(pass: Pass, l: Layer, x: tf.Tensor, w: tf.Tensor, dy: tf.Tensor, repeats: number): number {
  runPass(pass, l, x, w, dy);
  const ms: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    runPass(pass, l, x, w, dy);
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

function multiplyAdds(l: Layer): number {
  const [b, h, w] = l.xShape;
  const [fh, fw, ci, co] = l.filterShape;
  return b * Math.ceil(h / l.stride) * Math.ceil(w / l.stride) * fh * fw * ci * co;
}

type Times = Record<Pass, number>;

/** Times the passes (all three by default) on the current backend and kernel registry. */
function measure(l: Layer, repeats: Times, passes: Pass[] = PASSES): Times {
  return tf.tidy(() => {
    const x = tf.randomUniform(l.xShape, -1, 1, 'float32', 1);
    const w = tf.randomUniform(l.filterShape, -1, 1, 'float32', 2);
    const [b, h, wd] = l.xShape;
    const dy = tf.randomUniform([b, Math.ceil(h / l.stride), Math.ceil(wd / l.stride), l.filterShape[3]], -1, 1, 'float32', 3);
    const t = {} as Times;
    for (const p of passes) t[p] = time(p, l, x, w, dy, repeats[p]);
    return t;
  });
}

const fmtMs = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const fmtRate = (madds: number, ms: number) => `${(madds / ms / 1e6).toFixed(2)} G`;

/** A small segmentation-style conv net: 32×32×3 in, 16×16×1 logits out. */
function demoModel(): tf.LayersModel {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [32, 32, 3],
        filters: 16,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(1),
      }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(2) }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(3) }),
      tf.layers.conv2d({ filters: 1, kernelSize: 1, kernelInitializer: init(4) }),
    ],
  });
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  return model;
}

/** Median ms of `repeats` trainOnBatch steps at batch 16, after a warm-up step at batch 2. */
async function timeTrainStep(repeats: number): Promise<number> {
  const model = demoModel();
  const xs = tf.randomUniform([16, 32, 32, 3], -1, 1, 'float32', 4);
  const ys = tf.randomUniform([16, 16, 16, 1], -1, 1, 'float32', 5);
  const xw = xs.slice(0, 2);
  const yw = ys.slice(0, 2);
  await model.trainOnBatch(xw, yw);
  const ms: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await model.trainOnBatch(xs, ys);
    ms.push(performance.now() - t0);
  }
  tf.dispose([xs, ys, xw, yw]);
  model.dispose();
  return median(ms);
}

async function main(): Promise<void> {
  const fastRepeats: Times = quick ? { forward: 3, inputGrad: 3, weightGrad: 3 } : { forward: 7, inputGrad: 7, weightGrad: 7 };
  // tfjs-cpu's own weight gradient takes ~5-10 s per call on the larger layers: 3 timed
  // repeats (median) after the warm-up keep the quick run near 2 minutes.
  const originalRepeats: Times = quick ? { forward: 3, inputGrad: 3, weightGrad: 3 } : { forward: 5, inputGrad: 5, weightGrad: 3 };
  const originalTrainRepeats = 3;

  const rows: Record<string, unknown>[] = [];
  const lines: string[] = [
    '| layer (batch 16) | pass | tfjs cpu ms | fast cpu ms | speed-up | tfjs cpu madd/s | fast cpu madd/s | wasm + fast dW ms |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  const wasmLines: string[] = [
    '| layer (batch 16) | pass | tfjs wasm ms | fast wasm ms | speed-up | fast wasm madd/s |',
    '|---|---|---:|---:|---:|---:|',
  ];
  for (const l of LAYERS) {
    const madds = multiplyAdds(l);
    await useBackend('wasm');
    const wasmNative = measure(l, fastRepeats, ['forward', 'inputGrad']);
    await useBackend('cpu');
    const original = measure(l, originalRepeats);
    registerFastConvKernels();
    let fast: Times;
    let wasm: Times;
    try {
      fast = measure(l, fastRepeats);
      await useBackend('wasm');
      wasm = measure(l, fastRepeats);
    } finally {
      unregisterFastConvKernels();
    }
    const step = (t: Times) => t.forward + t.inputGrad + t.weightGrad;
    for (const p of [...PASSES, 'step'] as const) {
      const o = p === 'step' ? step(original) : original[p];
      const f = p === 'step' ? step(fast) : fast[p];
      const wz = p === 'step' ? step(wasm) : wasm[p];
      const n = p === 'step' ? 3 * madds : madds;
      lines.push(
        `| ${l.name} | ${p} | ${fmtMs(o)} | ${fmtMs(f)} | ${(o / f).toFixed(1)}× | ${fmtRate(n, o)} | ${fmtRate(n, f)} | ${fmtMs(wz)} |`,
      );
      const native = p === 'weightGrad' || p === 'step' ? undefined : wasmNative[p];
      wasmLines.push(
        `| ${l.name} | ${p} | ${native === undefined ? 'none' : fmtMs(native)} | ${fmtMs(wz)} | ${native === undefined ? '' : `${(native / wz).toFixed(1)}×`} | ${fmtRate(n, wz)} |`,
      );
      rows.push({
        layer: l.name,
        xShape: l.xShape,
        filterShape: l.filterShape,
        stride: l.stride,
        pass: p,
        multiplyAdds: n,
        tfjsCpuMs: o,
        fastCpuMs: f,
        speedup: o / f,
        tfjsCpuMaddPerSec: (n / o) * 1e3,
        fastCpuMaddPerSec: (n / f) * 1e3,
        wasmWithFastWeightGradMs: wz,
        tfjsWasmMs: native ?? null,
      });
    }
  }
  console.log(lines.join('\n'));
  console.log(['', ...wasmLines].join('\n'));

  await useBackend('cpu');
  const stepOriginal = await timeTrainStep(originalTrainRepeats);
  registerFastConvKernels();
  let stepFast: number;
  let stepWasm: number;
  try {
    stepFast = await timeTrainStep(quick ? 3 : 5);
    await useBackend('wasm');
    stepWasm = await timeTrainStep(quick ? 3 : 5);
  } finally {
    unregisterFastConvKernels();
  }
  const trainStep = {
    model: '32×32×3 → conv16 3×3 relu → conv32 3×3 s2 relu → conv32 3×3 relu → conv1 1×1; MSE; sgd; batch 16',
    tfjsCpuMs: stepOriginal,
    fastCpuMs: stepFast,
    speedup: stepOriginal / stepFast,
    wasmWithFastWeightGradMs: stepWasm,
  };
  console.log(
    [
      '',
      '| tf.layers trainOnBatch (batch 16) | tfjs cpu ms | fast cpu ms | speed-up | wasm + fast dW ms |',
      '|---|---:|---:|---:|---:|',
      `| ${trainStep.model} | ${fmtMs(stepOriginal)} | ${fmtMs(stepFast)} | ${trainStep.speedup.toFixed(1)}× | ${fmtMs(stepWasm)} |`,
    ].join('\n'),
  );

  const resultsDir = fileURLToPath(new URL('../../../bench/results/', import.meta.url));
  mkdirSync(resultsDir, { recursive: true });
  const file = `${resultsDir}conv.json`;
  const report = {
    benchmark: 'conv',
    date: new Date().toISOString(),
    quick,
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    tfjs: tf.version.tfjs,
    repeats: { fast: fastRepeats, tfjsCpu: originalRepeats, trainStepTfjsCpu: originalTrainRepeats, trainStepFast: quick ? 3 : 5 },
    note: 'median ms after one warm-up; step = forward + inputGrad + weightGrad; padding same; wasm columns: native forward, fast inputGrad and weightGrad (tfjsWasmMs: wasm without the fast kernels; it has no weightGrad)',
    rows,
    trainStep,
  };
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote ${file}`);
}

await main();
