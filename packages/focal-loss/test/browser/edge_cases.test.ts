/**
 * GPU kernels at the edges, in Chromium: logits at +-1e4 and 0 < gamma < 1 stay finite and
 * match the cpu kernels, int32 targets and weights match (webgpu's cast to float32 keeps their
 * int32 buffer), ±Infinity logits give the cpu kernels' limits (0, or +Infinity also
 * through the sum tree), NaN logits give NaN, an out-of-range label gives NaN for its row
 * (labels are not validated on the GPU), and the float32 GPU reductions stay within 1e-6
 * relative of a float64 sum at 10^6 elements.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { type BrowserPage, openBundledPage, skipReason } from './harness.js';
import type { EdgeReport } from './edge_page.js';

const ENTRY = fileURLToPath(new URL('./edge_page.ts', import.meta.url));
let browser: BrowserPage;
let cpu: EdgeReport;

async function runEdges(backend: string): Promise<EdgeReport> {
  try {
    return await browser.page.evaluate(
      (name) => (globalThis as unknown as { runEdgeSuite(b: string): Promise<EdgeReport> }).runEdgeSuite(name),
      backend,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}\npage log:\n${browser.log.slice(-30).join('\n')}`);
  }
}

before(async () => {
  browser = await openBundledPage(ENTRY);
  cpu = await runEdges('cpu');
});
after(async () => {
  await browser?.close();
});

/** NaN arrives as NaN from playwright (or null through plain JSON). */
function isNaNish(v: number | null): boolean {
  return v === null || Number.isNaN(v);
}

function assertSameWithin(actual: Array<number | null>, expected: Array<number | null>, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  expected.forEach((e, i) => {
    const a = actual[i];
    if (isNaNish(e)) {
      assert.ok(isNaNish(a), `${what}[${i}] = ${a}, expected NaN`);
      return;
    }
    if (e === Infinity || e === -Infinity) {
      assert.equal(a, e, `${what}[${i}] = ${a}, cpu gives ${e}`);
      return;
    }
    assert.ok(a !== null && Number.isFinite(a) && e !== null, `${what}[${i}] = ${a} is not finite`);
    assert.ok(Math.abs(a! - e!) <= 1e-4 * Math.abs(e!) + 1e-6, `${what}[${i}] = ${a}, cpu gives ${e}`);
  });
}

for (const backend of ['webgl', 'webgpu']) {
  test(`${backend}: saturated and NaN logits, invalid labels, reduction accuracy`, async (t) => {
    t.diagnostic(`browser: ${browser.description}`);
    const reason = skipReason(browser, backend);
    if (reason) {
      t.skip(reason);
      return;
    }
    const report = await runEdges(backend);
    t.diagnostic(`reduction relative errors at 10^6: ${JSON.stringify(report.reductionError)}`);
    for (const [name, [loss, grad]] of Object.entries(cpu.results)) {
      assertSameWithin(report.results[name][0], loss, `${name} loss`);
      assertSameWithin(report.results[name][1], grad, `${name} grad`);
    }
    // The limits themselves are checked on cpu in Node (test/ops/infinite_logits.test.ts); here a few by value.
    assert.deepEqual(report.results['sigmoid ±Infinity gamma 2'][0].slice(0, 7), [0, 0, Infinity, Infinity, Infinity, Infinity, 0]);
    assert.deepEqual(report.results['sigmoid ±Infinity gamma 2'][1].slice(0, 4), [0, 0, 0.75, -0.25]);
    assert.deepEqual(report.results['sigmoid ±Infinity, sum'][0], [Infinity]);
    assert.deepEqual(report.results['sigmoid ±Infinity, targets near 0 and 1, gamma 4'][0].slice(0, 4), [
      Infinity,
      Infinity,
      Infinity,
      Infinity,
    ]);
    assert.deepEqual(report.results['softmax ±Infinity'][0].slice(0, 3), [0, Infinity, Infinity]);
    assert.ok(isNaNish(report.results['softmax ±Infinity'][0][4]), 'two +Infinity logits in a row: NaN');
    const [allIgnoredLoss, allIgnoredGrad] = report.results['softmax all ignored, mean'];
    assert.deepEqual([allIgnoredLoss, new Set(allIgnoredGrad)], [[0], new Set([0])], 'all labels ignored: loss 0, gradient 0');
    const [badLoss, badGrad] = report.results['softmax invalid label'] as Array<Array<number | null>>;
    assert.ok(isNaNish(badLoss[1]), `row with label 3 of 3 classes: loss ${badLoss[1]}, expected NaN`);
    assert.ok(badGrad.slice(3, 6).every(isNaNish), 'its gradient is NaN');
    assert.equal(badLoss[2], 0, 'the ignored row gives 0');
    assert.ok(Number.isFinite(badLoss[0]) && Number.isFinite(badLoss[3] ?? NaN), 'valid rows are unaffected');
    for (const [name, error] of Object.entries(report.reductionError)) {
      assert.ok(error <= 1e-6, `${name}: relative error ${error} at 10^6 elements`);
    }
    assert.equal(report.leakedTensors, 0, 'no tensor leaks');
  });
}
