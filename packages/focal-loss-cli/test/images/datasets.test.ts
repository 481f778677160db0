import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateAnchors } from 'tfjs-retinanet';
import { DataError } from '../../src/data/errors.js';
import { loadDetectionDataset, type DetectionSource } from '../../src/data/images/detection_data.js';
import { loadSegmentationDataset } from '../../src/data/images/segmentation_data.js';
import { seededSplit, SPLIT_FRACTIONS } from '../../src/data/images/split.js';
import { detectionSummary, segmentationSummary } from '../../src/data/images/summary.js';
import { jpegBytes, palettePng, picture, pngBytes, tempDir, vocXml, writeDetectionSet, writeSegmentationSet } from './fixtures.js';

/** The loader's DataError: one line that starts with `file`. */
function refuses(load: () => unknown, file: string, problem: RegExp) {
  assert.throws(load, (e: Error) => {
    assert.ok(e instanceof DataError, `${e.name}: ${e.message}`);
    assert.ok(!e.message.includes('\n'), e.message);
    assert.ok(e.message.includes(file), `'${e.message}' does not name ${file}`);
    assert.match(e.message, problem);
    return true;
  });
}

function withSet<T>(f: (dir: string, set: ReturnType<typeof writeDetectionSet>) => T): T {
  const { dir, done } = tempDir();
  try {
    return f(dir, writeDetectionSet(dir));
  } finally {
    done();
  }
}

test('VOC and COCO give the same letterboxed data set', () =>
  withSet((_, set) => {
    const voc = loadDetectionDataset({ images: set.images, voc: set.voc, side: 32 });
    const coco = loadDetectionDataset({ images: set.images, coco: set.coco, side: 32 });
    assert.deepEqual(voc.classNames, ['cat', 'dog']);
    assert.deepEqual(coco.classNames, ['cat', 'dog']);
    for (const part of ['train', 'validation', 'test'] as const) {
      assert.deepEqual(voc[part].names, coco[part].names);
      assert.deepEqual(voc[part].boxes, coco[part].boxes);
      assert.deepEqual(voc[part].classes, coco[part].classes);
      assert.deepEqual(voc[part].images, coco[part].images);
    }
    const all = [...voc.train.names, ...voc.validation.names, ...voc.test.names].sort();
    assert.deepEqual(
      all,
      Array.from({ length: 6 }, (_, i) => `img-${i}.jpg`),
    );
    // 24×16 into 32: scale 4/3, offset y (32 − 21) / 2 = 5 (21 = round(16 · 4/3)); img-0's box [2, 3, 8, 9].
    const k = voc.train.names.indexOf('img-0.jpg');
    const set0 = k >= 0 ? voc.train : voc.validation.names.includes('img-0.jpg') ? voc.validation : voc.test;
    const box = Array.from(set0.boxes[set0.names.indexOf('img-0.jpg')]!);
    const sy = 21 / 16;
    box.forEach((v, i) => assert.ok(Math.abs(v - [2 * (4 / 3), 3 * sy + 5, 8 * (4 / 3), 9 * sy + 5][i]!) < 1e-4, `${box}`));
    assert.equal(voc.train.channels, 3);
  }));

test('split: documented fractions, seeded, at least one image per part', () => {
  const s = seededSplit(200, 'x');
  assert.deepEqual([s.train.length, s.validation.length, s.test.length], [140, 30, 30]);
  assert.equal(SPLIT_FRACTIONS.train + SPLIT_FRACTIONS.validation + SPLIT_FRACTIONS.test, 1);
  assert.deepEqual(seededSplit(200, 'x'), s);
  assert.deepEqual(new Set([...s.train, ...s.validation, ...s.test]).size, 200);
  const tiny = seededSplit(3, 'x');
  assert.deepEqual([tiny.train.length, tiny.validation.length, tiny.test.length], [1, 1, 1]);
  assert.throws(() => seededSplit(2, 'my-folder'), /my-folder: 2 images; a train \/ validation \/ test split needs at least 3/);
});

test("--split FILE: the user's parts; unknown or missing names are refused", () =>
  withSet((dir, set) => {
    const file = join(dir, 'split.json');
    writeFileSync(
      file,
      JSON.stringify({ train: ['img-0.jpg', 'img-1.jpg', 'img-2.jpg'], validation: ['img-3.jpg'], test: ['img-4.jpg', 'img-5.jpg'] }),
    );
    const data = loadDetectionDataset({ images: set.images, voc: set.voc, side: 32, split: file });
    assert.deepEqual(data.test.names, ['img-4.jpg', 'img-5.jpg']);
    writeFileSync(file, JSON.stringify({ train: ['img-0.jpg', 'img-9.jpg'], validation: ['img-3.jpg'], test: ['img-4.jpg'] }));
    refuses(
      () => loadDetectionDataset({ images: set.images, voc: set.voc, side: 32, split: file }),
      file,
      /'img-9\.jpg' is not one of the images/,
    );
    writeFileSync(file, JSON.stringify({ train: ['img-0.jpg'], validation: ['img-3.jpg'], test: ['img-4.jpg'] }));
    refuses(
      () => loadDetectionDataset({ images: set.images, voc: set.voc, side: 32, split: file }),
      file,
      /image 'img-1\.jpg' is in no part/,
    );
  }));

