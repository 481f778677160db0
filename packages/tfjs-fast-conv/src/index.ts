/**
 * Fast convolution training kernels for TF.js in Node.
 *
 * tfjs-backend-cpu's convolution gradients run at a few million multiply-adds per
 * second, and tfjs-backend-wasm has no Conv2DBackpropFilter at all, so neither can
 * train a conv net of useful size. {@link registerFastConvKernels} swaps in kernels
 * written as blocked typed-array loops; models and ops are used unchanged.
 *
 * @module tfjs-fast-conv
 */
import * as tf from '@tensorflow/tfjs-core';
import { CPU_KERNEL_NAMES, cpuKernelConfigs } from './cpu_kernels.js';
import { wasmMaxPoolGradConfig } from './max_pool_grad.js';
import { wasmKernelConfigs } from './wasm_kernels.js';

export type { ConvGeometry } from './conv2d_math.js';
export { conv2dBackpropFilter, conv2dBackpropInput, conv2dForward } from './conv2d_math.js';

interface Replaced {
  kernelName: string;
  backendName: string;
  original: tf.KernelConfig | undefined;
}

/** What registration replaced, in order; null while not registered. */
let replaced: Replaced[] | null = null;

function replace(config: tf.KernelConfig, log: Replaced[]): void {
  const original = tf.getKernel(config.kernelName, config.backendName);
  if (original !== undefined) tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
  log.push({ kernelName: config.kernelName, backendName: config.backendName, original });
}

/**
 * Replaces the convolution kernels of the `cpu` backend (Conv2D, FusedConv2D,
 * Conv2DBackpropFilter, Conv2DBackpropInput) with fast ones, and gives the `wasm`
 * backend both convolution gradients as forward convolutions in its own XNNPACK Conv2D
 * (it has no Conv2DBackpropFilter, and its Conv2DBackpropInput is 5-10× slower). Cases the
 * fast kernels do not cover (NCHW, dilation > 1, non-float32, prelu or unusual bias shapes
 * in FusedConv2D) still run the original kernels. wasm's MaxPoolGrad is replaced too, by a
 * single pass over the output (its native one recomputes each window's maximum slowly).
 * Calling it again while registered does nothing.
 *
 * Import `@tensorflow/tfjs-backend-wasm` before calling this if you use wasm: the
 * wasm package registers its own kernels when imported, and a later import would
 * replace the Conv2DBackpropInput fallback (harmless) but not the filter gradient.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { registerFastConvKernels, unregisterFastConvKernels } from 'tfjs-fast-conv';
 *
 * await tf.setBackend('cpu');
 * registerFastConvKernels();
 * const model = tf.sequential({
 *   layers: [
 *     tf.layers.conv2d({ inputShape: [32, 32, 3], filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
 *     tf.layers.globalAveragePooling2d({}),
 *     tf.layers.dense({ units: 1 }),
 *   ],
 * });
 * model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
 * await model.fit(tf.randomNormal([16, 32, 32, 3]), tf.randomNormal([16, 1]), { epochs: 1 });
 * unregisterFastConvKernels();
 * ```
 */
export function registerFastConvKernels(): void {
  if (replaced !== null) return;
  const log: Replaced[] = [];
  const originals = new Map<string, tf.KernelConfig | undefined>(CPU_KERNEL_NAMES.map((name) => [name, tf.getKernel(name, 'cpu')]));
  for (const config of cpuKernelConfigs(originals)) replace(config, log);
  for (const config of wasmKernelConfigs(tf.getKernel(tf.Conv2DBackpropInput, 'wasm'))) replace(config, log);
  replace(wasmMaxPoolGradConfig(tf.getKernel(tf.MaxPoolGrad, 'wasm')), log);
  replaced = log;
}

/**
 * Puts back the kernels {@link registerFastConvKernels} replaced (or removes those
 * that had no original). Does nothing when not registered.
 *
 * @example
 * ```ts
 * import { registerFastConvKernels, unregisterFastConvKernels } from 'tfjs-fast-conv';
 *
 * registerFastConvKernels();
 * try {
 *   // ... train ...
 * } finally {
 *   unregisterFastConvKernels();
 * }
 * ```
 */
export function unregisterFastConvKernels(): void {
  if (replaced === null) return;
  for (const r of [...replaced].reverse()) {
    if (tf.getKernel(r.kernelName, r.backendName) !== undefined) tf.unregisterKernel(r.kernelName, r.backendName);
    if (r.original !== undefined) tf.registerKernel(r.original);
  }
  replaced = null;
}

/** Whether {@link registerFastConvKernels} is in effect. */
export function fastConvKernelsRegistered(): boolean {
  return replaced !== null;
}
