import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeImage, decodeMask } from '../../src/data/images/decode.js';
import { letterboxImage, letterboxMask, placement, placeBox } from '../../src/data/images/letterbox.js';
import { jpegOrientation } from '../../src/data/images/orientation.js';
import { jpegBytes, palettePng, picture, pngBytes, tempDir } from './fixtures.js';

test('JPEG: colour decoded to 3 channels near the encoded values', () => {
  const rgb = picture(24, 16);
  const img = decodeImage('a.jpg', jpegBytes(rgb, 24, 16));
  assert.equal(img.width, 24);
  assert.equal(img.height, 16);
  assert.equal(img.channels, 3);
  let err = 0;
  for (let i = 0; i < rgb.length; i++) err = Math.max(err, Math.abs(img.data[i]! * 255 - rgb[i]!));
  assert.ok(err < 60, `max error ${err}`);
  // The bright square (yellow) is bright in red, dark in blue.
  const p = 3 * (4 * 24 + 4);
  assert.ok(img.data[p]! > 0.8 && img.data[p + 2]! < 0.3);
});

test('JPEG: EXIF orientation is read and applied (6: 90° clockwise, 8: anticlockwise, 3: 180°)', () => {
  // 24 wide, 16 high; the square at the top-left corner.
  const rgb = picture(24, 16, [0, 0, 6]);
  assert.equal(jpegOrientation(jpegBytes(rgb, 24, 16)), 1);
  assert.equal(jpegOrientation(jpegBytes(rgb, 24, 16, 6)), 6);
  const bright = (img: ReturnType<typeof decodeImage>, x: number, y: number) => img.data[3 * (y * img.width + x)]! > 0.8;
  const r6 = decodeImage('r6.jpg', jpegBytes(rgb, 24, 16, 6));
  assert.deepEqual([r6.width, r6.height], [16, 24]);
  // Turned clockwise, the top-left corner goes to the top-right.
  assert.ok(bright(r6, 13, 2) && !bright(r6, 2, 2));
  const r8 = decodeImage('r8.jpg', jpegBytes(rgb, 24, 16, 8));
  assert.ok(bright(r8, 2, 21) && !bright(r8, 2, 2));
  const r3 = decodeImage('r3.jpg', jpegBytes(rgb, 24, 16, 3));
  assert.deepEqual([r3.width, r3.height], [24, 16]);
  assert.ok(bright(r3, 21, 13) && !bright(r3, 2, 2));
});

