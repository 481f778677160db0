import type { SumSpec } from '../gpu/program_specs.js';
import { flatProgram } from './flat_program.js';
import { wgslKahanWindow } from './wgsl_snippets.js';
import type { WebGPUProgram } from './webgpu_types.js';

/** One level of the sum tree: Kahan sums of windows, with the plan's finish on the last. */
export function sumProgram(spec: SumSpec, outputSize: number): WebGPUProgram {
  const { size, window, finish } = spec;
  const finishCode =
    finish === 'scale'
      ? 'sum = sum * uniforms.uScale;'
      : finish === 'count'
        ? 'let rowCount = count[0]; sum = select(0.0, sum / rowCount, rowCount > 0.0);'
        : '';
  return flatProgram(
    `sum_${size}_${window}_${finish}`,
    finish === 'count' ? ['x', 'count'] : ['x'],
    outputSize,
    '',
    `let start = index * ${window};
     ${wgslKahanWindow('x[k]', window, String(size))}
     ${finishCode}
     setOutputAtIndex(index, sum);`,
  );
}
