import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { detectionFiles, segmentationFiles, writeNewFolder } from '../../src/cli/export_scenes.js';
import { detectionPlan, segmentationSizes } from '../../src/compare/config.js';
import { detectionGrid } from '../../src/compare/config.js';
import { detectionTask, makeDetectionData } from '../../src/compare/tasks/detection.js';
import { makeScenes, segmentationTask } from '../../src/compare/tasks/segmentation.js';
import type { RunJob } from '../../src/compare/tasks/task.js';
import { loadDetectionDataset } from '../../src/data/images/detection_data.js';
import { loadSegmentationDataset } from '../../src/data/images/segmentation_data.js';
import { tempDir } from './fixtures.js';

/** The built-in scenes as the 8-bit files hold them. */
const quantise = (images: Float32Array) => images.map((v) => Math.round(Math.min(1, Math.max(0, v)) * 255) / 255);

const PARTS = ['train', 'validation', 'test'] as const;

test('export-scenes segmentation: the files give the built-in scenes back, and the same numbers', async () => {
  await tf.setBackend('cpu');
  const { dir, done } = tempDir();
  try {
    const size = segmentationSizes('tiny')[0]!;
    const scenes = makeScenes(size, 0);
    const out = join(dir, 'export');
    writeNewFolder(out, segmentationFiles(scenes));
    const loaded = loadSegmentationDataset({
      images: join(out, 'images'),
      masks: join(out, 'masks'),
      split: join(out, 'split.json'),
      side: size.side,
    });
    assert.equal(loaded.binary, false);
    assert.equal(loaded.classNames.length, 2);
    for (const part of PARTS) {
      assert.deepEqual(loaded[part].labels, scenes[part].labels);
      assert.deepEqual(loaded[part].images, quantise(scenes[part].images));
    }
    // The built-in task's run on the built-in scenes (8-bit) and on the scenes read from the files.
    const builtIn = Object.fromEntries(
      PARTS.map((p) => [p, { ...scenes[p], images: quantise(scenes[p].images) }]),
    ) as unknown as typeof scenes;
    const fromFiles = Object.fromEntries(
      PARTS.map((p) => [
        p,
        {
          count: loaded[p].count,
          size: loaded[p].size,
          images: loaded[p].images,
          labels: loaded[p].labels,
          mask: Uint8Array.from(loaded[p].labels, (l) => (l === 1 ? 1 : 0)),
        },
      ]),
    ) as unknown as typeof scenes;
    const job: RunJob<typeof size> = {
      task: 'segmentation',
      experimentId: 'x',
      size,
      setting: { gamma: 2, alpha: 0.25, label: 'γ=2 α=0.25' },
      seed: 0,
      exampleCount: 0,
    };
    const a = await segmentationTask.run(builtIn, job, {});
    const b = await segmentationTask.run(fromFiles, job, {});
    assert.deepEqual(b.test, a.test);
    assert.deepEqual(b.validation, a.validation);
    assert.deepEqual(b.trainLoss, a.trainLoss);
  } finally {
    done();
  }
});

test('export-scenes detection: COCO and VOC files give the built-in scenes back, and the same numbers', async () => {
  await tf.setBackend('cpu');
  const { dir, done } = tempDir();
  try {
    const size = detectionPlan('tiny')[0]!.size;
    const data = makeDetectionData(size, 0);
    const out = join(dir, 'export');
    writeNewFolder(out, detectionFiles(data));
    const images = join(out, 'images');
    const split = join(out, 'split.json');
    const coco = loadDetectionDataset({ images, coco: join(out, 'annotations.json'), split, side: size.side });
    const voc = loadDetectionDataset({ images, voc: join(out, 'voc'), split, side: size.side });
    assert.deepEqual(
      coco.classNames,
      Array.from({ length: 10 }, (_, k) => String(k)),
    );
    for (const part of PARTS) {
      assert.deepEqual(coco[part].images, quantise(data[part].images));
      assert.deepEqual(coco[part].boxes, data[part].boxes);
      assert.deepEqual(coco[part].classes, data[part].classes);
      assert.deepEqual(voc[part].boxes, data[part].boxes);
      assert.deepEqual(
        voc[part].classes.map((c) => Array.from(c, (k) => voc.classNames[k])),
        data[part].classes.map((c) => Array.from(c, String)),
      );
    }
    const builtIn = { ...data, ...Object.fromEntries(PARTS.map((p) => [p, { ...data[p], images: quantise(data[p].images) }])) };
    const fromFiles = {
      ...data,
      ...Object.fromEntries(
        PARTS.map((p) => [
          p,
          { count: coco[p].count, size: coco[p].size, images: coco[p].images, boxes: coco[p].boxes, classes: coco[p].classes },
        ]),
      ),
    };
    const job: RunJob<typeof size> = {
      task: 'detection',
      experimentId: 'x',
      size,
      setting: detectionGrid('tiny')[1]!,
      seed: 0,
      exampleCount: 0,
    };
    const a = await detectionTask.run(builtIn, job, {});
    const b = await detectionTask.run(fromFiles, job, {});
    assert.deepEqual(b.test, a.test);
    assert.deepEqual(b.trainLoss, a.trainLoss);
  } finally {
    done();
  }
});
