import { UNIFORM_NAMES } from '../shader_literals.js';
import type { WebGLProgram } from './webgl_types.js';

/** Every webgl focal program declares the plan's uniforms (unused ones compile away). */
export const FOCAL_UNIFORMS: NonNullable<WebGLProgram['customUniforms']> = UNIFORM_NAMES.map((name) => ({
  name,
  type: 'float' as const,
}));
