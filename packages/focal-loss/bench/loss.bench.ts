/**
 * Focal-loss benchmark: forward + backward (mean loss and d loss / d logits) of the sigmoid
 * and softmax focal losses at 10^4 ... 10^7 elements.
 *
 *   npm run bench -w focal-loss                 full run, 10^4 .. 10^7 (cpu, wasm)
 *   npm run bench -w focal-loss -- --quick      10^4 .. 10^6
 *   npm run bench -w focal-loss -- --browser    adds webgl and webgpu in Chromium (SwiftShader)
 *   ... --browser --skip-node                   only the browser backends (the JS floor still runs)
 *
 * Columns: elements/s (median after a warm-up), speed-up over the hand-written composite on
 * the same backend, speed relative to the plain JS loop (the scalar floor), peak bytes TF.js
 * allocated during the step beyond what was live before (tf.profile), and the loss's relative
 * error against a float64 sum (src/core). torchvision.ops.sigmoid_focal_loss is added when
 * `python3 -c "import torch, torchvision"` works, pinned to 1 thread, PyTorch's default thread
 * count and every core (rows labelled with the thread count). The fused rows take the
 * WebAssembly SIMD path (docs/speed-and-memory.md, SIMD kernels); fused-js forces it off,
 * fused-fwd is forward only, and the simd-kernel / mem-pass rows time the SIMD kernel without
 * TF.js and a plain read-8-bytes-write-4 pass (bench/simd_cells.ts; targets: bench/simd_targets.ts); at 10^6 the
 * SIMD-vs-floor ratios are also measured interleaved, robust to a shared machine's load
 * (bench/simd_interleaved.ts); fused-js-fwd is the JS path forward only. A last table times
 * the softmax op on segmentation shapes, class axis 1 and last (bench/layout_cells.ts).
 * Writes <repo>/bench/results/latest.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { sigmoidFocalLossInto, softmaxFocalLossInto } from '../src/core/index.js';
import { useBackend } from '../test/helpers/use_backend.js';
import { runBrowserCells } from './browser_cells.js';
import { ALPHA, type BenchData, GAMMA, sigmoidData, softmaxData } from './data.js';
import { sigmoidFloor, softmaxFloor } from './js_floor.js';
import { type CellResult, timeCell } from './measure.js';
import { type Loss, type Row, fillRatios, makeRow } from './row.js';
import { formatCount, markdownTable } from './table.js';
import { checkTargets, formatTarget } from './targets.js';
import { forwardOnlyCell, fusedCell, memoryPassCell, simdKernelCell } from './simd_cells.js';
import { checkSimdTargets } from './simd_targets.js';
import { type Interleaved, interleavedTargets, measureInterleaved } from './simd_interleaved.js';
import { simdSupported } from '../src/kernels/simd/index.js';
import { layoutTable, runLayoutCells } from './layout_cells.js';
import { runTfCell } from './tf_cell.js';
import { findTorchPython, torchvisionCells } from './torchvision.js';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const browser = args.has('--browser');
const skipNode = browser && args.has('--skip-node');
const SIZES = quick ? [1e4, 1e5, 1e6] : [1e4, 1e5, 1e6, 1e7];
const LOSSES: Loss[] = ['sigmoid', 'softmax'];
const NODE_BACKENDS = skipNode ? [] : ['cpu', 'wasm'];
const RESULTS_DIR = fileURLToPath(new URL('../../../bench/results/', import.meta.url));

function dataOf(loss: Loss, n: number): BenchData {
  return loss === 'sigmoid' ? sigmoidData(n) : softmaxData(n);
}

/** The exact mean loss of the benchmark data, accumulated in float64 by src/core. */
function float64Loss(data: BenchData): number {
  const grad = new Float64Array(data.logits.length);
  if (data.kind === 'sigmoid') {
    const options = { mode: 'focal' as const, alpha: ALPHA, gamma: GAMMA, beta: 0, labelSmoothing: 0, reduction: 'mean' as const };
    return sigmoidFocalLossInto(data.logits, data.targets, null, options, null, grad);
  }
  const [rows, classes] = data.shape;
  const options = { alpha: new Array<number>(classes).fill(ALPHA), gamma: GAMMA, ignoreIndex: null, reduction: 'mean' as const };
  return softmaxFocalLossInto(data.logits, data.labels, null, { outer: rows, classes, inner: 1 }, options, null, grad).loss;
}

