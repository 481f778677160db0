/** Deterministic benchmark inputs (a 32-bit LCG), the same in Node and in the browser. */

export interface SigmoidData {
  kind: 'sigmoid';
  shape: [number];
  logits: Float32Array;
  targets: Float32Array;
}
export interface SoftmaxData {
  kind: 'softmax';
  shape: [number, number];
  logits: Float32Array;
  labels: Int32Array;
}
export type BenchData = SigmoidData | SoftmaxData;

/** n uniforms in [0, 1) from a 32-bit LCG. */
export function uniform(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32;
  }
  return out;
}

/** Logits uniform in [-6, 6], targets 1 with probability 0.1 (detector-like imbalance). */
export function sigmoidData(n: number): SigmoidData {
  const logits = Float32Array.from(uniform(n, 7), (u) => (u - 0.5) * 12);
  const targets = Float32Array.from(uniform(n, 11), (u) => (u < 0.1 ? 1 : 0));
  return { kind: 'sigmoid', shape: [n], logits, targets };
}

/** Classes per row for a softmax benchmark of n elements: 8 up to 10^5, then 80. */
export function softmaxClasses(n: number): number {
  return n <= 100_000 ? 8 : 80;
}

/** [n / C, C] logits uniform in [-4, 4], labels uniform over the classes. */
export function softmaxData(n: number): SoftmaxData {
  const classes = softmaxClasses(n);
  const rows = Math.floor(n / classes);
  const logits = Float32Array.from(uniform(rows * classes, 13), (u) => (u - 0.5) * 8);
  const labels = Int32Array.from(uniform(rows, 17), (u) => Math.min(classes - 1, Math.floor(u * classes)));
  return { kind: 'softmax', shape: [rows, classes], logits, labels };
}

export const ALPHA = 0.25;
export const GAMMA = 2;
