/**
 * Regenerates docs/playground.png, the picture in the playground and root READMEs: builds the site, serves it on
 * 127.0.0.1, opens it with the default settings in Chromium (found like the browser tests) at
 * 1280×800, trains for STEPS steps (default 300) and saves the whole page as a PNG.
 *
 *   npm run screenshot -w focal-loss-playground            (after npm ci, which builds focal-loss)
 *   STEPS=500 OUT=/tmp/p.png npm run screenshot -w focal-loss-playground
 */
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { findBrowser } from '../../focal-loss/test/browser/find_browser.js';
import { buildSite, packageDir } from './build.js';
import { serve } from './serve.js';

const steps = Number(process.env.STEPS ?? 300);
/** Device pixels per CSS pixel: below 1 keeps the PNG small (the READMEs show it: keep it ≤ 200 kB). */
const scale = Number(process.env.SCALE ?? 0.7);
const out = resolve(process.env.OUT ?? join(packageDir, 'docs', 'playground.png'));

const { server, url } = await serve(await buildSite(), 0);
const found = await findBrowser();
const browser = await chromium.launch({
  executablePath: found.executablePath,
  args: found.args,
  ...(found.env ? { env: { ...process.env, ...found.env } as Record<string, string> } : {}),
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: scale });
  await page.goto(url);
  await page.waitForFunction(() => (window as any).playground?.ready === true, null, { timeout: 60_000 });
  await page.click('#start');
  await page.waitForFunction((n) => (window as any).playground.training.step >= n, steps, { timeout: 600_000, polling: 500 });
  await page.click('#pause');
  await page.evaluate(() => (window as any).playground.idle());
  // Focus off the buttons, so no focus ring is in the picture.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.screenshot({ path: out, fullPage: true });
  const state = await page.evaluate(() => ({
    backend: (window as any).playground.backend,
    url: location.search,
    step: (window as any).playground.training.step,
  }));
  console.log(`${out}: ${(statSync(out).size / 1024).toFixed(0)} kB, ${state.backend}, step ${state.step}, ${state.url}`);
} finally {
  await browser.close();
  server.close();
}
