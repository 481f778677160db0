/**
 * The built playground in a real Chromium (found like the library's browser tests: CHROMIUM_PATH,
 * a system Chromium, then @sparticuz/chromium), served from 127.0.0.1: the γ slider redraws the
 * curves with the library's values, training on webgl (and webgpu where the browser has an
 * adapter) lowers both losses and moves both maps, a shared URL restores the state, and the
 * page logs no errors. Screenshots go to packages/playground/report/ (not committed).
 */
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { sigmoidFocalLoss as coreSigmoidFocalLoss } from 'focal-loss/core';
import { findBrowser } from '../../focal-loss/test/browser/find_browser.js';
import { buildSite, packageDir } from '../scripts/build.js';
import { serve } from '../scripts/serve.js';

const reportDir = join(packageDir, 'report');
let server: Server;
let url: string;
let browser: Browser;
let description: string;
let webgpuUnavailable: string | null = null;
const errors: string[] = [];

interface Curve { gamma: number; loss: number[]; grad: number[] }
interface Snapshot {
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

let singleProcess = false;

/** Done with a page. The npm Chromium runs --single-process: closing a page there ends the browser, so it is only emptied. */
async function done(page: Page): Promise<void> {
  if (singleProcess) await page.goto('about:blank');
  else await page.close();
}

async function open(query: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${query}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${query}: ${e.message}`));
  await page.goto(`${url}${query}`);
  await page.waitForFunction(() => (window as any).playground?.ready === true, null, { timeout: 60_000 });
  return page;
}

const snapshot = (page: Page) =>
  page.evaluate(() => {
    const p = (window as any).playground;
    return { backend: p.backend, errors: p.errors, ...JSON.parse(JSON.stringify(p.training)) };
  }) as Promise<Snapshot>;

function libraryCurve(logits: number[], gamma: number, alpha: number | null): { loss: number[]; grad: number[] } {
  const { loss, grad } = coreSigmoidFocalLoss(logits, logits.map(() => 1), [logits.length], { gamma, alpha, reduction: 'none' });
  return { loss: Array.from(loss as ArrayLike<number>), grad: Array.from(grad) };
}

test('the γ slider redraws the curves with the library values', async () => {
  const page = await open('?backend=webgl');
  const before = (await page.evaluate(() => (window as any).playground.curves)) as { gamma: number; alpha: number | null; logits: number[]; selected: Curve; family: Curve[] };
  assert.equal(before.gamma, 2);
  assert.deepEqual(before.family.map((c) => c.gamma), [0, 0.5, 1, 2, 5]);
  const pathBefore = await page.getAttribute('#loss-plot path[data-selected]', 'd');
  // Keyboard: five steps of 0.1 to the right.
  await page.focus('#gamma');
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => {
    const p = (window as any).playground;
    return p.curves.gamma === 2.5 && !p.curvesPending;
  });
  await page.evaluate(() => (window as any).playground.idle());
  const afterMove = (await page.evaluate(() => (window as any).playground.curves)) as typeof before;
  const pathAfter = await page.getAttribute('#loss-plot path[data-selected]', 'd');
  assert.notEqual(pathAfter, pathBefore, 'the plotted path changed');
  assert.equal(await page.getAttribute('#loss-plot path[data-selected]', 'data-gamma'), '2.5');
  assert.ok(afterMove.selected.loss.some((v, i) => Math.abs(v - before.selected.loss[i]) > 1e-3), 'the values changed');
  for (const [curve, gamma] of [[afterMove.selected, 2.5], [afterMove.family[4], 5], [afterMove.family[0], 0]] as const) {
    const expected = libraryCurve(afterMove.logits, gamma, 0.25);
    for (const i of [5, 50, 100, 150, 190]) {
      const tol = (v: number) => 1e-5 + 2e-3 * Math.abs(v);
      assert.ok(Math.abs(curve.loss[i] - expected.loss[i]) <= tol(expected.loss[i]), `γ ${gamma} loss at p_t ${(i + 1) / 200}: ${curve.loss[i]} vs ${expected.loss[i]}`);
      assert.ok(Math.abs(curve.grad[i] - expected.grad[i]) <= tol(expected.grad[i]), `γ ${gamma} grad at p_t ${(i + 1) / 200}: ${curve.grad[i]} vs ${expected.grad[i]}`);
    }
  }
  const search = new URL(page.url()).searchParams;
  assert.equal(search.get('gamma'), '2.5', 'the URL carries γ');
  await page.screenshot({ path: join(reportDir, 'curves-webgl.png'), fullPage: true });
  await done(page);
});

async function trains(t: TestContext, backend: string, steps: number, fall: number, move: number): Promise<void> {
  const page = await open(`?backend=${backend}&seed=3`);
  const start = await snapshot(page);
  assert.equal(start.backend, backend);
  assert.equal(start.step, 0);
  await page.click('#step');
  await page.waitForFunction(() => (window as any).playground.training.step === 10);
  await page.click('#start');
  await page.waitForFunction((n) => (window as any).playground.training.step >= n, steps, { timeout: 50_000 });
  await page.click('#pause');
  await page.evaluate(() => (window as any).playground.idle());
  const end = await snapshot(page);
  const first = (a: number[]) => a[0];
  const last = (a: number[]) => a[a.length - 1];
  t.diagnostic(`${backend}: ${end.step} steps, CE ${first(end.ceLoss).toFixed(4)} -> ${last(end.ceLoss).toFixed(4)}, FL ${first(end.flLoss).toFixed(4)} -> ${last(end.flLoss).toFixed(4)}, AP CE ${end.metrics!.ce.ap.toFixed(3)} FL ${end.metrics!.fl.ap.toFixed(3)}`);
  assert.ok(last(end.ceLoss) < fall * first(end.ceLoss), 'cross-entropy falls');
  assert.ok(last(end.flLoss) < fall * first(end.flLoss), 'focal loss falls');
  const moved = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));
  assert.ok(moved(end.gridCE, end.initialGridCE) > move, 'the cross-entropy map moved');
  assert.ok(moved(end.gridFL, end.initialGridFL) > move, 'the focal-loss map moved');
  for (const m of [end.metrics!.ce, end.metrics!.fl]) {
    for (const v of [m.precision, m.recall, m.ap]) assert.ok(v >= 0 && v <= 1);
  }
  assert.match((await page.textContent('#metrics-fl td:nth-of-type(3)')) ?? '', /^\d\.\d{3}$/);
  await page.screenshot({ path: join(reportDir, `training-${backend}.png`), fullPage: true });
  await done(page);
}

test('training on webgl: losses fall, maps move, metrics appear', async (t) => trains(t, 'webgl', 100, 0.7, 0.05));

test('training on webgpu', async (t) => {
  const probe = await browser.newPage();
  await probe.goto(`${url}style.css`);
  webgpuUnavailable = await probe.evaluate(async () => {
    const gpu = (navigator as any).gpu;
    if (!gpu) return 'navigator.gpu is undefined';
    return (await gpu.requestAdapter()) ? null : 'navigator.gpu.requestAdapter() returned null';
  });
  await done(probe);
  if (webgpuUnavailable) {
    t.skip(`WebGPU not available in ${description}: ${webgpuUnavailable}`);
    return;
  }
  // SwiftShader's WebGPU is slow (about 1 s per step of both models here): fewer steps.
  await trains(t, 'webgpu', 20, 0.95, 0.01);
});

test('a shared URL restores the state', async () => {
  const page = await open('?gamma=3.5&alpha=0.4&ratio=20&overlap=0.6&seed=7&backend=cpu');
  assert.equal(await page.inputValue('#gamma'), '3.5');
  assert.equal(await page.inputValue('#alpha'), '0.4');
  assert.equal(await page.inputValue('#overlap'), '0.6');
  assert.equal(await page.inputValue('#seed'), '7');
  assert.equal(await page.textContent('#ratio-value'), '1 : 20');
  assert.equal(await page.isChecked('input[name=backend][value=cpu]'), true);
  const s = await page.evaluate(() => {
    const p = (window as any).playground;
    return { backend: p.backend, curves: p.curves.gamma, alpha: p.curves.alpha, state: { ...p.state } };
  });
  assert.deepEqual(s, { backend: 'cpu', curves: 3.5, alpha: 0.4, state: { gamma: 3.5, alpha: 0.4, useAlpha: true, ratio: 20, overlap: 0.6, seed: 7, backend: 'cpu' } });
  assert.equal(new URL(page.url()).search, '?gamma=3.5&alpha=0.4&ratio=20&overlap=0.6&seed=7&backend=cpu');
  await done(page);
});

test('no console errors', () => {
  assert.deepEqual(errors, []);
});
