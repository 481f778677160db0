/**
 * Fused focal-loss kernels for the webgpu backend (WGSL through backend.runWebGPUProgram):
 * FocalLossSigmoid (focal and star), FocalLossSoftmax and FocalLossCategorical, each a
 * short fixed sequence of programs (see ../gpu/plan.ts).
 */
import { registerGpuKernels } from '../gpu/register.js';
import { WebGPUFocalRunner } from './webgpu_runner.js';
import type { WebGPUBackendLike } from './webgpu_types.js';

/** Registers the fused focal-loss kernels for the webgpu backend (idempotent). */
export function registerWebGPUKernels(): void {
  registerGpuKernels('webgpu', (backend) => new WebGPUFocalRunner(backend as unknown as WebGPUBackendLike));
}
