/**
 * The kernel-side types of the element-wise family: what each loss supplies besides its
 * float64 definition (src/core/family). A leaf of ./family: the losses' files (quality.ts,
 * sigmoid.ts, ...) import it, and so do the registry (parts.ts) and the shader assembly
 * (shaders.ts) that use them, so none of those import one another in a circle.
 */
import type { UniformName } from '../shader_literals.js';
import type { Composite } from './tf_math.js';

/** The plan's uniforms a family parameter may use (uScale is the plan's own). */
export type FamilyUniform = Exclude<UniformName, 'uScale'>;

/**
 * One loss's snippet: statements ending in `return (loss, grad)` as vec2 / vec2<f32>, from x,
 * t, p, q, spX, spMX and the constants. `limit`, when given, replaces the default rule at
 * x = ±Infinity: statements from x (±Infinity) and t alone returning the limits, unweighted.
 */
export interface FamilyShaders {
  glsl: string;
  wgsl: string;
  limit?: { glsl: string; wgsl: string };
  /**
   * Numeric parameters read from the plan's uniforms instead of compiled in (param name ->
   * uniform), so that one program serves every value (the sigmoid focal loss and FL*, whose
   * alpha, gamma, beta and label smoothing may change from step to step); P_HAS_<NAME> stays
   * a constant, and a null value passes 1.
   */
  uniforms?: Partial<Record<string, FamilyUniform>>;
}

/** The kernel-side parts of one loss: its composite of TF.js ops and its GPU snippet. */
export interface FamilyKernelParts {
  /** Absent for the sigmoid focal loss and FL*, whose composite is ../composite.ts. */
  composite?: Composite;
  shaders: FamilyShaders;
}
