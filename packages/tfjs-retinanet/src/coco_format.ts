/**
 * COCO detection formats: ground truth (`images`, `annotations`, `categories`) and a results
 * list (`image_id`, `category_id`, `bbox`, `score`), checked into normalized records. Every
 * problem is a {@link CocoFormatError} whose message names the offending entry. The interfaces
 * below describe what `compare` writes (number ids); the checkers also take string ids, as
 * pycocotools does ({@link CocoId}).
 */
import { CocoFormatError } from './errors.js';

/** An image of a COCO ground-truth file (only `id` is used). */
export interface CocoImage {
  /** Image id, which annotations and results refer to. */
  id: number;
  [key: string]: unknown;
}

/** A COCO ground-truth annotation (only these fields are used). */
export interface CocoAnnotation {
  /** Annotation id; default: position in the list + 1. */
  id?: number;
  /** Id of the image the object is in. */
  image_id: number;
  /** Id of the object's category. */
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
  /** Category id, which annotations and results refer to. */
  id: number;
  /** Category name (not used). */
  name?: string;
}

/** A COCO ground-truth file. */
export interface CocoGroundTruth {
  /** The images evaluated. */
  images: readonly CocoImage[];
  /** The ground-truth objects. */
  annotations: readonly CocoAnnotation[];
  /** The categories evaluated. */
  categories: readonly CocoCategory[];
}

/** One detection of a COCO results file. */
export interface CocoResult {
  /** Id of the image the detection is in. */
  image_id: number;
  /** Id of the detected category. */
  category_id: number;
  /** `[x, y, width, height]` in pixels. */
  bbox: readonly number[];
  /** Detection score; higher ranks first. */
  score: number;
}

/**
 * An image, category or annotation id after checking. pycocotools takes any JSON number or
 * string (it keys dicts by them), so both are accepted; numbers must be below 2^53 in size,
 * where every integer is exact (JSON readers round larger ones: two ids would merge).
 */
export type CocoId = number | string;

/** A ground-truth box after checking. */
export interface GtRecord {
  /** Annotation id (its position + 1 where the file gives none). */
  id: CocoId;
  /** Id of the image the box is in. */
  imageId: CocoId;
  /** Id of the box's category. */
  categoryId: CocoId;
  /** `[x, y, width, height]` in pixels. */
  bbox: [number, number, number, number];
  /** Area for the small/medium/large ranges: the annotation's `area`, else width × height. */
  area: number;
  /** Whether the box is a crowd region (`iscrowd`). */
  crowd: boolean;
}

/** A detection after checking. */
export interface DtRecord {
  /** Id of the image the detection is in. */
  imageId: CocoId;
  /** Id of the detected category. */
  categoryId: CocoId;
  /** `[x, y, width, height]` in pixels. */
  bbox: [number, number, number, number];
  /** Detection score. */
  score: number;
  /** width × height, as pycocotools' `loadRes` sets it. */
  area: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown) => (v === undefined ? 'missing' : JSON.stringify(v));

/** An id for messages: 5, or "img-5" (quoted, so that the string "5" and the number 5 read differently). */
const showId = (id: CocoId) => (typeof id === 'number' ? String(id) : JSON.stringify(id));

function idOf(value: unknown, what: string): CocoId {
  if (typeof value === 'string') return value;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new CocoFormatError(`${what} is ${show(value)}, not a number or a string`);
  if (Math.abs(value) > Number.MAX_SAFE_INTEGER) {
    // JSON.parse has already rounded it (9007199254740993 reads as 9007199254740992), so the file's digits are gone.
    throw new CocoFormatError(
      `${what} is ${value > 0 ? '2^53 or more' : '-2^53 or less'} (reads as ${value}): ids that large are not exact in JSON readers; renumber them below 2^53 or write them as strings`,
    );
  }
  return value;
}

/**
 * Python's order of a list of ids, which pycocotools sorts image and category ids by:
 * numbers by value, strings by code point (JavaScript's `<` compares UTF-16 code units,
 * which differs above U+FFFF).
 */