test('bad detection input: each problem is one line naming the file', () =>
  withSet((dir, set) => {
    const src: DetectionSource = { images: set.images, voc: set.voc, side: 32 };
    const xml = (i: number) => join(set.voc, `img-${i}.xml`);
    // An annotation whose image is missing.
    rmSync(join(set.images, 'img-5.jpg'));
    refuses(() => loadDetectionDataset(src), xml(5), /its image 'img-5\.jpg' is not in the images folder/);
    const coco = JSON.parse(readFileSync(set.coco, 'utf8'));
    refuses(
      () => loadDetectionDataset({ ...src, voc: undefined, coco: set.coco }),
      set.coco,
      /image 6's file 'img-5\.jpg' is not in the images folder/,
    );
    writeFileSync(join(set.images, 'img-5.jpg'), jpegBytes(picture(24, 16), 24, 16));
    // An unreadable image.
    writeFileSync(join(set.images, 'img-4.jpg'), 'not a picture');
    refuses(() => loadDetectionDataset(src), join(set.images, 'img-4.jpg'), /not a JPEG or PNG image/);
    writeFileSync(join(set.images, 'img-4.jpg'), jpegBytes(picture(24, 16), 24, 16));
    // A box of zero or negative size.
    writeFileSync(xml(2), vocXml('img-2.jpg', 24, 16, [{ name: 'cat', box: [5, 5, 5, 9] }]));
    refuses(() => loadDetectionDataset(src), xml(2), /object 1 \(cat\): box \[5, 5, 5, 9\] has zero or negative size/);
    // XML that is not VOC, and text that is not XML.
    writeFileSync(xml(2), '<svg><rect/></svg>');
    refuses(() => loadDetectionDataset(src), xml(2), /XML that is not a Pascal VOC annotation \(root element <svg>/);
    writeFileSync(xml(2), '<annotation><object><name>cat</name></annotation>');
    refuses(() => loadDetectionDataset(src), xml(2), /not XML/);
    writeFileSync(xml(2), vocXml('img-2.jpg', 24, 16, [{ name: 'cat', box: [5, 5, 9, 9] }]));
    // A COCO file with duplicate ids.
    coco.annotations[1].id = coco.annotations[0].id;
    writeFileSync(set.coco, JSON.stringify(coco));
    refuses(() => loadDetectionDataset({ ...src, voc: undefined, coco: set.coco }), set.coco, /annotation id 1/);
    coco.annotations[1].id = 2;
    coco.images[1].id = coco.images[0].id;
    writeFileSync(set.coco, JSON.stringify(coco));
    refuses(() => loadDetectionDataset({ ...src, voc: undefined, coco: set.coco }), set.coco, /image id 1/);
    // Duplicate file stems.
    writeFileSync(join(set.images, 'img-3.png'), pngBytes([1, 2, 3, 4], 2, 2, 0));
    refuses(() => loadDetectionDataset(src), set.images, /duplicate file stem 'img-3' \(img-3\.jpg and img-3\.png\)/);
    rmSync(join(set.images, 'img-3.png'));
    // A folder with no images.
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'readme.txt'), 'x');
    refuses(() => loadDetectionDataset({ ...src, images: empty }), empty, /no jpg\/jpeg\/png files in the folder/);
    refuses(() => loadDetectionDataset({ ...src, images: join(dir, 'nowhere') }), join(dir, 'nowhere'), /no such folder/);
  }));

test('boxes outside the image are clipped and counted; images without objects and difficult objects are counted', () =>
  withSet((_, set) => {
    writeFileSync(
      join(set.voc, 'img-1.xml'),
      vocXml('img-1.jpg', 24, 16, [
        { name: 'dog', box: [-3, 2, 30, 10] },
        { name: 'dog', box: [1, 1, 4, 4], difficult: true },
      ]),
    );
    writeFileSync(join(set.voc, 'img-2.xml'), vocXml('img-2.jpg', 24, 16, []));
    rmSync(join(set.voc, 'img-3.xml'));
    const data = loadDetectionDataset({ images: set.images, voc: set.voc, side: 32 });
    assert.equal(data.notes.clipped, 1);
    assert.equal(data.notes.ignored, 1);
    assert.equal(data.notes.withoutObjects, 2);
    assert.equal(data.notes.withoutAnnotation, 1);
    const sets = [data.train, data.validation, data.test];
    const s = sets.find((x) => x.names.includes('img-1.jpg'))!;
    const j = s.names.indexOf('img-1.jpg');
    const box = s.boxes[j]!;
    assert.equal(box[0], 0);
    assert.ok(Math.abs(box[2]! - 32) < 1e-4);
    assert.equal(s.ignored[j]!.length, 4);
    const anchors = (side: number) =>
      generateAnchors({
        imageHeight: side,
        imageWidth: side,
        levels: [
          { stride: 4, size: 8 },
          { stride: 8, size: 16 },
        ],
      });
    const summary = detectionSummary(data, 32, anchors, 'test anchors');
    const text = summary.lines.join('\n');
    assert.match(text, /6 images \(4 train \/ 1 validation \/ 1 test\), colour, 24x16, letterboxed to 32x32; Pascal VOC annotations\./);
    assert.match(
      text,
      /2 images without objects \(negatives\), 1 of them without an annotation file; 1 difficult regions ignored; 1 box reached outside the image and were clipped/,
    );
    assert.ok(summary.coverage >= 0 && summary.coverage <= 1);
  }));

