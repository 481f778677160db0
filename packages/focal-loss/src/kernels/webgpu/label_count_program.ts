import type { LabelCountSpec } from '../gpu/program_specs.js';
import { floatLiteral } from '../shader_literals.js';
import { flatProgram } from './flat_program.js';
import type { WebGPUProgram } from './webgpu_types.js';

/** Number of labels that are not ignoreIndex, per window (exact: integers below 2^24). */
export function labelCountProgram(spec: LabelCountSpec, outputSize: number): WebGPUProgram {
  const { size, window, ignoreIndex } = spec;
  return flatProgram(
    `label_count_${size}_${window}_${ignoreIndex}`,
    ['labels'],
    outputSize,
    '',
    `let start = index * ${window};
     var n = 0.0;
     for (var w = 0; w < ${window}; w++) {
       let r = start + w;
       if (r >= ${size}) { break; }
       if (f32(labels[r]) != ${floatLiteral(ignoreIndex)}) { n += 1.0; }
     }
     setOutputAtIndex(index, n);`,
  );
}
