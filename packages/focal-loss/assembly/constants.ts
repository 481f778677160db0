// Vector constants, read from a static table instead of written as v128.const.
//
// Why: V8 (Node 20, x64) rebuilds a v128.const at every use inside a loop from a 64-bit
// immediate (three instructions, one a general-to-vector register move that issues once a
// cycle) and never hoists it. The sigmoid loop has about 50 constants, and rebuilding them
// was its bottleneck (`node --print-wasm-code`). A table read is one load from L1, and
// binaryen leaves loads alone. Zero and all-ones stay v128.const: V8 makes those in one
// instruction (xor, compare).

/** The four lanes stored at `table` (one of the constants below). */
@inline export function lanes(table: usize): v128 {
  return v128.load(table);
}

// float32 lanes
export const ONE = memory.data<f32>([1, 1, 1, 1], 16);
export const HALF = memory.data<f32>([0.5, 0.5, 0.5, 0.5], 16);
export const TWO = memory.data<f32>([2, 2, 2, 2], 16);
export const INFINITY = memory.data<f32>([Infinity, Infinity, Infinity, Infinity], 16);
export const NEG_INFINITY = memory.data<f32>([-Infinity, -Infinity, -Infinity, -Infinity], 16);
export const NAN = memory.data<f32>([NaN, NaN, NaN, NaN], 16);
/** Logits at or above this magnitude go to the edge list. */
export const HUGE = memory.data<f32>([1e30, 1e30, 1e30, 1e30], 16);

// int32 lanes
export const IOTA = memory.data<i32>([0, 1, 2, 3], 16);
