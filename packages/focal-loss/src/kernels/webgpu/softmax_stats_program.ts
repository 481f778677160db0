import type { SoftmaxStatsSpec } from '../gpu/program_specs.js';
import { flatProgram } from './flat_program.js';
import { wgslRowLayout } from './wgsl_snippets.js';
import type { WebGPUProgram } from './webgpu_types.js';

/**
 * Row statistics of the softmax: output r is the row's max, output ROWS + r the sum of
 * e^(x_c - max) over the classes other than the (first) argmax. A NaN logit makes both NaN,
 * and so does an infinite max that is not alone (see the webgl program).
 */
export function softmaxStatsProgram(spec: SoftmaxStatsSpec): WebGPUProgram {
  const { rows, classes, inner } = spec;
  return flatProgram(
    `softmax_stats_${rows}_${classes}_${inner}`,
    ['logits'],
    2 * rows,
    wgslRowLayout(spec),
    `let r = select(index - ROWS, index, index < ROWS);
     let base = rowBase(r);
     var mx = f32(logits[base]);
     var argmax = 0;
     var bad = isnan(mx);
     for (var c = 1; c < CLASSES; c++) {
       let v = f32(logits[base + c * INNER]);
       if (isnan(v)) { bad = true; }
       if (v > mx) { mx = v; argmax = c; }
     }
     if (bad) {
       setOutputAtIndex(index, uniforms.NAN);
     } else if (index < ROWS) {
       setOutputAtIndex(index, mx);
     } else {
       var rest = 0.0;
       var tied = false;
       for (var c = 0; c < CLASSES; c++) {
         if (c != argmax) {
           let v = f32(logits[base + c * INNER]);
           if (v == mx && isinf(mx)) { tied = true; }
           rest += exp(v - mx);
         }
       }
       setOutputAtIndex(index, select(rest, uniforms.NAN, tied));
     }`,
  );
}
