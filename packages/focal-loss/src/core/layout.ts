/**
 * How the class-axis losses view their logits: [outer, classes, inner] around the class axis,
 * so that the axis need not be last. Shared by the float64 core, the SIMD kernels and the
 * kernels' attrs.
 */
import { sizeOf } from './options.js';

/** Logits viewed as [outer, classes, inner]: the class axis need not be last. */
export interface ClassAxisLayout {
  /** The product of the dimensions before the class axis. */
  outer: number;
  /** The number of classes (the class axis's length). */
  classes: number;
  /** The product of the dimensions after the class axis (1 when it is last). */
  inner: number;
}

/** Views a shape as [outer, classes, inner] around the (non-negative) class axis. */
export function classAxisLayout(shape: readonly number[], axis: number): ClassAxisLayout {
  return {
    outer: sizeOf(shape.slice(0, axis)),
    classes: shape[axis],
    inner: sizeOf(shape.slice(axis + 1)),
  };
}
