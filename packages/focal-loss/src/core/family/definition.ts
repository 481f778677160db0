/**
 * The mechanism behind the element-wise members of the focal family (QFL, VFL, Gaussian,
 * Poly-1, ASL, ...): a loss is ONE definition — its parameters (defaults and checks), the
 * targets it accepts, and the float64 loss and closed-form gradient of one element from a
 * logit x and a target t. Everything else is shared and lives here or in the kernels:
 * the loops, reductions ('none' / 'sum' / 'mean'), weights, normalizer, option and target
 * checks (errors naming the op and the argument), ±Infinity limits, and the plain-array
 * entry (`coreElementwiseLoss`). The TF.js op, its cpu/wasm kernels and the composite
 * fallback come from the same definition (src/kernels/family, src/ops/family.ts).
 */
import { type FloatArray, type NumericArray, weighted } from '../numerics.js';
import {
  checkFiniteNumber,
  checkFlag,
  checkInRange,
  checkNonNegative,
  checkNormalizer,
  checkOptions,
  checkReduction,
  checkUnitOrNull,
  formatShape,
  invalidEntry,
  sizeOf,
} from '../options.js';
import type { Reduction } from '../reduction.js';

/** A parameter value: kernel attrs carry numbers, booleans and null. */
export type ParamValue = number | boolean | null;
export type Params = Record<string, ParamValue>;
/** A parameters object: every field a ParamValue (interfaces qualify, no index signature needed). */
export type ParamsOf<P> = { [K in keyof P]: ParamValue };

/** One parameter of a loss: its default and its check (which throws naming op and argument). */
export interface ParamSpec<V extends ParamValue = ParamValue> {
  default: V;
  check(op: string, name: string, value: unknown): V;
}

/** Which targets a loss is defined for; checked per entry where the data is on the CPU. */
export type TargetDomain = 'probability' | 'binary';

/**
 * The definition of an element-wise loss of the focal family: its name, parameters, target
 * domain and the float64 loss and gradient of one element; {@link elementwiseLossInto} and
 * {@link coreElementwiseLoss} run it over arrays.
 */
export interface ElementwiseDefinition<P extends ParamsOf<P> = Params> {
  /** The op's name, as errors and exports name it (e.g. 'qualityFocalLoss'). */
  name: string;
  /** Each parameter's default and check, by option name. */
  params: { [K in keyof P]: ParamSpec<P[K]> };
  /** The targets the loss accepts: 'probability' (in [0, 1]) or 'binary' (0 or 1). */
  targets: TargetDomain;
  /**
   * Loss and d loss / dx of one element, float64, for a finite logit x (callers also pass
   * ±1e300 to take limits) and a valid target t: writes out[0] = loss, out[1] = gradient.
   */
  evaluate(x: number, t: number, params: P, out: Float64Array): void;
}

// ---------------------------------------------------------------------------------------
// Building blocks for definitions.

/**
 * p = sigmoid(x), q = 1 - p = sigmoid(-x), softplus(x) = -log q and softplus(-x) = -log p,
 * all without cancellation or overflow, written into `out` as [p, q, spX, spMinusX].
 */
export function logistic(x: number, out: Float64Array): void {
  const e = Math.exp(-Math.abs(x));
  const l = Math.log1p(e);
  const big = 1 / (1 + e);
  const small = e * big;
  out[0] = x >= 0 ? big : small;
  out[1] = x >= 0 ? small : big;
  out[2] = Math.max(x, 0) + l;
  out[3] = Math.max(-x, 0) + l;
}

/** m^g with 0^0 = 1 and the common exponents special-cased. */
export function pow(m: number, g: number): number {
  if (g === 2) return m * m;
  if (g === 1) return m;
  if (g === 0) return 1;
  return Math.pow(m, g);
}

/** A finite number (any sign). */
export function number(defaultValue: number): ParamSpec<number> {
  return { default: defaultValue, check: checkFiniteNumber };
}

/** A finite number >= 0 (exponents). */
export function nonNegative(defaultValue: number): ParamSpec<number> {
  return { default: defaultValue, check: checkNonNegative };
}