test('anchor coverage warns under 80 % and suggests an --image-size', () =>
  withSet((_, set) => {
    const data = loadDetectionDataset({ images: set.images, voc: set.voc, side: 32 });
    // Anchors of 32 px only: 8-px boxes at 32 px are not covered; at 128 px they are 32 px and are.
    const fixed = (side: number) =>
      generateAnchors({ imageHeight: side, imageWidth: side, levels: [{ stride: 4, size: 32 }], scales: [1], aspectRatios: [1] });
    const s2 = detectionSummary(data, 32, fixed, '32 px');
    assert.ok(s2.coverage < 0.8);
    assert.ok(s2.suggestedSize !== undefined && s2.suggestedSize >= 96, String(s2.suggestedSize));
    assert.match(s2.lines.at(-1)!, new RegExp(`--image-size ${s2.suggestedSize} would cover`));
  }));

test('segmentation: binary {0, 255} masks, palette masks, class frequencies', () => {
  const { dir, done } = tempDir();
  try {
    const set = writeSegmentationSet(dir);
    const data = loadSegmentationDataset({ ...set, side: 16 });
    assert.equal(data.binary, true);
    assert.deepEqual(data.classNames, ['background (0)', 'foreground (255)']);
    const fg = data.notes.classPixels[1]! / (data.notes.classPixels[0]! + data.notes.classPixels[1]!);
    assert.ok(Math.abs(fg - 36 / 256) < 1e-9);
    assert.ok(data.train.labels.every((v) => v === 0 || v === 1));
    assert.match(segmentationSummary(data, 16).join(' '), /binary segmentation, 255 = foreground.*foreground \(255\) 14 %/);
    // Palette masks with classes 0-2 and 255 ignored (VOC's convention).
    const palette: [number, number, number][] = Array.from({ length: 256 }, (_, i) => [i, 255 - i, (i * 7) % 256]);
    for (let i = 0; i < 6; i++)
      writeFileSync(
        join(set.masks, `s${i}.png`),
        palettePng(
          Array.from({ length: 256 }, (_, p) => (p < 10 ? 255 : p % 3)),
          16,
          16,
          palette,
        ),
      );
    const multi = loadSegmentationDataset({ ...set, side: 16 });
    assert.equal(multi.binary, false);
    assert.equal(multi.classNames.length, 3);
    assert.equal(multi.notes.ignoredPixels, 60);
    assert.equal(multi.train.labels[0], -1);
    assert.equal(multi.train.labels[10], 10 % 3);
  } finally {
    done();
  }
});

test('bad segmentation input: each problem is one line naming the file', () => {
  const { dir, done } = tempDir();
  try {
    const set = writeSegmentationSet(dir);
    const src = { ...set, side: 16 };
    // A mask whose size differs from its image.
    writeFileSync(join(set.masks, 's2.png'), pngBytes(new Uint8Array(8 * 16), 8, 16, 0));
    refuses(() => loadSegmentationDataset(src), join(set.masks, 's2.png'), /mask is 8x16, its image s2\.png is 16x16/);
    // Mask values beyond the classes.
    writeFileSync(join(set.masks, 's2.png'), pngBytes(new Uint8Array(256).fill(200), 16, 16, 0));
    refuses(
      () => loadSegmentationDataset(src),
      join(set.masks, 's2.png'),
      /mask value 200 is beyond the classes \(class indices 0-63; 255 is ignored; --ignore-index N to change\)/,
    );
    refuses(
      () => loadSegmentationDataset({ ...src, ignoreIndex: 0 }),
      join(set.masks, 's0.png'),
      /mask value 255 is beyond the classes \(class indices 0-63; 0 is ignored\)/,
    );
    // An image without a mask, and a mask without an image.
    rmSync(join(set.masks, 's2.png'));
    refuses(() => loadSegmentationDataset(src), join(set.images, 's2.png'), /no mask 's2\.png' in --masks/);
    writeFileSync(join(set.masks, 's2.png'), pngBytes(new Uint8Array(256), 16, 16, 0));
    writeFileSync(join(set.masks, 'extra.png'), pngBytes(new Uint8Array(256), 16, 16, 0));
    refuses(() => loadSegmentationDataset(src), join(set.masks, 'extra.png'), /no image 'extra\.\*' in --images/);
    rmSync(join(set.masks, 'extra.png'));
    // A truncated image.
    const png = readFileSync(join(set.images, 's1.png'));
    writeFileSync(join(set.images, 's1.png'), png.subarray(0, png.length - 20));
    refuses(() => loadSegmentationDataset(src), join(set.images, 's1.png'), /unreadable PNG/);
  } finally {
    done();
  }
});
