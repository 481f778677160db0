import type { LabelCountSpec } from '../gpu/program_specs.js';
import { floatLiteral } from '../shader_literals.js';
import { FOCAL_UNIFORMS } from './uniforms.js';
import type { WebGLProgram } from './webgl_types.js';

/** Number of labels that are not ignoreIndex, per window (exact: integers below 2^24). */
export function labelCountProgram(spec: LabelCountSpec, outputSize: number): WebGLProgram {
  return {
    variableNames: ['labels'],
    outputShape: [outputSize],
    customUniforms: FOCAL_UNIFORMS,
    userCode: `
      void main() {
        int start = getOutputCoords() * ${spec.window};
        float count = 0.0;
        for (int w = 0; w < ${spec.window}; w++) {
          int r = start + w;
          if (r >= ${spec.size}) break;
          if (getLabels(r) != ${floatLiteral(spec.ignoreIndex)}) count += 1.0;
        }
        setOutput(count);
      }
    `,
  };
}
