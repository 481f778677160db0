/**
 * Input handling shared by the ops: tensors or plain arrays in, checked and cast; weights
 * broadcast; the normalizer applied.
 */
import { type NamedTensorMap, type Scalar, type Tensor, type TensorLike, broadcastTo, cast, div, tensor } from '@tensorflow/tfjs-core';
import { checkNormalizer, describe, formatShape, shapesEqual } from '../core/options.js';
import type { Reduction } from '../core/reduction.js';
import { dataOnCpu } from '../kernels/cpu_backends.js';

/**
 * Like tfjs-core's convertToTensor: accepts a Tensor or nested arrays / a typed array. With
 * `dtype` null the dtype is inferred as tf.tensor does (float32 for numbers, int32 for an
 * Int32Array), so that no value is truncated before it is checked.
 */
export function toTensor(x: Tensor | TensorLike, argName: string, op: string, dtype: 'float32' | null = 'float32'): Tensor {
  if (x === null || x === undefined) throw new Error(`${op}: argument '${argName}' is required`);
  if (typeof x === 'object' && 'dataId' in (x as object)) return x as Tensor;
  if (typeof x !== 'number' && typeof x !== 'boolean' && typeof x !== 'object') {
    throw new Error(`${op}: argument '${argName}' must be a Tensor or an array of numbers, got ${typeof x}`);
  }
  // tf.tensor takes the shape from the first entry at each depth and does not check the rest:
  // [[1, 2], [3]] would become a [2, 2] tensor on cpu (and fail on wasm).
  const ragged = raggedness(x, argName);
  if (ragged !== null) {
    throw new Error(`${op}: argument '${argName}' must be a Tensor or a rectangular array of numbers: ${ragged}`);
  }
  try {
    return tensor(x as TensorLike, undefined, dtype ?? undefined);
  } catch (error) {
    throw new Error(`${op}: argument '${argName}' must be a Tensor or a rectangular array of numbers (${(error as Error).message})`);
  }
}

function isList(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/** Where a nested array stops being rectangular (described), or null when it is rectangular. */
function raggedness(value: unknown, name: string): string | null {
  const shape: number[] = [];
  for (let v = value; isList(v); v = v[0]) shape.push(v.length);
  const visit = (v: unknown, depth: number, path: string): string | null => {
    if (depth === shape.length) return isList(v) ? `${path} is an array, expected a number` : null;
    if (!isList(v)) return `${path} is a number, expected an array of ${shape[depth]}`;
    if (v.length !== shape[depth]) return `${path} has ${v.length} entries, expected ${shape[depth]}`;
    // Typed arrays hold numbers only: no need to look inside.
    if (!Array.isArray(v)) return null;
    for (let i = 0; i < v.length; i++) {
      const found = visit(v[i], depth + 1, `${path}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  };
  return visit(value, 0, name);
}

/** Float32 view of a tensor for the kernels (bool and int inputs are cast). */
export function asFloat32(x: Tensor, argName: string, op: string): Tensor {
  if (x.dtype === 'float32') return x;
  if (x.dtype === 'string' || x.dtype === 'complex64') {
    throw new Error(`${op}: argument '${argName}' must be numeric, got dtype ${x.dtype}`);
  }
  return cast(x, 'float32');
}

export function checkSameShape(op: string, logits: Tensor, other: Tensor, otherName: string): void {
  if (!shapesEqual(logits.shape, other.shape)) {
    throw new Error(`${op}: ${otherName} shape ${formatShape(other.shape)} must equal the logits' shape ${formatShape(logits.shape)}`);
  }
}

function broadcastable(from: readonly number[], to: readonly number[]): boolean {
  if (from.length > to.length) return false;
  const offset = to.length - from.length;
  return from.every((d, i) => d === 1 || d === to[i + offset]);
}

/** Weights broadcast to the per-element loss shape (float32), or undefined. */
export function prepareWeights(op: string, weights: Tensor | TensorLike | undefined, lossShape: number[]): Tensor | undefined {
  if (weights === undefined || weights === null) return undefined;
  const w = asFloat32(toTensor(weights, 'weights', op), 'weights', op);
  if (shapesEqual(w.shape, lossShape)) return w;
  if (!broadcastable(w.shape, lossShape)) {
    throw new Error(
      `${op}: weights shape ${formatShape(w.shape)} does not broadcast to the per-element loss shape ${formatShape(lossShape)}`,
    );
  }
  return broadcastTo(w, lossShape);
}

/**
 * Validates a normalizer: a number, or a float32 or int32 scalar tensor (rank 0, so that
 * 'mean' stays a scalar; a bool would count as 1). Its value is checked too where the data
 * is already on the CPU.
 */
export function prepareNormalizer(op: string, normalizer: number | Scalar | undefined): number | Scalar | undefined {
  if (normalizer === undefined || normalizer === null) return undefined;
  if (typeof normalizer === 'number') return checkNormalizer(op, normalizer);
  if (typeof normalizer !== 'object' || !('dataId' in normalizer)) {
    throw new Error(`${op}: normalizer must be a number or a scalar tensor, got ${describe(normalizer)}`);
  }
  if (normalizer.rank !== 0) {
    throw new Error(`${op}: normalizer must be a number or a scalar tensor, got a tensor of shape ${formatShape(normalizer.shape)}`);
  }
  if (normalizer.dtype !== 'float32' && normalizer.dtype !== 'int32') {
    throw new Error(`${op}: normalizer must be a number or a float32 or int32 scalar tensor, got dtype ${normalizer.dtype}`);
  }
  // Reading a GPU tensor would stall the pipeline; there the value is the caller's duty.
  if (dataOnCpu()) checkNormalizer(op, normalizer.dataSync()[0]);
  return normalizer;
}

/** The kernel reduction to run: a normalized 'mean' is a 'sum' divided afterwards. */
export function kernelReduction(reduction: Reduction, normalizer: number | Scalar | undefined): Reduction {
  return reduction === 'mean' && normalizer !== undefined ? 'sum' : reduction;
}

export function applyNormalizer(loss: Tensor, reduction: string, normalizer: number | Scalar | undefined): Tensor {
  if (reduction !== 'mean' || normalizer === undefined) return loss;
  return div(loss, typeof normalizer === 'number' ? normalizer : cast(normalizer, 'float32'));
}

/** The kernel's inputs, with `weights` only when given. */
export function withWeights(inputs: NamedTensorMap, weights: Tensor | undefined): NamedTensorMap {
  return weights === undefined ? inputs : { ...inputs, weights };
}
