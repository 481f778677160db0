/** The playground test's harness: the built site served on 127.0.0.1, one Chromium, pages opened offline, snapshots of window.playground. */

import assert from 'node:assert/strict';
import { after, before, type TestContext } from 'node:test';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { sigmoidFocalLoss as coreSigmoidFocalLoss } from 'focal-loss/core';
import { findBrowser } from '../../focal-loss/test/browser/find_browser.js';
import { buildSite, packageDir } from '../scripts/build.js';
import { serve } from '../scripts/serve.js';

export const reportDir = join(packageDir, 'report');
export let server: Server;
export let url: string;
export let browser: Browser;
export let description: string;
export const errors: string[] = [];
/** Requests the pages tried to make to anything but the local server (all blocked). */
export const external: string[] = [];

export interface Curve {
  gamma: number;
  loss: number[];
  grad: number[];
}
export interface Snapshot {
  backend: string;
  step: number;
  ceLoss: number[];
  flLoss: number[];
  gridCE: number[];
  gridFL: number[];
  initialGridCE: number[];
  initialGridFL: number[];
  metrics: { ce: { precision: number; recall: number; ap: number }; fl: { precision: number; recall: number; ap: number } } | null;
  errors: string[];
}

before(async () => {
  mkdirSync(reportDir, { recursive: true });
  const dir = await buildSite(join(packageDir, 'dist'));
  ({ server, url } = await serve(dir, 0));
  const found = await findBrowser();
  browser = await chromium.launch({
    executablePath: found.executablePath,
    args: found.args,
    ...(found.env ? { env: { ...process.env, ...found.env } as Record<string, string> } : {}),
  });
  singleProcess = found.args.includes('--single-process');
  description = `${found.source} ${found.executablePath} (Chromium ${browser.version()})`;
  console.log(`# browser: ${description}`);
});

after(async () => {
  await browser?.close();
  await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
});

export let singleProcess = false;

/** Done with a page. The npm Chromium runs --single-process: closing a page there ends the browser, so it is only emptied. */
export async function done(page: Page): Promise<void> {
  if (singleProcess) await page.goto('about:blank');
  else await page.close();
}

export interface OpenOptions {
  /** Options of a new browser context (a phone), instead of a page in the default one. */
  context?: Parameters<Browser['newContext']>[0];
  /** Called with every request the page makes to the local server. */
  onRequest?: (url: string) => void;
}

export async function open(query: string, options: OpenOptions = {}): Promise<Page> {
  const page = options.context
    ? await (await browser.newContext(options.context)).newPage()
    : await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // No time limits: SwiftShader on a busy machine is slow, and slow is not wrong.
  page.setDefaultTimeout(0);
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${query}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${query}: ${e.message}`));
  // Offline: only the local server answers.
  await page.route('**/*', (route) => {
    const target = route.request().url();
    if (target.startsWith(url) || target.startsWith('data:')) {
      options.onRequest?.(target);
      return route.continue();
    }
    external.push(`${query}: ${target}`);
    return route.abort();
  });
  await page.goto(`${url}${query}`);
  await waitReady(page);
  return page;
}

export const waitReady = (page: Page) => page.waitForFunction(() => (window as any).playground?.ready === true, null, { timeout: 0 });

/** Done with a page opened in its own context (a phone): the context goes with it, except under --single-process. */
export async function doneContext(page: Page): Promise<void> {
  if (singleProcess) await page.goto('about:blank');
  else await page.context().close();
}

export const snapshot = (page: Page) =>
  page.evaluate(() => {
    const p = (window as any).playground;
    return { backend: p.backend, errors: p.errors, ...JSON.parse(JSON.stringify(p.training)) };
  }) as Promise<Snapshot>;

export function libraryCurve(logits: number[], gamma: number, alpha: number | null): { loss: number[]; grad: number[] } {
  const { loss, grad } = coreSigmoidFocalLoss(
    logits,
    logits.map(() => 1),
    [logits.length],
    { gamma, alpha, reduction: 'none' },
  );
  return { loss: Array.from(loss as ArrayLike<number>), grad: Array.from(grad) };
}

export interface TrainCheck {
  /** Train until at least this many steps. */
  steps: number;
  /** Both last losses below `fall` × their first. */
  fall: number;
  /** Both maps moved by more than this somewhere. */
  move: number;
  /** The rare class's AP (held out) of both models at least this. */
  minAp?: number;
  onRequest?: (url: string) => void;
}

export async function trains(t: TestContext, backend: string, check: TrainCheck): Promise<Snapshot> {
  const page = await open(`?backend=${backend}&seed=3`, { onRequest: check.onRequest });
  const start = await snapshot(page);
  assert.equal(start.backend, backend);
  assert.equal(start.step, 0);
  const began = Date.now();
  await page.click('#step');
  // The first steps compile the kernels (slow on SwiftShader's WebGPU).
  await page.waitForFunction(() => (window as any).playground.training.step === 10, null, { timeout: 0 });
  await page.click('#start');
  // Pause from inside the page as soon as the step count is reached (a click from here lags
  // behind by tens of steps on a loaded machine).
  await page.evaluate(
    (n) =>
      new Promise<void>((ok) => {
        const timer = setInterval(() => {
          if ((window as any).playground.training.step < n) return;
          clearInterval(timer);
          document.getElementById('pause')!.click();
          ok();
        }, 5);
      }),
    check.steps,
  );
  await page.evaluate(() => (window as any).playground.idle());
  const seconds = (Date.now() - began) / 1000;
  const end = await snapshot(page);
  const first = (a: number[]) => a[0];
  const last = (a: number[]) => a[a.length - 1];
  const m = end.metrics!;
  t.diagnostic(
    `${backend}: ${end.step} steps in ${seconds.toFixed(1)} s, CE ${first(end.ceLoss).toFixed(4)} -> ${last(end.ceLoss).toFixed(4)}, FL ${first(end.flLoss).toFixed(4)} -> ${last(end.flLoss).toFixed(4)}, ` +
      `held out: CE P ${m.ce.precision.toFixed(2)} R ${m.ce.recall.toFixed(2)} AP ${m.ce.ap.toFixed(3)}, FL P ${m.fl.precision.toFixed(2)} R ${m.fl.recall.toFixed(2)} AP ${m.fl.ap.toFixed(3)}`,
  );
  assert.ok(last(end.ceLoss) < check.fall * first(end.ceLoss), 'cross-entropy falls');
  assert.ok(last(end.flLoss) < check.fall * first(end.flLoss), 'focal loss falls');
  const moved = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));
  assert.ok(moved(end.gridCE, end.initialGridCE) > check.move, 'the cross-entropy map moved');
  assert.ok(moved(end.gridFL, end.initialGridFL) > check.move, 'the focal-loss map moved');
  for (const r of [m.ce, m.fl]) {
    for (const v of [r.precision, r.recall, r.ap]) assert.ok(v >= 0 && v <= 1);
    if (check.minAp !== undefined) assert.ok(r.ap >= check.minAp, `AP ${r.ap} >= ${check.minAp}`);
  }
  assert.match((await page.textContent('#metrics-fl td:nth-of-type(3)')) ?? '', /^\d\.\d{3}$/);
  await page.screenshot({ path: join(reportDir, `training-${backend}.png`), fullPage: true });
  await done(page);
  return end;
}
