/**
 * Letterboxing: an image scaled (aspect ratio kept) to fit a `side`×`side` square and centred
 * on black padding, as YOLO-style loaders do; boxes follow with the same scale and offset.
 * Pixels are resampled by area (each output pixel averages the source area it covers, which
 * is exact at scale 1 and does not alias when shrinking); masks by nearest neighbour, their
 * padding ignored.
 */
import type { DecodedImage } from './decode.js';

/** Where an image landed in the square: `x' = x · scaleX + offsetX`, likewise for y. */
export interface Placement {
  scaleX: number;
  scaleY: number;
  offsetX: number;
  offsetY: number;
  /** The scaled image's size inside the square. */
  width: number;
  height: number;
}

/** The placement of a `width`×`height` image in a `side` square. */
export function placement(width: number, height: number, side: number): Placement {
  const scale = side / Math.max(width, height);
  const w = Math.max(1, Math.min(side, Math.round(width * scale)));
  const h = Math.max(1, Math.min(side, Math.round(height * scale)));
  return {
    scaleX: w / width,
    scaleY: h / height,
    offsetX: Math.floor((side - w) / 2),
    offsetY: Math.floor((side - h) / 2),
    width: w,
    height: h,
  };
}

/** Per output index 0…n−1, the source indices it covers and their weights (area resampling of `from` onto `n`). */
function areaWeights(from: number, n: number): { index: number[]; weight: number[] }[] {
  const ratio = from / n;
  return Array.from({ length: n }, (_, o) => {
    const lo = o * ratio;
    const hi = (o + 1) * ratio;
    const index: number[] = [];
    const weight: number[] = [];
    for (let s = Math.floor(lo); s < Math.min(from, Math.ceil(hi)); s++) {
      const w = Math.min(hi, s + 1) - Math.max(lo, s);
      if (w > 1e-9) {
        index.push(s);
        weight.push(w / ratio);
      }
    }
    return { index, weight };
  });
}

/**
 * The image letterboxed into `side`×`side` with `channels` channels (a gray image is copied
 * into each of 3 channels), row-major HWC, written into `out` (zeros elsewhere).
 */
export function letterboxImage(image: DecodedImage, side: number, channels: 1 | 3, out: Float32Array): Placement {
  const p = placement(image.width, image.height, side);
  const cols = areaWeights(image.width, p.width);
  const rows = areaWeights(image.height, p.height);
  const C = image.channels;
  const row = new Float64Array(image.width * C);
  for (let oy = 0; oy < p.height; oy++) {
    row.fill(0);
    const { index: ys, weight: wy } = rows[oy]!;
    for (let k = 0; k < ys.length; k++) {
      const base = ys[k]! * image.width * C;
      for (let i = 0; i < image.width * C; i++) row[i]! += wy[k]! * image.data[base + i]!;
    }
    for (let ox = 0; ox < p.width; ox++) {
      const { index: xs, weight: wx } = cols[ox]!;
      const o = ((oy + p.offsetY) * side + ox + p.offsetX) * channels;
      for (let c = 0; c < channels; c++) {
        const sc = C === 1 ? 0 : c;
        let v = 0;
        for (let k = 0; k < xs.length; k++) v += wx[k]! * row[xs[k]! * C + sc]!;
        out[o + c] = v;
      }
    }
  }
  return p;
}

/** The mask letterboxed into `side`×`side` by nearest neighbour; padding gets `padValue`. */
export function letterboxMask(values: Int32Array, width: number, height: number, side: number, padValue: number, out: Int32Array): void {
  const p = placement(width, height, side);
  out.fill(padValue);
  for (let oy = 0; oy < p.height; oy++) {
    const sy = Math.min(height - 1, Math.floor((oy + 0.5) / p.scaleY));
    for (let ox = 0; ox < p.width; ox++) {
      const sx = Math.min(width - 1, Math.floor((ox + 0.5) / p.scaleX));
      out[(oy + p.offsetY) * side + ox + p.offsetX] = values[sy * width + sx]!;
    }
  }
}

/** A box `[x1, y1, x2, y2]` in the image's pixels, in the square's. */
export function placeBox(box: ArrayLike<number>, p: Placement): [number, number, number, number] {
  return [box[0]! * p.scaleX + p.offsetX, box[1]! * p.scaleY + p.offsetY, box[2]! * p.scaleX + p.offsetX, box[3]! * p.scaleY + p.offsetY];
}
