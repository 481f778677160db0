/**
 * The few members of tfjs-backend-webgpu's WebGPUBackend and WebGPUProgram that the
 * kernels use, typed locally so the library needs no runtime import of the backend.
 */
import type { DataId, DataType, TensorInfo } from '@tensorflow/tfjs-core';

export interface WebGPUProgram {
  variableNames: string[];
  outputShape: number[];
  /** Must identify the generated code: the backend caches pipelines by it. */
  shaderKey: string;
  workgroupSize: [number, number, number];
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  /** Adds `uniforms.size` (the output's size). */
  size: boolean;
  /** Extra uniform fields, WGSL struct syntax. */
  uniforms: string;
  getUserCode(): string;
}

export interface WebGPUUniform {
  type: 'float32' | 'int32';
  data: number[];
}

export interface WebGPUBackendLike {
  runWebGPUProgram(
    program: WebGPUProgram,
    inputs: TensorInfo[],
    outputDtype: DataType,
    programDefinedUniform?: WebGPUUniform[],
  ): TensorInfo;
  makeTensorInfo(shape: number[], dtype: DataType, values?: Float32Array): TensorInfo;
  disposeData(dataId: DataId, force?: boolean): boolean;
}
