/**
 * Decoding the user's images and masks: JPEG with jpeg-js (EXIF orientation applied, see
 * orientation.ts), PNG with pngjs (gray, gray + alpha, RGB, RGBA, palette; 1- to 16-bit).
 * Both are pure JavaScript: no native binaries to build or download, so the CLI installs
 * wherever Node runs. A file that cannot be decoded (not an image, truncated, corrupt) is a
 * {@link DataError} naming the file.
 */
import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { DataError, printable } from '../errors.js';
import { applyOrientation, jpegOrientation } from './orientation.js';

/** A decoded image: row-major, `channels` values per pixel in [0, 1]. */
export interface DecodedImage {
  width: number;
  height: number;
  /** 1 (gray) or 3 (RGB; alpha is dropped: composited on black is not done, the colour is kept). */
  channels: 1 | 3;
  data: Float32Array;
}

/** A decoded mask: one integer per pixel (the class index; palette PNGs give the palette index). */
export interface DecodedMask {
  width: number;
  height: number;
  values: Int32Array;
}

/** The image file extensions read (lower case). */
export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png'] as const;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];

/** Reads a file, or a {@link DataError} naming it. */
export function readBytes(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataError(`${printable(path)}: cannot read (${code === 'ENOENT' ? 'no such file' : (code ?? (error as Error).message)})`);
  }
}

const isPng = (bytes: Uint8Array) => PNG_SIGNATURE.every((b, i) => bytes[i] === b);
const isJpeg = (bytes: Uint8Array) => bytes[0] === 0xff && bytes[1] === 0xd8;

/** The first line of a decoder's error message, for a one-line DataError. */
const reason = (error: unknown) => String((error as Error)?.message ?? error).split('\n')[0]!;

/** Decodes a JPEG or PNG file (by its bytes, not its name). */
export function decodeImage(path: string, bytes: Uint8Array = readBytes(path)): DecodedImage {
  if (isJpeg(bytes)) return decodeJpeg(path, bytes);
  if (isPng(bytes)) return decodePng(path, bytes);
  throw new DataError(`${printable(path)}: not a JPEG or PNG image`);
}

/** The end-of-image marker must be there: jpeg-js reads a cut file without complaint otherwise. */
function hasEndMarker(bytes: Uint8Array): boolean {
  // Trailing padding after EOI occurs in the wild; look at the last 64 bytes.
  for (let i = bytes.length - 2; i >= Math.max(0, bytes.length - 64); i--) if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return true;
  return false;
}

function decodeJpeg(path: string, bytes: Uint8Array): DecodedImage {
  let raw: { width: number; height: number; data: Uint8Array };
  try {
    raw = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, tolerantDecoding: false, maxMemoryUsageInMB: 1024 });
  } catch (error) {
    throw new DataError(`${printable(path)}: unreadable JPEG (${reason(error)})`);
  }
  if (!hasEndMarker(bytes)) throw new DataError(`${printable(path)}: truncated JPEG (no end-of-image marker)`);
  const { width, height } = raw;
  const n = width * height;
  if (!(n > 0) || raw.data.length < 3 * n) throw new DataError(`${printable(path)}: unreadable JPEG (no pixels)`);
  let gray = true;
  for (let p = 0; p < n && gray; p++) gray = raw.data[3 * p] === raw.data[3 * p + 1] && raw.data[3 * p] === raw.data[3 * p + 2];
  const channels = gray ? 1 : 3;
  const data = new Float32Array(n * channels);
  if (gray) for (let p = 0; p < n; p++) data[p] = raw.data[3 * p]! / 255;
  else for (let i = 0; i < 3 * n; i++) data[i] = raw.data[i]! / 255;
  return applyOrientation({ width, height, channels, data }, jpegOrientation(bytes));
}

function readPng(path: string, bytes: Uint8Array, skipRescale: boolean) {
  try {
    return PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { skipRescale }) as PNG & {
      colorType: number;
      depth: number;
      palette?: number[][] | boolean;
    };
  } catch (error) {
    throw new DataError(`${printable(path)}: unreadable PNG (${reason(error)})`);
  }
}

function decodePng(path: string, bytes: Uint8Array): DecodedImage {
  const png = readPng(path, bytes, false);
  const { width, height } = png;
  const n = width * height;
  // Colour types 0 (gray) and 4 (gray + alpha) are gray; 2, 6 and palettes are colour.
  const channels = png.colorType === 0 || png.colorType === 4 ? 1 : 3;
  const data = new Float32Array(n * channels);
  const rgba = png.data;
  for (let p = 0; p < n; p++) {
    if (channels === 1) data[p] = rgba[4 * p]! / 255;
    else for (let c = 0; c < 3; c++) data[3 * p + c] = rgba[4 * p + c]! / 255;
  }
  return { width, height, channels, data };
}

/**
 * Decodes a mask PNG: gray masks give their values as they are (1- to 16-bit, no rescaling),
 * palette masks their palette indices (Pascal VOC's masks). An RGB mask is refused: its
 * colours do not say which class they are.
 */
export function decodeMask(path: string, bytes: Uint8Array = readBytes(path)): DecodedMask {
  if (!isPng(bytes)) throw new DataError(`${printable(path)}: a mask must be a PNG (single-channel or palette)`);
  const png = readPng(path, bytes, true);
  const { width, height } = png;
  const n = width * height;
  const values = new Int32Array(n);
  const data = png.data as unknown as ArrayLike<number>;
  if (png.colorType === 3 && Array.isArray(png.palette)) {
    // pngjs expands the palette to RGBA; map each colour back to its (first) palette index.
    const index = new Map<number, number>();
    png.palette.forEach((c, i) => {
      const key = ((c[0]! << 24) | (c[1]! << 16) | (c[2]! << 8) | c[3]!) >>> 0;
      if (!index.has(key)) index.set(key, i);
    });
    for (let p = 0; p < n; p++) {
      const key = ((data[4 * p]! << 24) | (data[4 * p + 1]! << 16) | (data[4 * p + 2]! << 8) | data[4 * p + 3]!) >>> 0;
      values[p] = index.get(key) ?? 0;
    }
  } else if (png.colorType === 0 || png.colorType === 4) {
    for (let p = 0; p < n; p++) values[p] = data[4 * p]!;
  } else {
    throw new DataError(`${printable(path)}: an RGB mask has no class indices; save it single-channel (gray) or with a palette`);
  }
  return { width, height, values };
}
