/**
 * Fused focal-loss kernels for the webgpu backend (WGSL through backend.runWebGPUProgram):
 * FocalLossSigmoid (focal and star), FocalLossSoftmax, FocalLossCategorical,
 * FocalLossElementwise and FocalLossDistribution, each a short fixed sequence of programs
 * (see ../gpu/plan.ts).
 */
import { registerGpuKernels } from '../gpu/register.js';
import { WEBGPU_API } from './backend_api.js';

/** Registers the fused focal-loss kernels for the webgpu backend (idempotent). */
export function registerWebGPUKernels(): void {
  registerGpuKernels(WEBGPU_API);
}
