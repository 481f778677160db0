/**
 * Box coding as in R-CNN / RetinaNet: a box is regressed relative to its anchor as
 * (dx, dy, dw, dh) = (wx·(cx − cxₐ)/wₐ, wy·(cy − cyₐ)/hₐ, ww·ln(w/wₐ), wh·ln(h/hₐ)).
 */

/** Weights (wx, wy, ww, wh) and the clamp on decoded dw, dh. */
export interface BoxCoderOptions {
  /** Default [1, 1, 1, 1] (RetinaNet in torchvision and Detectron2; Faster R-CNN uses [10, 10, 5, 5]). */
  weights?: readonly [number, number, number, number];
  /** Upper clamp of dw and dh (after dividing by the weights) when decoding; default ln(1000/16). */
  clamp?: number;
}

/** ln(1000 / 16): the usual clamp, so exp(dw) cannot overflow. */
export const DEFAULT_BOX_CLAMP = Math.log(1000 / 16);

/**
 * The coder's options, checked: four finite weights > 0 (a weight of 0 would divide the deltas
 * by zero when decoding) and a clamp that is a number, not NaN (Infinity turns clamping off).
 */
function codingOptions(fn: string, options: BoxCoderOptions): { weights: readonly [number, number, number, number]; clamp: number } {
  const weights = options.weights ?? [1, 1, 1, 1];
  if (!Array.isArray(weights) || weights.length !== 4 || !weights.every((w) => typeof w === 'number' && Number.isFinite(w) && w > 0)) {
    throw new Error(`${fn}: options.weights must be four finite numbers > 0 (wx, wy, ww, wh), got ${JSON.stringify(weights)}`);
  }
  const clamp = options.clamp ?? DEFAULT_BOX_CLAMP;
  if (typeof clamp !== 'number' || Number.isNaN(clamp))
    throw new Error(`${fn}: options.clamp must be a number (Infinity: no clamp), got ${String(clamp)}`);
  return { weights, clamp };
}

/** Number of four-number rows in `values`; throws naming the function and argument otherwise. */
function rowsOf(fn: string, arg: string, values: ArrayLike<number>, per: string): number {
  if (values.length % 4 !== 0) throw new Error(`${fn}: ${arg} has ${values.length} numbers, not 4 per ${per}`);
  return values.length / 4;
}

/** Index lists: `count` entries, each an integer in [0, size) (or < 0 where `negativeMeans` is given). */
function checkIndices(
  fn: string,
  arg: string,
  indices: ArrayLike<number>,
  count: number,
  rows: string,
  size: number,
  what: string,
  negativeMeans?: string,
): void {
  if (indices.length !== count) throw new Error(`${fn}: ${arg} has ${indices.length} entries for ${count} ${rows}`);
  for (let i = 0; i < count; i++) {
    const v = indices[i]!;
    if (Number.isInteger(v) && v < size && (v >= 0 || negativeMeans !== undefined)) continue;
    const negative = negativeMeans === undefined ? '' : ` or < 0 (${negativeMeans})`;
    throw new Error(`${fn}: ${arg}[${i}] = ${v} is not ${what} index in [0, ${size})${negative}`);
  }
}

/**
 * Width and height of box `i` of `values`, which must be finite and > 0: the coding takes
 * their log (a zero width would give a -Infinity target), and divides by an anchor's.
 */
function sizeOf(fn: string, arg: string, values: ArrayLike<number>, i: number, need: string): [number, number] {
  const w = values[4 * i + 2]! - values[4 * i]!;
  const h = values[4 * i + 3]! - values[4 * i + 1]!;
  for (const [name, v] of [
    ['width', w],
    ['height', h],
  ] as const) {
    if (v > 0 && Number.isFinite(v)) continue;
    const box = Array.from({ length: 4 }, (_, k) => values[4 * i + k]).join(', ');
    throw new Error(`${fn}: ${arg}[${i}] = [${box}] has ${name} ${v}; ${need}`);
  }
  return [w, h];
}

