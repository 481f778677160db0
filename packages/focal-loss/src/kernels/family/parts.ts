/**
 * The kernel-side parts of each element-wise family loss, by op name: its composite (TF.js
 * ops, for backends with no fused kernel) and its GPU snippet (webgl and webgpu fused
 * programs, shaders.ts). Adding a loss: its definition (src/core/family) and one entry here.
 * The sigmoid focal loss and FL* have only their snippets here (sigmoid.ts): their kernel
 * (FocalLossSigmoid) keeps its own float64 core, cpu/wasm/SIMD kernels and composite.
 */
import { ASYMMETRIC_SHADERS, asymmetricComposite } from './asymmetric.js';
import { GAUSSIAN_SHADERS, gaussianComposite } from './gaussian.js';
import { POLY_SHADERS, polyComposite } from './poly.js';
import { QUALITY_SHADERS, qualityComposite } from './quality.js';
import { SIGMOID_FAMILY, SIGMOID_FOCAL_SHADERS, SIGMOID_STAR_SHADERS } from './sigmoid.js';
import type { FamilyKernelParts } from './types.js';
import { VARIFOCAL_SHADERS, varifocalComposite } from './varifocal.js';

export const FAMILY_KERNEL_PARTS: Record<string, FamilyKernelParts> = {
  qualityFocalLoss: { composite: qualityComposite, shaders: QUALITY_SHADERS },
  varifocalLoss: { composite: varifocalComposite, shaders: VARIFOCAL_SHADERS },
  gaussianFocalLoss: { composite: gaussianComposite, shaders: GAUSSIAN_SHADERS },
  polyFocalLoss: { composite: polyComposite, shaders: POLY_SHADERS },
  asymmetricLoss: { composite: asymmetricComposite, shaders: ASYMMETRIC_SHADERS },
  [SIGMOID_FAMILY.focal]: { shaders: SIGMOID_FOCAL_SHADERS },
  [SIGMOID_FAMILY.star]: { shaders: SIGMOID_STAR_SHADERS },
};
