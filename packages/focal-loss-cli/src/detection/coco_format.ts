/**
 * COCO detection formats: ground truth (`images`, `annotations`, `categories`) and a results
 * list (`image_id`, `category_id`, `bbox`, `score`), checked into normalized records. Every
 * problem is a {@link DataError} whose message names the offending entry.
 */
import { DataError } from '../data/errors.js';

/** An image of a COCO ground-truth file (only `id` is used). */
export interface CocoImage {
  id: number;
  [key: string]: unknown;
}

/** A COCO ground-truth annotation (only these fields are used). */
export interface CocoAnnotation {
  /** Annotation id; default: position in the list + 1. */
  id?: number;
  image_id: number;
  category_id: number;
  /** `[x, y, width, height]` in pixels. */
  bbox: readonly number[];
  /** Object area for the small/medium/large ranges; default: bbox width × height. */
  area?: number;
  /** 1 (or true) for a crowd region; default 0. */
  iscrowd?: number | boolean;
}

/** A COCO category (only `id` is used). */
export interface CocoCategory {
  id: number;
  name?: string;
}

/** A COCO ground-truth file. */
export interface CocoGroundTruth {
  images: readonly CocoImage[];
  annotations: readonly CocoAnnotation[];
  categories: readonly CocoCategory[];
}

/** One detection of a COCO results file. */
export interface CocoResult {
  image_id: number;
  category_id: number;
  /** `[x, y, width, height]` in pixels. */
  bbox: readonly number[];
  score: number;
}

/** A ground-truth box after checking. */
export interface GtRecord {
  id: number;
  imageId: number;
  categoryId: number;
  bbox: [number, number, number, number];
  area: number;
  crowd: boolean;
}

/** A detection after checking. */
export interface DtRecord {
  imageId: number;
  categoryId: number;
  bbox: [number, number, number, number];
  score: number;
  /** width × height, as pycocotools' `loadRes` sets it. */
  area: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown) => (v === undefined ? 'missing' : JSON.stringify(v));

function idOf(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new DataError(`${what} is ${show(value)}, not a number`);
  return value;
}

function checkBbox(value: unknown, what: string): [number, number, number, number] {
  if (!Array.isArray(value) || value.length !== 4 || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new DataError(`${what}: bbox is ${show(value)}, not [x, y, width, height] (four finite numbers)`);
  }
  const [x, y, w, h] = value as number[];
  if (w! < 0 || h! < 0) throw new DataError(`${what}: negative box size in bbox ${JSON.stringify(value)} (width ${w}, height ${h})`);
  return [x!, y!, w!, h!];
}

/**
 * Records `id` as seen at `where`, or refuses it when an earlier entry has it: pycocotools
 * indexes images, categories and annotations by id, so a second entry with the same id
 * silently replaces the first (two COCO files merged without renumbering evaluate wrongly).
 */
function refuseDuplicate(seen: Map<number, string>, id: number, where: string, noun: string, source: string): void {
  const first = seen.get(id);
  if (first !== undefined) throw new DataError(`${source}: ${noun} id ${id} appears twice (${first} and ${where})`);
  seen.set(id, where);
}

/** The ids of the `images` or `categories` list, each checked and unique. */
function uniqueIds(items: unknown[], key: 'images' | 'categories', noun: string, source: string): Set<number> {
  const seen = new Map<number, string>();
  for (const [i, item] of items.entries()) {
    if (!isObject(item)) throw new DataError(`${source}: ${key}[${i}] is not an object`);
    refuseDuplicate(seen, idOf(item.id, `${source}: ${key}[${i}].id`), `${key}[${i}]`, noun, source);
  }
  return new Set(seen.keys());
}

/** Checked ground truth: image and category ids (sorted ascending, as pycocotools) and the boxes. */
export interface CheckedGroundTruth {
  imageIds: number[];
  categoryIds: number[];
  annotations: GtRecord[];
}

