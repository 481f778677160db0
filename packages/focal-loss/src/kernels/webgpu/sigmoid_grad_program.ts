import type { SigmoidGradSpec } from '../gpu/plan.js';
import { flatProgram } from './flat_program.js';
import { WGSL_MATH, wgslSigmoidTerms } from './wgsl_snippets.js';
import type { WebGPUProgram } from './webgpu_types.js';

/** Gradient of the reduced sigmoid focal loss (or FL*), one element per thread. */
export function sigmoidGradProgram(spec: SigmoidGradSpec): WebGPUProgram {
  const { mode, hasAlpha, hasWeights, size } = spec;
  return flatProgram(
    `sigmoid_grad_${mode}_${hasAlpha}_${hasWeights}`,
    hasWeights ? ['logits', 'targets', 'weights'] : ['logits', 'targets'],
    size,
    WGSL_MATH + wgslSigmoidTerms(mode, hasAlpha, hasWeights),
    'setOutputAtIndex(index, sigmoidTerms(index).y * uniforms.uScale);',
  );
}
