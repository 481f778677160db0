/**
 * The one validation module of the library: every check of an option value, of an options
 * object and of one data entry, with its error message. The float64 core, the TF.js ops,
 * the family definitions and the Keras-style losses all call these, so that the same
 * mistake gets the same words wherever it is made. Every error names the op (or factory)
 * and the argument, says what was expected and quotes what was given:
 *
 *     `${op}: ${name} must be ${expected}, got ${describe(value)}`
 *
 * A leaf of the import graph: it needs only the list of reductions and a type, so any module
 * of src/core (or above) can use it without a cycle.
 *
 * Every option check of the library goes through here: the ops' and the core's, the focal
 * family's definitions, the Keras-style losses' and the region losses' (core/region_options.ts).
 */
import type { NumericArray } from './numerics.js';
import { type Reduction, REDUCTIONS } from './reduction.js';

/** A value as an error message quotes it. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  return String(value);
}

/** The error of an option value: `${op}: ${name} must be ${expected}, got ${describe(value)}`. */
export function invalidOption(op: string, name: string, value: unknown, expected: string): Error {
  return new Error(`${op}: ${name} must be ${expected}, got ${describe(value)}`);
}

// ---------------------------------------------------------------------------------------
// Options objects.

/**
 * A plain object holding only option names the op knows (a typo would otherwise be silently
 * ignored). Rejects null as well: see {@link checkOptions} for ops that take null as "none".
 */
export function checkKnownOptions<T extends object>(op: string, options: T, known: readonly string[]): T {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
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
 * The options object of an op: undefined or null mean no options (as an omitted argument
 * does); anything else must pass {@link checkKnownOptions}.
 */
export function checkOptions<T extends object>(op: string, options: T | null | undefined, known: readonly string[]): T {
  if (options === undefined || options === null) return {} as T;
  return checkKnownOptions(op, options, known);
}

// ---------------------------------------------------------------------------------------
// Option values, generic. Each returns the value, typed, or throws invalidOption.

/** A finite number, any sign. */
export function checkFiniteNumber(op: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidOption(op, name, value, 'a finite number');
  return value;
}

/** A finite number >= 0 (exponents, weights). */
export function checkNonNegative(op: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidOption(op, name, value, 'a finite number >= 0');
  }
  return value;
}

/** A finite number > 0 (normalizers, smoothing terms). */
export function checkPositive(op: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !(value > 0)) {
    throw invalidOption(op, name, value, 'a finite number > 0');
  }
  return value;
}

/** Which ends of an interval belong to it, written as the message writes the interval. */
export type IntervalBounds = '[]' | '[)' | '()';

/**
 * A number in the interval from lo to hi, its ends included or not as `bounds` says
 * ('[]' by default; NaN is rejected, and with finite ends so are the infinities).
 */
export function checkInRange(op: string, name: string, value: unknown, lo: number, hi: number, bounds: IntervalBounds = '[]'): number {
  const aboveLo = bounds[0] === '[' ? (v: number) => v >= lo : (v: number) => v > lo;
  const belowHi = bounds[1] === ']' ? (v: number) => v <= hi : (v: number) => v < hi;
  if (typeof value !== 'number' || !(aboveLo(value) && belowHi(value))) {
    throw invalidOption(op, name, value, `a number in ${bounds[0]}${lo}, ${hi}${bounds[1]}`);
  }
  return value;
}

/** A number in [0, 1], or null for "off". */
export function checkUnitOrNull(op: string, name: string, value: unknown): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw invalidOption(op, name, value, 'a number in [0, 1] or null');
  return value;
}

export function checkFlag(op: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw invalidOption(op, name, value, 'true or false');
  return value;
}

/** An integer, or, with `min`, an integer >= min. */
export function checkInteger(op: string, name: string, value: unknown, min?: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || (min !== undefined && value < min)) {
    throw invalidOption(op, name, value, min === undefined ? 'an integer' : `an integer >= ${min}`);
  }
  return value;
}

export function checkNonEmptyString(op: string, name: string, value: unknown): string {
  // No ", got ...": the message has always been this short.
  if (typeof value !== 'string' || value.length === 0) throw new Error(`${op}: ${name} must be a non-empty string`);
  return value;
}

