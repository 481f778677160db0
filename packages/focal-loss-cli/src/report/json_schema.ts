/**
 * A small schema language for JSON files that the CLI reads back: a format is written once,
 * declaratively, as a value built from these combinators; reading a parsed file through it
 * checks every field and returns the file revived (a new value; the input is not changed),
 * with its TypeScript type inferred from the description ({@link Infer}).
 *
 * Objects keep the fields they do not describe (a file from a later version keeps its
 * additions when written again). The first problem found is thrown as a {@link SchemaError}
 * that names the field by its path, e.g. `'experiments[0].runs[3].seconds' is "12", not a number`.
 */
import { printable } from '../data/errors.js';

/** A value that does not fit its description; `at` is the path of the field ('' for the whole value). */
export class SchemaError extends Error {
  override name = 'SchemaError';
  constructor(
    readonly at: string,
    readonly problem: string,
  ) {
    super(at === '' ? `the whole file ${problem}` : `'${at}' ${problem}`);
  }
}

/** The description of a value of type T. */
export interface Schema<T> {
  /** What the value must be, in words ("a number", "a list of strings"), for messages. */
  readonly expected: string;
  /** Checks `value`, found at path `at`, and returns it revived; throws a {@link SchemaError}. */
  read(value: unknown, at: string): T;
}

/** The type a schema reads. */
export type Infer<S> = S extends Schema<infer T> ? T : never;

/** `'a'`, `12`, `a list`: a value as a message shows it (short, one line, no invisible characters). */
function shown(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return printable(text.length > 40 ? `${text.slice(0, 37)}...` : text);
}

/** Throws the problem of a value that is not what `expected` says. */
function mismatch(value: unknown, at: string, expected: string): never {
  throw new SchemaError(at, value === undefined ? 'is missing' : `is ${shown(value)}, not ${expected}`);
}

const child = (at: string, key: string) => (at === '' ? key : `${at}.${key}`);

function primitive<T>(expected: string, accepts: (value: unknown) => value is T): Schema<T> {
  return {
    expected,
    read(value, at) {
      if (!accepts(value)) mismatch(value, at, expected);
      return value;
    },
  };
}

/** A string. */
export const string: Schema<string> = primitive('a string', (v): v is string => typeof v === 'string');

/** A number. (JSON has no NaN or infinities; see {@link measured} for numbers that may have been one.) */
export const number: Schema<number> = primitive('a number', (v): v is number => typeof v === 'number' && Number.isFinite(v));

/** true or false. */
export const boolean: Schema<boolean> = primitive('true or false', (v): v is boolean => typeof v === 'boolean');

/** A whole number, at least `min`. */
export function integer(min = 0): Schema<number> {
  return primitive(`a whole number >= ${min}`, (v): v is number => Number.isInteger(v) && (v as number) >= min);
}

/**
 * A computed number that may have been NaN or infinite: JSON.stringify writes those as
 * null, and null is read back as NaN (what the computation gave, as far as JSON keeps it).
 */
export const measured: Schema<number> = {
  expected: 'a number (or null for NaN)',
  read(value, at) {
    if (value === null) return NaN;
    if (typeof value !== 'number') mismatch(value, at, 'a number (or null for NaN)');
    return value;
  },
};

/** One of the given strings. */
export function oneOf<const V extends string>(...values: V[]): Schema<V> {
  return primitive(`one of ${values.map((v) => `'${v}'`).join(', ')}`, (v): v is V => values.includes(v as V));
}

/** The value described by `schema`, or null. */
export function nullable<T>(schema: Schema<T>): Schema<T | null> {
  return {
    expected: `${schema.expected} or null`,
    read: (value, at) => (value === null ? null : schema.read(value, at)),
  };
}

