/**
 * Fused focal-loss kernels for the webgl backend (GLSL through backend.runWebGLProgram):
 * FocalLossSigmoid (focal and star), FocalLossSoftmax and FocalLossCategorical, each a
 * short fixed sequence of programs (see ../gpu/plan.ts).
 */
import { registerGpuKernels } from '../gpu/register.js';
import { WebGLFocalRunner } from './webgl_runner.js';
import type { WebGLBackendLike } from './webgl_types.js';

/** Registers the fused focal-loss kernels for the webgl backend (idempotent). */
export function registerWebGLKernels(): void {
  registerGpuKernels('webgl', (backend) => new WebGLFocalRunner(backend as unknown as WebGLBackendLike));
}