export function compareCocoIds(a: CocoId, b: CocoId): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const cx = x.charCodeAt(i);
    const cy = y.charCodeAt(i);
    // Surrogates (U+D800-DFFF) start code points above U+FFFF: move them above U+E000-FFFF.
    if (cx !== cy) return codeUnitRank(cx) - codeUnitRank(cy);
  }
  return x.length - y.length;
}
const codeUnitRank = (c: number) => (c >= 0xd800 && c <= 0xdfff ? c + 0x2000 : c >= 0xe000 ? c - 0x800 : c);

function checkBbox(value: unknown, what: string): [number, number, number, number] {
  if (!Array.isArray(value) || value.length !== 4 || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new CocoFormatError(`${what}: bbox is ${show(value)}, not [x, y, width, height] (four finite numbers)`);
  }
  const [x, y, w, h] = value as number[];
  if (w! < 0 || h! < 0) throw new CocoFormatError(`${what}: negative box size in bbox ${JSON.stringify(value)} (width ${w}, height ${h})`);
  return [x!, y!, w!, h!];
}

/**
 * Records `id` as seen at `where`, or refuses it when an earlier entry has it: pycocotools
 * indexes images, categories and annotations by id, so a second entry with the same id
 * silently replaces the first (two COCO files merged without renumbering evaluate wrongly).
 */
function refuseDuplicate(seen: Map<CocoId, string>, id: CocoId, where: string, noun: string, source: string): void {
  const first = seen.get(id);
  if (first !== undefined) throw new CocoFormatError(`${source}: ${noun} id ${showId(id)} appears twice (${first} and ${where})`);
  seen.set(id, where);
}

/**
 * The ids of the `images` or `categories` list, each checked and unique, in pycocotools'
 * (sorted) order. Numbers and strings may not mix: Python cannot sort them, nor pycocotools.
 */
function uniqueIds(items: unknown[], key: 'images' | 'categories', noun: string, source: string): CocoId[] {
  const seen = new Map<CocoId, string>();
  for (const [i, item] of items.entries()) {
    if (!isObject(item)) throw new CocoFormatError(`${source}: ${key}[${i}] is not an object`);
    const id = idOf(item.id, `${source}: ${key}[${i}].id`);
    refuseDuplicate(seen, id, `${key}[${i}]`, noun, source);
    const first = items[0] as { id: CocoId };
    if (typeof id !== typeof first.id) {
      throw new CocoFormatError(
        `${source}: ${key} mix number and string ids (${key}[0].id ${showId(first.id)}, ${key}[${i}].id ${showId(id)}); pycocotools cannot sort them either`,
      );
    }
  }
  return [...seen.keys()].sort(compareCocoIds);
}

/** Checked ground truth: image and category ids (sorted ascending, as pycocotools) and the boxes. */
export interface CheckedGroundTruth {
  /** Image ids, sorted ascending. */
  imageIds: CocoId[];
  /** Category ids, sorted ascending. */
  categoryIds: CocoId[];
  /** The checked ground-truth boxes, in the file's order. */
  annotations: GtRecord[];
}

/**
 * Checks a parsed COCO ground-truth file. Unlike pycocotools, which silently drops them,
 * annotations of unknown images or categories are errors, and so is an image, category or
 * annotation id that appears twice (pycocotools keeps only the last entry of each id).
 */
