/**
 * Every reference case (both fixture files) on the webgl and webgpu backends in Chromium,
 * through the public ops and tf.grad, with the cpu tests' tolerances; no tensor may leak.
 * WebGPU runs where the browser has an adapter (Debian's chromium; CI requires it), else it is
 * reported as skipped with the reason (see harness.ts).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { type BrowserPage, openBundledPage, skipReason } from './harness.js';
import type { SuiteReport } from './fixture_check.js';

const ENTRY = fileURLToPath(new URL('./fixture_page.ts', import.meta.url));
let browser: BrowserPage;

before(async () => {
  browser = await openBundledPage(ENTRY);
});
after(async () => {
  await browser?.close();
});

async function runSuite(backend: string): Promise<SuiteReport> {
  try {
    return await browser.page.evaluate(
      (name) => (globalThis as unknown as { runFocalSuite(b: string): Promise<SuiteReport> }).runFocalSuite(name),
      backend,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}\npage log:\n${browser.log.slice(-30).join('\n')}`);
  }
}

for (const backend of ['webgl', 'webgpu']) {
  test(`all reference cases on ${backend} in Chromium (fused kernels)`, async (t) => {
    t.diagnostic(`browser: ${browser.description}`);
    const reason = skipReason(browser, backend);
    if (reason) {
      t.skip(reason);
      return;
    }
    const report = await runSuite(backend);
    t.diagnostic(`worst error in units of the tolerance: ${JSON.stringify(report.worst)}`);
    assert.equal(report.cases, 658, 'every case of both fixture files ran');
    assert.ok(
      report.fused.FocalLossSigmoid && report.fused.FocalLossSoftmax && report.fused.FocalLossCategorical,
      `fused kernels registered: ${JSON.stringify(report.fused)}`,
    );
    assert.deepEqual(report.failures, [], `worst error / tolerance: ${JSON.stringify(report.worst)}`);
    assert.equal(report.leakedTensors, 0, 'no tensor leaks');
  });
}
