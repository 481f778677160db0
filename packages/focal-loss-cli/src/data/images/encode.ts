/** Writing images and annotations in the formats the loaders read: 8-bit gray PNG (pngjs), Pascal VOC XML. */
import { PNG } from 'pngjs';

/** An 8-bit gray PNG of `values` (0-255, row-major). */
export function grayPng(values: ArrayLike<number>, width: number, height: number): Buffer {
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false });
  png.data = Buffer.from(Uint8Array.from(values));
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false });
}

/** Gray levels 0-255 of values in [0, 1]. */
export const grayLevels = (values: ArrayLike<number>): Uint8Array =>
  Uint8Array.from(values, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A Pascal VOC annotation file: the image's name and size, one object per box `[x1, y1, x2, y2]`. */
export function vocAnnotation(
  filename: string,
  width: number,
  height: number,
  depth: number,
  objects: { name: string; box: ArrayLike<number> }[],
): string {
  const lines = [
    '<annotation>',
    `  <filename>${escape(filename)}</filename>`,
    `  <size><width>${width}</width><height>${height}</height><depth>${depth}</depth></size>`,
    ...objects.map(
      (o) =>
        `  <object><name>${escape(o.name)}</name><difficult>0</difficult><bndbox><xmin>${o.box[0]}</xmin><ymin>${o.box[1]}</ymin><xmax>${o.box[2]}</xmax><ymax>${o.box[3]}</ymax></bndbox></object>`,
    ),
    '</annotation>',
  ];
  return `${lines.join('\n')}\n`;
}
