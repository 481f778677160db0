import type { SumSpec } from '../gpu/plan.js';
import { GLSL_KAHAN } from './glsl_snippets.js';
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
      ${GLSL_KAHAN}
      void main() {
        int start = getOutputCoords() * ${spec.window};
        float sum = 0.0;
        float comp = 0.0;
        for (int w = 0; w < ${spec.window}; w++) {
          int k = start + w;
          if (k >= ${spec.size}) break;
          KAHAN_ADD(getX(k));
        }
        ${finish}
        setOutput(sum);
      }
    `,
  };
}
