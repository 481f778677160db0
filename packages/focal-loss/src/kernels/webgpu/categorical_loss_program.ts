import type { CategoricalLossSpec } from '../gpu/program_specs.js';
import { categoricalKey, categoricalVariableNames } from './categorical_inputs.js';
import { flatProgram } from './flat_program.js';
import { WGSL_MATH, wgslCategoricalTerms, wgslKahanWindow, wgslRowLayout } from './wgsl_snippets.js';
import type { WebGPUProgram } from './webgpu_types.js';

/** Categorical focal loss per row (window 1) or summed over windows of rows. */
export function categoricalLossProgram(spec: CategoricalLossSpec, outputSize: number): WebGPUProgram {
  return flatProgram(
    `categorical_loss_${categoricalKey(spec)}_${spec.window}`,
    categoricalVariableNames(spec, false),
    outputSize,
    WGSL_MATH +
      wgslRowLayout(spec) +
      wgslCategoricalTerms(spec.hasAlpha, spec.hasWeights) +
      `
      fn rowLoss(r : i32) -> f32 {
        if (rowStatsBad(r)) { return uniforms.NAN; }
        var loss = 0.0;
        for (var c = 0; c < CLASSES; c++) { loss += classTerms(r, c).loss; }
        return loss;
      }`,
    `let start = index * ${spec.window};
     ${wgslKahanWindow('rowLoss(k)', spec.window, 'ROWS')}
     setOutputAtIndex(index, sum);`,
  );
}
