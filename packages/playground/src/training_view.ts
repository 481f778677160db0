/** Draws the training record: both decision maps, the loss curves, the held-out metrics and the status line. */
import { $ } from './dom.js';
import { drawMap } from './map.js';
import { legend, plot } from './plot.js';
import { type Run, training } from './training.js';

const fmt = (v: number) => v.toFixed(3);

export function drawTraining(r: Run): void {
  drawMap($('map-ce'), training.gridCE, r.train);
  drawMap($('map-fl'), training.gridFL, r.train);
  const svg = $('loss-curve') as unknown as SVGSVGElement;
  const every = Math.max(1, Math.ceil(training.ceLoss.length / 300));
  const pick = (a: number[]) => a.filter((_, i) => i % every === 0 || i === a.length - 1);
  const xs = pick(training.ceLoss.map((_, i) => i + 1));
  const logs = (a: number[]) => pick(a).map((v) => Math.log10(Math.max(v, 1e-8)));
  const ce = logs(training.ceLoss);
  const fl = logs(training.flLoss);
  const all = [...ce, ...fl];
  const lo = all.length ? Math.floor(Math.min(...all)) : -2;
  const hi = all.length ? Math.ceil(Math.max(...all)) : 0;
  const yr: [number, number] = [lo, hi === lo ? lo + 1 : hi];
  const ticks = Array.from({ length: yr[1] - yr[0] + 1 }, (_, i) => yr[0] + i);
  plot(
    svg,
    [
      { x: xs, y: ce, color: '#1f77b4', width: 2, attrs: { 'data-series': 'ce' } },
      { x: xs, y: fl, color: '#e6550d', width: 2, attrs: { 'data-series': 'fl' } },
    ],
    [0, Math.max(10, training.step)],
    yr,
    'step',
    ticks,
    (v) => `1e${v}`,
  );
  legend(svg, [
    ['cross-entropy', '#1f77b4'],
    ['focal loss', '#e6550d'],
  ]);
  for (const [id, m] of [
    ['metrics-ce', training.metrics!.ce],
    ['metrics-fl', training.metrics!.fl],
  ] as const) {
    const cells = $(id).querySelectorAll('td');
    [fmt(m.precision), fmt(m.recall), fmt(m.ap), String(m.predictedPositives)].forEach((t, i) => (cells[i].textContent = t));
  }
  const last = (a: number[]) => (a.length ? fmt(a[a.length - 1]) : '–');
  $('train-status').textContent =
    `step ${training.step} · loss CE ${last(training.ceLoss)}, FL ${last(training.flLoss)} · ${r.train.positives} rare of ${r.train.n} training points, ${r.test.positives} of ${r.test.n} held out`;
  $('map-ce').setAttribute('aria-label', `Decision map, cross-entropy, step ${training.step}`);
  $('map-fl').setAttribute('aria-label', `Decision map, focal loss, step ${training.step}`);
}
