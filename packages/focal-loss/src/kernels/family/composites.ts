/**
 * The kernel-side parts of each element-wise family loss, by op name: its composite (TF.js
 * ops, for backends with no fused kernel) and its GPU snippet (webgl and webgpu fused
 * programs, shaders.ts). Adding a loss: its definition (src/core/family) and one entry here.
 */
import { ASYMMETRIC_SHADERS, asymmetricComposite } from './asymmetric.js';
import { GAUSSIAN_SHADERS, gaussianComposite } from './gaussian.js';
import { POLY_SHADERS, polyComposite } from './poly.js';
import { QUALITY_SHADERS, qualityComposite } from './quality.js';
import type { FamilyShaders } from './shaders.js';
import type { Composite } from './tf_math.js';
import { VARIFOCAL_SHADERS, varifocalComposite } from './varifocal.js';

export interface FamilyKernelParts {
  composite: Composite;
  shaders: FamilyShaders;
}

export const FAMILY_KERNELS: Record<string, FamilyKernelParts> = {
  qualityFocalLoss: { composite: qualityComposite, shaders: QUALITY_SHADERS },
  varifocalLoss: { composite: varifocalComposite, shaders: VARIFOCAL_SHADERS },
  gaussianFocalLoss: { composite: gaussianComposite, shaders: GAUSSIAN_SHADERS },
  polyFocalLoss: { composite: polyComposite, shaders: POLY_SHADERS },
  asymmetricLoss: { composite: asymmetricComposite, shaders: ASYMMETRIC_SHADERS },
};
