import type { FamilyGradSpec, FamilyLossSpec } from '../gpu/program_specs.js';
import { familyShaderKey, wgslFamilyTerms } from '../family/shaders.js';
import { flatProgram } from './flat_program.js';
import { WGSL_MATH, wgslKahanWindow } from './wgsl_snippets.js';
import type { WebGPUProgram } from './webgpu_types.js';

/** Element-wise family loss per element (window 1) or summed over windows of elements. */
export function familyLossProgram(spec: FamilyLossSpec, outputSize: number): WebGPUProgram {
  const {
    member: { family, params, shaders },
    hasWeights,
    window,
    size,
  } = spec;
  return flatProgram(
    `family_loss_${familyShaderKey(family, params, shaders)}_${hasWeights}_${window}_${size}`,
    hasWeights ? ['logits', 'targets', 'weights'] : ['logits', 'targets'],
    outputSize,
    WGSL_MATH + wgslFamilyTerms(family, params, hasWeights, shaders),
    `let start = index * ${window};
     ${wgslKahanWindow('familyTerms(k).x', window, String(size))}
     setOutputAtIndex(index, sum);`,
  );
}

/** Gradient of the reduced family loss, one element per thread. */
export function familyGradProgram(spec: FamilyGradSpec): WebGPUProgram {
  const {
    member: { family, params, shaders },
    hasWeights,
    size,
  } = spec;
  return flatProgram(
    `family_grad_${familyShaderKey(family, params, shaders)}_${hasWeights}`,
    hasWeights ? ['logits', 'targets', 'weights'] : ['logits', 'targets'],
    size,
    WGSL_MATH + wgslFamilyTerms(family, params, hasWeights, shaders),
    'setOutputAtIndex(index, familyTerms(index).y * uniforms.uScale);',
  );
}