/** A number in [lo, hi] (weights, clips). */
export function inRange(defaultValue: number, lo: number, hi: number): ParamSpec<number> {
  return { default: defaultValue, check: (op, name, value) => checkInRange(op, name, value, lo, hi) };
}

/** A number in [0, 1], or null for "off". */
export function unitOrNull(defaultValue: number | null): ParamSpec<number | null> {
  return { default: defaultValue, check: checkUnitOrNull };
}

export function flag(defaultValue: boolean): ParamSpec<boolean> {
  return { default: defaultValue, check: checkFlag };
}

// ---------------------------------------------------------------------------------------
// Shared options, checks and loops.

/** Options every element-wise family loss takes, besides its own parameters. */
export const SHARED_OPTIONS = ['reduction', 'weights', 'normalizer'] as const;

/** The definition's parameters from the given options: defaults filled in, each checked. */
export function resolveParams<P extends ParamsOf<P>>(def: ElementwiseDefinition<P>, options: Record<string, unknown>): P {
  const params = {} as P;
  for (const key of Object.keys(def.params) as Array<keyof P & string>) {
    const spec = def.params[key];
    const given = options[key];
    params[key] = given === undefined ? spec.default : spec.check(def.name, key, given);
  }
  return params;
}

/** The option names an op built on `def` knows. */
export function knownOptions<P extends ParamsOf<P>>(def: ElementwiseDefinition<P>): string[] {
  return [...SHARED_OPTIONS, ...Object.keys(def.params)];
}

/** Throws the error of an invalid target (NaN included), naming op and argument. */
export function checkFamilyTarget(op: string, domain: TargetDomain, t: number, index: number): void {
  if (domain === 'binary') {
    if (t !== 0 && t !== 1) throw invalidEntry(op, 'targets', index, t, '0 or 1');
  } else if (!(t >= 0 && t <= 1)) {
    throw invalidEntry(op, 'targets', index, t, 'in [0, 1]');
  }
}

export function checkFamilyTargets(op: string, domain: TargetDomain, targets: NumericArray): void {
  for (let i = 0; i < targets.length; i++) checkFamilyTarget(op, domain, targets[i], i);
}

/** A logit the loop stands in for at ±Infinity (see edge()). */
const FAR = 1e300;
const NEAR = 1e150;

/**
 * One pass over the elements: writes the gradient of the reduced loss into `gradOut` (null:
 * not written; a definition's evaluate gives loss and gradient together), the
 * per-element loss into `lossOut` when reduction is 'none', and returns the reduced loss
 * (float64 accumulation; NaN for 'none'; 'mean' divides by the element count, 0 for none).
 * Throws on a target outside the definition's domain.
 */
export function elementwiseLossInto<P extends ParamsOf<P>>(
  def: ElementwiseDefinition<P>,
  params: P,
  logits: NumericArray,
  targets: NumericArray,
  weights: NumericArray | null,
  reduction: Reduction,
  lossOut: FloatArray | null,
  gradOut: FloatArray | null,
): number {
  const n = logits.length;
  const gradScale = reduction === 'mean' && n > 0 ? 1 / n : 1;
  const out = new Float64Array(2);
  const binary = def.targets === 'binary';
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = logits[i];
    const t = targets[i];
    const w = weights === null ? 1 : weights[i];
    if (Number.isFinite(x) && (binary ? t === 0 || t === 1 : t >= 0 && t <= 1)) {
      def.evaluate(x, t, params, out);
    } else {
      edge(def, params, x, t, i, out);
    }
    const loss = weighted(w, out[0]);
    if (lossOut !== null) lossOut[i] = loss;
    if (gradOut !== null) gradOut[i] = (w === 0 ? 0 : out[1] * w) * gradScale;
    sum += loss;
  }
  if (reduction === 'none') return NaN;
  return reduction === 'mean' ? (n > 0 ? sum / n : 0) : sum;
}

