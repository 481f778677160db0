/**
 * The built playground in a real Chromium (found like the library's browser tests: CHROMIUM_PATH,
 * a system Chromium, then @sparticuz/chromium), served from 127.0.0.1 with every request to
 * another origin blocked (the built site must work offline): the γ slider redraws the curves
 * with the library's values; training on webgl, wasm (its .wasm binary loaded from the site),
 * cpu and webgpu (where the browser has an adapter) lowers both losses, moves both maps and
 * gives the rare class's metrics; the same URL gives the same run twice; a shared URL restores
 * the state; the controls work from the keyboard and all have accessible names; the layout holds
 * on a phone (390×844) and at 1280×800; Reset and changes of seed, ratio, overlap and backend
 * keep the number of live TF.js tensors constant; the page logs no errors. Screenshots go to
 * packages/playground/report/ (ignored by git, not committed).
 */
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
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
/** Requests the pages tried to make to anything but the local server (all blocked). */
const external: string[] = [];

interface Curve {
  gamma: number;
  loss: number[];
  grad: number[];
}
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

interface OpenOptions {
  /** Options of a new browser context (a phone), instead of a page in the default one. */
  context?: Parameters<Browser['newContext']>[0];
  /** Called with every request the page makes to the local server. */
  onRequest?: (url: string) => void;
}

