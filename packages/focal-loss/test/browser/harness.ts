/**
 * Runs a browser entry module in Chromium: bundles it with esbuild (IIFE, browser platform),
 * serves it from 127.0.0.1 with node:http and opens it with playwright-core. The browser is
 * found by find_browser.ts (CHROMIUM_PATH, a system Chromium/Chrome, then the npm package
 * @sparticuz/chromium). WebGL2 runs on SwiftShader in all of them (CPU-emulated, so no GPU speed
 * figures); WebGPU only where the page gets an adapter (both Debian's chromium and the npm
 * Chromium do with --enable-unsafe-webgpu on the 127.0.0.1 page, a secure context).
 *
 * A test asks `skipReason(browser, backend)`: undefined to run, or the reason to skip with
 * (`t.skip(reason)`). WebGL2 missing is a failure, not a skip. With FOCAL_LOSS_REQUIRE_WEBGPU=1
 * (set by .ci/run) a missing WebGPU adapter is a failure too, so CI cannot skip that suite.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { type FoundBrowser, findBrowser } from './find_browser.js';

export { findBrowser } from './find_browser.js';

/** What the page can run: WebGL2, and null for WebGPU when an adapter exists, else why not. */
export interface BrowserFeatures {
  webgl2: boolean;
  webgpuUnavailable: string | null;
}

export interface BrowserPage {
  page: Page;
  /** Messages the page logged (console and page errors), for failure reports. */
  log: string[];
  /** Which browser runs the page, e.g. "system /usr/bin/chromium (Chromium 150.0.7871.3)". */
  description: string;
  features: BrowserFeatures;
  close(): Promise<void>;
}

/** Checked in a separate page so the test page's own WebGPU device is the only one it makes. */
const FEATURE_PROBE = `(async () => {
  const webgl2 = !!document.createElement('canvas').getContext('webgl2');
  let webgpuUnavailable = null;
  if (!('gpu' in navigator) || !navigator.gpu) {
    webgpuUnavailable = 'navigator.gpu is undefined';
  } else {
    try {
      const adapter = await navigator.gpu.requestAdapter();
      if (!adapter) webgpuUnavailable = 'navigator.gpu.requestAdapter() returned null';
    } catch (e) {
      webgpuUnavailable = 'navigator.gpu.requestAdapter() threw: ' + (e && e.message);
    }
  }
  return { webgl2, webgpuUnavailable };
})()`;

export const REQUIRE_WEBGPU = process.env.FOCAL_LOSS_REQUIRE_WEBGPU === '1';

/**
 * Undefined when `backend` can run in this browser; otherwise the reason to report the suite
 * as skipped. Throws instead where skipping is not allowed (WebGL2 always; WebGPU under
 * FOCAL_LOSS_REQUIRE_WEBGPU=1).
 */
export function skipReason(browser: BrowserPage, backend: string): string | undefined {
  if (backend === 'webgl') {
    if (!browser.features.webgl2) throw new Error(`WebGL2 is not available in ${browser.description}`);
    return undefined;
  }
  if (backend === 'webgpu' && browser.features.webgpuUnavailable !== null) {
    const reason = `WebGPU not available in ${browser.description}: ${browser.features.webgpuUnavailable}`;
    if (REQUIRE_WEBGPU) throw new Error(`${reason} (FOCAL_LOSS_REQUIRE_WEBGPU=1: the WebGPU suite may not be skipped)`);
    return reason;
  }
  return undefined;
}

/** Bundles `entry` (a .ts file) and opens it in a fresh headless Chromium page. */
export async function openBundledPage(entry: string): Promise<BrowserPage> {
  const found: FoundBrowser = await findBrowser();
  const bundle = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0].text;
  const html = '<!doctype html><html><head><meta charset="utf-8"></head><body><script src="/page.js"></script></body></html>';
  const server: Server = createServer((req, res) => {
    if (req.url === '/probe') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><html><body></body></html>');
    } else if (req.url === '/page.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(script);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(html);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({
      executablePath: found.executablePath,
      args: found.args,
      ...(found.env ? { env: { ...process.env, ...found.env } as Record<string, string> } : {}),
    });
    const description = `${found.source} ${found.executablePath} (Chromium ${browser.version()})`;
    // No time limits: SwiftShader on a busy machine is slow, and slow is not wrong.
    const probe = await browser.newPage();
    probe.setDefaultTimeout(0);
    await probe.goto(`http://127.0.0.1:${port}/probe`);
    const features = (await probe.evaluate(FEATURE_PROBE)) as BrowserFeatures;
    // The npm Chromium runs --single-process: closing a page there ends the browser.
    if (!found.args.includes('--single-process')) await probe.close();
    const page = await browser.newPage();
    page.setDefaultTimeout(0);
    const log: string[] = [];
    page.on('console', (m) => log.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => log.push(`[pageerror] ${e.message}`));
    await page.goto(`http://127.0.0.1:${port}/`);
    const opened = browser;
    return {
      page,
      log,
      description,
      features,
      close: async () => {
        await opened.close();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  } catch (error) {
    await browser?.close();
    server.close();
    throw error;
  }
}
