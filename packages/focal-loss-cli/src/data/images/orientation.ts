/**
 * EXIF orientation of a JPEG: cameras store the sensor's pixels as they came and record in
 * the EXIF tag 0x0112 how to turn them for display; labelling tools draw boxes on the turned
 * image, so the decoded pixels are turned the same way. Only that one tag is read: the APP1
 * segment's TIFF header, then IFD0's entries (a few lines; an EXIF library would be async).
 */

/** The EXIF orientation (1-8) of a JPEG's bytes; 1 (as stored) when there is none or it cannot be read. */
export function jpegOrientation(bytes: Uint8Array): number {
  let i = 2;
  while (i + 4 <= bytes.length && bytes[i] === 0xff) {
    const marker = bytes[i + 1]!;
    if (marker === 0xda || marker === 0xd9) break; // start of scan / end of image: no more metadata
    const length = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    if (marker === 0xe1 && length >= 16 && String.fromCharCode(...bytes.subarray(i + 4, i + 8)) === 'Exif') {
      const o = tiffOrientation(bytes.subarray(i + 10, i + 2 + length));
      if (o !== undefined) return o;
    }
    i += 2 + length;
  }
  return 1;
}

/** Tag 0x0112 of IFD0 of a TIFF structure (EXIF's payload). */
function tiffOrientation(tiff: Uint8Array): number | undefined {
  if (tiff.length < 8) return undefined;
  const little = tiff[0] === 0x49 && tiff[1] === 0x49;
  if (!little && !(tiff[0] === 0x4d && tiff[1] === 0x4d)) return undefined;
  const u16 = (p: number) => (little ? tiff[p]! | (tiff[p + 1]! << 8) : (tiff[p]! << 8) | tiff[p + 1]!);
  const u32 = (p: number) => (little ? u16(p) + u16(p + 2) * 65536 : u16(p) * 65536 + u16(p + 2));
  if (u16(2) !== 42) return undefined;
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return undefined;
  const entries = u16(ifd);
  for (let e = 0; e < entries; e++) {
    const p = ifd + 2 + 12 * e;
    if (p + 12 > tiff.length) return undefined;
    if (u16(p) === 0x0112) {
      const value = u16(p + 8);
      return value >= 1 && value <= 8 ? value : undefined;
    }
  }
  return undefined;
}

/**
 * The image turned as EXIF `orientation` says (1: as stored; 2: mirrored; 3: 180°; 4: flipped;
 * 5: transposed; 6: 90° clockwise; 7: transversed; 8: 90° anticlockwise).
 */
export function applyOrientation<T extends { width: number; height: number; channels: number; data: Float32Array }>(
  image: T,
  orientation: number,
): T {
  if (orientation <= 1 || orientation > 8) return image;
  const { width: W, height: H, channels: C, data } = image;
  const swap = orientation >= 5;
  const width = swap ? H : W;
  const height = swap ? W : H;
  // Source pixel of output pixel (x, y).
  const source: (x: number, y: number) => [number, number] = {
    2: (x: number, y: number): [number, number] => [W - 1 - x, y],
    3: (x: number, y: number): [number, number] => [W - 1 - x, H - 1 - y],
    4: (x: number, y: number): [number, number] => [x, H - 1 - y],
    5: (x: number, y: number): [number, number] => [y, x],
    6: (x: number, y: number): [number, number] => [y, H - 1 - x],
    7: (x: number, y: number): [number, number] => [W - 1 - y, H - 1 - x],
    8: (x: number, y: number): [number, number] => [W - 1 - y, x],
  }[orientation]!;
  const out = new Float32Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [sx, sy] = source(x, y);
      const from = (sy * W + sx) * C;
      const to = (y * width + x) * C;
      for (let c = 0; c < C; c++) out[to + c] = data[from + c]!;
    }
  }
  return { ...image, width, height, data: out };
}
