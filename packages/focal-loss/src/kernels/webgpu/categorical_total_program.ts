import type { CategoricalTotalSpec } from '../gpu/program_specs.js';
import { categoricalKey, categoricalVariableNames } from './categorical_inputs.js';
import { flatProgram } from './flat_program.js';
import { WGSL_MATH, wgslCategoricalTerms, wgslRowLayout } from './wgsl_snippets.js';
import type { WebGPUProgram } from './webgpu_types.js';

/** Per row, S = sum over classes of T_c, which every logit's gradient in the row needs. */
export function categoricalTotalProgram(spec: CategoricalTotalSpec): WebGPUProgram {
  return flatProgram(
    `categorical_total_${categoricalKey(spec)}`,
    categoricalVariableNames(spec, false),
    spec.rows,
    WGSL_MATH + wgslRowLayout(spec) + wgslCategoricalTerms(spec.hasAlpha, spec.hasWeights),
    `if (rowStatsBad(index)) {
       setOutputAtIndex(index, uniforms.NAN);
     } else {
       var total = 0.0;
       for (var c = 0; c < CLASSES; c++) { total += classTerms(index, c).t; }
       setOutputAtIndex(index, total);
     }`,
  );
}
