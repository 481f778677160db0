/**
 * `focal-loss export-scenes --task detection|segmentation --out DIR [--count N]`: writes the
 * built-in MNIST scenes of `compare --quick` (seed 0's train and validation scenes, the fixed
 * test scenes) as files in the formats `compare --images` reads, so that a user sees them and
 * a test can check that the files carry the task exactly:
 *
 * - detection: `images/*.png` (8-bit gray), `annotations.json` (COCO), `voc/*.xml` (Pascal VOC);
 * - segmentation: `images/*.png` and `masks/*.png` (0 background, 1 the digit, 255 ignored: the
 *   one-pixel band outside each digit that the built-in task ignores);
 * - both: `split.json`, the train / validation / test parts (`--split`).
 *
 * The output folder must not exist or be empty: nothing is ever overwritten. Files are written
 * into a temporary folder beside it and moved into place at the end.
 */
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { DetectionSceneSet } from '../data/detection_scenes.js';
import { scenesToCoco } from '../data/detection_scenes.js';
import { DataError, printable } from '../data/errors.js';
import { grayLevels, grayPng, vocAnnotation } from '../data/images/encode.js';
import type { SceneSet } from '../data/scenes.js';
import { parseStrict, UsageError } from './args.js';

/** The help text of `focal-loss export-scenes --help`. */
export const EXPORT_USAGE = `Usage: focal-loss export-scenes --task detection|segmentation --out DIR [--count N]

Writes the built-in MNIST scenes of 'focal-loss compare --quick' as files that
'compare --images' reads: detection: images/*.png, annotations.json (COCO) and voc/*.xml;
segmentation: images/*.png and masks/*.png (0 background, 1 digit, 255 ignored); both:
split.json (for --split).

Options:
  --task detection|segmentation
  --out DIR          a new or empty folder (nothing is overwritten)
  --count N          training scenes (validation and test: N/4 each, at least 1);
                     default: those of compare --quick
  -h, --help         this help

Exit codes: 0 done, 2 bad input, 1 unexpected error.`;

