import type { SumSpec } from '../gpu/program_specs.js';
import { glslWindowSum } from './glsl_snippets.js';
import { FOCAL_UNIFORMS } from './uniforms.js';
import type { WebGLProgram } from './webgl_types.js';

/** One level of the sum tree: Kahan sums of windows, with the plan's finish on the last. */
export function sumProgram(spec: SumSpec, outputSize: number): WebGLProgram {
  const finish =
    spec.finish === 'scale'
      ? 'sum *= uScale;'
      : spec.finish === 'count'
        ? 'float rowCount = getCount(0); sum = rowCount > 0.0 ? sum / rowCount : 0.0;'
        : '';
  return {
    variableNames: spec.finish === 'count' ? ['x', 'count'] : ['x'],
    outputShape: [outputSize],
    customUniforms: FOCAL_UNIFORMS,
    userCode: `
      void main() {
        ${glslWindowSum('getX(k)', spec.window, String(spec.size))}
        ${finish}
        setOutput(sum);
      }
    `,
  };
}
