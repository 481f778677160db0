/**
 * A user's detection data: a folder of images with Pascal VOC files (`--voc DIR`) or one COCO
 * file (`--coco FILE`), decoded once, letterboxed to the square the network sees, split by
 * image. Every problem is a {@link DataError} naming the file.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { checkCocoGroundTruth, CocoFormatError, type CocoId } from 'tfjs-retinanet';
import { DataError, printable } from '../errors.js';
import { decodeImage } from './decode.js';
import { listFolder, type FolderFile } from './files.js';
import { letterboxImage, placeBox, type Placement } from './letterbox.js';
import { seededSplit, splitFromFile, type ImageSplit } from './split.js';
import { parseVoc } from './voc.js';

/** Where the user's detection data is: plain data, so that a worker thread can load it too. */
export interface DetectionSource {
  images: string;
  voc?: string;
  coco?: string;
  split?: string;
  /** Side of the square the images are letterboxed to. */
  side: number;
}

/** The objects of one image, in its own pixels (boxes clipped to the image). */
export interface ImageObjects {
  boxes: [number, number, number, number][];
  classes: number[];
  /** VOC `difficult` / COCO `iscrowd` regions: ignored by training and evaluation. */
  ignored: [number, number, number, number][];
}

/** Images letterboxed into `size`×`size` squares, with their boxes there (a set a RetinaNet trains on). */
export interface ImageBoxSet {
  count: number;
  size: number;
  channels: 1 | 3;
  /** `[count, size, size, channels]`, values in [0, 1]. */
  images: Float32Array;
  /** Per image: `[x1, y1, x2, y2]` per object in the square's pixels. */
  boxes: Float32Array[];
  classes: Int32Array[];
  /** Per image: ignored regions `[x1, y1, x2, y2]`. */
  ignored: Float32Array[];
  /** Per image: its file name. */
  names: string[];
  /** Per image: where the picture lies in the square `[x1, y1, x2, y2]` (the rest is padding). */
  frames: [number, number, number, number][];
}

/** A loaded detection data set. */
export interface DetectionDataset {
  classNames: string[];
  train: ImageBoxSet;
  validation: ImageBoxSet;
  test: ImageBoxSet;
  /** What was noticed while reading: counts for the data summary. */
  notes: {
    images: number;
    /** Images that have no annotation file (VOC) or are not listed (COCO: left out). */
    withoutAnnotation: number;
    /** Images without objects (valid negatives). */
    withoutObjects: number;
    /** Boxes that reached outside their image, clipped to it. */
    clipped: number;
    /** Ignored (difficult / crowd) regions. */
    ignored: number;
    /** Image sizes seen (width × height → count). */
    sizes: Map<string, number>;
    /** VOC files whose `<size>` disagrees with the image (the image is trusted). */
    sizeMismatch: number;
    format: 'voc' | 'coco';
  };
}

interface Annotated {
  file: FolderFile;
  /** The annotation file, for messages. */
  source: string;
  objects: { name: string; box: number[]; ignored: boolean; what: string }[];
  declaredSize?: { width: number; height: number };
}

/** Reads the annotations: per image file, its objects with class names. */
function readVoc(dir: string, images: FolderFile[]): { annotated: Annotated[]; withoutAnnotation: number } {
  const xmls = listFolder(dir, '--voc', ['.xml']);
  const byName = new Map(images.map((f) => [f.name, f]));
  const byStem = new Map(images.map((f) => [f.stem, f]));
  const claimed = new Map<string, string>();
  const annotated: Annotated[] = [];
  for (const xml of xmls) {
    const voc = parseVoc(xml.path, readFileSync(xml.path, 'utf8'));
    const file = (voc.filename ? byName.get(basename(voc.filename)) : undefined) ?? byStem.get(xml.stem);
    if (!file)
      throw new DataError(
        `${printable(xml.path)}: its image ${voc.filename ? `'${printable(voc.filename)}'` : `(stem '${printable(xml.stem)}')`} is not in the images folder`,
      );
    const other = claimed.get(file.name);
    if (other) throw new DataError(`${printable(xml.path)}: annotates ${printable(file.name)}, which ${printable(other)} annotates too`);
    claimed.set(file.name, xml.path);
    annotated.push({
      file,
      source: xml.path,
      objects: voc.objects.map((o, i) => ({ name: o.name, box: o.box, ignored: o.difficult, what: `object ${i + 1} (${o.name})` })),
      declaredSize: voc.size,
    });
  }
  const withoutAnnotation = images.filter((f) => !claimed.has(f.name));
  for (const file of withoutAnnotation) annotated.push({ file, source: file.path, objects: [] });
  annotated.sort((a, b) => (a.file.name < b.file.name ? -1 : a.file.name > b.file.name ? 1 : 0));
  return { annotated, withoutAnnotation: withoutAnnotation.length };
}

