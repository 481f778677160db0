/**
 * Command-line parsing for `focal-loss compare` (`eval-detections` parses its own arguments,
 * in eval_detections.ts). Strict: an unknown flag, a missing value or a value out of range is
 * a {@link UsageError} (exit code 2) with a one-line message.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CompareOptions } from '../compare/config.js';
import { DataError } from '../data/errors.js';

/** Bad command line; same exit code (2) as bad data. */
export class UsageError extends DataError {
  override name = 'UsageError';
}

/** The help text (`--help`). */
export const USAGE = `Usage: focal-loss compare [options]
       focal-loss eval-detections --gt GT.json --dt DETS.json [--json]
       focal-loss render --results results.json [--out DIR]
       focal-loss export-scenes --task detection|segmentation --out DIR [--count N]

Does focal loss help on this data? Trains the same model with cross-entropy and a grid of
focal-loss settings on the same splits and seeds, selects gamma/alpha on validation,
reports on test, and writes an HTML/Markdown/JSON report.

Options:
  --task detection|segmentation|classification
                                       built-in task (default detection, or classification
                                       with --data): detection: a small RetinaNet on MNIST
                                       digit scenes, COCO AP, CE alpha 0.75 against focal
                                       gamma 2 alpha 0.25 (--full: at 1:570 anchors, the paper's
                                       Table 1a/1b and FL*, then ablations: imbalance, SGD and
                                       the prior, alpha .99 and gamma 5); segmentation: an FCN on the
                                       scenes, IoU; classification: MNIST 8-vs-rest at 1:100
                                       and long-tailed 10-class MNIST
  --data FILE.csv --label COLUMN       your own CSV instead of MNIST (classification): UTF-8
                                       (or UTF-16 with a byte-order mark), comma-separated
  --positive VALUE                     label value of the positive class (binary: VALUE vs rest)
  --ignore COL,...                     columns to drop: non-numeric columns, a column without a
                                       name (a pandas index) and a row-index column must be
                                       dropped. A column is named by its header name or as #N,
                                       the N-th column counting from 1 (quote it in a shell:
                                       --ignore '#1,id'); an empty column without a name (a
                                       trailing comma on every line) is dropped by itself
  --images DIR                         your own images (JPEG, PNG) instead of the MNIST scenes:
                                       --task detection with --voc DIR (Pascal VOC XML per image)
                                       or --coco FILE.json; --task segmentation with --masks DIR
                                       (PNG per image, same stem: class index per pixel, 255
                                       ignored; masks of only 0 and 255 are binary)
  --ignore-index N                     mask value to ignore (default 255)
  --image-size N                       side the images are letterboxed to, a multiple of 32
                                       (default 128 detection, 256 segmentation)
  --split FILE.json                    your split: {"train": [...], "validation": [...], "test":
                                       [...]} of file names (default: seeded 70/15/15 by image)
  --epochs N                           epochs per run on your images (default: the mode's)
  --gamma 0,0.5,1,2,5                  gamma values (0 to 20)
  --alpha 0.25,0.5,0.75,none           the paper's alpha for two-class tasks (binary, segmentation):
                                       weight alpha on the rare class, 1-alpha on the rest; or none
  --class-weight-power 0.25,0.5,1,none multi-class tasks: class weights w_c ~ n_c^-p (1 = inverse
                                       frequency), or none
  --seeds N                            seeds per setting (default --quick 3, detection 4;
                                       --full 5; detection's ablations: the first 3 or 5)
  --confirm N                          then train the setting selected on validation and the
                                       baseline again on N fresh seeds (2 to 100) and decide
                                       on those alone: a pair, no selection to correct for
  --quick | --full                     about 3 minutes (default) | 30-45 minutes on 2 cores
                                       (detection: about 75)
  --out DIR                            report directory (default report/)
  --backend cpu|wasm                   tfjs backend (default wasm)
  --workers N                          threads training detection/segmentation runs in
                                       parallel (default: one per core; 1: no worker threads)
  -h, --help                           this help
  -v, --version                        the version of focal-loss-cli

Cross-entropy (gamma 0, alpha none) is always run as the baseline.

eval-detections prints pycocotools' 12 COCO bbox numbers (AP, AP50, ..., ARl) for a COCO
results list against COCO ground truth; --json for one JSON line. See
'focal-loss eval-detections --help'. render writes the report of an earlier run again
from its results.json with this version's layout ('focal-loss render --help').

Exit codes: 0 done, 2 bad input, 1 unexpected error.`;

