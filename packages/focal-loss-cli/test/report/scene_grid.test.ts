import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inflateSync } from 'node:zlib';
import { summariseExperiment } from '../../src/compare/aggregate.js';
import { buildGrid } from '../../src/compare/settings.js';
import type { ExperimentResult, RunRecord, SceneExamples } from '../../src/compare/types.js';
import { renderFigures } from '../../src/report/index.js';
import { detectionGridSvg, encodeGray, encodePng, segmentationGridSvg } from '../../src/report/scene_grid.js';
import { indexHtml } from '../../src/report/documents.js';

/**
 * Checks that `svg` is well-formed XML of the kind written here: balanced elements, quoted
 * attributes without '<', no bare '<' or '&' in text. Returns the element names in order.
 */
export function checkWellFormed(svg: string): string[] {
  const stack: string[] = [];
  const names: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[A-Za-z_:][\w:.-]*="[^"<]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < svg.length) {
    const lt = svg.indexOf('<', i);
    const text = svg.slice(i, lt < 0 ? svg.length : lt);
    assert.ok(!/&(?!(amp|lt|gt|quot|#39|#\d+);)/.test(text), `bare & in text near ${JSON.stringify(text.slice(0, 40))}`);
    if (lt < 0) break;
    tag.lastIndex = lt;
    const m = tag.exec(svg);
    assert.ok(m, `malformed tag at ${lt}: ${JSON.stringify(svg.slice(lt, lt + 60))}`);
    const [, close, name, , selfClose] = m;
    if (close) assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
    else {
      names.push(name!);
      if (!selfClose) stack.push(name!);
    }
    i = tag.lastIndex;
  }
  assert.deepEqual(stack, [], 'unclosed elements');
  return names;
}

/** Decodes an RGB PNG written by encodePng, checking signature, CRCs and size. */
function decodePng(png: Buffer): { width: number; height: number; rgb: Uint8Array } {
  assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
  let at = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (at < png.length) {
    const len = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      assert.equal(data[8], 8);
      assert.equal(data[9], 2);
    }
    if (type === 'IDAT') idat.push(data);
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  assert.equal(raw.length, height * (1 + 3 * width));
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    assert.equal(raw[y * (1 + 3 * width)], 0);
    rgb.set(raw.subarray(y * (1 + 3 * width) + 1, (y + 1) * (1 + 3 * width)), y * width * 3);
  }
  return { width, height, rgb };
}

test('encodePng writes a PNG that inflates back to the pixels, with the standard CRC', () => {
  const rgb = Uint8Array.from({ length: 5 * 3 * 3 }, (_, i) => (i * 37) % 256);
  const png = encodePng(5, 3, rgb);
  const back = decodePng(png);
  assert.equal(back.width, 5);
  assert.equal(back.height, 3);
  assert.deepEqual([...back.rgb], [...rgb]);
  // IEND's CRC is a known constant.
  assert.equal(png.subarray(-4).toString('hex'), 'ae426082');
  assert.throws(() => encodePng(2, 2, new Uint8Array(3)), /3 bytes for 2×2/);
});

const SIDE = 8;
function examples(kind: 'detection' | 'segmentation'): SceneExamples {
  const images = [0, 1].map((s) => encodeGray(Array.from({ length: SIDE * SIDE }, (_, i) => ((i + s) % 5) / 4)));
  return kind === 'detection'
    ? {
        side: SIDE,
        images,
        boxes: [
          [{ box: [1, 1, 5, 6], label: 3 }],
          [
            { box: [0, 2, 4, 8], label: 7 },
            { box: [4, 0, 8, 3], label: 1 },
          ],
        ],
      }
    : { side: SIDE, images, masks: [0, 1].map(() => '1.0'.repeat(SIDE * SIDE).slice(0, SIDE * SIDE)) };
}

function experiment(kind: 'detection' | 'segmentation'): ExperimentResult {
  const grid =
    kind === 'detection'
      ? buildGrid([0, 2], [0.75, 0.25]).filter((s) => s.label === 'γ=0 α=0.75' || s.label === 'γ=2 α=0.25')
      : buildGrid([0, 2], [0.25]);
  const runs: RunRecord[] = [];
  for (const seed of [0, 1]) {
    for (const [k, setting] of grid.entries()) {
      const metric = kind === 'detection' ? 'AP' : 'iou';
      runs.push({
        experiment: 'e',
        setting,
        seed,
        epochs: 1,
        trainLoss: [1],
        diverged: false,
        seconds: 1,
        validation: { [metric]: 0.1 + k * 0.1 },
        test: { [metric]: 0.1 + k * 0.05 + seed * 0.01 },
        examples:
          seed > 0
            ? undefined
            : kind === 'detection'
              ? {
                  boxes: [
                    [
                      { box: [1, 1, 5, 5], label: 3, score: 0.9 },
                      { box: [2, 2, 3, 3], label: 0, score: 0.1 },
                    ],
                    [{ box: [0, 2, 4, 7], label: 7, score: 0.45 }],
                  ],
                }
              : { masks: [0, 1].map(() => '10'.repeat((SIDE * SIDE) / 2)) },
        ...(kind === 'detection' && seed === 0
          ? {
              curves: {
                lossCdf: [0, 2].map((gamma) => ({
                  gamma,
                  positive: [0, 0.2 / (1 + gamma), 1],
                  negative: [0, 0.1 / (1 + gamma), 1],
                  positives: 3,
                  negatives: 30,
                })),
              },
            }
          : {}),
      });
    }
  }
  return {
    id: `e-${kind}`,
    title: `Example <${kind}> & more`,
    task: kind,
    kind,
    description: 'd',
    training: 't',
    metrics:
      kind === 'detection' ? { primary: 'AP', names: ['AP'], lowerIsBetter: [] } : { primary: 'iou', names: ['iou'], lowerIsBetter: [] },
    grid,
    seeds: [0, 1],
    runs,
    sharedTestSet: true,
    baseline: kind === 'detection' ? 'γ=0 α=0.75' : undefined,
    examples: examples(kind),
  };
}

test('detection grid: a well-formed SVG, one embedded PNG per scene and row, predictions drawn above the score cut only', () => {
  const e = experiment('detection');
  const svg = detectionGridSvg(e, e.grid)!;
  const names = checkWellFormed(svg);
  assert.equal(names[0], 'svg');
  assert.equal(names.filter((n) => n === 'image').length, 2 * 3); // truth + 2 settings
  const pngs = [...svg.matchAll(/href="data:image\/png;base64,([^"]+)"/g)].map((m) => decodePng(Buffer.from(m[1]!, 'base64')));
  assert.equal(pngs.length, 6);
  assert.ok(pngs.every((p) => p.width === SIDE && p.height === SIDE));
  // truth: 3 boxes; each setting: 3 dashed truth boxes + 2 predictions of score ≥ 0.3 (0.9 and 0.45, not 0.1).
  assert.equal(names.filter((n) => n === 'rect').length, 1 + 3 + 2 * (3 + 2));
  assert.match(svg, /3 0\.90/);
  assert.match(svg, /7 0\.45/);
  assert.doesNotMatch(svg, /0 0\.10/);
  assert.equal(detectionGridSvg({ ...e, examples: undefined }, e.grid), undefined);
});

test('segmentation grid: a well-formed SVG whose scenes are tinted by truth and prediction', () => {
  const e = experiment('segmentation');
  const svg = segmentationGridSvg(e, e.grid)!;
  checkWellFormed(svg);
  const pngs = [...svg.matchAll(/href="data:image\/png;base64,([^"]+)"/g)].map((m) => decodePng(Buffer.from(m[1]!, 'base64')));
  assert.equal(pngs.length, 2 * (1 + e.grid.length));
  // Pixel 0 is foreground in truth and prediction: tinted (not gray) in every row.
  for (const p of pngs) assert.ok(p.rgb[0] !== p.rgb[1] || p.rgb[1] !== p.rgb[2]);
  // Pixel 2 is background in truth and predicted foreground: red in the setting rows, gray in the truth row.
  const gray = (p: { rgb: Uint8Array }, i: number) => p.rgb[3 * i] === p.rgb[3 * i + 1] && p.rgb[3 * i + 1] === p.rgb[3 * i + 2];
  assert.ok(gray(pngs[0]!, 2));
  assert.ok(pngs[2]!.rgb[6]! > pngs[2]!.rgb[7]!);
});

test('the report embeds the scene grids of detection and segmentation in index.html, and none for classification', async () => {
  const experiments = [experiment('detection'), experiment('segmentation')];
  const result = {
    command: 'focal-loss compare',
    options: {} as never,
    environment: { node: 'v20', platform: 'linux', cpu: 'cpu', cores: 2, backend: 'cpu', tfjs: '4' },
    provenance: { commit: null, dirty: null, packages: {} },
    startedAt: 'now',
    seconds: 1,
    seeds: [0, 1],
    experiments,
    summaries: experiments.map((e) => summariseExperiment(e)),
  };
  const { perExperiment, general } = await renderFigures(result);
  for (const figures of perExperiment) {
    const grid = figures.find((f) => f.caption.startsWith('The first 2 test scenes'));
    assert.ok(grid, 'scene grid present');
    checkWellFormed(grid.svg);
  }
  // Figure 4 only for detection, from the γ=2 α=0.25 run.
  const fig4 = perExperiment.map((figures) => figures.find((f) => f.caption.startsWith("The paper's Figure 4")));
  assert.ok(fig4[0] && !fig4[1]);
  assert.match(fig4[0].caption, /trained γ=2 α=0.25 model/);
  assert.ok(fig4[0].svg.includes('<path'));
  const html = indexHtml(result, perExperiment, general);
  assert.equal((html.match(/data:image\/png;base64,/g) ?? []).length, 6 + 6);
  assert.ok(!/<script/i.test(html));
});