function readCoco(path: string, images: FolderFile[]): { annotated: Annotated[]; classNames: string[]; withoutAnnotation: number } {
  const where = printable(path);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataError(`--coco ${where}: ${code === 'ENOENT' ? 'no such file' : `not JSON (${(error as Error).message.split('\n')[0]})`}`);
  }
  let checked: ReturnType<typeof checkCocoGroundTruth>;
  try {
    checked = checkCocoGroundTruth(parsed, where);
  } catch (error) {
    if (error instanceof CocoFormatError) throw new DataError(error.message);
    throw error;
  }
  const gt = parsed as { images: { id: CocoId; file_name?: unknown }[]; categories: { id: CocoId; name?: unknown }[] };
  const byName = new Map(images.map((f) => [f.name, f]));
  const fileOf = new Map<CocoId, FolderFile>();
  const claimed = new Map<string, CocoId>();
  for (const image of gt.images) {
    const name = image.file_name;
    if (typeof name !== 'string' || name === '') throw new DataError(`${where}: image ${JSON.stringify(image.id)} has no file_name`);
    const file = byName.get(name) ?? byName.get(basename(name));
    if (!file) throw new DataError(`${where}: image ${JSON.stringify(image.id)}'s file '${printable(name)}' is not in the images folder`);
    const other = claimed.get(file.name);
    if (other !== undefined)
      throw new DataError(`${where}: images ${JSON.stringify(other)} and ${JSON.stringify(image.id)} are both '${printable(file.name)}'`);
    claimed.set(file.name, image.id);
    fileOf.set(image.id, file);
  }
  const categoryIndex = new Map(checked.categoryIds.map((id, k) => [id, k]));
  const nameOf = new Map(gt.categories.map((c) => [c.id, typeof c.name === 'string' && c.name !== '' ? c.name : `category ${c.id}`]));
  const classNames = checked.categoryIds.map((id) => nameOf.get(id)!);
  const byImage = new Map<CocoId, Annotated>();
  for (const id of checked.imageIds) byImage.set(id, { file: fileOf.get(id)!, source: path, objects: [] });
  for (const a of checked.annotations) {
    const [x, y, w, h] = a.bbox;
    byImage.get(a.imageId)!.objects.push({
      name: classNames[categoryIndex.get(a.categoryId)!]!,
      box: [x, y, x + w, y + h],
      ignored: a.crowd,
      what: `annotation ${JSON.stringify(a.id)}`,
    });
  }
  const annotated = [...byImage.values()].sort((a, b) => (a.file.name < b.file.name ? -1 : 1));
  return { annotated, classNames, withoutAnnotation: images.length - annotated.length };
}

/** Clips a box to the image; a box of zero or negative size (before or after clipping) is a DataError. */
function clipBox(box: number[], width: number, height: number, where: string): { box: [number, number, number, number]; clipped: boolean } {
  const [x1, y1, x2, y2] = box as [number, number, number, number];
  if (!(x2 > x1 && y2 > y1))
    throw new DataError(`${where}: box [${box.join(', ')}] has zero or negative size (xmax must exceed xmin, ymax ymin)`);
  const c: [number, number, number, number] = [Math.max(0, x1), Math.max(0, y1), Math.min(width, x2), Math.min(height, y2)];
  if (!(c[2] > c[0] && c[3] > c[1])) throw new DataError(`${where}: box [${box.join(', ')}] lies outside the ${width}x${height} image`);
  return { box: c, clipped: c.some((v, i) => v !== box[i]) };
}

