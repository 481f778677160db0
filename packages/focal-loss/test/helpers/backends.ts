/** The TF.js backends the Node tests run on: cpu and wasm. */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

export const NODE_BACKENDS = ['cpu', 'wasm'] as const;

export async function useBackend(name: string): Promise<typeof tf> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`backend ${name} failed to initialise`);
  await tf.ready();
  return tf;
}

/** Runs fn and fails if it leaves tensors behind. */
export function assertNoLeak<T>(fn: () => T, what = 'op'): T {
  const before = tf.memory().numTensors;
  const result = fn();
  const after = tf.memory().numTensors;
  if (after !== before) throw new Error(`${what} leaked ${after - before} tensors`);
  return result;
}

export { tf };
