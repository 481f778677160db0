/**
 * The playground's controls and layout in a real Chromium (the harness of page.ts): every control
 * is reachable and usable from the keyboard and has an accessible name; the layout holds on a
 * phone (390×844) and at 1280×800. Screenshots go to packages/playground/report/.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { done, doneContext, open, reportDir, snapshot } from './page.js';

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
