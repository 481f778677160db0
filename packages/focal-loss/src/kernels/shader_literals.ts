/**
 * How numbers reach the GPU programs (webgl GLSL and webgpu WGSL alike): compiled into the
 * code as literals, or passed as the plan's uniforms. A leaf, so that the family's snippets
 * (./family), the plans (./gpu) and the programs (./webgl, ./webgpu) share it without
 * importing one another.
 */

/**
 * Uniform values every program receives, in this order (unused ones are ignored):
 * uAlpha, uGamma, uBeta, uSmoothing, uScale.
 */
export const UNIFORM_NAMES = ['uAlpha', 'uGamma', 'uBeta', 'uSmoothing', 'uScale'] as const;
export type UniformName = (typeof UNIFORM_NAMES)[number];
export type UniformValues = [number, number, number, number, number];

/** A number as a float literal that both GLSL and WGSL accept (a label such as -1 or 255). */
export function floatLiteral(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 2 ** 53 ? `${value}.0` : value.toExponential();
}
