/**
 * The seeds of `--quick` (src/compare/config.ts QUICK_SEEDS): with the default grid of each
 * task, the verdict finds a true +0.06 with at least 80 % power when one seed's difference of
 * two settings has sd 0.02, and one seed fewer would not.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TaskName } from '../../src/compare/config.js';
import { resolvePlan } from '../../src/compare/run.js';
import { detectableEffect } from '../../src/stats/index.js';

for (const task of ['classification', 'segmentation', 'detection'] as TaskName[]) {
  test(`--quick ${task}: the default seeds detect +0.06 with 80 % power, and are the fewest that do`, () => {
    const plan = resolvePlan({ task, mode: 'quick', ignore: [], out: 'x', backend: 'wasm' });
    const n = plan.seeds.length;
    assert.deepEqual(
      plan.seeds,
      Array.from({ length: n }, (_, i) => i),
    );
    for (const grid of plan.grids) {
      const K = grid.length;
      assert.ok(detectableEffect({ settings: K, seeds: n, sd: 0.02 }) <= 0.06, `${task}: ${K} settings at ${n} seeds`);
      assert.ok(n === 2 || detectableEffect({ settings: K, seeds: n - 1, sd: 0.02 }) > 0.06, `${task}: ${n - 1} seeds would do`);
    }
  });
}
