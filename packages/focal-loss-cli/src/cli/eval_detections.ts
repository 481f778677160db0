/**
 * `focal-loss eval-detections --gt GT.json --dt DETS.json [--json]`: COCO bbox evaluation of
 * a results file, printed as pycocotools' `COCOeval.summarize()` prints it (12 lines) or as
 * one JSON line. Bad input is a {@link DataError} (exit code 2, one line naming the problem).
 */
import { DataError } from '../data/errors.js';
import { checkCocoGroundTruth, checkCocoResults, CocoFormatError, evaluateChecked, formatCocoSummary } from 'tfjs-retinanet';
import { parseStrict, UsageError } from './args.js';
import { readJsonFile } from './json_file.js';

// render reads its results.json with the same reader.
export { readJsonFile };

/** The help text of `focal-loss eval-detections --help`. */
export const EVAL_DETECTIONS_USAGE = `Usage: focal-loss eval-detections --gt GT.json --dt DETS.json [--json]

COCO bbox evaluation with pycocotools' semantics: prints the 12 numbers of
COCOeval.summarize() (AP, AP50, AP75, AP small/medium/large, AR1, AR10, AR100,
AR small/medium/large) in its order and format; -1 where a number is undefined.

Options:
  --gt FILE.json     COCO ground truth: images, annotations (bbox [x, y, w, h],
                     category_id, iscrowd, area), categories
  --dt FILE.json     COCO results: a list of {image_id, category_id, bbox, score}
  --json             one JSON line {"AP": ..., ..., "ARl": ...} instead of the table
  -h, --help         this help

Files: UTF-8 (a byte-order mark is fine) or UTF-16 with a byte-order mark, plain
or gzip-compressed (FILE.json.gz); up to 512 MiB of JSON each (the longest string
Node.js holds; for larger ground truth, drop 'segmentation', which bbox evaluation
does not use: jq -c 'del(.annotations[].segmentation)').
ids: numbers below 2^53 or strings, as pycocotools takes them; image and category
ids all numbers or all strings; no id twice (pycocotools would keep only the last).

Exit codes: 0 done, 2 bad input, 1 unexpected error.`;

/** How to bring a ground-truth file under the size limit: bbox evaluation never reads the polygons that make most of its bytes. */
const SEGMENTATION_HINT = "bbox evaluation does not use 'segmentation': drop it, e.g. jq -c 'del(.annotations[].segmentation)'";

/** Parsed `eval-detections` command line. */
export interface EvalDetectionsOptions {
  gt: string;
  dt: string;
  json: boolean;
}

/** Parses the arguments after `eval-detections`; null for --help. */
export function parseEvalDetections(argv: readonly string[]): EvalDetectionsOptions | null {
  const parsed = parseStrict(argv, {
    gt: { type: 'string' },
    dt: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  const { values, positionals } = parsed;
  if (values.help) return null;
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  if (!values.gt) throw new UsageError('--gt GT.json is required (COCO ground truth)');
  if (!values.dt) throw new UsageError('--dt DETS.json is required (COCO results list)');
  return { gt: values.gt, dt: values.dt, json: values.json ?? false };
}

/** Runs `eval-detections` with the arguments after the command name; returns the exit code. */
export function evalDetectionsMain(
  argv: readonly string[],
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
): number {
  try {
    const options = parseEvalDetections(argv);
    if (options === null) {
      stdout.write(`${EVAL_DETECTIONS_USAGE}\n`);
      return 0;
    }
    const gt = checkCocoGroundTruth(readJsonFile(options.gt, '--gt', { tooLargeHint: SEGMENTATION_HINT }), options.gt);
    const dt = checkCocoResults(readJsonFile(options.dt, '--dt'), gt, options.dt);
    const evaluation = evaluateChecked(gt, dt);
    stdout.write(options.json ? `${JSON.stringify(evaluation.named)}\n` : `${formatCocoSummary(evaluation.stats).join('\n')}\n`);
    return 0;
  } catch (error) {
    // A malformed COCO file is the user's to fix, like any other bad input.
    if (error instanceof DataError || error instanceof CocoFormatError) {
      stderr.write(`focal-loss eval-detections: ${error.message}\n`);
      return 2;
    }
    stderr.write(`focal-loss eval-detections: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}
