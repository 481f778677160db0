/**
 * The element-wise focal family on webgl and webgpu in Chromium (fused kernels: the shared
 * GPU plan with each loss's snippet): the 112 element-wise reference cases of
 * fixtures/variants-reference.json at the cpu tests' tolerances, reductions, weights and
 * normalizer against the float64 core, saturated / infinite / NaN logits; and the 8 DFL cases
 * (distributionFocalLoss, its fused GPU plan) with reductions, weights, normalizer and
 * saturated / infinite / NaN logits against the float64 core; no leaks.
 * WebGPU is skipped with the reason where the browser has no adapter (see harness.ts).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { type BrowserPage, openBundledPage, skipReason } from './harness.js';
import type { FamilyReport } from './family_page.js';

const ENTRY = fileURLToPath(new URL('./family_page.ts', import.meta.url));
let browser: BrowserPage;

before(async () => {
  browser = await openBundledPage(ENTRY);
});
after(async () => {
  await browser?.close();
});

for (const backend of ['webgl', 'webgpu']) {
  test(`focal family: every element-wise reference case on ${backend} in Chromium (fused kernels)`, async (t) => {
    t.diagnostic(`browser: ${browser.description}`);
    const reason = skipReason(browser, backend);
    if (reason) {
      t.skip(reason);
      return;
    }
    let report: FamilyReport;
    try {
      report = await browser.page.evaluate(
        (name) => (globalThis as unknown as { runFamilySuite(b: string): Promise<FamilyReport> }).runFamilySuite(name),
        backend,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\npage log:\n${browser.log.slice(-30).join('\n')}`);
    }
    t.diagnostic(`worst error in units of the tolerance: ${JSON.stringify(report.worst)}`);
    assert.ok(report.fused, 'FocalLossElementwise has a fused kernel on this backend');
    assert.equal(report.cases, 112, 'every element-wise case ran');
    assert.ok(report.dflFused, 'FocalLossDistribution has a fused kernel on this backend');
    assert.equal(report.dflCases, 8, 'every DFL case ran');
    assert.deepEqual(report.failures, [], `worst error / tolerance: ${JSON.stringify(report.worst)}`);
    assert.equal(report.leakedTensors, 0, 'no tensor leaks');
  });
}
