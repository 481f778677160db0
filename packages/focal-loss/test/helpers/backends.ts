/** The TF.js backends the Node tests run on: cpu and wasm. */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

export { useBackend } from './use_backend.js';

export const NODE_BACKENDS = ['cpu', 'wasm'] as const;

/** Runs fn and fails if it leaves tensors behind. */
export function assertNoLeak<T>(fn: () => T, what = 'op'): T {
  const before = tf.memory().numTensors;
  const result = fn();
  const after = tf.memory().numTensors;
  if (after !== before) throw new Error(`${what} leaked ${after - before} tensors`);
  return result;
}

export { tf };
