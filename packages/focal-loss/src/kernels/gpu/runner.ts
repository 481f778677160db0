/**
 * The one program runner of the GPU backends. The plans hand it backend-neutral specs
 * (program_specs.ts); a backend lends it a {@link GpuBackendApi}: a builder per spec kind in
 * its shading language, and how it runs a program, uploads a vector and frees a result.
 * Everything else (choosing the builder, flattening through the backend's Reshape kernel) is
 * written once here.
 */
import { type TensorInfo, getKernel } from '@tensorflow/tfjs-core';
import type { UniformValues } from '../shader_literals.js';
import { type FocalProgramSpec, outputSize } from './program_specs.js';

/** What the plans need of a GPU backend. */
export interface GpuProgramRunner {
  /** Runs the program; the result is float32 of shape [outputSize(spec)]. */
  run(spec: FocalProgramSpec, inputs: TensorInfo[], uniforms: UniformValues): TensorInfo;
  /** The same data viewed as 1-D [size] (a new reference the caller disposes). */
  flatten(info: TensorInfo): TensorInfo;
  /** Uploads a small float32 vector (per-class alpha). */
  upload(values: Float32Array): TensorInfo;
  dispose(info: TensorInfo): void;
}

type SpecOfKind<K extends FocalProgramSpec['kind']> = Extract<FocalProgramSpec, { kind: K }>;

/** A backend's program for each spec kind (`outputSize`: outputSize(spec), for those that need it). */
export type ProgramBuilders<Program> = {
  [K in FocalProgramSpec['kind']]: (spec: SpecOfKind<K>, outputSize: number) => Program;
};

/** What a GPU backend lends the runner, for its backend object `Backend` and its `Program`s. */
export interface GpuBackendApi<Backend, Program> {
  /** The tfjs backend name ('webgl', 'webgpu'), whose Reshape kernel flattens. */
  name: string;
  programs: ProgramBuilders<Program>;
  runProgram(backend: Backend, program: Program, inputs: TensorInfo[], uniforms: UniformValues): TensorInfo;
  upload(backend: Backend, values: Float32Array): TensorInfo;
  dispose(backend: Backend, info: TensorInfo): void;
}

function programFor<Program>(programs: ProgramBuilders<Program>, spec: FocalProgramSpec): Program {
  const size = outputSize(spec);
  switch (spec.kind) {
    case 'softmaxStats':
      return programs.softmaxStats(spec, size);
    case 'softmaxLoss':
      return programs.softmaxLoss(spec, size);
    case 'softmaxGrad':
      return programs.softmaxGrad(spec, size);
    case 'categoricalLoss':
      return programs.categoricalLoss(spec, size);
    case 'categoricalTotal':
      return programs.categoricalTotal(spec, size);
    case 'categoricalGrad':
      return programs.categoricalGrad(spec, size);
    case 'labelCount':
      return programs.labelCount(spec, size);
    case 'familyLoss':
      return programs.familyLoss(spec, size);
    case 'familyGrad':
      return programs.familyGrad(spec, size);
    case 'distributionLoss':
      return programs.distributionLoss(spec, size);
    case 'distributionGrad':
      return programs.distributionGrad(spec, size);
    case 'sum':
      return programs.sum(spec, size);
  }
}

/** Runs the plans' programs on one backend instance. */
export class FocalProgramRunner<Backend extends object, Program> implements GpuProgramRunner {
  constructor(
    private readonly backend: Backend,
    private readonly api: GpuBackendApi<Backend, Program>,
  ) {}

  run(spec: FocalProgramSpec, inputs: TensorInfo[], uniforms: UniformValues): TensorInfo {
    return this.api.runProgram(this.backend, programFor(this.api.programs, spec), inputs, uniforms);
  }

  /**
   * Through the backend's own Reshape kernel: on webgl free for unpacked textures, and for
   * packed ones it runs the repacking that a plain relabelling of the shape would get wrong;
   * on webgpu (flat buffers) a new reference, no copy.
   */
  flatten(info: TensorInfo): TensorInfo {
    const reshape = getKernel('Reshape', this.api.name);
    if (reshape === undefined) throw new Error(`focal-loss: the ${this.api.name} backend has no Reshape kernel`);
    const size = info.shape.reduce((a, b) => a * b, 1);
    return reshape.kernelFunc({ inputs: { x: info }, backend: this.backend, attrs: { shape: [size] } }) as TensorInfo;
  }

  upload(values: Float32Array): TensorInfo {
    return this.api.upload(this.backend, values);
  }

  dispose(info: TensorInfo): void {
    this.api.dispose(this.backend, info);
  }
}
