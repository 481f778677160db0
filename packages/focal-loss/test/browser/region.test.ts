/**
 * The segmentation region losses (diceLoss, focalTverskyLoss, unifiedFocalLoss: composites of
 * TF.js ops) on webgl and webgpu in Chromium: loss against the float64 core, autodiff gradient
 * against the core's central differences, ±1e4 logits finite; no leaks. WebGPU is skipped with
 * the reason where the browser has no adapter (see harness.ts).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { type BrowserPage, openBundledPage, skipReason } from './harness.js';
import type { RegionReport } from './region_page.js';

const ENTRY = fileURLToPath(new URL('./region_page.ts', import.meta.url));
let browser: BrowserPage;

before(async () => {
  browser = await openBundledPage(ENTRY);
});
after(async () => {
  await browser?.close();
});

for (const backend of ['webgl', 'webgpu']) {
  test(`region losses on ${backend} in Chromium match the float64 core (loss, gradient, ±1e4)`, async (t) => {
    t.diagnostic(`browser: ${browser.description}`);
    const reason = skipReason(browser, backend);
    if (reason) {
      t.skip(reason);
      return;
    }
    let report: RegionReport;
    try {
      report = await browser.page.evaluate(
        (name) => (globalThis as unknown as { runRegionSuite(b: string): Promise<RegionReport> }).runRegionSuite(name),
        backend,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\npage log:\n${browser.log.slice(-30).join('\n')}`);
    }
    t.diagnostic(`worst error in units of the tolerance: ${JSON.stringify(report.worst)}`);
    assert.equal(report.cases, 9, 'every case ran');
    assert.deepEqual(report.failures, []);
    assert.equal(report.leakedTensors, 0, 'no tensor leaks');
  });
}
