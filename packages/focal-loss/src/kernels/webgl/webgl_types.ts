/**
 * The few members of tfjs-backend-webgl's MathBackendWebGL and GPGPUProgram that the
 * kernels use, typed locally so the library needs no runtime import of the backend.
 */
import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';

export interface WebGLProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  customUniforms?: Array<{ name: string; type: 'float' | 'int' }>;
}

export interface WebGLBackendLike {
  runWebGLProgram(program: WebGLProgram, inputs: TensorInfo[], outputDtype: DataType, customUniformValues?: number[][]): TensorInfo;
  makeTensorInfo(shape: number[], dtype: DataType, values?: Float32Array): TensorInfo;
  disposeIntermediateTensorInfo(info: TensorInfo): void;
}
