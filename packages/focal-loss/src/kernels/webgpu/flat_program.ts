import { UNIFORM_NAMES } from '../shader_literals.js';
import type { WebGPUProgram } from './webgpu_types.js';

const WORKGROUP_SIZE = 64;

/** The plan's uniforms as WGSL struct fields (values are passed in the same order). */
const UNIFORM_FIELDS = UNIFORM_NAMES.map((name) => `${name} : f32,`).join(' ');

/**
 * A program with one thread per output element (flat dispatch): `body` is the inside of
 * `fn main(index : i32)`, run for index < uniforms.size. `key` must identify the code.
 */
export function flatProgram(key: string, variableNames: string[], outputSize: number, helpers: string, body: string): WebGPUProgram {
  return {
    variableNames,
    outputShape: [outputSize],
    shaderKey: `focal_loss_${key}`,
    workgroupSize: [WORKGROUP_SIZE, 1, 1],
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(outputSize / WORKGROUP_SIZE), 1, 1],
    size: true,
    uniforms: UNIFORM_FIELDS,
    getUserCode: () => `
      ${helpers}
      fn main(index : i32) {
        if (index < uniforms.size) {
          ${body}
        }
      }
    `,
  };
}