/**
 * Checks a parsed COCO ground-truth file. Unlike pycocotools, which silently drops them,
 * annotations of unknown images or categories are errors, and so is an image, category or
 * annotation id that appears twice (pycocotools keeps only the last entry of each id).
 */
export function checkCocoGroundTruth(gt: unknown, source = 'ground truth'): CheckedGroundTruth {
  if (!isObject(gt)) throw new DataError(`${source}: expected a JSON object with images, annotations and categories`);
  for (const key of ['images', 'annotations', 'categories'] as const) {
    if (!Array.isArray(gt[key])) throw new DataError(`${source}: '${key}' is ${gt[key] === undefined ? 'missing' : 'not a list'}`);
  }
  const images = uniqueIds(gt.images as unknown[], 'images', 'image', source);
  const categories = uniqueIds(gt.categories as unknown[], 'categories', 'category', source);
  const annotations: GtRecord[] = [];
  const annotationIds = new Map<number, string>();
  for (const [i, a] of (gt.annotations as unknown[]).entries()) {
    if (!isObject(a)) throw new DataError(`${source}: annotations[${i}] is not an object`);
    const id = a.id === undefined ? i + 1 : idOf(a.id, `${source}: annotations[${i}].id`);
    refuseDuplicate(annotationIds, id, `annotations[${i}]${a.id === undefined ? ' (numbered by position)' : ''}`, 'annotation', source);
    const what = `${source}: annotation ${id}`;
    const imageId = idOf(a.image_id, `${what}: image_id`);
    if (!images.has(imageId)) throw new DataError(`${what}: image_id ${imageId} is not in images`);
    const categoryId = idOf(a.category_id, `${what}: category_id`);
    if (!categories.has(categoryId)) throw new DataError(`${what}: category_id ${categoryId} is not in categories`);
    const bbox = checkBbox(a.bbox, what);
    let area = bbox[2] * bbox[3];
    if (a.area !== undefined) {
      if (typeof a.area !== 'number' || !(a.area >= 0) || !Number.isFinite(a.area)) throw new DataError(`${what}: area is ${show(a.area)}, not a number >= 0`);
      area = a.area;
    }
    const c = a.iscrowd ?? 0;
    if (c !== 0 && c !== 1 && c !== true && c !== false) throw new DataError(`${what}: iscrowd is ${show(c)}, not 0 or 1`);
    annotations.push({ id, imageId, categoryId, bbox, area, crowd: c === 1 || c === true });
  }
  const sorted = (s: Set<number>) => [...s].sort((x, y) => x - y);
  return { imageIds: sorted(images), categoryIds: sorted(categories), annotations };
}

/**
 * Checks a parsed COCO results list against the ground truth: a detection of an image or
 * category that the ground truth does not have is an error (pycocotools rejects unknown
 * images and silently drops unknown categories).
 */
export function checkCocoResults(results: unknown, gt: CheckedGroundTruth, source = 'detections'): DtRecord[] {
  if (!Array.isArray(results)) throw new DataError(`${source}: expected a JSON list of {image_id, category_id, bbox, score}`);
  const images = new Set(gt.imageIds);
  const categories = new Set(gt.categoryIds);
  return results.map((d: unknown, i) => {
    const what = `${source}: detection ${i}`;
    if (!isObject(d)) throw new DataError(`${what} is not an object`);
    const imageId = idOf(d.image_id, `${what}: image_id`);
    if (!images.has(imageId)) throw new DataError(`${what}: image_id ${imageId} is not an image of the ground truth`);
    const categoryId = idOf(d.category_id, `${what}: category_id`);
    if (!categories.has(categoryId)) throw new DataError(`${what}: category_id ${categoryId} is not a category of the ground truth`);
    const bbox = checkBbox(d.bbox, what);
    if (typeof d.score !== 'number' || !Number.isFinite(d.score)) throw new DataError(`${what}: score is ${show(d.score)}, not a finite number`);
    return { imageId, categoryId, bbox, score: d.score, area: bbox[2] * bbox[3] };
  });
}
