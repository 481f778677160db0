import type { SigmoidLossSpec } from '../gpu/plan.js';
import { flatProgram } from './flat_program.js';
import { WGSL_MATH, wgslKahanWindow, wgslSigmoidTerms } from './wgsl_snippets.js';
import type { WebGPUProgram } from './webgpu_types.js';

/** Sigmoid focal loss per element (window 1) or summed over windows of elements. */
export function sigmoidLossProgram(spec: SigmoidLossSpec, outputSize: number): WebGPUProgram {
  const { mode, hasAlpha, hasWeights, window, size } = spec;
  return flatProgram(
    `sigmoid_loss_${mode}_${hasAlpha}_${hasWeights}_${window}_${size}`,
    hasWeights ? ['logits', 'targets', 'weights'] : ['logits', 'targets'],
    outputSize,
    WGSL_MATH + wgslSigmoidTerms(mode, hasAlpha, hasWeights),
    `let start = index * ${window};
     ${wgslKahanWindow('sigmoidTerms(k).x', window, String(size))}
     setOutputAtIndex(index, sum);`,
  );
}
