/**
 * A backend for testing the composite path through the public ops, as a backend without
 * fused focal kernels runs it: tfjs-backend-cpu under another name, with every kernel but the
 * focal ones. Its name is not among the backends whose data is on the CPU
 * (src/kernels/cpu_backends.ts), so nothing is read back to be validated: the composite then
 * behaves as it does on a GPU backend without fused kernels.
 */
import { tf } from './backends.js';
import { useBackend } from './use_backend.js';
import '../../src/index.js';

export const COMPOSITE_BACKEND = 'composite-test';

let registered = false;

export async function useCompositeBackend(): Promise<void> {
  if (!registered) {
    registered = true;
    const cpuFactory = tf.findBackendFactory('cpu');
    if (cpuFactory === null) throw new Error('the cpu backend is not registered');
    // The focal kernels are registered when src/index.js is imported (above), so they are skipped.
    for (const kernel of tf.getKernelsForBackend('cpu')) {
      if (!kernel.kernelName.startsWith('FocalLoss')) tf.registerKernel({ ...kernel, backendName: COMPOSITE_BACKEND });
    }
    tf.registerBackend(COMPOSITE_BACKEND, cpuFactory);
  }
  await useBackend(COMPOSITE_BACKEND);
}