/** Parsed command line; null for --help. */
export function parseExport(argv: readonly string[]): { task: 'detection' | 'segmentation'; out: string; count?: number } | null {
  const { values, positionals } = parseStrict(argv, {
    task: { type: 'string' },
    out: { type: 'string' },
    count: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return null;
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  if (values.task !== 'detection' && values.task !== 'segmentation')
    throw new UsageError(
      values.task === undefined
        ? 'export-scenes needs --task detection or --task segmentation'
        : `--task '${values.task}' must be one of detection, segmentation`,
    );
  if (!values.out) throw new UsageError('export-scenes needs --out DIR');
  let count: number | undefined;
  if (values.count !== undefined) {
    count = Number(values.count);
    if (!Number.isInteger(count) || count < 3 || count > 100000)
      throw new UsageError(`--count '${values.count}' is not an integer from 3 to 100000`);
  }
  return { task: values.task, out: values.out, ...(count === undefined ? {} : { count }) };
}

/** The scenes' three parts, named for the files. */
export interface ScenesToWrite<Set> {
  train: Set;
  validation: Set;
  test: Set;
}

const PARTS = ['train', 'validation', 'test'] as const;
const fileStem = (part: string, n: number) => `${part}-${String(n + 1).padStart(5, '0')}`;

/** Files of the detection scenes: path (relative) → contents. */
export function detectionFiles(scenes: ScenesToWrite<DetectionSceneSet>): Map<string, Buffer | string> {
  const files = new Map<string, Buffer | string>();
  const images: { id: number; file_name: string; width: number; height: number }[] = [];
  const annotations: object[] = [];
  const split: Record<string, string[]> = { train: [], validation: [], test: [] };
  for (const part of PARTS) {
    const set = scenes[part];
    const coco = scenesToCoco(set);
    const pixels = set.size * set.size;
    for (let n = 0; n < set.count; n++) {
      const name = `${fileStem(part, n)}.png`;
      files.set(`images/${name}`, grayPng(grayLevels(set.images.subarray(n * pixels, (n + 1) * pixels)), set.size, set.size));
      const objects = Array.from(set.classes[n]!, (c, i) => ({ name: String(c), box: set.boxes[n]!.subarray(4 * i, 4 * i + 4) }));
      files.set(`voc/${fileStem(part, n)}.xml`, vocAnnotation(name, set.size, set.size, 1, objects));
      const id = images.length + 1;
      images.push({ id, file_name: name, width: set.size, height: set.size });
      for (const a of coco.annotations.filter((x) => x.image_id === n + 1))
        annotations.push({ ...a, id: annotations.length + 1, image_id: id });
      split[part]!.push(name);
    }
  }
  const categories = scenesToCoco(scenes.test).categories;
  files.set('annotations.json', `${JSON.stringify({ images, annotations, categories })}\n`);
  files.set('split.json', `${JSON.stringify(split, null, 1)}\n`);
  return files;
}

/** Files of the segmentation scenes: path (relative) → contents. */
export function segmentationFiles(scenes: ScenesToWrite<SceneSet>): Map<string, Buffer | string> {
  const files = new Map<string, Buffer | string>();
  const split: Record<string, string[]> = { train: [], validation: [], test: [] };
  for (const part of PARTS) {
    const set = scenes[part];
    const pixels = set.size * set.size;
    for (let n = 0; n < set.count; n++) {
      const name = `${fileStem(part, n)}.png`;
      files.set(`images/${name}`, grayPng(grayLevels(set.images.subarray(n * pixels, (n + 1) * pixels)), set.size, set.size));
      // Labels 0 / 1, and the ignored band (-1) as 255, Pascal VOC's ignore value.
      const mask = Uint8Array.from(set.labels.subarray(n * pixels, (n + 1) * pixels), (l) => (l < 0 ? 255 : l));
      files.set(`masks/${name}`, grayPng(mask, set.size, set.size));
      split[part]!.push(name);
    }
  }
  files.set('split.json', `${JSON.stringify(split, null, 1)}\n`);
  return files;
}

/**
 * Writes `files` into `out`, which must not exist or be an empty folder: into a temporary
 * folder beside it first, renamed into place at the end (nothing half-written is left).
 */
export function writeNewFolder(out: string, files: Map<string, Buffer | string>): string {
  const target = resolve(out);
  if (existsSync(target) || isLink(target)) {
    if (isLink(target) || !lstatSync(target).isDirectory()) throw new DataError(`--out ${printable(out)} exists and is not a directory`);
    if (readdirSync(target).length > 0)
      throw new DataError(
        `--out ${printable(out)} is a non-empty directory; export-scenes never overwrites files: choose another directory`,
      );
  }
  mkdirSync(dirname(target), { recursive: true });
  const temp = mkdtempSync(join(dirname(target), `.${basename(target)}.tmp-`));
  try {
    for (const [path, contents] of files) {
      mkdirSync(dirname(join(temp, path)), { recursive: true });
      writeFileSync(join(temp, path), contents);
    }
    if (existsSync(target)) rmdirSync(target); // empty: checked above
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  return target;
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Runs `focal-loss export-scenes ...` and returns the exit code. */
export async function exportScenesMain(argv: readonly string[]): Promise<number> {
  try {
    const parsed = parseExport(argv);
    if (!parsed) {
      process.stdout.write(`${EXPORT_USAGE}\n`);
      return 0;
    }
    const { task, out, count } = parsed;
    const parts = (size: { trainScenes: number; validationScenes: number; testScenes: number }) =>
      count === undefined
        ? size
        : { trainScenes: count, validationScenes: Math.max(1, Math.round(count / 4)), testScenes: Math.max(1, Math.round(count / 4)) };
    // The scene generators load MNIST (and tfjs through the task modules) only now.
    let files: Map<string, Buffer | string>;
    if (task === 'detection') {
      const { detectionPlan } = await import('../compare/config.js');
      const { makeDetectionData } = await import('../compare/tasks/detection.js');
      const size = detectionPlan('quick')[0]!.size;
      files = detectionFiles(makeDetectionData({ ...size, ...parts(size) }, 0));
    } else {
      const { segmentationSizes } = await import('../compare/config.js');
      const { makeScenes } = await import('../compare/tasks/segmentation.js');
      const size = segmentationSizes('quick')[0]!;
      files = segmentationFiles(makeScenes({ ...size, ...parts(size) }, 0));
    }
    const target = writeNewFolder(out, files);
    process.stdout.write(`Wrote ${files.size} files to ${target}.\n`);
    return 0;
  } catch (error) {
    if (error instanceof DataError) {
      process.stderr.write(`focal-loss export-scenes: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`focal-loss export-scenes: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}
