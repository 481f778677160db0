import type { SoftmaxLossSpec } from '../gpu/program_specs.js';
import { flatProgram } from './flat_program.js';
import { softmaxKey, softmaxVariableNames } from './softmax_inputs.js';
import { WGSL_MATH, wgslKahanWindow, wgslRowLayout, wgslSoftmaxRowTerms } from './wgsl_snippets.js';
import type { WebGPUProgram } from './webgpu_types.js';

/** Softmax focal loss per row (window 1) or summed over windows of rows. */
export function softmaxLossProgram(spec: SoftmaxLossSpec, outputSize: number): WebGPUProgram {
  const { rows, classes, inner, window } = spec;
  return flatProgram(
    `softmax_loss_${rows}_${classes}_${inner}_${window}_${softmaxKey(spec)}`,
    softmaxVariableNames(spec, false),
    outputSize,
    WGSL_MATH + wgslRowLayout(spec) + wgslSoftmaxRowTerms(spec),
    `let start = index * ${window};
     ${wgslKahanWindow('rowTerms(k).loss', window, 'ROWS')}
     setOutputAtIndex(index, sum);`,
  );
}
