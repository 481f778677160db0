import { getBackend } from '@tensorflow/tfjs-core';

/**
 * Backends that keep tensor data in CPU memory (tfjs-node's is 'tensorflow'): reading values
 * there is cheap, so labels, targets and tensor normalizers are validated. On a GPU backend
 * reading them back would stall the pipeline, so they are not.
 */
const CPU_BACKENDS: readonly string[] = ['cpu', 'wasm', 'tensorflow'];

/** Whether the active backend keeps its data on the CPU (see CPU_BACKENDS). */
export function dataOnCpu(): boolean {
  return CPU_BACKENDS.includes(getBackend());
}
