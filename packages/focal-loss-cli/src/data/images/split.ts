/**
 * Train / validation / test split of a user's images, by image: seeded (the fractions below),
 * or the user's own (`--split FILE.json`: `{"train": [...], "validation": [...], "test": [...]}`
 * of file names, every image in exactly one part).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { DataError, printable } from '../errors.js';
import { Rng } from '../rng.js';

/** The seeded split's fractions: 70 % train, 15 % validation, 15 % test (at least one image each). */
export const SPLIT_FRACTIONS = { train: 0.7, validation: 0.15, test: 0.15 } as const;

/** Seed of the split: fixed, so that every training seed is tested on the same images. */
export const SPLIT_SEED = 20240607;

/** Image indices per part. */
export interface ImageSplit {
  train: number[];
  validation: number[];
  test: number[];
}

const PARTS = ['train', 'validation', 'test'] as const;

/** The seeded split of `count` images (sorted indices in each part). */
export function seededSplit(count: number, what: string): ImageSplit {
  if (count < 3)
    throw new DataError(`${what}: ${count} image${count === 1 ? '' : 's'}; a train / validation / test split needs at least 3`);
  const order = new Rng(SPLIT_SEED).shuffle(Array.from({ length: count }, (_, i) => i));
  const nTest = Math.max(1, Math.round(count * SPLIT_FRACTIONS.test));
  const nValidation = Math.max(1, Math.round(count * SPLIT_FRACTIONS.validation));
  const sort = (xs: number[]) => xs.sort((a, b) => a - b);
  return {
    test: sort(order.slice(0, nTest)),
    validation: sort(order.slice(nTest, nTest + nValidation)),
    train: sort(order.slice(nTest + nValidation)),
  };
}

/**
 * The user's split file against the images (named by file name, or by path ending in it):
 * every name must be one of the images, every image in exactly one part, every part non-empty.
 */
export function splitFromFile(path: string, names: readonly string[]): ImageSplit {
  const where = printable(path);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataError(
      `${where}: ${code === 'ENOENT' ? 'no such file' : `not a JSON split file (${(error as Error).message.split('\n')[0]})`}`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new DataError(`${where}: expected {"train": [...], "validation": [...], "test": [...]}`);
  const index = new Map(names.map((n, i) => [n, i]));
  const part = new Map<number, string>();
  const split: ImageSplit = { train: [], validation: [], test: [] };
  for (const key of Object.keys(parsed)) {
    if (!(PARTS as readonly string[]).includes(key))
      throw new DataError(`${where}: unknown part '${printable(key)}' (the parts are train, validation, test)`);
  }
  for (const key of PARTS) {
    const list = (parsed as Record<string, unknown>)[key];
    if (!Array.isArray(list) || list.length === 0) throw new DataError(`${where}: '${key}' must be a non-empty list of image file names`);
    for (const item of list) {
      const i = typeof item === 'string' ? (index.get(item) ?? index.get(basename(item))) : undefined;
      if (i === undefined) throw new DataError(`${where}: ${key}: '${printable(String(item))}' is not one of the images`);
      if (part.has(i)) throw new DataError(`${where}: '${printable(names[i]!)}' is in ${part.get(i)} and in ${key}`);
      part.set(i, key);
      split[key].push(i);
    }
  }
  const missing = names.findIndex((_, i) => !part.has(i));
  if (missing >= 0)
    throw new DataError(`${where}: image '${printable(names[missing]!)}' is in no part (${part.size} of ${names.length} images listed)`);
  for (const key of PARTS) split[key].sort((a, b) => a - b);
  return split;
}