/**
 * Encodes `boxes` relative to `anchors` (both `[x1, y1, x2, y2]`, the same count): four
 * deltas per box. Every box encoded and its anchor must have finite width and height > 0,
 * else this throws naming the box: ln(w / wₐ) of a zero-width box would be -Infinity and
 * poison the training. torchvision's RetinaNet refuses such target boxes when training
 * starts; here {@link assignAnchors} never matches one (a box without area overlaps no
 * anchor: IoU 0, so it is neither positive nor claimed), so degenerate ground truth from a
 * data set never reaches this function through it.
 *
 * @param indices optional: encode box `indices[i]` against anchor i (e.g. the matched ground
 *   truth per anchor); entries < 0 give zero deltas and are not checked.
 */
export function encodeBoxes(
  boxes: ArrayLike<number>,
  anchors: ArrayLike<number>,
  options: BoxCoderOptions = {},
  indices?: ArrayLike<number>,
): Float32Array {
  const fn = 'encodeBoxes';
  const [wx, wy, ww, wh] = codingOptions(fn, options).weights;
  const n = rowsOf(fn, 'anchors', anchors, 'anchor');
  const m = rowsOf(fn, 'boxes', boxes, 'box');
  if (indices === undefined && m !== n) throw new Error(`${fn}: ${m} boxes for ${n} anchors`);
  if (indices !== undefined) checkIndices(fn, 'indices', indices, n, 'anchors', m, 'a box', 'no box');
  const out = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) {
    const b = indices === undefined ? i : indices[i]!;
    if (b < 0) continue;
    const [aw, ah] = sizeOf(fn, 'anchors', anchors, i, 'anchors need width and height > 0');
    const [bw, bh] = sizeOf(fn, 'boxes', boxes, b, 'encoded boxes need width and height > 0 (the coding takes their log)');
    const acx = anchors[4 * i]! + 0.5 * aw;
    const acy = anchors[4 * i + 1]! + 0.5 * ah;
    const bcx = boxes[4 * b]! + 0.5 * bw;
    const bcy = boxes[4 * b + 1]! + 0.5 * bh;
    out[4 * i] = (wx * (bcx - acx)) / aw;
    out[4 * i + 1] = (wy * (bcy - acy)) / ah;
    out[4 * i + 2] = ww * Math.log(bw / aw);
    out[4 * i + 3] = wh * Math.log(bh / ah);
  }
  return out;
}

/**
 * Decodes deltas (four per anchor) back to `[x1, y1, x2, y2]` boxes; dw and dh are clamped
 * from above at `options.clamp`.
 *
 * @param anchorIndices optional: decode `deltas` row i against anchor `anchorIndices[i]`
 *   (e.g. only the top-scoring anchors).
 */
export function decodeBoxes(
  deltas: ArrayLike<number>,
  anchors: ArrayLike<number>,
  options: BoxCoderOptions = {},
  anchorIndices?: ArrayLike<number>,
): Float32Array {
  const fn = 'decodeBoxes';
  const { weights, clamp } = codingOptions(fn, options);
  const [wx, wy, ww, wh] = weights;
  const n = rowsOf(fn, 'deltas', deltas, 'row');
  const anchorCount = rowsOf(fn, 'anchors', anchors, 'anchor');
  if (anchorIndices === undefined && n !== anchorCount) throw new Error(`${fn}: ${n} deltas for ${anchorCount} anchors`);
  if (anchorIndices !== undefined) checkIndices(fn, 'anchorIndices', anchorIndices, n, 'rows of deltas', anchorCount, 'an anchor');
  const out = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) {
    const a = anchorIndices === undefined ? i : anchorIndices[i]!;
    const aw = anchors[4 * a + 2]! - anchors[4 * a]!;
    const ah = anchors[4 * a + 3]! - anchors[4 * a + 1]!;
    const acx = anchors[4 * a]! + 0.5 * aw;
    const acy = anchors[4 * a + 1]! + 0.5 * ah;
    const dx = deltas[4 * i]! / wx;
    const dy = deltas[4 * i + 1]! / wy;
    const dw = Math.min(deltas[4 * i + 2]! / ww, clamp);
    const dh = Math.min(deltas[4 * i + 3]! / wh, clamp);
    const cx = dx * aw + acx;
    const cy = dy * ah + acy;
    const w = Math.exp(dw) * aw;
    const h = Math.exp(dh) * ah;
    out[4 * i] = cx - 0.5 * w;
    out[4 * i + 1] = cy - 0.5 * h;
    out[4 * i + 2] = cx + 0.5 * w;
    out[4 * i + 3] = cy + 0.5 * h;
  }
  return out;
}
