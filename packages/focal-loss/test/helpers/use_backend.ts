/**
 * The one backend switch of the tests, the benchmarks and the browser pages: switches tfjs to
 * the backend `name` and fails unless it is the one running. tf.setBackend answers a backend
 * that fails to initialise with `false` and a console warning, and the next op then runs on
 * the best remaining backend: a test or a table row labelled wasm would run on cpu.
 * Imports only @tensorflow/tfjs, so browser pages can bundle it (bench/backend.test.ts
 * checks it).
 */
import * as tf from '@tensorflow/tfjs';

export async function useBackend(name: string): Promise<void> {
  if (tf.findBackendFactory(name) == null) {
    throw new Error(`useBackend: no backend '${name}' is registered (import its package, e.g. @tensorflow/tfjs-backend-wasm)`);
  }
  if (!(await tf.setBackend(name))) throw new Error(`useBackend: backend '${name}' failed to initialise`);
  await tf.ready();
  if (tf.getBackend() !== name) throw new Error(`useBackend: asked for backend '${name}', running on '${tf.getBackend()}'`);
}
