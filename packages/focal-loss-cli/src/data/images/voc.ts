/**
 * Pascal VOC annotation files (one XML per image, as LabelImg, CVAT and Roboflow export them),
 * read with fast-xml-parser: `annotation/filename`, `size`, and per `object` its `name`,
 * `difficult` flag and `bndbox` xmin, ymin, xmax, ymax in pixels. Coordinates are taken as
 * written (VOC's 1-based convention is not applied: tools differ, and a pixel of offset does
 * not change what the comparison measures). A file that is not XML, or XML that is not a VOC
 * annotation, is a {@link DataError} naming the file.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DataError, printable } from '../errors.js';

/** One object of an annotation: its class name, box and difficult flag. */
export interface VocObject {
  name: string;
  /** `[xmin, ymin, xmax, ymax]` in pixels, as written. */
  box: [number, number, number, number];
  /** VOC's `difficult`: ignored in training and evaluation, like COCO's crowd regions. */
  difficult: boolean;
}

/** One VOC annotation file. */
export interface VocAnnotation {
  /** The annotation file's path. */
  file: string;
  /** `annotation/filename`: the image's file name (may be absent). */
  filename?: string;
  /** `size/width` and `size/height`, when written (the image itself is trusted over them). */
  size?: { width: number; height: number };
  objects: VocObject[];
}

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === 'object',
});

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses one VOC XML file's text. */
export function parseVoc(file: string, text: string): VocAnnotation {
  const where = printable(file);
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new DataError(`${where}: not XML (line ${valid.err.line}: ${valid.err.msg})`);
  const doc = parser.parse(text) as Node;
  const root = doc.annotation;
  if (!isNode(root)) {
    const tag = Object.keys(doc).find((k) => !k.startsWith('?'));
    throw new DataError(`${where}: XML that is not a Pascal VOC annotation (root element <${tag ?? ''}>, expected <annotation>)`);
  }
  const number = (value: unknown, what: string): number => {
    const v = typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (!Number.isFinite(v))
      throw new DataError(`${where}: ${what} is ${value === undefined ? 'missing' : `'${printable(String(value))}'`}, not a number`);
    return v;
  };
  let size: VocAnnotation['size'];
  if (isNode(root.size) && root.size.width !== undefined && root.size.height !== undefined) {
    size = { width: number(root.size.width, 'size/width'), height: number(root.size.height, 'size/height') };
  }
  const objects = ((root.object as unknown[] | undefined) ?? []).map((o, i): VocObject => {
    const what = `object ${i + 1}`;
    if (!isNode(o)) throw new DataError(`${where}: ${what} has no <name> and <bndbox> (not a Pascal VOC object)`);
    const name = typeof o.name === 'string' ? o.name.trim() : '';
    if (name === '') throw new DataError(`${where}: ${what} has no <name>`);
    const b = o.bndbox;
    if (!isNode(b)) throw new DataError(`${where}: ${what} (${printable(name)}) has no <bndbox>`);
    const box: VocObject['box'] = [
      number(b.xmin, `${what} xmin`),
      number(b.ymin, `${what} ymin`),
      number(b.xmax, `${what} xmax`),
      number(b.ymax, `${what} ymax`),
    ];
    return { name, box, difficult: String(o.difficult ?? '0').trim() === '1' };
  });
  const filename = typeof root.filename === 'string' && root.filename.trim() !== '' ? root.filename.trim() : undefined;
  return { file, ...(filename ? { filename } : {}), ...(size ? { size } : {}), objects };
}
