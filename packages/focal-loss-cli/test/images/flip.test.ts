import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copyFlipped } from '../../src/data/images/flip.js';

test('copyFlipped mirrors each row left to right, channels kept together, at the offset', () => {
  // 2×2 pixels, 2 channels: rows [(1,2) (3,4)] and [(5,6) (7,8)].
  const out = new Float32Array(10).fill(-1);
  copyFlipped(Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8), 2, 2, out, 2);
  assert.deepEqual([...out], [-1, -1, 3, 4, 1, 2, 7, 8, 5, 6]);
  const labels = new Int32Array(9);
  copyFlipped(Int32Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9), 3, 1, labels, 0);
  assert.deepEqual([...labels], [3, 2, 1, 6, 5, 4, 9, 8, 7]);
});