async function jsFloorCell(data: BenchData): Promise<CellResult> {
  const n = data.logits.length;
  const once = async (): Promise<number> => {
    const grad = new Float32Array(n);
    return data.kind === 'sigmoid' ? sigmoidFloor(data, grad) : softmaxFloor(data, grad);
  };
  return { ...(await timeCell(once, () => performance.now())), peakExtraBytes: 4 * n };
}

async function main(): Promise<void> {
  const started = new Date();
  const rows: Row[] = [];
  const notes: string[] = [];
  const torchPython = skipNode ? null : findTorchPython();
  if (!simdSupported()) notes.push('SIMD rows skipped: this engine has no WebAssembly SIMD');
  if (torchPython === null && !skipNode) {
    notes.push('torchvision row skipped: `python3 -c "import torch, torchvision"` fails (apt-get install -y python3-torchvision)');
  }
  const exact = new Map<string, number>();
  const datas = new Map<string, BenchData>();
  const cells: Array<{ loss: Loss; n: number }> = [];
  const interleaved: Interleaved[] = [];
  for (const loss of LOSSES) {
    for (const n of SIZES) {
      const data = dataOf(loss, n);
      const key = `${loss}:${n}`;
      const reference = float64Loss(data);
      exact.set(key, reference);
      if (browser) datas.set(key, data);
      cells.push({ loss, n });
      rows.push(makeRow(loss, data, 'js', 'js-floor', await jsFloorCell(data), reference, 'peak = its gradient array'));
      if (!skipNode) {
        const kernel = await simdKernelCell(data);
        if (kernel !== null) rows.push(makeRow(loss, data, 'js', 'simd-kernel', kernel, reference, 'peak = its gradient array'));
        if (data.kind === 'sigmoid') rows.push(makeRow(loss, data, 'js', 'mem-pass', await memoryPassCell(data, reference), reference));
      }
      if (!skipNode && n === 1e6 && simdSupported()) {
        await useBackend('cpu');
        interleaved.push(measureInterleaved(tf, data));
      }
      for (const backend of NODE_BACKENDS) {
        await useBackend(backend);
        if (simdSupported()) {
          rows.push(makeRow(loss, data, backend, 'fused', await fusedCell(tf, data, true), reference));
          rows.push(makeRow(loss, data, backend, 'fused-js', await fusedCell(tf, data, false), reference));
          rows.push(makeRow(loss, data, backend, 'fused-fwd', await forwardOnlyCell(tf, data, true), reference, 'forward only'));
          rows.push(makeRow(loss, data, backend, 'fused-js-fwd', await forwardOnlyCell(tf, data, false), reference, 'forward only'));
        } else {
          rows.push(makeRow(loss, data, backend, 'fused', await runTfCell(tf, data, 'fused'), reference, 'no WebAssembly SIMD: JS path'));
        }
        rows.push(makeRow(loss, data, backend, 'composite', await runTfCell(tf, data, 'composite'), reference));
      }
      if (data.kind === 'sigmoid' && torchPython !== null) {
        try {
          for (const cell of torchvisionCells(torchPython, data)) {
            const label = `torch cpu (${cell.threads} thread${cell.threads === 1 ? '' : 's'}${cell.threads === cell.defaultThreads ? ', default' : ''}${cell.threads === cpus().length ? ', all cores' : ''})`;
            rows.push(makeRow(loss, data, label, 'torchvision', cell, reference));
          }
        } catch (error) {
          notes.push(`torchvision at ${formatCount(n)}: ${(error as Error).message.split('\n')[0]}`);
        }
      }
      console.log(`${loss} ${formatCount(n)} done`);
    }
  }
  const layouts = simdSupported() ? await runLayoutCells(tf, NODE_BACKENDS, useBackend) : [];
  if (browser) rows.push(...(await runBrowserCells(cells, datas, exact)));
  fillRatios(rows);
  const table = markdownTable(rows);
  const targets = [...checkTargets(rows, LOSSES), ...checkSimdTargets(rows, LOSSES), ...interleavedTargets(interleaved)];
  console.log(`\n${table}\n`);
  for (const line of targets) console.log(formatTarget(line));
  if (layouts.length > 0) console.log(`\nSoftmax focal loss, segmentation shapes (forward + backward):\n\n${layoutTable(layouts)}\n`);
  for (const note of notes) console.log(`note: ${note}`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
  const mode = quick ? 'quick' : 'full';
  const result = {
    started: started.toISOString(),
    finished: new Date().toISOString(),
    mode,
    browser,
    machine,
    tfjs: tf.version.tfjs,
    rows,
    interleaved,
    layouts,
    targets,
    notes,
    table,
  };
  writeFileSync(join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${join(RESULTS_DIR, 'latest.json')}`);
}

await main();