/** One of `allowed` (two: "must be 'a' or 'b'"; more: "must be one of 'a', 'b', 'c'"). */
export function checkOneOf<T extends string>(op: string, name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    const quoted = allowed.map((a) => `'${a}'`);
    const expected = quoted.length === 2 ? `${quoted[0]} or ${quoted[1]}` : `one of ${quoted.join(', ')}`;
    throw invalidOption(op, name, value, expected);
  }
  return value as T;
}

// ---------------------------------------------------------------------------------------
// The losses' options.

export function checkGamma(op: string, gamma: unknown, positive = false): number {
  return positive ? checkPositive(op, 'gamma', gamma) : checkNonNegative(op, 'gamma', gamma);
}

export function checkBeta(op: string, beta: unknown): number {
  return checkFiniteNumber(op, 'beta', beta);
}

/** Sigmoid ops: alpha is the weight of positives in [0, 1], or null for no weighting. */
export function checkBinaryAlpha(op: string, alpha: unknown): number | null {
  return checkUnitOrNull(op, 'alpha', alpha);
}

/**
 * What an error calls the tensor that an option is checked against: the ops take logits, the
 * Keras-style losses a prediction (logits or probabilities).
 */
export type CheckedInput = 'logits' | 'prediction';

/** The error of a per-class list whose length is not the number of classes. */
export function classCountError(op: string, name: string, entries: number, classes: number, input: CheckedInput = 'logits'): Error {
  const has = input === 'logits' ? 'the logits have' : 'the prediction has';
  return new Error(`${op}: ${name} has ${entries} entries but ${has} ${classes} classes`);
}

/** Softmax ops: null, one weight for every class, or one weight per class, each in [0, 1]. */
export function checkClassAlpha(op: string, alpha: unknown, classes: number): number[] | null {
  if (alpha === null || alpha === undefined) return null;
  const list = typeof alpha === 'number' ? new Array<number>(classes).fill(alpha) : alpha;
  if (!Array.isArray(list) && !ArrayBuffer.isView(list)) {
    throw invalidOption(op, 'alpha', alpha, `null, a number or an array of ${classes} numbers`);
  }
  const values = Array.from(list as ArrayLike<number>);
  if (values.length !== classes) throw classCountError(op, 'alpha', values.length, classes);
  for (const a of values) {
    if (typeof a !== 'number' || !(a >= 0 && a <= 1)) throw invalidOption(op, 'every alpha', a, 'a number in [0, 1]');
  }
  return values;
}

/**
 * Keras-style class weights: one number >= 0 for every class, or a non-empty list of them
 * (its length is checked against the prediction when the loss is called).
 */
export function checkClassWeightList(op: string, name: string, value: unknown): number | number[] {
  if (!Array.isArray(value)) return checkNonNegative(op, name, value);
  if (value.length === 0) throw new Error(`${op}: ${name} must not be an empty list`);
  return value.map((v, i) => checkNonNegative(op, `${name}[${i}]`, v));
}

export function checkReduction(op: string, reduction: unknown): Reduction {
  return checkOneOf(op, 'reduction', reduction, REDUCTIONS);
}

export function checkLabelSmoothing(op: string, s: unknown): number {
  return checkInRange(op, 'labelSmoothing', s, 0, 1, '[)');
}

export function checkNormalizer(op: string, normalizer: unknown): number {
  return checkPositive(op, 'normalizer', normalizer);
}

/** undefined or null: no label is ignored; else an integer. */
export function checkIgnoreIndex(op: string, ignoreIndex: unknown, name = 'ignoreIndex'): number | null {
  if (ignoreIndex === undefined || ignoreIndex === null) return null;
  return checkInteger(op, name, ignoreIndex);
}

/** Resolves a possibly negative axis against the rank; throws when out of range. */
export function normalizeAxis(op: string, axis: unknown, rank: number, input: CheckedInput = 'logits'): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis) || axis < -rank || axis >= rank) {
    const of = input === 'logits' ? 'logits' : 'a prediction';
    throw invalidOption(op, 'axis', axis, `an integer in [${-rank}, ${rank - 1}] for ${of} of rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}

// ---------------------------------------------------------------------------------------
// Data entries (labels, targets), checked where the data is on the CPU.

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

// ---------------------------------------------------------------------------------------
// Shapes, as the checks compare and quote them.

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
