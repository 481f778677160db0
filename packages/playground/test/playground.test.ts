/**
 * The built playground in a real Chromium (found like the library's browser tests: CHROMIUM_PATH,
 * a system Chromium, then @sparticuz/chromium), served from 127.0.0.1 with every request to
 * another origin blocked (the built site must work offline): the γ slider redraws the curves
 * with the library's values; training on webgl, wasm (its .wasm binary loaded from the site),
 * cpu and webgpu (where the browser has an adapter) lowers both losses, moves both maps and
 * gives the rare class's metrics; the same URL gives the same run twice; a shared URL restores
 * the state; Reset and changes of seed, ratio, overlap and backend keep the number of live
 * TF.js tensors constant; the page logs no errors. Screenshots go to
 * packages/playground/report/ (ignored by git, not committed). The controls and the layout are
 * layout.test.ts's; the harness both use is page.ts.
 */
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  type Curve,
  trains,
  browser,
  description,
  done,
  errors,
  external,
  libraryCurve,
  open,
  reportDir,
  snapshot,
  url,
  waitReady,
} from './page.js';

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
  const webgpuUnavailable = await probe.evaluate(async () => {
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