async function open(query: string, options: OpenOptions = {}): Promise<Page> {
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

const waitReady = (page: Page) => page.waitForFunction(() => (window as any).playground?.ready === true, null, { timeout: 0 });

/** Done with a page opened in its own context (a phone): the context goes with it, except under --single-process. */
async function doneContext(page: Page): Promise<void> {
  if (singleProcess) await page.goto('about:blank');
  else await page.context().close();
}

const snapshot = (page: Page) =>
  page.evaluate(() => {
    const p = (window as any).playground;
    return { backend: p.backend, errors: p.errors, ...JSON.parse(JSON.stringify(p.training)) };
  }) as Promise<Snapshot>;

function libraryCurve(logits: number[], gamma: number, alpha: number | null): { loss: number[]; grad: number[] } {
  const { loss, grad } = coreSigmoidFocalLoss(
    logits,
    logits.map(() => 1),
    [logits.length],
    { gamma, alpha, reduction: 'none' },
  );
  return { loss: Array.from(loss as ArrayLike<number>), grad: Array.from(grad) };
}

test('the γ slider redraws the curves with the library values', async () => {
  const page = await open('?backend=webgl&alpha=0.25');
  const before = (await page.evaluate(() => (window as any).playground.curves)) as {
    gamma: number;
    alpha: number | null;
    logits: number[];
    selected: Curve;
    family: Curve[];
  };
  assert.equal(before.gamma, 2);
  assert.equal(before.alpha, 0.25);
  assert.deepEqual(
    before.family.map((c) => c.gamma),
    [0, 0.5, 1, 2, 5],
  );
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
  assert.ok(
    afterMove.selected.loss.some((v, i) => Math.abs(v - before.selected.loss[i]) > 1e-3),
    'the values changed',
  );
  for (const [curve, gamma] of [
    [afterMove.selected, 2.5],
    [afterMove.family[4], 5],
    [afterMove.family[0], 0],
  ] as const) {
    const expected = libraryCurve(afterMove.logits, gamma, 0.25);
    for (const i of [5, 50, 100, 150, 190]) {
      const tol = (v: number) => 1e-5 + 2e-3 * Math.abs(v);
      assert.ok(
        Math.abs(curve.loss[i] - expected.loss[i]) <= tol(expected.loss[i]),
        `γ ${gamma} loss at p_t ${(i + 1) / 200}: ${curve.loss[i]} vs ${expected.loss[i]}`,
      );
      assert.ok(
        Math.abs(curve.grad[i] - expected.grad[i]) <= tol(expected.grad[i]),
        `γ ${gamma} grad at p_t ${(i + 1) / 200}: ${curve.grad[i]} vs ${expected.grad[i]}`,
      );
    }
  }
  const search = new URL(page.url()).searchParams;
  assert.equal(search.get('gamma'), '2.5', 'the URL carries γ');
  await page.screenshot({ path: join(reportDir, 'curves-webgl.png'), fullPage: true });
  await done(page);
});

interface TrainCheck {
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

async function trains(t: TestContext, backend: string, check: TrainCheck): Promise<Snapshot> {
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

test('training on webgl: losses fall, maps move, metrics appear', async (t) => {
  await trains(t, 'webgl', { steps: 60, fall: 0.7, move: 0.05 });
});

test('training on wasm: its .wasm binary comes from the built site', async (t) => {
  const requested: string[] = [];
  // wasm is the fastest backend here (about 30 ms per step of both models): the long run, until
  // the rare class's AP is clearly above its base rate (1 %) for both models.
  await trains(t, 'wasm', { steps: 300, fall: 0.3, move: 0.2, minAp: 0.3, onRequest: (u) => requested.push(u) });
  const binaries = requested.filter((u) => u.endsWith('.wasm')).map((u) => u.slice(url.length));
  t.diagnostic(`wasm binaries loaded: ${binaries.join(', ')}`);
  assert.ok(binaries.length >= 1, 'a .wasm file was requested from the local server');
  for (const b of binaries) assert.match(b, /^tfjs-backend-wasm(-simd|-threaded-simd)?\.wasm$/);
});

test('training on cpu', async (t) => {
  await trains(t, 'cpu', { steps: 40, fall: 0.7, move: 0.05 });
});

test('training on webgpu', async (t) => {
  const probe = await browser.newPage();
  probe.setDefaultTimeout(0);
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
  // SwiftShader's WebGPU is CPU-emulated and slow (0.5-1.5 s per step of both models on 2 loaded
  // cores): 20 steps by default. PLAYGROUND_WEBGPU_STEPS=300 runs the long check of the wasm test.
  const steps = Number(process.env.PLAYGROUND_WEBGPU_STEPS ?? 20);
  const long = steps >= 300;
  await trains(t, 'webgpu', long ? { steps, fall: 0.3, move: 0.2, minAp: 0.3 } : { steps, fall: 0.5, move: 0.01 });
});

test('the same URL gives the same run (reload)', async () => {
  const query = '?gamma=1.5&alpha=0.5&ratio=50&overlap=0.2&seed=11&backend=webgl';
  const page = await open(query);
  const runFor = async () => {
    for (let i = 0; i < 2; i++) {
      await page.click('#step');
      await page.evaluate(() => (window as any).playground.idle());
    }
    const s = await snapshot(page);
    assert.equal(s.step, 20);
    return { ...s, table: await page.textContent('#metrics tbody'), url: page.url() };
  };
  const a = await runFor();
  await page.reload();
  await waitReady(page);
  const b = await runFor();
  assert.equal(b.url, a.url);
  assert.equal(a.ceLoss.length, 20);
  assert.deepEqual(b.ceLoss, a.ceLoss, 'cross-entropy loss curve');
  assert.deepEqual(b.flLoss, a.flLoss, 'focal loss curve');
  assert.deepEqual(b.metrics, a.metrics, 'held-out metrics');
  assert.deepEqual(b.gridCE, a.gridCE, 'cross-entropy map');
  assert.deepEqual(b.gridFL, a.gridFL, 'focal-loss map');
  assert.equal(b.table, a.table);
  await done(page);
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
  assert.deepEqual(s, {
    backend: 'cpu',
    curves: 3.5,
    alpha: 0.4,
    state: { gamma: 3.5, alpha: 0.4, useAlpha: true, ratio: 20, overlap: 0.6, seed: 7, backend: 'cpu' },
  });
  assert.equal(new URL(page.url()).search, '?gamma=3.5&alpha=0.4&ratio=20&overlap=0.6&seed=7&backend=cpu');
  await done(page);
});

test('keyboard: Tab reaches every control in order, arrows move a slider, Space/Enter run the buttons', async () => {
  const page = await open('?backend=cpu');
  const focused = () =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement | null;
      return el && el !== document.body ? (el.name === 'backend' ? `backend:${el.value}` : el.id) : '';
    });
  const order: string[] = [];
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('Tab');
    order.push(await focused());
  }
  // α is off by default, so its slider is disabled and out of the Tab order.
  assert.deepEqual(
    order,
    ['gamma', 'use-alpha', 'ratio', 'overlap', 'seed', 'backend:cpu', 'start', 'step', 'reset', ''],
    `Tab order: ${order.join(' ')}`,
  );
  // Space on the checkbox applies α: its slider joins the Tab order and the URL follows.
  for (let i = 0; i < 8; i++) await page.keyboard.press('Shift+Tab');
  assert.equal(await focused(), 'use-alpha');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => (window as any).playground.curves.alpha === 0.25 && !(window as any).playground.curvesPending);
  assert.equal(new URL(page.url()).searchParams.get('alpha'), '0.25');
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'alpha');
  // Arrow keys on the γ slider: URL and curve follow.
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await focused(), 'gamma');
  const pathBefore = await page.getAttribute('#loss-plot path[data-selected]', 'd');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => (window as any).playground.curves.gamma === 1.8 && !(window as any).playground.curvesPending);
  await page.evaluate(() => (window as any).playground.idle());
  assert.equal(new URL(page.url()).searchParams.get('gamma'), '1.8');
  assert.equal(await page.textContent('#gamma-value'), '1.8');
  assert.notEqual(await page.getAttribute('#loss-plot path[data-selected]', 'd'), pathBefore);
  // Buttons.
  await page.focus('#start');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => (window as any).playground.running === true);
  assert.equal(await focused(), 'pause', 'focus moves to Pause when Start is disabled');
  await page.waitForFunction(() => (window as any).playground.training.step >= 10);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => (window as any).playground.running === false);
  assert.equal(await focused(), 'start', 'focus moves back to Start');
  await page.evaluate(() => (window as any).playground.idle());
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'step');
  const stepBefore = (await snapshot(page)).step;
  await page.keyboard.press('Enter');
  await page.evaluate(() => (window as any).playground.idle());
  assert.equal((await snapshot(page)).step, stepBefore + 10, 'Enter on Step runs 10 steps');
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'reset');
  await page.keyboard.press('Space');
  await page.evaluate(() => (window as any).playground.idle());
  assert.equal((await snapshot(page)).step, 0, 'Space on Reset starts over');
  await done(page);
});