/** A list of values described by `item`, with at least `min` entries (a report needs something to show). */
export function list<T>(item: Schema<T>, { min = 0 } = {}): Schema<T[]> {
  const expected = `a list of ${item.expected.replace(/^(an?|one of) /, '')}`;
  return {
    expected,
    read(value, at) {
      if (!Array.isArray(value)) mismatch(value, at, expected);
      if (value.length < min)
        throw new SchemaError(at, value.length === 0 ? 'is an empty list' : `has ${value.length} entries, fewer than ${min}`);
      return value.map((v, i) => item.read(v, `${at}[${i}]`));
    },
  };
}

/** Exactly two values described by `item`, e.g. an interval [low, high]. */
export function pair<T>(item: Schema<T>): Schema<[T, T]> {
  const expected = `a pair [${item.expected}, ${item.expected}]`;
  return {
    expected,
    read(value, at) {
      if (!Array.isArray(value) || value.length !== 2) mismatch(value, at, expected);
      return [item.read(value[0], `${at}[0]`), item.read(value[1], `${at}[1]`)];
    },
  };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An object whose every field is described by `value` (a name → value map), with at least `min` fields. */
export function record<T>(value: Schema<T>, { min = 0 } = {}): Schema<Record<string, T>> {
  const expected = 'an object';
  return {
    expected,
    read(raw, at) {
      if (!isPlainObject(raw)) mismatch(raw, at, expected);
      const entries = Object.entries(raw);
      if (entries.length < min)
        throw new SchemaError(at, entries.length === 0 ? 'is an empty object' : `has ${entries.length} fields, fewer than ${min}`);
      return Object.fromEntries(entries.map(([k, v]) => [k, value.read(v, child(at, k))]));
    },
  };
}

/** A field that may be absent. */
export interface OptionalField<T> {
  readonly optional: Schema<T>;
}

/** Marks an object field as optional: absent is fine, present must fit `schema`. */
export function optional<T>(schema: Schema<T>): OptionalField<T> {
  return { optional: schema };
}

/** The fields of an object description. */
export type Shape = Record<string, Schema<unknown> | OptionalField<unknown>>;
type RequiredKeys<S extends Shape> = { [K in keyof S]: S[K] extends OptionalField<unknown> ? never : K }[keyof S];
type FieldType<F> = F extends Schema<infer T> ? T : F extends OptionalField<infer T> ? T : never;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
/** The type of an object described by `S`. */
export type ObjectOf<S extends Shape> = Simplify<
  { [K in RequiredKeys<S>]: FieldType<S[K]> } & { [K in Exclude<keyof S, RequiredKeys<S>>]?: FieldType<S[K]> }
>;

/**
 * An object with the described fields; fields it does not describe are kept as they are.
 * Fields are checked in the description's order, so the first problem is the first field.
 */
export function object<S extends Shape>(shape: S): Schema<ObjectOf<S>> {
  const expected = 'an object';
  const fields = Object.entries(shape).map(([key, field]) => ({
    key,
    schema: 'optional' in field ? field.optional : field,
    required: !('optional' in field),
  }));
  return {
    expected,
    read(raw, at) {
      if (!isPlainObject(raw)) mismatch(raw, at, expected);
      const read: Record<string, unknown> = {};
      for (const { key, schema, required } of fields) {
        if (raw[key] === undefined && !required) continue;
        read[key] = schema.read(raw[key], child(at, key));
      }
      // The file's own field order; undescribed fields as they are.
      return Object.fromEntries(Object.keys(raw).map((key) => [key, key in read ? read[key] : raw[key]])) as ObjectOf<S>;
    },
  };
}

/**
 * `schema` with a rule across its fields: `problem` returns what is wrong (with the path of
 * the field, relative to this value) or undefined when the value is fine.
 */
export function refine<T>(schema: Schema<T>, problem: (value: T) => { at?: string; problem: string } | undefined): Schema<T> {
  return {
    expected: schema.expected,
    read(raw, at) {
      const value = schema.read(raw, at);
      const found = problem(value);
      if (found)
        throw new SchemaError(
          found.at === undefined ? at : found.at.startsWith('[') ? `${at}${found.at}` : child(at, found.at),
          found.problem,
        );
      return value;
    },
  };
}
