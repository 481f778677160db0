/** The webgl and webgpu rows: cells run in Chromium through browser_page.ts. */
import { fileURLToPath } from 'node:url';
import { openBundledPage, skipReason } from '../test/browser/harness.js';
import type { BenchData } from './data.js';
import type { Implementation } from './implementations.js';
import type { CellResult } from './measure.js';
import { type Loss, type Row, makeRow } from './row.js';
import { formatCount } from './table.js';

export const BROWSER_BACKENDS = ['webgl', 'webgpu'];

type RunBrowserCell = (backend: string, loss: Loss, n: number, implementation: Implementation) => Promise<CellResult>;

/** Runs every (loss, size) on both GPU backends, fused and composite; `datas` and `exact` are keyed `loss:n`. */
export async function runBrowserCells(
  cells: Array<{ loss: Loss; n: number }>,
  datas: Map<string, BenchData>,
  exact: Map<string, number>,
): Promise<Row[]> {
  const rows: Row[] = [];
  const browser = await openBundledPage(fileURLToPath(new URL('./browser_page.ts', import.meta.url)));
  console.log(`  browser: ${browser.description}`);
  try {
    for (const backend of BROWSER_BACKENDS) {
      const reason = skipReason(browser, backend);
      if (reason) {
        console.log(`  ${backend}: skipped, ${reason}`);
        continue;
      }
      for (const { loss, n } of cells) {
        for (const implementation of ['fused', 'composite'] as const) {
          const key = `${loss}:${n}`;
          const cell = await browser.page.evaluate(
            ([b, l, size, impl]) => (globalThis as unknown as { runBrowserCell: RunBrowserCell }).runBrowserCell(b, l, size, impl),
            [backend, loss, n, implementation] as const,
          );
          const row = makeRow(loss, datas.get(key)!, backend, implementation, cell, exact.get(key)!, 'SwiftShader (CPU-emulated GPU)');
          rows.push(row);
          console.log(`  ${backend} ${loss} ${formatCount(n)} ${implementation}: ${(row.elementsPerSecond / 1e6).toFixed(2)} M/s`);
        }
      }
    }
  } finally {
    await browser.close();
  }
  return rows;
}
