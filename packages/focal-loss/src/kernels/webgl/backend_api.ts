/**
 * What the webgl backend lends the shared GPU runner (../gpu/runner.ts): its GLSL program for
 * each spec kind, and how it runs a program (the plan's uniforms as custom uniforms, one
 * float each), uploads a vector and frees an intermediate result.
 */
import type { GpuBackendApi } from '../gpu/runner.js';
import { categoricalGradProgram } from './categorical_grad_program.js';
import { categoricalLossProgram } from './categorical_loss_program.js';
import { categoricalTotalProgram } from './categorical_total_program.js';
import { distributionGradProgram, distributionLossProgram } from './distribution_program.js';
import { familyGradProgram, familyLossProgram } from './family_program.js';
import { labelCountProgram } from './label_count_program.js';
import { softmaxGradProgram } from './softmax_grad_program.js';
import { softmaxLossProgram } from './softmax_loss_program.js';
import { softmaxStatsProgram } from './softmax_stats_program.js';
import { sumProgram } from './sum_program.js';
import type { WebGLBackendLike, WebGLProgram } from './webgl_types.js';

export const WEBGL_API: GpuBackendApi<WebGLBackendLike, WebGLProgram> = {
  name: 'webgl',
  programs: {
    softmaxStats: softmaxStatsProgram,
    softmaxLoss: softmaxLossProgram,
    softmaxGrad: softmaxGradProgram,
    categoricalLoss: categoricalLossProgram,
    categoricalTotal: categoricalTotalProgram,
    categoricalGrad: categoricalGradProgram,
    labelCount: labelCountProgram,
    familyLoss: familyLossProgram,
    familyGrad: familyGradProgram,
    distributionLoss: distributionLossProgram,
    distributionGrad: distributionGradProgram,
    sum: sumProgram,
  },
  runProgram: (backend, program, inputs, uniforms) =>
    backend.runWebGLProgram(
      program,
      inputs,
      'float32',
      uniforms.map((u) => [u]),
    ),
  upload: (backend, values) => backend.makeTensorInfo([values.length], 'float32', values),
  dispose: (backend, info) => backend.disposeIntermediateTensorInfo(info),
};
