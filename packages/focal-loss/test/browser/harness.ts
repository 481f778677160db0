/**
 * Runs a browser entry module in Debian's Chromium: bundles it with esbuild (IIFE, browser
 * platform), serves it from 127.0.0.1 with node:http and opens it with playwright-core.
 * WebGL2 and WebGPU both run on SwiftShader there (CPU-emulated, so no GPU speed figures).
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
];

export interface BrowserPage {
  page: Page;
  /** Messages the page logged (console and page errors), for failure reports. */
  log: string[];
  close(): Promise<void>;
}

/** Fails with instructions when Chromium is missing (CI installs it in .ci/run). */
export function assertChromiumInstalled(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. The browser tests and 'bench --browser' need ` +
        `Debian's chromium: run 'apt-get update && apt-get install -y chromium' ` +
        `(or set CHROMIUM_PATH).`,
    );
  }
}

/** Bundles `entry` (a .ts file) and opens it in a fresh headless Chromium page. */
export async function openBundledPage(entry: string): Promise<BrowserPage> {
  assertChromiumInstalled();
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
    if (req.url === '/page.js') {
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
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
    const page = await browser.newPage();
    const log: string[] = [];
    page.on('console', (m) => log.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => log.push(`[pageerror] ${e.message}`));
    await page.goto(`http://127.0.0.1:${port}/`);
    const opened = browser;
    return {
      page,
      log,
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
