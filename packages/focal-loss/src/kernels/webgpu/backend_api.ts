/**
 * What the webgpu backend lends the shared GPU runner (../gpu/runner.ts): its WGSL program
 * for each spec kind, and how it runs a program (the plan's uniforms as program-defined
 * float32 uniforms), uploads a vector and frees a result.
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
import type { WebGPUBackendLike, WebGPUProgram } from './webgpu_types.js';

export const WEBGPU_API: GpuBackendApi<WebGPUBackendLike, WebGPUProgram> = {
  name: 'webgpu',
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
    backend.runWebGPUProgram(
      program,
      inputs,
      'float32',
      uniforms.map((v) => ({ type: 'float32' as const, data: [v] })),
    ),
  upload: (backend, values) => backend.makeTensorInfo([values.length], 'float32', values),
  dispose: (backend, info) => void backend.disposeData(info.dataId),
};