/** Result of parsing: either help or options to run. */
export type ParsedCommand = { help: true } | { version: true; help: false } | { help: false; version?: false; options: CompareOptions };

function numberList(flag: string, text: string, allowNone: boolean, check: (v: number) => boolean, range: string): (number | null)[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new UsageError(`--${flag} '${text}': empty item in the list`);
  const values = items.map((item) => {
    if (allowNone && item.toLowerCase() === 'none') return null;
    const v = Number(item);
    if (!Number.isFinite(v) || !check(v)) throw new UsageError(`--${flag} '${item}' is not ${range}`);
    return v;
  });
  return [...new Map(values.map((v) => [v, v])).values()];
}

/** `--ignore a,#1,b`: column names, or `#N` for the N-th column (1-based). */
function columnList(flag: string, text: string): string[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) {
    throw new UsageError(
      `--${flag} '${text}': empty column name in the list (a column without a name is named by its position: --${flag} '#1' for the first column)`,
    );
  }
  for (const item of items) if (/^#0+$/.test(item)) throw new UsageError(`--${flag} '${item}': columns are numbered from #1`);
  return items;
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${flag} '${value}' must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** A negative number given as a flag's value: `--gamma -1`, `--positive -1`, `--gamma -0.5,1`. */
const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

/**
 * node:util's parseArgs refuses a value that starts with a dash (`--gamma -1`) with three
 * lines of advice. Before parsing: a negative number after a flag that takes a value is
 * that flag's value (there are no numeric flags to confuse it with); any other dash word
 * there is a one-line {@link UsageError} saying how to write such a value.
 */
function joinDashValues(argv: readonly string[], options: NonNullable<ParseArgsConfig['options']>): string[] {
  const shortNames = new Map(Object.entries(options).flatMap(([name, option]) => (option.short ? [[option.short, name] as const] : [])));
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const name = /^--[^=]+$/.test(arg) ? arg.slice(2) : /^-[^-]$/.test(arg) ? shortNames.get(arg[1]!) : undefined;
    const next = argv[i + 1];
    if (name !== undefined && Object.hasOwn(options, name) && options[name]!.type === 'string' && next?.startsWith('-') && next !== '-') {
      if (!NEGATIVE_NUMBER.test(next))
        throw new UsageError(
          `${arg} needs a value, but '${next}' follows it (a value that starts with a dash is written --${name}=${next})`,
        );
      out.push(`--${name}=${next}`);
      i++;
      continue;
    }
    out.push(arg);
  }
  return out;
}

/**
 * node:util's strict `parseArgs` with positionals; a bad flag becomes a one-line
 * {@link UsageError}. Shared by `compare`, `eval-detections` and `render`, so that their
 * flags read the same way (`--gamma -1` and `--gamma=-1` are one thing in all three).
 */
export function parseStrict<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: readonly string[],
  options: T,
): ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: T }>> {
  const args = joinDashValues(argv, options);
  try {
    return parseArgs({ args, allowPositionals: true, strict: true, options });
  } catch (error) {
    const message = String((error as Error).message);
    const missing = /^Option '(-\S+)(?:, (--\S+))? <value>' argument missing/.exec(message);
    if (missing) throw new UsageError(`${missing[2] ?? missing[1]} needs a value`);
    // node:util's messages are clear but long, some over several lines; keep the first sentence.
    throw new UsageError(message.split(/\.(?:\s|$)/)[0]!.replace(/\s+/g, ' '));
  }
}

