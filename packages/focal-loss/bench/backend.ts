/** The benchmarks' backend switch (Node and the bundled browser page). */
import * as tf from '@tensorflow/tfjs';

/**
 * Switches tfjs to the backend `name` and fails unless it is the one running. tf.setBackend
 * answers a backend that fails to initialise with `false` and a console warning, and the
 * next op then runs on the best remaining backend: a row labelled wasm would time cpu.
 */
export async function useBackend(name: string): Promise<void> {
  if (tf.findBackendFactory(name) == null) {
    throw new Error(`useBackend: no backend '${name}' is registered (import its package, e.g. @tensorflow/tfjs-backend-wasm)`);
  }
  if (!(await tf.setBackend(name))) throw new Error(`useBackend: backend '${name}' failed to initialise`);
  await tf.ready();
  if (tf.getBackend() !== name) throw new Error(`useBackend: asked for backend '${name}', running on '${tf.getBackend()}'`);
}
