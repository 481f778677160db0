/**
 * Does RetinaNet's inference cut focal loss's recall? Trains the quick detection pair
 * (cross-entropy α = .75 and focal loss γ = 2 α = .25, with the prior) per seed, then scores
 * the same trained models on the test scenes with the score threshold and the top-k cut
 * varied (per-class NMS 0.5 and 100 detections per image kept; COCO keeps at most 100 per
 * image and category anyway).
 *
 *   node --import tsx packages/focal-loss-cli/bench/detection-threshold.bench.ts [--seeds N] [--out FILE]
 */
import { writeFileSync } from 'node:fs';
import { scenesToCoco } from '../src/data/detection_scenes.js';
import { detectionGrid, detectionSizes } from '../src/compare/config.js';
import { makeDetectionData, runDetection } from '../src/compare/tasks/detection.js';
import { cocoMetrics, detectScenes } from 'tfjs-retinanet';
import { setupBackend } from '../src/compare/run.js';
import type { DetectOptions } from 'tfjs-retinanet';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1]! : fallback;
};
const seeds = Array.from({ length: Number(arg('--seeds', '2')) }, (_, i) => i);
const out = arg('--out', new URL('./results/detection-threshold.json', import.meta.url).pathname);

const variants: { label: string; options: DetectOptions }[] = [
  { label: 'score > 0.05, top 1000/level (RetinaNet)', options: {} },
  { label: 'score > 0.05, no top-k', options: { topKPerLevel: Infinity } },
  { label: 'score > 0.001, top 1000/level', options: { scoreThreshold: 0.001 } },
  { label: 'score > 0, no top-k', options: { scoreThreshold: 0, topKPerLevel: Infinity } },
];

await setupBackend('wasm', true);
const size = detectionSizes('quick')[0]!;
const rows: {
  setting: string;
  seed: number;
  variant: string;
  AP: number;
  AP50: number;
  AP75: number;
  AR100: number;
  detsPerImage: number;
}[] = [];
for (const seed of seeds) {
  const data = makeDetectionData(size, seed);
  const gt = scenesToCoco(data.test);
  for (const setting of detectionGrid()) {
    const t0 = performance.now();
    await runDetection(data, 'threshold-check', setting, seed, size, {
      onTrained: (model) => {
        for (const v of variants) {
          const dets = detectScenes(model, data.test, data.anchors, 10, v.options);
          const m = cocoMetrics(gt, dets);
          rows.push({
            setting: setting.label,
            seed,
            variant: v.label,
            AP: m.AP!,
            AP50: m.AP50!,
            AP75: m.AP75!,
            AR100: m.AR100!,
            detsPerImage: dets.length / data.test.count,
          });
        }
      },
    });
    console.error(`seed ${seed} ${setting.label}: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
}
writeFileSync(
  out,
  JSON.stringify(
    { command: `node --import tsx packages/focal-loss-cli/bench/detection-threshold.bench.ts --seeds ${seeds.length}`, seeds, rows },
    null,
    1,
  ),
);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log('| setting | inference | AP | AP50 | AP75 | AR100 | detections / image |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
for (const setting of detectionGrid()) {
  for (const v of variants) {
    const r = rows.filter((x) => x.setting === setting.label && x.variant === v.label);
    const f = (k: 'AP' | 'AP50' | 'AP75' | 'AR100') => mean(r.map((x) => x[k])).toFixed(4);
    console.log(
      `| ${setting.label} | ${v.label} | ${f('AP')} | ${f('AP50')} | ${f('AP75')} | ${f('AR100')} | ${mean(r.map((x) => x.detsPerImage)).toFixed(1)} |`,
    );
  }
}
