/**
 * Validation shared by the framework-free core and the TF.js ops. Every error names the
 * op and the argument, and says what was expected.
 */
import type { NumericArray } from './numerics.js';
import { type Reduction, REDUCTIONS } from './reduction.js';
import type { ClassAxisLayout } from './softmax.js';

/** A value as an error message quotes it. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  return String(value);
}

/**
 * The options object of an op: undefined or null mean no options (as an omitted argument
 * does). Rejects anything else that is not a plain object, and option names the op does not
 * know (a typo would otherwise be silently ignored).
 */
export function checkOptions<T extends object>(op: string, options: T | null | undefined, known: readonly string[]): T {
  if (options === undefined || options === null) return {} as T;
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new Error(`${op}: options must be an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new Error(`${op}: unknown option '${key}'; expected one of ${known.join(', ')}`);
    }
  }
  return options;
}

/**
 * The error for one entry of the data (labels, targets) that the losses are not defined for.
 * The kernels check entries in their own loops where the data is on the CPU; see
 * checkTarget and softmax.ts' checkLabel.
 */
export function invalidEntry(op: string, argName: string, index: number, value: number, expected: string): Error {
  return new Error(`${op}: ${argName}[${index}] = ${value} is not ${expected}`);
}

/**
 * Targets are probabilities, t in [0, 1]; outside, the loss is meaningless (negative, or NaN
 * where 1 - p_t < 0 meets a fractional gamma), and NaN is rejected as well. Called per entry
 * inside the kernels' loops (two comparisons, inlined).
 */
export function checkTarget(op: string, t: number, index: number): void {
  if (!(t >= 0 && t <= 1)) throw invalidEntry(op, 'targets', index, t, 'in [0, 1]');
}

/** checkTarget over a whole array (for paths that do not loop over the data themselves). */
export function checkTargets(op: string, targets: NumericArray): void {
  for (let i = 0; i < targets.length; i++) checkTarget(op, targets[i], i);
}

export function checkGamma(op: string, gamma: unknown, positive = false): number {
  const ok = typeof gamma === 'number' && !Number.isNaN(gamma) && Number.isFinite(gamma);
  if (!ok || (positive ? (gamma as number) <= 0 : (gamma as number) < 0)) {
    throw new Error(`${op}: gamma must be a finite number ${positive ? '> 0' : '>= 0'}, got ${describe(gamma)}`);
  }
  return gamma as number;
}

export function checkBeta(op: string, beta: unknown): number {
  if (typeof beta !== 'number' || !Number.isFinite(beta)) {
    throw new Error(`${op}: beta must be a finite number, got ${describe(beta)}`);
  }
  return beta;
}

/** Sigmoid ops: alpha is the weight of positives in [0, 1], or null for no weighting. */
export function checkBinaryAlpha(op: string, alpha: unknown): number | null {
  if (alpha === null) return null;
  if (typeof alpha !== 'number' || !(alpha >= 0 && alpha <= 1)) {
    throw new Error(`${op}: alpha must be a number in [0, 1] or null, got ${describe(alpha)}`);
  }
  return alpha;
}

/** Softmax ops: null, one weight for every class, or one weight per class, each in [0, 1]. */
export function checkClassAlpha(op: string, alpha: unknown, classes: number): number[] | null {
  if (alpha === null || alpha === undefined) return null;
  const list = typeof alpha === 'number' ? new Array<number>(classes).fill(alpha) : alpha;
  if (!Array.isArray(list) && !ArrayBuffer.isView(list)) {
    throw new Error(`${op}: alpha must be null, a number or an array of ${classes} numbers, got ${describe(alpha)}`);
  }
  const values = Array.from(list as ArrayLike<number>);
  if (values.length !== classes) {
    throw new Error(`${op}: alpha has ${values.length} entries but the logits have ${classes} classes`);
  }
  for (const a of values) {
    if (typeof a !== 'number' || !(a >= 0 && a <= 1)) {
      throw new Error(`${op}: every alpha must be a number in [0, 1], got ${describe(a)}`);
    }
  }
  return values;
}

export function checkReduction(op: string, reduction: unknown): Reduction {
  if (!REDUCTIONS.includes(reduction as Reduction)) {
    throw new Error(`${op}: reduction must be one of 'none', 'sum', 'mean', got ${describe(reduction)}`);
  }
  return reduction as Reduction;
}

export function checkLabelSmoothing(op: string, s: unknown): number {
  if (typeof s !== 'number' || !(s >= 0 && s < 1)) {
    throw new Error(`${op}: labelSmoothing must be a number in [0, 1), got ${describe(s)}`);
  }
  return s;
}

export function checkNormalizer(op: string, normalizer: unknown): number {
  if (typeof normalizer !== 'number' || !(normalizer > 0) || !Number.isFinite(normalizer)) {
    throw new Error(`${op}: normalizer must be a finite number > 0, got ${describe(normalizer)}`);
  }
  return normalizer;
}

export function checkIgnoreIndex(op: string, ignoreIndex: unknown): number | null {
  if (ignoreIndex === undefined || ignoreIndex === null) return null;
  if (typeof ignoreIndex !== 'number' || !Number.isInteger(ignoreIndex)) {
    throw new Error(`${op}: ignoreIndex must be an integer, got ${describe(ignoreIndex)}`);
  }
  return ignoreIndex;
}

/** Resolves a possibly negative axis against the rank; throws when out of range. */
export function normalizeAxis(op: string, axis: unknown, rank: number): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new Error(`${op}: axis must be an integer in [${-rank}, ${rank - 1}] for logits of rank ${rank}, got ${describe(axis)}`);
  }
  return axis < 0 ? axis + rank : axis;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Views a shape as [outer, classes, inner] around the (non-negative) class axis. */
export function classAxisLayout(shape: readonly number[], axis: number): ClassAxisLayout {
  return {
    outer: sizeOf(shape.slice(0, axis)),
    classes: shape[axis],
    inner: sizeOf(shape.slice(axis + 1)),
  };
}

export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