export function checkCocoGroundTruth(gt: unknown, source = 'ground truth'): CheckedGroundTruth {
  if (!isObject(gt)) throw new CocoFormatError(`${source}: expected a JSON object with images, annotations and categories`);
  for (const key of ['images', 'annotations', 'categories'] as const) {
    if (!Array.isArray(gt[key])) throw new CocoFormatError(`${source}: '${key}' is ${gt[key] === undefined ? 'missing' : 'not a list'}`);
  }
  const imageIds = uniqueIds(gt.images as unknown[], 'images', 'image', source);
  const categoryIds = uniqueIds(gt.categories as unknown[], 'categories', 'category', source);
  const images = new Set(imageIds);
  const categories = new Set(categoryIds);
  const annotations: GtRecord[] = [];
  // Annotation ids are never sorted: numbers and strings may mix, as in pycocotools.
  const annotationIds = new Map<CocoId, string>();
  for (const [i, a] of (gt.annotations as unknown[]).entries()) {
    if (!isObject(a)) throw new CocoFormatError(`${source}: annotations[${i}] is not an object`);
    const id = a.id === undefined ? i + 1 : idOf(a.id, `${source}: annotations[${i}].id`);
    refuseDuplicate(annotationIds, id, `annotations[${i}]${a.id === undefined ? ' (numbered by position)' : ''}`, 'annotation', source);
    const what = `${source}: annotation ${showId(id)}`;
    const imageId = idOf(a.image_id, `${what}: image_id`);
    if (!images.has(imageId))
      throw new CocoFormatError(`${what}: image_id ${showId(imageId)} is not in images${typeHint(imageId, imageIds, 'image')}`);
    const categoryId = idOf(a.category_id, `${what}: category_id`);
    if (!categories.has(categoryId))
      throw new CocoFormatError(
        `${what}: category_id ${showId(categoryId)} is not in categories${typeHint(categoryId, categoryIds, 'category')}`,
      );
    const bbox = checkBbox(a.bbox, what);
    let area = bbox[2] * bbox[3];
    if (a.area !== undefined) {
      if (typeof a.area !== 'number' || !(a.area >= 0) || !Number.isFinite(a.area))
        throw new CocoFormatError(`${what}: area is ${show(a.area)}, not a number >= 0`);
      area = a.area;
    }
    const c = a.iscrowd ?? 0;
    if (c !== 0 && c !== 1 && c !== true && c !== false) throw new CocoFormatError(`${what}: iscrowd is ${show(c)}, not 0 or 1`);
    annotations.push({ id, imageId, categoryId, bbox, area, crowd: c === 1 || c === true });
  }
  return { imageIds, categoryIds, annotations };
}

/** " (its image ids are numbers)" where `id` is a string and the ground truth's ids are numbers (or the other way round). */
function typeHint(id: CocoId, ids: readonly CocoId[], noun: string): string {
  return ids.length > 0 && typeof ids[0] !== typeof id ? ` (its ${noun} ids are ${typeof ids[0]}s)` : '';
}

/**
 * Checks a parsed COCO results list against the ground truth: a detection of an image or
 * category that the ground truth does not have is an error (pycocotools rejects unknown
 * images and silently drops unknown categories).
 */
export function checkCocoResults(results: unknown, gt: CheckedGroundTruth, source = 'detections'): DtRecord[] {
  if (!Array.isArray(results)) throw new CocoFormatError(`${source}: expected a JSON list of {image_id, category_id, bbox, score}`);
  const images = new Set(gt.imageIds);
  const categories = new Set(gt.categoryIds);
  return results.map((d: unknown, i) => {
    const what = `${source}: detection ${i}`;
    if (!isObject(d)) throw new CocoFormatError(`${what} is not an object`);
    const imageId = idOf(d.image_id, `${what}: image_id`);
    if (!images.has(imageId))
      throw new CocoFormatError(
        `${what}: image_id ${showId(imageId)} is not an image of the ground truth${typeHint(imageId, gt.imageIds, 'image')}`,
      );
    const categoryId = idOf(d.category_id, `${what}: category_id`);
    if (!categories.has(categoryId))
      throw new CocoFormatError(
        `${what}: category_id ${showId(categoryId)} is not a category of the ground truth${typeHint(categoryId, gt.categoryIds, 'category')}`,
      );
    const bbox = checkBbox(d.bbox, what);
    if (typeof d.score !== 'number' || !Number.isFinite(d.score))
      throw new CocoFormatError(`${what}: score is ${show(d.score)}, not a finite number`);
    return { imageId, categoryId, bbox, score: d.score, area: bbox[2] * bbox[3] };
  });
}