test('every control has an accessible name', async () => {
  const page = await open('?backend=cpu');
  const tree = await page.locator('body').ariaSnapshot();
  writeFileSync(join(reportDir, 'aria-snapshot.yaml'), tree);
  // A name with ': ' in it comes YAML-quoted: - 'slider "Rare : common"': …
  const roles = /^\s*- '?(slider|checkbox|spinbutton|radio|button|textbox|combobox)\b(.*)$/;
  const controls = tree
    .split('\n')
    .map((l) => l.match(roles))
    .filter((m): m is RegExpMatchArray => m !== null);
  const unnamed = controls.filter((m) => !/^ "[^"]+"/.test(m[2]));
  assert.deepEqual(
    unnamed.map((m) => m[0].trim()),
    [],
    'controls without a name',
  );
  const inDom = await page.evaluate(() => document.querySelectorAll('input, button, select, textarea').length);
  assert.equal(controls.length, inDom, `every control is in the accessibility tree:\n${controls.map((m) => m[0].trim()).join('\n')}`);
  for (const [role, name] of [
    ['slider', /γ/],
    ['slider', /α/],
    ['slider', /Rare : common/],
    ['slider', /Overlap/],
    ['spinbutton', /Seed/],
    ['button', /Start/],
  ] as const) {
    assert.ok(
      controls.some((m) => m[1] === role && name.test(m[2])),
      `${role} ${name}`,
    );
  }
  // The ratio slider moves over an index (0-9): its spoken value is the ratio.
  assert.equal(await page.getAttribute('#ratio', 'aria-valuetext'), '1 to 100');
  await done(page);
});

test('phone (390×844): no horizontal scroll, main controls visible', async () => {
  const page = await open('?backend=cpu', {
    context: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
  });
  await page.click('#step');
  await page.evaluate(() => (window as any).playground.idle());
  const layout = await page.evaluate(() => {
    // (No named inner functions in page.evaluate: tsx's __name helper does not exist in the page.)
    return {
      scrollWidth: document.scrollingElement!.scrollWidth,
      innerWidth,
      boxes: Object.fromEntries(
        [
          '#gamma',
          '#alpha',
          '#ratio',
          '#overlap',
          '#seed',
          '#backends',
          '#start',
          '#step',
          '#reset',
          '#loss-plot',
          '#map-ce',
          '#map-fl',
          '#loss-curve',
          '#metrics',
        ].map((sel) => {
          const r = document.querySelector(sel)!.getBoundingClientRect();
          return [sel, { left: r.left, right: r.right, width: r.width, height: r.height }];
        }),
      ),
    };
  });
  await page.screenshot({ path: join(reportDir, 'phone.png'), fullPage: true });
  assert.equal(layout.innerWidth, 390);
  assert.ok(layout.scrollWidth <= layout.innerWidth, `no horizontal scroll: scrollWidth ${layout.scrollWidth} > ${layout.innerWidth}`);
  for (const [sel, b] of Object.entries(layout.boxes)) {
    assert.ok(b.width > 0 && b.height > 0, `${sel} is displayed`);
    assert.ok(b.left >= 0 && b.right <= layout.innerWidth + 0.5, `${sel} inside the screen: ${b.left}..${b.right}`);
  }
  for (const sel of ['#gamma', '#start', '#step', '#reset']) assert.ok(await page.isVisible(sel), `${sel} visible`);
  assert.ok(layout.boxes['#gamma'].width >= 200, 'sliders are wide enough to use');
  await doneContext(page);
});

