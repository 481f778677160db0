// Fixed memory layout shared with src/kernels/simd/module.ts (which reads it through the
// exported bufferOffset/chunkSize): the module allocates nothing at run time, so the JS side
// keeps one set of typed-array views for the life of the instance.

/** Elements per call: the JS side streams longer arrays through in chunks of this size. */
export const CHUNK: i32 = 8192;
/** Floats of slack after each buffer: vector loads and stores may run up to 3 lanes past a row. */
const SLACK: i32 = 16;
export const BUF_BYTES: i32 = (CHUNK + SLACK) * 4;
/** Buffers start on page 1, above anything the compiler places in static memory. */
export const BASE: i32 = 65536;

export const X: i32 = BASE;                 // logits (f32)
export const T: i32 = BASE + BUF_BYTES;     // targets (f32)
export const W: i32 = BASE + 2 * BUF_BYTES; // weights (f32): per element (sigmoid) or per row (softmax)
export const L: i32 = BASE + 3 * BUF_BYTES; // loss out (f32): per element or per row
export const G: i32 = BASE + 4 * BUF_BYTES; // gradient out (f32); softmax also keeps its exps here
export const E: i32 = BASE + 5 * BUF_BYTES; // edge list (i32): vector or row indices the JS side redoes
export const A: i32 = BASE + 6 * BUF_BYTES; // per-class alpha (f64, up to CHUNK / 2 classes)
export const Y: i32 = BASE + 7 * BUF_BYTES; // labels (i32), -1 for an ignored row
/** Buffers in the layout (bufferOffset accepts 0 .. BUFFERS - 1). */
export const BUFFERS: i32 = 8;
