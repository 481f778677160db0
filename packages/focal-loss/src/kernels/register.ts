/**
 * Registers the fused kernels of every backend (their gradients: gradients.ts). Registering for a
 * backend that is not loaded costs nothing: the registry is keyed by backend name.
 */
import { registerCpuKernels } from './cpu.js';
import { registerWasmKernels } from './wasm.js';
import { registerWebGLKernels } from './webgl/index.js';
import { registerWebGPUKernels } from './webgpu/index.js';

let registered = false;

export function registerFocalKernels(): void {
  if (registered) return;
  registered = true;
  registerCpuKernels();
  registerWasmKernels();
  registerWebGLKernels();
  registerWebGPUKernels();
}
