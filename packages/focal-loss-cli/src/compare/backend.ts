/** The tfjs backend of a comparison, set up the same way in the main thread and in every worker thread. */
import '../tfjs_quiet.js';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

/** Selects the tfjs backend (wasm is the faster one for these models on CPU) and registers fast conv kernels if asked. */
export async function setupBackend(backend: 'cpu' | 'wasm', withConv: boolean): Promise<void> {
  if (withConv) {
    const { registerFastConvKernels } = await import('tfjs-fast-conv');
    registerFastConvKernels();
  }
  if (!(await tf.setBackend(backend))) throw new Error(`could not initialise the ${backend} backend`);
  await tf.ready();
}
