/** Small image data sets written to a temporary folder: JPEG, PNG (gray, RGB, RGBA, 16-bit, palette), VOC XML, COCO JSON. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** A fresh temporary folder; `done()` removes it. */
export function tempDir(): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'fl-images-'));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** RGB pixels (0-255) of a `width`×`height` test picture: a gradient with a bright square at (x, y, side). */
export function picture(width: number, height: number, square: [number, number, number] = [2, 2, 4]): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const inside = x >= square[0] && x < square[0] + square[2] && y >= square[1] && y < square[1] + square[2];
      const p = 3 * (y * width + x);
      rgb[p] = inside ? 250 : (x * 40) % 200;
      rgb[p + 1] = inside ? 240 : (y * 30) % 200;
      rgb[p + 2] = inside ? 10 : 90;
    }
  return rgb;
}

/** JPEG bytes of RGB pixels (quality 95), optionally with an EXIF APP1 segment holding `orientation`. */
export function jpegBytes(rgb: Uint8Array, width: number, height: number, orientation?: number): Buffer {
  const rgba = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    rgba.set(rgb.subarray(3 * p, 3 * p + 3), 4 * p);
    rgba[4 * p + 3] = 255;
  }
  const bytes = jpeg.encode({ data: rgba, width, height }, 95).data;
  if (orientation === undefined) return bytes;
  // APP1: "Exif\0\0", TIFF header (big-endian), IFD0 with one entry: 0x0112 SHORT 1 = orientation.
  const tiff = [0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0];
  const payload = [...Buffer.from('Exif\0\0', 'latin1'), ...tiff];
  const app1 = Buffer.from([0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 255, ...payload]);
  return Buffer.concat([bytes.subarray(0, 2), app1, bytes.subarray(2)]);
}

/** PNG bytes through pngjs: colorType 0 (gray), 2 (RGB), 4 (gray + alpha), 6 (RGBA); `values` per pixel and channel. */
export function pngBytes(values: ArrayLike<number>, width: number, height: number, colorType: 0 | 2 | 4 | 6, bitDepth: 8 | 16 = 8): Buffer {
  const png = new PNG({ width, height, colorType, inputColorType: colorType, bitDepth, inputHasAlpha: colorType === 4 || colorType === 6 });
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colorType];
  png.data = (bitDepth === 16 ? Buffer.from(Uint16Array.from(values).buffer) : Buffer.from(Uint8Array.from(values))) as Buffer;
  if (png.data.length !== width * height * channels * (bitDepth / 8)) throw new Error('pngBytes: wrong number of values');
  return PNG.sync.write(png, { colorType, inputColorType: colorType, bitDepth, inputHasAlpha: colorType === 4 || colorType === 6 });
}

/** A palette PNG (colour type 3, 8-bit) of palette indices, written chunk by chunk (pngjs writes no palettes). */
export function palettePng(indices: ArrayLike<number>, width: number, height: number, palette: [number, number, number][]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body) >>> 0, 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 3;
  const rows = Buffer.alloc(height * (width + 1));
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rows[y * (width + 1) + 1 + x] = indices[y * width + x]!;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('PLTE', Buffer.from(palette.flat())),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A Pascal VOC annotation. */
export function vocXml(
  filename: string,
  width: number,
  height: number,
  objects: { name: string; box: number[]; difficult?: boolean }[],
): string {
  return `<annotation>\n  <filename>${filename}</filename>\n  <size><width>${width}</width><height>${height}</height><depth>3</depth></size>\n${objects
    .map(
      (o) =>
        `  <object><name>${o.name}</name><difficult>${o.difficult ? 1 : 0}</difficult><bndbox><xmin>${o.box[0]}</xmin><ymin>${o.box[1]}</ymin><xmax>${o.box[2]}</xmax><ymax>${o.box[3]}</ymax></bndbox></object>\n`,
    )
    .join('')}</annotation>\n`;
}

/**
 * A small detection set in `dir`: `count` 24×16 JPEGs `img-N.jpg` with one box each (the bright
 * square), VOC files in `dir/voc` and a COCO file `dir/coco.json`; classes 'cat' and 'dog' alternate.
 */
export function writeDetectionSet(dir: string, count = 6): { images: string; voc: string; coco: string } {
  const images = join(dir, 'images');
  const voc = join(dir, 'voc');
  mkdirSync(images, { recursive: true });
  mkdirSync(voc, { recursive: true });
  const coco = {
    images: [] as object[],
    annotations: [] as object[],
    categories: [
      { id: 1, name: 'cat' },
      { id: 2, name: 'dog' },
    ],
  };
  for (let i = 0; i < count; i++) {
    const square: [number, number, number] = [2 + i, 3, 6];
    writeFileSync(join(images, `img-${i}.jpg`), jpegBytes(picture(24, 16, square), 24, 16));
    const box = [square[0], square[1], square[0] + square[2], square[1] + square[2]];
    const name = i % 2 === 0 ? 'cat' : 'dog';
    writeFileSync(join(voc, `img-${i}.xml`), vocXml(`img-${i}.jpg`, 24, 16, [{ name, box }]));
    coco.images.push({ id: i + 1, file_name: `img-${i}.jpg`, width: 24, height: 16 });
    coco.annotations.push({ id: i + 1, image_id: i + 1, category_id: (i % 2) + 1, bbox: [box[0], box[1], 6, 6], area: 36, iscrowd: 0 });
  }
  writeFileSync(join(dir, 'coco.json'), JSON.stringify(coco));
  return { images, voc, coco: join(dir, 'coco.json') };
}

/** A small segmentation set in `dir`: `count` 16×16 gray PNGs and {0, 255} masks (the bright square is 255). */
export function writeSegmentationSet(dir: string, count = 6): { images: string; masks: string } {
  const images = join(dir, 'images');
  const masks = join(dir, 'masks');
  mkdirSync(images, { recursive: true });
  mkdirSync(masks, { recursive: true });
  for (let i = 0; i < count; i++) {
    const gray = new Uint8Array(256);
    const mask = new Uint8Array(256);
    for (let p = 0; p < 256; p++) {
      const x = p % 16;
      const y = Math.floor(p / 16);
      const inside = x >= 3 + i && x < 9 + i && y >= 4 && y < 10;
      gray[p] = inside ? 220 : 30 + x;
      mask[p] = inside ? 255 : 0;
    }
    writeFileSync(join(images, `s${i}.png`), pngBytes(gray, 16, 16, 0));
    writeFileSync(join(masks, `s${i}.png`), pngBytes(mask, 16, 16, 0));
  }
  return { images, masks };
}
