/**
 * Fused focal-loss kernels for the webgl backend (GLSL through backend.runWebGLProgram):
 * FocalLossSigmoid (focal and star), FocalLossSoftmax, FocalLossCategorical,
 * FocalLossElementwise and FocalLossDistribution, each a short fixed sequence of programs
 * (see ../gpu/plan.ts).
 */
import { registerGpuKernels } from '../gpu/register.js';
import { WEBGL_API } from './backend_api.js';

/** Registers the fused focal-loss kernels for the webgl backend (idempotent). */
export function registerWebGLKernels(): void {
  registerGpuKernels(WEBGL_API);
}