/** Loads, checks, letterboxes and splits the user's detection data. */
export function loadDetectionDataset(source: DetectionSource): DetectionDataset {
  if ((source.voc === undefined) === (source.coco === undefined))
    throw new DataError('--task detection with --images needs exactly one of --voc DIR and --coco FILE');
  const images = listFolder(source.images, '--images');
  const read = source.voc !== undefined ? readVoc(source.voc, images) : readCoco(source.coco!, images);
  const { annotated } = read;
  if (annotated.length === 0) throw new DataError(`--coco ${printable(source.coco ?? '')}: no images listed`);
  const classNames: string[] =
    'classNames' in read ? (read.classNames as string[]) : [...new Set(annotated.flatMap((a) => a.objects.map((o) => o.name)))].sort();
  if (classNames.length === 0)
    throw new DataError(`${printable(source.voc ?? source.coco ?? '')}: no objects in any annotation: nothing to detect`);
  const classIndex = new Map(classNames.map((n, k) => [n, k]));
  const side = source.side;
  const n = annotated.length;
  const pixels = new Float32Array(n * side * side * 3);
  const objects: ImageObjects[] = [];
  const placements: Placement[] = [];
  const notes: DetectionDataset['notes'] = {
    images: n,
    withoutAnnotation: read.withoutAnnotation,
    withoutObjects: 0,
    clipped: 0,
    ignored: 0,
    sizes: new Map(),
    sizeMismatch: 0,
    format: source.voc !== undefined ? 'voc' : 'coco',
  };
  // Decoded one at a time into 3 channels; kept as 1 channel at the end when every image is gray.
  let colour = false;
  annotated.forEach((a, i) => {
    const image = decodeImage(a.file.path);
    colour ||= image.channels === 3;
    const { width, height } = image;
    const key = `${width}x${height}`;
    notes.sizes.set(key, (notes.sizes.get(key) ?? 0) + 1);
    if (a.declaredSize && (a.declaredSize.width !== width || a.declaredSize.height !== height)) notes.sizeMismatch++;
    const mine: ImageObjects = { boxes: [], classes: [], ignored: [] };
    for (const o of a.objects) {
      const { box, clipped } = clipBox(o.box, width, height, `${printable(a.source)}: ${printable(o.what)}`);
      if (clipped) notes.clipped++;
      if (o.ignored) {
        mine.ignored.push(box);
        notes.ignored++;
      } else {
        mine.boxes.push(box);
        mine.classes.push(classIndex.get(o.name)!);
      }
    }
    if (mine.boxes.length === 0) notes.withoutObjects++;
    objects.push(mine);
    placements.push(letterboxImage(image, side, 3, pixels.subarray(i * side * side * 3, (i + 1) * side * side * 3)));
  });
  const channels: 1 | 3 = colour ? 3 : 1;
  const pixelsPerImage = side * side * channels;
  if (!colour) for (let p = 0; p < n * side * side; p++) pixels[p] = pixels[3 * p]!;
  const names = annotated.map((a) => a.file.name);
  const split: ImageSplit = source.split ? splitFromFile(source.split, names) : seededSplit(n, `--images ${printable(source.images)}`);
  const part = (indices: number[]): ImageBoxSet => {
    const images = new Float32Array(indices.length * pixelsPerImage);
    indices.forEach((k, j) => images.set(pixels.subarray(k * pixelsPerImage, (k + 1) * pixelsPerImage), j * pixelsPerImage));
    const placed = (k: number, list: [number, number, number, number][]) =>
      Float32Array.from(list.flatMap((b) => placeBox(b, placements[k]!)));
    return {
      count: indices.length,
      size: side,
      channels,
      images,
      boxes: indices.map((k) => placed(k, objects[k]!.boxes)),
      classes: indices.map((k) => Int32Array.from(objects[k]!.classes)),
      ignored: indices.map((k) => placed(k, objects[k]!.ignored)),
      names: indices.map((k) => names[k]!),
      frames: indices.map((k) => {
        const p = placements[k]!;
        return [p.offsetX, p.offsetY, p.offsetX + p.width, p.offsetY + p.height];
      }),
    };
  };
  return { classNames, train: part(split.train), validation: part(split.validation), test: part(split.test), notes };
}