/** Parses `argv` (without node and the script), e.g. ['compare', '--quick']. */
export function parseCommand(argv: readonly string[]): ParsedCommand {
  const parsed = parseStrict(argv, {
    task: { type: 'string' },
    data: { type: 'string' },
    label: { type: 'string' },
    positive: { type: 'string' },
    ignore: { type: 'string' },
    gamma: { type: 'string' },
    alpha: { type: 'string' },
    'class-weight-power': { type: 'string' },
    seeds: { type: 'string' },
    confirm: { type: 'string' },
    quick: { type: 'boolean' },
    full: { type: 'boolean' },
    out: { type: 'string' },
    backend: { type: 'string' },
    workers: { type: 'string' },
    images: { type: 'string' },
    voc: { type: 'string' },
    coco: { type: 'string' },
    masks: { type: 'string' },
    'ignore-index': { type: 'string' },
    'image-size': { type: 'string' },
    split: { type: 'string' },
    epochs: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
    // Undocumented: a seconds-long configuration for the end-to-end tests.
    tiny: { type: 'boolean' },
  });
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  if (values.version) return { version: true, help: false };
  if (positionals.length === 0) throw new UsageError("missing command: try 'focal-loss compare --quick'");
  if (positionals[0] !== 'compare')
    throw new UsageError(
      `unknown command '${positionals[0]}' (the commands are 'compare', 'eval-detections', 'render' and 'export-scenes')`,
    );
  if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);

  // Detection is the use case focal loss was made for; a CSV is a classification task.
  const task = oneOf('task', values.task ?? (values.data !== undefined ? 'classification' : 'detection'), [
    'classification',
    'segmentation',
    'detection',
  ] as const);
  const backend = oneOf('backend', values.backend ?? 'wasm', ['cpu', 'wasm'] as const);
  if (values.quick && values.full) throw new UsageError('--quick and --full exclude each other');
  if (values.data !== undefined && task !== 'classification') throw new UsageError('--data works with --task classification only');
  if (values.data !== undefined && values.label === undefined) throw new UsageError('--data needs --label COLUMN');
  if (values.label !== undefined && values.label.trim() === '')
    throw new UsageError(
      "--label needs a column name (a column without a name is named by its position: --label '#1' for the first column)",
    );
  if (values.data === undefined) {
    for (const flag of ['label', 'positive', 'ignore'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} needs --data FILE.csv`);
    }
  }
  if (values.data === '') throw new UsageError('--data needs a file name');
  if (values.out === '') throw new UsageError('--out needs a directory name');

  let seeds: number | undefined;
  if (values.seeds !== undefined) {
    seeds = Number(values.seeds);
    if (!Number.isInteger(seeds) || seeds < 1 || seeds > 100)
      throw new UsageError(`--seeds '${values.seeds}' is not an integer from 1 to 100`);
  }
  let confirm: number | undefined;
  if (values.confirm !== undefined) {
    confirm = Number(values.confirm);
    // A pair needs two seeds for an interval.
    if (!Number.isInteger(confirm) || confirm < 2 || confirm > 100)
      throw new UsageError(
        `--confirm '${values.confirm}' is not an integer from 2 to 100 (fresh seeds for the selected setting and the baseline)`,
      );
  }
  let workers: number | undefined;
  if (values.workers !== undefined) {
    workers = Number(values.workers);
    if (!Number.isInteger(workers) || workers < 1 || workers > 256)
      throw new UsageError(`--workers '${values.workers}' is not an integer from 1 to 256`);
  }
  const gammas =
    values.gamma === undefined
      ? undefined
      : (numberList('gamma', values.gamma, false, (v) => v >= 0 && v <= 20, 'a number from 0 to 20') as number[]);
  const alphas =
    values.alpha === undefined
      ? undefined
      : numberList('alpha', values.alpha, true, (v) => v >= 0 && v <= 1, "a number in [0, 1] or 'none'");
  const powers = values['class-weight-power'];
  const classWeightPowers =
    powers === undefined
      ? undefined
      : numberList('class-weight-power', powers, true, (v) => v >= 0 && v <= 4, "a number from 0 to 4 or 'none'");
  if (classWeightPowers && task === 'segmentation')
    throw new UsageError('--class-weight-power is for multi-class tasks; segmentation is two-class: use --alpha');
  if (classWeightPowers && task === 'detection')
    throw new UsageError('--class-weight-power is for multi-class softmax tasks; detection uses one sigmoid per class: use --alpha');
  const ignore = values.ignore === undefined ? [] : columnList('ignore', values.ignore);
  const images = imageOptions(values, task);

  return {
    help: false,
    options: {
      task,
      data: values.data,
      label: values.label,
      positive: values.positive,
      ignore,
      gammas,
      alphas,
      classWeightPowers,
      seeds,
      mode: values.tiny ? 'tiny' : values.full ? 'full' : 'quick',
      out: values.out ?? 'report',
      backend,
      ...(workers === undefined ? {} : { workers }),
      ...(confirm === undefined ? {} : { confirm }),
      ...images,
    },
  };
}

/** An integer flag in [lo, hi] (and a multiple of `step`), or a UsageError. */
function integerFlag(flag: string, text: string | undefined, lo: number, hi: number, step = 1): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!Number.isInteger(v) || v < lo || v > hi || v % step !== 0)
    throw new UsageError(`--${flag} '${text}' is not ${step > 1 ? `a multiple of ${step}` : 'an integer'} from ${lo} to ${hi}`);
  return v;
}

/** The user's-images flags (--images and what goes with it), checked against the task. */
function imageOptions(values: Record<string, string | boolean | undefined>, task: CompareOptions['task']): Partial<CompareOptions> {
  const str = (flag: string) => {
    const v = values[flag] as string | undefined;
    if (v === '') throw new UsageError(`--${flag} needs a ${flag === 'coco' || flag === 'split' ? 'file' : 'folder'} name`);
    return v;
  };
  const images = str('images');
  const [voc, coco, masks, split] = [str('voc'), str('coco'), str('masks'), str('split')];
  if (images === undefined) {
    for (const flag of ['voc', 'coco', 'masks', 'ignore-index', 'image-size', 'split', 'epochs'])
      if (values[flag] !== undefined) throw new UsageError(`--${flag} needs --images DIR`);
    return {};
  }
  if (task === 'classification') throw new UsageError('--images works with --task detection or --task segmentation');
  if (values.data !== undefined) throw new UsageError('--images and --data exclude each other');
  if (task === 'detection') {
    if (masks !== undefined || values['ignore-index'] !== undefined)
      throw new UsageError(`--${masks !== undefined ? 'masks' : 'ignore-index'} is for --task segmentation`);
    if ((voc === undefined) === (coco === undefined))
      throw new UsageError('--task detection --images needs exactly one of --voc DIR and --coco FILE.json');
  } else {
    if (voc !== undefined || coco !== undefined) throw new UsageError(`--${voc !== undefined ? 'voc' : 'coco'} is for --task detection`);
    if (masks === undefined) throw new UsageError('--task segmentation --images needs --masks DIR');
  }
  const ignoreIndex = integerFlag('ignore-index', values['ignore-index'] as string | undefined, 0, 65535);
  const imageSize = integerFlag('image-size', values['image-size'] as string | undefined, 32, 1024, 32);
  const epochs = integerFlag('epochs', values.epochs as string | undefined, 1, 1000);
  return {
    images,
    ...(voc === undefined ? {} : { voc }),
    ...(coco === undefined ? {} : { coco }),
    ...(masks === undefined ? {} : { masks }),
    ...(ignoreIndex === undefined ? {} : { ignoreIndex }),
    ...(imageSize === undefined ? {} : { imageSize }),
    ...(split === undefined ? {} : { split }),
    ...(epochs === undefined ? {} : { epochs }),
  };
}
