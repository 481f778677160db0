/**
 * Pictures of test scenes for the report: a grid with one row per setting (the truth first)
 * and one column per scene, each scene an inline PNG (data URL) inside a self-contained SVG,
 * with true and predicted boxes (detection) or masks (segmentation) drawn over it.
 */
import { deflateSync } from 'node:zlib';
import type { ExampleBox, ExperimentResult, RunRecord, SceneExamples } from '../compare/types.js';
import type { LossSetting } from '../compare/settings.js';
import { escapeHtml } from './table.js';
// The scenes' gray-level encoding lives with the data, where compare writes it; kept importable from here.
export { encodeGray, encodeScenes } from '../data/gray_levels.js';

/** Predicted boxes at or above this score are drawn. */
export const DRAW_SCORE = 0.3;
/** Pixels per scene pixel in the picture. */
const ZOOM = 3;
const GAP = 6;
const LABEL_WIDTH = 130;
const HEADER = 16;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** An 8-bit RGB PNG of `width × height` pixels (`rgb`: 3 bytes per pixel, row-major). */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  if (rgb.length !== width * height * 3) throw new Error(`encodePng: ${rgb.length} bytes for ${width}×${height} RGB`);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type RGB
  const raw = new Uint8Array(height * (1 + width * 3));
  for (let y = 0; y < height; y++) raw.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * (1 + width * 3) + 1); // filter 0
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** A scene as a PNG data URL; `tint(i)` gives an RGB colour mixed in at pixel i (half and half), or undefined. */
function sceneImage(examples: SceneExamples, scene: number, tint?: (i: number) => readonly [number, number, number] | undefined): string {
  const gray = Buffer.from(examples.images[scene]!, 'base64');
  const rgb = new Uint8Array(gray.length * 3);
  for (let i = 0; i < gray.length; i++) {
    const g = gray[i]!;
    const c = tint?.(i);
    for (let j = 0; j < 3; j++) rgb[3 * i + j] = c ? Math.round(0.45 * g + 0.55 * c[j]!) : g;
  }
  return `data:image/png;base64,${encodePng(examples.side, examples.side, rgb).toString('base64')}`;
}

const TRUE_COLOUR = '#1fbf3f';
const PRED_COLOUR = '#ff3b30';

function boxesSvg(boxes: readonly ExampleBox[], x0: number, y0: number, colour: string, dashed: boolean): string {
  return boxes
    .map((b) => {
      const [x1, y1, x2, y2] = b.box as [number, number, number, number];
      const text = b.score === undefined ? `${b.label}` : `${b.label} ${b.score.toFixed(2)}`;
      return (
        `<rect x="${(x0 + x1 * ZOOM).toFixed(1)}" y="${(y0 + y1 * ZOOM).toFixed(1)}" width="${((x2 - x1) * ZOOM).toFixed(1)}" height="${((y2 - y1) * ZOOM).toFixed(1)}" ` +
        `fill="none" stroke="${colour}" stroke-width="1.5"${dashed ? ' stroke-dasharray="3 2"' : ''}/>` +
        `<text x="${(x0 + x1 * ZOOM + 1).toFixed(1)}" y="${(y0 + y1 * ZOOM + 9).toFixed(1)}" font-size="9" fill="${colour}">${escapeHtml(text)}</text>`
      );
    })
    .join('');
}

interface GridRow {
  label: string;
  image: (scene: number) => string;
  overlay: (scene: number, x0: number, y0: number) => string;
}

function gridSvg(examples: SceneExamples, rows: GridRow[], legend: string): string {
  const n = examples.images.length;
  const cell = examples.side * ZOOM;
  const width = LABEL_WIDTH + n * (cell + GAP);
  const height = HEADER + rows.length * (cell + GAP) + 14;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
  ];
  for (let s = 0; s < n; s++)
    parts.push(
      `<text x="${LABEL_WIDTH + s * (cell + GAP) + cell / 2}" y="12" font-size="11" text-anchor="middle" fill="#333">test scene ${s + 1}</text>`,
    );
  rows.forEach((row, r) => {
    const y0 = HEADER + r * (cell + GAP);
    parts.push(`<text x="4" y="${y0 + cell / 2 + 4}" font-size="12" fill="#222">${escapeHtml(row.label)}</text>`);
    for (let s = 0; s < n; s++) {
      const x0 = LABEL_WIDTH + s * (cell + GAP);
      parts.push(
        `<image x="${x0}" y="${y0}" width="${cell}" height="${cell}" style="image-rendering:pixelated" preserveAspectRatio="none" href="${row.image(s)}"/>`,
      );
      parts.push(row.overlay(s, x0, y0));
    }
  });
  parts.push(`<text x="4" y="${height - 3}" font-size="11" fill="#555">${escapeHtml(legend)}</text>`, '</svg>');
  return parts.join('\n');
}

