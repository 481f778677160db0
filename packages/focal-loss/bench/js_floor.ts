/**
 * The scalar floor: one plain JS loop computing the mean focal loss and its gradient
 * together (float64 accumulation, float32 gradient), written directly without the library.
 * It does no more work per element than the library's loops, so "vs JS floor" compares with
 * the best plain loop: sigmoid takes one exp, one log1p and one division per element (hard
 * targets need no second division); softmax takes one exp per element, cached in the gradient
 * array and reused by the gradient pass, and one log1p per row.
 */
import { ALPHA, GAMMA, type SigmoidData, type SoftmaxData } from './data.js';

export function sigmoidFloor(data: SigmoidData, grad: Float32Array): number {
  const { logits, targets } = data;
  const n = logits.length;
  const scale = 1 / n;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = logits[i];
    const t = targets[i];
    const e = Math.exp(-Math.abs(x));
    const l = Math.log1p(e);
    const big = 1 / (1 + e);
    const p = x >= 0 ? big : e * big;
    const q = x >= 0 ? e * big : big;
    const ce = t * (Math.max(-x, 0) + l) + (1 - t) * (Math.max(x, 0) + l);
    const m = t * q + (1 - t) * p;
    const at = ALPHA * t + (1 - ALPHA) * (1 - t);
    const mg = m * m;
    // r = p q / m: p for t = 1, q for t = 0, a division only for soft targets.
    const r = t === 1 ? p : t === 0 ? q : m > 0 ? (p * q) / m : 0;
    sum += at * mg * ce;
    grad[i] = at * mg * (p - t + GAMMA * (1 - 2 * t) * r * ce) * scale;
  }
  return sum * scale;
}

export function softmaxFloor(data: SoftmaxData, grad: Float32Array): number {
  const { logits, labels, shape } = data;
  const [rows, classes] = shape;
  const scale = 1 / rows;
  let sum = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let max = logits[base];
    let argmax = 0;
    for (let c = 1; c < classes; c++) {
      if (logits[base + c] > max) {
        max = logits[base + c];
        argmax = c;
      }
    }
    const y = labels[r];
    // One pass of exps, each cached in the gradient array for the gradient pass.
    let rest = 0;
    let ey = 1;
    for (let c = 0; c < classes; c++) {
      if (c === argmax) {
        grad[base + c] = 1;
      } else {
        const e = Math.exp(logits[base + c] - max);
        grad[base + c] = e;
        rest += e;
        if (c === y) ey = e;
      }
    }
    const s = 1 + rest;
    const u = y === argmax ? rest / s : (s - ey) / s;
    const nll = max - logits[base + y] + Math.log1p(rest);
    const ug = u * u;
    sum += ALPHA * ug * nll;
    const g = ALPHA * ug * (1 + GAMMA * (ey / s) * (u > 0 ? nll / u : 1)) * scale;
    const gs = g / s;
    for (let c = 0; c < classes; c++) {
      grad[base + c] = c === y ? -g * u : gs * grad[base + c];
    }
  }
  return sum * scale;
}