/**
 * The rare elements: a bad target throws; a NaN logit gives NaN; x = ±Infinity gives the
 * limits. Every member of the family is (bounded factor) × (softplus, which grows linearly)
 * plus bounded terms, and approaches its limits exponentially fast: so the gradient at
 * ±1e300 is its limit, and the loss is either converged there (the limit) or still growing
 * linearly (the limit is +Infinity), which comparing ±1e150 with ±1e300 tells apart.
 */
function edge<P extends ParamsOf<P>>(
  def: ElementwiseDefinition<P>,
  params: P,
  x: number,
  t: number,
  index: number,
  out: Float64Array,
): void {
  checkFamilyTarget(def.name, def.targets, t, index);
  if (Number.isNaN(x)) {
    out[0] = NaN;
    out[1] = NaN;
    return;
  }
  const sign = x > 0 ? 1 : -1;
  def.evaluate(sign * NEAR, t, params, out);
  const near = out[0];
  def.evaluate(sign * FAR, t, params, out);
  if (out[0] > 0 && out[0] > near * 1e100) out[0] = Infinity;
}

// ---------------------------------------------------------------------------------------
// The plain-array entry (focal-loss/core).

/** Options of a family loss on plain arrays: the shared ones plus the loss's parameters. */
export interface FamilyCoreOptions<R extends Reduction = Reduction> {
  /** 'none' | 'sum' | 'mean'. Default 'mean'. */
  reduction?: R;
  /** Multiplied into the per-element loss; one per element. */
  weights?: NumericArray;
  /** With 'mean', divides the summed loss instead of the element count. A number > 0. */
  normalizer?: number;
}

/** What a family loss on plain arrays returns: the loss and its gradient. */
export interface FamilyCoreResult<R extends Reduction = Reduction> {
  /** The reduced loss ('mean', 'sum'), or the loss per element ('none'). */
  loss: R extends 'none' ? Float64Array : number;
  /** d loss / d logits, one per element. */
  grad: Float64Array;
}

/** A family loss on plain arrays: (logits, targets, shape, options) -> { loss, grad }, float64. */
export type FamilyCoreLoss<P extends ParamsOf<P>> = <R extends Reduction = 'mean'>(
  logits: NumericArray,
  targets: NumericArray,
  shape: readonly number[],
  options?: (FamilyCoreOptions<R> & Partial<P>) | null,
) => FamilyCoreResult<R>;

/** Builds the plain-array entry of a definition. */
export function coreElementwiseLoss<P extends ParamsOf<P>>(def: ElementwiseDefinition<P>): FamilyCoreLoss<P> {
  const op = def.name;
  const known = knownOptions(def);
  return <R extends Reduction = 'mean'>(
    logits: NumericArray,
    targets: NumericArray,
    shape: readonly number[],
    given: (FamilyCoreOptions<R> & Partial<P>) | null = {},
  ): FamilyCoreResult<R> => {
    const options = checkOptions(op, given, known) as FamilyCoreOptions<R> & Record<string, unknown>;
    const n = sizeOf(shape);
    if (logits.length !== n) throw new Error(`${op}: logits has ${logits.length} values but shape ${formatShape(shape)} needs ${n}`);
    if (targets.length !== n) throw new Error(`${op}: targets has ${targets.length} values, expected ${n}`);
    const reduction = checkReduction(op, options.reduction ?? 'mean') as R;
    const normalizer = options.normalizer === undefined ? null : checkNormalizer(op, options.normalizer);
    const params = resolveParams(def, options);
    const weights = options.weights ?? null;
    if (weights !== null && weights.length !== n) {
      throw new Error(`${op}: weights has ${weights.length} values, expected ${n} (one per loss element)`);
    }
    const grad = new Float64Array(n);
    const lossOut = reduction === 'none' ? new Float64Array(n) : null;
    const kernelReduction = normalizer !== null && reduction === 'mean' ? 'sum' : reduction;
    let loss = elementwiseLossInto(def, params, logits, targets, weights, kernelReduction, lossOut, grad);
    if (normalizer !== null && reduction === 'mean') {
      for (let i = 0; i < n; i++) grad[i] /= normalizer;
      loss /= normalizer;
    }
    return { loss: (reduction === 'none' ? lossOut : loss) as FamilyCoreResult<R>['loss'], grad };
  };
}
