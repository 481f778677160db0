/** Browser side of `bench --browser`: one cell on webgl or webgpu per call. Bundled by the harness. */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { useBackend } from '../test/helpers/use_backend.js';
import { sigmoidData, softmaxData } from './data.js';
import type { Implementation } from './implementations.js';
import type { CellResult } from './measure.js';
import { runTfCell } from './tf_cell.js';

async function runBrowserCell(
  backend: string,
  loss: 'sigmoid' | 'softmax',
  n: number,
  implementation: Implementation,
): Promise<CellResult> {
  if (tf.getBackend() !== backend) await useBackend(backend);
  const data = loss === 'sigmoid' ? sigmoidData(n) : softmaxData(n);
  return runTfCell(tf, data, implementation);
}

(globalThis as unknown as { runBrowserCell: typeof runBrowserCell }).runBrowserCell = runBrowserCell;
