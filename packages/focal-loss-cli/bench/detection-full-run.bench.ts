/**
 * Times single runs of the `compare --task detection --full` main experiment (seed 0, one
 * after another on one core), to estimate the whole plan's run time.
 *
 *   node --import tsx packages/focal-loss-cli/bench/detection-full-run.bench.ts ['γ=2 α=0.25' ...]
 */
import { detectionGrid, detectionSizes } from '../src/compare/config.js';
import { makeDetectionData, runDetection } from '../src/compare/tasks/detection.js';
import { setupBackend } from '../src/compare/run.js';

const labels = process.argv.length > 2 ? process.argv.slice(2) : ['γ=2 α=0.25', 'FL* γ=2 β=1 α=0.25'];
await setupBackend('wasm', true);
const size = detectionSizes('full')[0]!;
let t = performance.now();
const data = makeDetectionData(size, 0);
console.log(`scenes and targets: ${((performance.now() - t) / 1000).toFixed(1)} s`);
for (const label of labels) {
  const setting = detectionGrid('full').find((s) => s.label === label);
  if (!setting) throw new Error(`no setting '${label}' in the --full grid`);
  t = performance.now();
  const r = await runDetection(data, 'timing', setting, 0, size, {}, 8);
  console.log(
    `${label}: ${((performance.now() - t) / 1000).toFixed(1)} s, test ${JSON.stringify(r.test)}, loss ${r.trainLoss.map((v) => v.toFixed(3)).join(' ')}`,
  );
}
