import { type TensorInfo, getKernel } from '@tensorflow/tfjs-core';
import { type FocalProgramSpec, type GpuProgramRunner, type UniformValues, outputSize } from '../gpu/plan.js';
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

function programFor(spec: FocalProgramSpec): WebGLProgram {
  const size = outputSize(spec);
  switch (spec.kind) {
    case 'softmaxStats':
      return softmaxStatsProgram(spec);
    case 'softmaxLoss':
      return softmaxLossProgram(spec, size);
    case 'softmaxGrad':
      return softmaxGradProgram(spec);
    case 'categoricalLoss':
      return categoricalLossProgram(spec, size);
    case 'categoricalTotal':
      return categoricalTotalProgram(spec);
    case 'categoricalGrad':
      return categoricalGradProgram(spec);
    case 'labelCount':
      return labelCountProgram(spec, size);
    case 'familyLoss':
      return familyLossProgram(spec, size);
    case 'familyGrad':
      return familyGradProgram(spec);
    case 'distributionLoss':
      return distributionLossProgram(spec, size);
    case 'distributionGrad':
      return distributionGradProgram(spec);
    case 'sum':
      return sumProgram(spec, size);
  }
}

/** Runs the plan's programs on the webgl backend. */
export class WebGLFocalRunner implements GpuProgramRunner {
  constructor(private readonly backend: WebGLBackendLike) {}

  run(spec: FocalProgramSpec, inputs: TensorInfo[], uniforms: UniformValues): TensorInfo {
    return this.backend.runWebGLProgram(programFor(spec), inputs, 'float32', uniforms.map((u) => [u]));
  }

  /**
   * Through webgl's own Reshape kernel: free for unpacked textures, and for packed ones it
   * runs the repacking that a plain relabelling of the shape would get wrong.
   */
  flatten(info: TensorInfo): TensorInfo {
    const reshape = getKernel('Reshape', 'webgl');
    if (reshape === undefined) throw new Error('focal-loss: the webgl backend has no Reshape kernel');
    const size = info.shape.reduce((a, b) => a * b, 1);
    const args = { inputs: { x: info }, backend: this.backend as object, attrs: { shape: [size] } };
    return reshape.kernelFunc(args) as TensorInfo;
  }

  upload(values: Float32Array): TensorInfo {
    return this.backend.makeTensorInfo([values.length], 'float32', values);
  }

  dispose(info: TensorInfo): void {
    this.backend.disposeIntermediateTensorInfo(info);
  }
}