test('PNG: gray, gray + alpha, RGB, RGBA and 16-bit gray', () => {
  const g = decodeImage('g.png', pngBytes([0, 128, 255, 64], 2, 2, 0));
  assert.equal(g.channels, 1);
  assert.deepEqual(
    Array.from(g.data, (v) => Math.round(v * 255)),
    [0, 128, 255, 64],
  );
  const ga = decodeImage('ga.png', pngBytes([10, 255, 20, 0, 30, 255, 40, 255], 2, 2, 4));
  assert.equal(ga.channels, 1);
  assert.deepEqual(
    Array.from(ga.data, (v) => Math.round(v * 255)),
    [10, 20, 30, 40],
  );
  const rgb = decodeImage('rgb.png', pngBytes([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 2, 2, 2));
  assert.equal(rgb.channels, 3);
  assert.deepEqual(
    Array.from(rgb.data, (v) => Math.round(v * 255)),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
  );
  const rgba = decodeImage('rgba.png', pngBytes([1, 2, 3, 255, 4, 5, 6, 0], 2, 1, 6));
  assert.deepEqual(
    Array.from(rgba.data, (v) => Math.round(v * 255)),
    [1, 2, 3, 4, 5, 6],
  );
  const g16 = decodeImage('g16.png', pngBytes([0, 65535, 32768, 257], 2, 2, 0, 16));
  assert.deepEqual(
    Array.from(g16.data, (v) => Math.round(v * 255)),
    [0, 255, 128, 1],
  );
});

test('masks: gray values as they are (16-bit too), palette masks as palette indices, RGB refused', () => {
  assert.deepEqual(Array.from(decodeMask('m.png', pngBytes([0, 1, 2, 255], 2, 2, 0)).values), [0, 1, 2, 255]);
  assert.deepEqual(Array.from(decodeMask('m16.png', pngBytes([0, 300, 2, 255], 2, 2, 0, 16)).values), [0, 300, 2, 255]);
  const palette: [number, number, number][] = [
    [0, 0, 0],
    [128, 0, 0],
    [0, 128, 0],
  ];
  assert.deepEqual(Array.from(decodeMask('p.png', palettePng([2, 0, 1, 2], 2, 2, palette)).values), [2, 0, 1, 2]);
  assert.throws(() => decodeMask('rgb.png', pngBytes([1, 2, 3, 4, 5, 6], 2, 1, 2)), /rgb\.png: an RGB mask has no class indices/);
});

test('unreadable and truncated images name the file', () => {
  const { dir, done } = tempDir();
  try {
    const good = jpegBytes(picture(24, 16), 24, 16);
    const cut = join(dir, 'cut.jpg');
    writeFileSync(cut, good.subarray(0, Math.floor(good.length * 0.6)));
    assert.throws(
      () => decodeImage(cut),
      (e: Error) => e.name === 'DataError' && e.message.startsWith(`${cut}: `) && /truncated|unreadable/.test(e.message),
    );
    const text = join(dir, 'notes.png');
    writeFileSync(text, 'hello');
    assert.throws(() => decodeImage(text), new RegExp(`${text}: not a JPEG or PNG image`));
    const png = pngBytes(new Uint8Array(64 * 64).fill(7), 64, 64, 0);
    const cutPng = join(dir, 'cut.png');
    writeFileSync(cutPng, png.subarray(0, png.length - 30));
    assert.throws(
      () => decodeImage(cutPng),
      (e: Error) => e.name === 'DataError' && e.message.startsWith(`${cutPng}: unreadable PNG`),
    );
    assert.throws(() => decodeImage(join(dir, 'absent.jpg')), /absent\.jpg: cannot read \(no such file\)/);
  } finally {
    done();
  }
});

test('letterbox: scale 1 is the identity; wider images are centred with padding; boxes follow', () => {
  const data = Float32Array.from({ length: 16 }, (_, i) => i / 16);
  const out = new Float32Array(16);
  letterboxImage({ width: 4, height: 4, channels: 1, data }, 4, 1, out);
  assert.deepEqual(out, data);
  // 8×4 into 4: scale 0.5, height 2, offset y 1; each output pixel averages a 2×2 block.
  const wide = Float32Array.from({ length: 32 }, (_, i) => (i % 8 < 4 ? 0 : 1));
  const small = new Float32Array(16);
  const p = letterboxImage({ width: 8, height: 4, channels: 1, data: wide }, 4, 1, small);
  assert.deepEqual(p, placement(8, 4, 4));
  assert.deepEqual(Array.from(small), [0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0]);
  assert.deepEqual(placeBox([4, 0, 8, 4], p), [2, 1, 4, 3]);
  const mask = new Int32Array(16);
  letterboxMask(
    Int32Array.from({ length: 32 }, (_, i) => (i % 8 < 4 ? 0 : 2)),
    8,
    4,
    4,
    -1,
    mask,
  );
  assert.deepEqual(Array.from(mask), [-1, -1, -1, -1, 0, 0, 2, 2, 0, 0, 2, 2, -1, -1, -1, -1]);
  // A gray image into 3 channels: copied into each.
  const rgb = new Float32Array(12);
  letterboxImage({ width: 2, height: 2, channels: 1, data: Float32Array.of(0.25, 0.5, 0.75, 1) }, 2, 3, rgb);
  assert.deepEqual(Array.from(rgb), [0.25, 0.25, 0.25, 0.5, 0.5, 0.5, 0.75, 0.75, 0.75, 1, 1, 1]);
});