function firstSeedRun(experiment: ExperimentResult, setting: LossSetting): RunRecord | undefined {
  return experiment.runs.find((r) => r.setting.label === setting.label && r.seed === experiment.seeds[0] && r.examples);
}

/**
 * The detection picture: the truth, then per setting its predicted boxes (score ≥ {@link DRAW_SCORE},
 * class and score written) over the true boxes (dashed). Undefined when the experiment has no examples.
 */
export function detectionGridSvg(experiment: ExperimentResult, settings: readonly LossSetting[]): string | undefined {
  const examples = experiment.examples;
  if (!examples?.boxes) return undefined;
  const truth = examples.boxes;
  const plain = (s: number) => sceneImage(examples, s);
  const rows: GridRow[] = [{ label: 'truth', image: plain, overlay: (s, x0, y0) => boxesSvg(truth[s]!, x0, y0, TRUE_COLOUR, false) }];
  for (const setting of settings) {
    const run = firstSeedRun(experiment, setting);
    if (!run?.examples?.boxes) continue;
    const predicted = run.examples.boxes;
    rows.push({
      label: setting.label,
      image: plain,
      overlay: (s, x0, y0) =>
        boxesSvg(truth[s]!, x0, y0, TRUE_COLOUR, true) +
        boxesSvg(
          predicted[s]!.filter((b) => (b.score ?? 0) >= DRAW_SCORE),
          x0,
          y0,
          PRED_COLOUR,
          false,
        ),
    });
  }
  if (rows.length === 1) return undefined;
  return gridSvg(
    examples,
    rows,
    `green: true boxes (dashed under predictions); red: predicted boxes with score ≥ ${DRAW_SCORE} (class, score); seed ${experiment.seeds[0]}`,
  );
}

const MASK_TRUE: readonly [number, number, number] = [31, 191, 63];
const MASK_TP: readonly [number, number, number] = [255, 210, 0];
const MASK_FP: readonly [number, number, number] = [255, 40, 40];
const MASK_FN: readonly [number, number, number] = [40, 110, 255];

/** The segmentation picture: the true mask, then per setting its predicted mask coloured by agreement with the truth. */
export function segmentationGridSvg(experiment: ExperimentResult, settings: readonly LossSetting[]): string | undefined {
  const examples = experiment.examples;
  if (!examples?.masks) return undefined;
  const truth = examples.masks;
  const rows: GridRow[] = [
    { label: 'truth', image: (s) => sceneImage(examples, s, (i) => (truth[s]![i] === '1' ? MASK_TRUE : undefined)), overlay: () => '' },
  ];
  for (const setting of settings) {
    const run = firstSeedRun(experiment, setting);
    if (!run?.examples?.masks) continue;
    const predicted = run.examples.masks;
    rows.push({
      label: setting.label,
      image: (s) =>
        sceneImage(examples, s, (i) => {
          const p = predicted[s]![i] === '1';
          const t = truth[s]![i];
          if (t === '.') return p ? MASK_TP : undefined; // ignored band: drawn as predicted, counted neither way
          if (p) return t === '1' ? MASK_TP : MASK_FP;
          return t === '1' ? MASK_FN : undefined;
        }),
      overlay: () => '',
    });
  }
  if (rows.length === 1) return undefined;
  return gridSvg(
    examples,
    rows,
    `truth row: true mask in green; setting rows: yellow predicted and true (or in the ignored band), red predicted only, blue missed; seed ${experiment.seeds[0]}`,
  );
}

/** Caption of a scene grid. */
export function sceneGridCaption(experiment: ExperimentResult): string {
  return experiment.kind === 'detection'
    ? `The first ${experiment.examples?.images.length ?? 0} test scenes with the true boxes (green) and the boxes predicted (red, score ≥ ${DRAW_SCORE}, class and score) by the baseline, the selected setting and γ=2 α=0.25 (one row each, first seed).`
    : `The first ${experiment.examples?.images.length ?? 0} test scenes with the true mask and the masks predicted (foreground probability > 0.5) by cross-entropy, the selected setting and γ=2 α=0.25 where in the grid (one row each, first seed).`;
}