test('1280×800: panels side by side without overlapping', async () => {
  const page = await open('?backend=cpu');
  const boxes = await page.evaluate(() => ({
    scrollWidth: document.scrollingElement!.scrollWidth,
    panels: ['header', '#controls', '#curves', '#training']
      .map((s) => document.querySelector(s)!)
      .map((el) => {
        const b = el.getBoundingClientRect();
        return { sel: el.id || el.tagName, x: b.left, y: b.top, w: b.width, h: b.height };
      }),
    figures: [...document.querySelectorAll('figure, #metrics, .buttons')].map((el) => {
      const b = el.getBoundingClientRect();
      return { sel: el.id || el.querySelector('[id]')?.id || el.tagName, x: b.left, y: b.top, w: b.width, h: b.height };
    }),
  }));
  await page.screenshot({ path: join(reportDir, 'desktop.png') });
  assert.ok(boxes.scrollWidth <= 1280, `no horizontal scroll (${boxes.scrollWidth})`);
  type Box = (typeof boxes.panels)[number];
  const overlap = (a: Box, b: Box) => a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5;
  for (const list of [boxes.panels, boxes.figures]) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++)
        assert.ok(!overlap(list[i], list[j]), `${list[i].sel} and ${list[j].sel} overlap: ${JSON.stringify([list[i], list[j]])}`);
    }
  }
  const [, controls, curves] = boxes.panels;
  assert.ok(controls.x + controls.w <= curves.x, 'settings beside the plots');
  assert.ok(curves.y < 800, 'the plots start on the first screen');
  await done(page);
});

test('Reset, seed, ratio, overlap and backend changes leave the tensor count unchanged', async () => {
  const page = await open('?backend=cpu&seed=3');
  const settle = () => page.evaluate(() => (window as any).playground.idle());
  const tensors = async () => {
    await settle();
    return page.evaluate(() => (window as any).playground.numTensors as number);
  };
  // Each count is of a fresh run (step 0); a trained run also holds optimizer state, so each
  // change below first takes a step, whose state the change must free as well.
  const initial = await tensors();
  const step = async () => {
    await page.click('#step');
    await settle();
  };
  const counts: Array<[string, number]> = [];
  const change = async (what: string, act: () => Promise<void>) => {
    await step();
    await act();
    counts.push([what, await tensors()]);
  };
  for (let i = 0; i < 3; i++) await change(`reset ${i + 1}`, () => page.click('#reset'));
  await change('seed', async () => {
    await page.fill('#seed', '8');
    await page.press('#seed', 'Tab');
  });
  for (const slider of ['#ratio', '#overlap']) {
    await change(slider, async () => {
      await page.focus(slider);
      await page.keyboard.press('ArrowLeft');
    });
  }
  for (const backend of ['wasm', 'cpu']) {
    await change(`backend ${backend}`, async () => {
      await page.check(`input[name=backend][value=${backend}]`);
      await page.waitForFunction((b) => (window as any).playground.backend === b, backend);
    });
  }
  const s = await snapshot(page);
  assert.deepEqual([s.backend, s.step, s.errors], ['cpu', 0, []], 'back on cpu, a fresh run, no error');
  assert.deepEqual(
    counts,
    counts.map(([what]) => [what, initial]),
    `tensors after each change (${initial} before)`,
  );
  await done(page);
});

test('no console errors, nothing fetched from outside', () => {
  assert.deepEqual(errors, []);
  assert.deepEqual(external, []);
});
