/**
 * The playground page: focal-loss curves from the library's ops, and an MLP trained with
 * cross-entropy and with focal loss side by side. All TF.js work runs through one queue and
 * reads tensors with `await data()` (WebGPU's dataSync is not dependable in headless Chromium).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { sigmoidFocalLoss } from 'focal-loss';
import { glorot, pointCloud, rareClassMetrics, rng, type PointCloud, type RareClassMetrics } from './data.js';

const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
type BackendName = (typeof BACKENDS)[number];
const FAMILY = [0, 0.5, 1, 2, 5];
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd'];
const RATIOS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
const PT = Array.from({ length: 199 }, (_, i) => (i + 1) / 200);
const LOGITS = PT.map((p) => Math.log(p / (1 - p)));
const N_TRAIN = 2000;
const N_TEST = 4000;
const GRID = 48;
const EXTENT = 1.6;
const LAYERS = [2, 16, 16, 1];
const STEPS_PER_TICK = 10;
const LEARNING_RATE = 0.02;

interface State {
  gamma: number;
  alpha: number;
  useAlpha: boolean;
  ratio: number;
  overlap: number;
  seed: number;
  backend: BackendName;
}

/**
 * α is off by default: the paper's α = 0.25 goes with its prior-probability initialisation of the
 * classifier's bias, which this MLP (starting at p = 0.5) does not have. Here α = 0.25 weights the
 * rare class 3× below the common one, and at 1:100 the focal-loss model then predicts no rare point
 * for the first few hundred steps, while with γ = 2 alone it finds the rare class before
 * cross-entropy does, which is the point of the loss. With α off, the curves are the paper's Figure 1.
 */
const DEFAULTS: State = { gamma: 2, alpha: 0.25, useAlpha: false, ratio: 100, overlap: 0.3, seed: 1, backend: 'webgl' };

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

// ---------- state in the URL ----------

function readUrl(): Partial<State> {
  const q = new URLSearchParams(location.search);
  const s: Partial<State> = {};
  const num = (k: string, lo: number, hi: number) => {
    const v = Number(q.get(k));
    return q.has(k) && Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : undefined;
  };
  s.gamma = num('gamma', 0, 5);
  if (q.get('alpha') === 'off') s.useAlpha = false;
  else if ((s.alpha = num('alpha', 0, 1)) !== undefined) s.useAlpha = true;
  const ratio = num('ratio', 1, 1000);
  if (ratio !== undefined) s.ratio = RATIOS.reduce((a, b) => (Math.abs(b - ratio) < Math.abs(a - ratio) ? b : a));
  s.overlap = num('overlap', 0, 1);
  const seed = num('seed', 0, 999999);
  if (seed !== undefined) s.seed = Math.round(seed);
  const b = q.get('backend');
  if (b && (BACKENDS as readonly string[]).includes(b)) s.backend = b as BackendName;
  for (const k of Object.keys(s) as (keyof State)[]) if (s[k] === undefined) delete s[k];
  return s;
}

function writeUrl(): void {
  const q = new URLSearchParams({
    gamma: String(state.gamma),
    alpha: state.useAlpha ? String(state.alpha) : 'off',
    ratio: String(state.ratio),
    overlap: String(state.overlap),
    seed: String(state.seed),
    backend: state.backend,
  });
  history.replaceState(null, '', `${location.pathname}?${q}`);
}

const requested = readUrl();
const state: State = { ...DEFAULTS, ...requested };

// ---------- one queue for all TF.js work ----------

let queue: Promise<unknown> = Promise.resolve();
function enqueue(job: () => Promise<void>): Promise<void> {
  const next = queue.then(job).catch(showError);
  queue = next;
  return next;
}

function showError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  console.error(error);
  const el = $('error');
  el.hidden = false;
  el.textContent = `Error: ${message}`;
  playground.errors.push(message);
}

// ---------- SVG plots ----------

interface Series {
  x: number[];
  y: number[];
  color: string;
  width: number;
  dash?: string;
  attrs?: Record<string, string>;
}

const PLOT = { left: 46, right: 410, top: 10, bottom: 268 };

function plot(svg: SVGSVGElement, series: Series[], xr: [number, number], yr: [number, number], xLabel: string, yTicks?: number[], yFormat = (v: number) => String(+v.toFixed(2))): void {
  const sx = (v: number) => PLOT.left + ((v - xr[0]) / (xr[1] - xr[0])) * (PLOT.right - PLOT.left);
  const sy = (v: number) => PLOT.bottom - ((Math.min(Math.max(v, yr[0]), yr[1]) - yr[0]) / (yr[1] - yr[0])) * (PLOT.bottom - PLOT.top);
  const parts: string[] = [];
  const ticks = (lo: number, hi: number) => Array.from({ length: 6 }, (_, i) => lo + ((hi - lo) * i) / 5);
  for (const t of ticks(xr[0], xr[1])) {
    parts.push(`<line x1="${sx(t)}" x2="${sx(t)}" y1="${PLOT.top}" y2="${PLOT.bottom}" stroke="#eee"/>`);
    parts.push(`<text x="${sx(t)}" y="${PLOT.bottom + 14}" text-anchor="middle">${+t.toFixed(2)}</text>`);
  }
  for (const t of yTicks ?? ticks(yr[0], yr[1])) {
    parts.push(`<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${sy(t)}" y2="${sy(t)}" stroke="#eee"/>`);
    parts.push(`<text x="${PLOT.left - 4}" y="${sy(t) + 4}" text-anchor="end">${yFormat(t)}</text>`);
  }
  parts.push(`<rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" height="${PLOT.bottom - PLOT.top}" fill="none" stroke="#999"/>`);
  parts.push(`<text x="${(PLOT.left + PLOT.right) / 2}" y="${PLOT.bottom + 28}" text-anchor="middle">${xLabel}</text>`);
  for (const s of series) {
    const d = s.x.map((x, i) => `${i ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(s.y[i]).toFixed(1)}`).join('');
    const attrs = Object.entries(s.attrs ?? {}).map(([k, v]) => ` ${k}="${v}"`).join('');
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="${s.width}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}${attrs}/>`);
  }
  svg.innerHTML = parts.join('');
}

function legend(svg: SVGSVGElement, items: [string, string][]): void {
  svg.insertAdjacentHTML(
    'beforeend',
    items.map(([label, color], i) => `<g transform="translate(${PLOT.right - 90},${PLOT.top + 8 + i * 15})"><line x2="16" stroke="${color}" stroke-width="3"/><text x="20" y="4">${label}</text></g>`).join(''),
  );
}

// ---------- curves ----------

interface Curve { gamma: number; loss: number[]; grad: number[] }
interface CurvesData { gamma: number; alpha: number | null; backend: string; pt: number[]; logits: number[]; family: Curve[]; selected: Curve }

async function computeCurves(gammas: number[], alpha: number | null): Promise<Curve[]> {
  const out = tf.tidy(() => {
    const x = tf.tensor1d(LOGITS);
    const t = tf.onesLike(x);
    const rows: tf.Tensor[] = [];
    for (const gamma of gammas) {
      const f = (z: tf.Tensor) => sigmoidFocalLoss(z, t, { gamma, alpha, reduction: 'none' });
      rows.push(f(x), tf.grad((z: tf.Tensor) => tf.sum(f(z)))(x));
    }
    return tf.stack(rows);
  });
  const v = await out.data();
  out.dispose();
  const n = LOGITS.length;
  return gammas.map((gamma, i) => ({
    gamma,
    loss: Array.from(v.subarray(2 * i * n, (2 * i + 1) * n)),
    grad: Array.from(v.subarray((2 * i + 1) * n, (2 * i + 2) * n)),
  }));
}

let curvesQueued = false;
function scheduleCurves(): void {
  if (curvesQueued) return;
  curvesQueued = true;
  void enqueue(async () => {
    curvesQueued = false;
    await drawCurves();
  });
}

async function drawCurves(): Promise<void> {
  const alpha = state.useAlpha ? state.alpha : null;
  const gamma = state.gamma;
  const curves = await computeCurves([...FAMILY, gamma], alpha);
  const family = curves.slice(0, FAMILY.length);
  const selected = curves[FAMILY.length];
  const series = (key: 'loss' | 'grad'): Series[] => [
    ...family.map((c, i) => ({ x: PT, y: c[key], color: COLORS[i], width: 1.5, attrs: { 'data-gamma': String(c.gamma) } })),
    { x: PT, y: selected[key], color: '#000', width: 3, dash: '6 4', attrs: { 'data-gamma': String(gamma), 'data-selected': 'true' } },
  ];
  const lossSvg = $('loss-plot') as unknown as SVGSVGElement;
  const gradSvg = $('grad-plot') as unknown as SVGSVGElement;
  plot(lossSvg, series('loss'), [0, 1], [0, 5], 'probability of the ground truth class p_t');
  const gradMin = Math.min(-0.05, ...curves.flatMap((c) => c.grad));
  plot(gradSvg, series('grad'), [0, 1], [gradMin, 0], 'p_t');
  const items: [string, string][] = [...FAMILY.map((g, i): [string, string] => [`γ = ${g}`, COLORS[i]]), [`γ = ${gamma} (slider)`, '#000']];
  legend(lossSvg, items);
  lossSvg.dataset.gamma = String(gamma);
  gradSvg.dataset.gamma = String(gamma);
  playground.curves = { gamma, alpha, backend: tf.getBackend(), pt: PT, logits: LOGITS, family, selected };
}

// ---------- training ----------

/** A variable holding `initial`'s values; `initial` is disposed (tf.variable copies it and would leave it behind). */
function variableOf(initial: tf.Tensor): tf.Variable {
  const v = tf.variable(initial);
  initial.dispose();
  return v;
}

class Mlp {
  readonly vars: tf.Variable[];
  readonly optimizer = tf.train.adam(LEARNING_RATE);
  constructor(init: Float32Array[]) {
    this.vars = [];
    for (let l = 0; l + 1 < LAYERS.length; l++) {
      this.vars.push(variableOf(tf.tensor2d(init[2 * l], [LAYERS[l], LAYERS[l + 1]])));
      this.vars.push(variableOf(tf.tensor1d(init[2 * l + 1])));
    }
  }
  logits(x: tf.Tensor): tf.Tensor {
    let h = x;
    const layers = this.vars.length / 2;
    for (let l = 0; l < layers; l++) {
      h = tf.add(tf.matMul(h, this.vars[2 * l]), this.vars[2 * l + 1]);
      if (l + 1 < layers) h = tf.tanh(h);
    }
    return h;
  }
  dispose(): void {
    tf.dispose(this.vars);
    this.optimizer.dispose();
  }
}

interface Run {
  train: PointCloud;
  test: PointCloud;
  xTrain: tf.Tensor2D;
  yTrain: tf.Tensor2D;
  xTest: tf.Tensor2D;
  grid: tf.Tensor2D;
  ce: Mlp;
  fl: Mlp;
}

let run: Run | null = null;
let running = false;

const training = {
  step: 0,
  ceLoss: [] as number[],
  flLoss: [] as number[],
  gridCE: [] as number[],
  gridFL: [] as number[],
  /** Grids after the first evaluation of this run (step 0), to show that the maps moved. */
  initialGridCE: [] as number[],
  initialGridFL: [] as number[],
  metrics: null as null | { ce: RareClassMetrics; fl: RareClassMetrics },
  updates: 0,
};

function newRun(): Run {
  const train = pointCloud(N_TRAIN, state.ratio, state.overlap, state.seed);
  const test = pointCloud(N_TEST, state.ratio, state.overlap, state.seed + 1_000_003);
  const u = rng(state.seed + 7);
  const init: Float32Array[] = [];
  for (let l = 0; l + 1 < LAYERS.length; l++) {
    init.push(glorot(LAYERS[l], LAYERS[l + 1], u), new Float32Array(LAYERS[l + 1]));
  }
  const cells = new Float32Array(GRID * GRID * 2);
  for (let r = 0; r < GRID; r++) {
    for (let c = 0; c < GRID; c++) {
      cells[2 * (r * GRID + c)] = -EXTENT + ((c + 0.5) / GRID) * 2 * EXTENT;
      cells[2 * (r * GRID + c) + 1] = EXTENT - ((r + 0.5) / GRID) * 2 * EXTENT;
    }
  }
  return {
    train,
    test,
    xTrain: tf.tensor2d(train.x, [train.n, 2]),
    yTrain: tf.tensor2d(train.y, [train.n, 1]),
    xTest: tf.tensor2d(test.x, [test.n, 2]),
    grid: tf.tensor2d(cells, [GRID * GRID, 2]),
    ce: new Mlp(init),
    fl: new Mlp(init),
  };
}

function disposeRun(): void {
  if (!run) return;
  tf.dispose([run.xTrain, run.yTrain, run.xTest, run.grid]);
  run.ce.dispose();
  run.fl.dispose();
  run = null;
}

async function tick(steps: number): Promise<void> {
  if (!run) return;
  const r = run;
  const focal = { gamma: state.gamma, alpha: state.useAlpha ? state.alpha : null, reduction: 'mean' as const };
  if (steps > 0) {
    const costs: tf.Scalar[] = [];
    for (let s = 0; s < steps; s++) {
      costs.push(r.ce.optimizer.minimize(() => tf.losses.sigmoidCrossEntropy(r.yTrain, r.ce.logits(r.xTrain)) as tf.Scalar, true, r.ce.vars)!);
      costs.push(r.fl.optimizer.minimize(() => sigmoidFocalLoss(r.fl.logits(r.xTrain), r.yTrain, focal), true, r.fl.vars)!);
    }
    const stacked = tf.stack(costs);
    tf.dispose(costs);
    const v = await stacked.data();
    stacked.dispose();
    for (let s = 0; s < steps; s++) {
      training.ceLoss.push(v[2 * s]);
      training.flLoss.push(v[2 * s + 1]);
    }
    training.step += steps;
  }
  const out = tf.tidy(() =>
    tf.concat([r.grid, r.xTest].flatMap((x) => [r.ce, r.fl].map((m) => tf.sigmoid(m.logits(x)).reshape([-1])))),
  );
  const p = await out.data();
  out.dispose();
  if (run !== r) return;
  const g = GRID * GRID;
  const n = r.test.n;
  training.gridCE = Array.from(p.subarray(0, g));
  training.gridFL = Array.from(p.subarray(g, 2 * g));
  if (training.step === 0) {
    training.initialGridCE = training.gridCE;
    training.initialGridFL = training.gridFL;
  }
  training.metrics = {
    ce: rareClassMetrics(p.subarray(2 * g, 2 * g + n), r.test.y),
    fl: rareClassMetrics(p.subarray(2 * g + n, 2 * g + 2 * n), r.test.y),
  };
  training.updates++;
  drawTraining(r);
}

function heat(p: number): [number, number, number] {
  // light blue (common) to orange (rare)
  const a = [222, 235, 247];
  const b = [230, 85, 13];
  return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * p)) as [number, number, number];
}

const offscreen = document.createElement('canvas');
offscreen.width = GRID;
offscreen.height = GRID;

function drawMap(canvas: HTMLCanvasElement, grid: number[], cloud: PointCloud): void {
  const octx = offscreen.getContext('2d')!;
  const img = octx.createImageData(GRID, GRID);
  grid.forEach((p, i) => {
    const [r, g, b] = heat(p);
    img.data.set([r, g, b, 255], 4 * i);
  });
  octx.putImageData(img, 0, 0);
  const ctx = canvas.getContext('2d')!;
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(offscreen, 0, 0, canvas.width, canvas.height);
  const px = (v: number) => ((v + EXTENT) / (2 * EXTENT)) * canvas.width;
  const py = (v: number) => ((EXTENT - v) / (2 * EXTENT)) * canvas.height;
  for (const rare of [0, 1]) {
    for (let i = 0; i < cloud.n; i++) {
      if (cloud.y[i] !== rare) continue;
      ctx.beginPath();
      ctx.arc(px(cloud.x[2 * i]), py(cloud.x[2 * i + 1]), rare ? 3.5 : 1.3, 0, 2 * Math.PI);
      ctx.fillStyle = rare ? '#b30000' : 'rgba(30,60,120,0.55)';
      ctx.fill();
      if (rare) {
        ctx.strokeStyle = '#fff';
        ctx.lineWidth = 1.2;
        ctx.stroke();
      }
    }
  }
}

const fmt = (v: number) => v.toFixed(3);

function drawTraining(r: Run): void {
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
  plot(svg, [
    { x: xs, y: ce, color: '#1f77b4', width: 2, attrs: { 'data-series': 'ce' } },
    { x: xs, y: fl, color: '#e6550d', width: 2, attrs: { 'data-series': 'fl' } },
  ], [0, Math.max(10, training.step)], yr, 'step', ticks, (v) => `1e${v}`);
  legend(svg, [['cross-entropy', '#1f77b4'], ['focal loss', '#e6550d']]);
  for (const [id, m] of [['metrics-ce', training.metrics!.ce], ['metrics-fl', training.metrics!.fl]] as const) {
    const cells = $(id).querySelectorAll('td');
    [fmt(m.precision), fmt(m.recall), fmt(m.ap), String(m.predictedPositives)].forEach((t, i) => (cells[i].textContent = t));
  }
  const last = (a: number[]) => (a.length ? fmt(a[a.length - 1]) : '–');
  $('train-status').textContent = `step ${training.step} · loss CE ${last(training.ceLoss)}, FL ${last(training.flLoss)} · ${r.train.positives} rare of ${r.train.n} training points, ${r.test.positives} of ${r.test.n} held out`;
  $('map-ce').setAttribute('aria-label', `Decision map, cross-entropy, step ${training.step}`);
  $('map-fl').setAttribute('aria-label', `Decision map, focal loss, step ${training.step}`);
}

function reset(): Promise<void> {
  setRunning(false);
  return enqueue(async () => {
    disposeRun();
    Object.assign(training, { step: 0, ceLoss: [], flLoss: [], metrics: null, updates: 0 });
    run = newRun();
    await tick(0);
  });
}

function setRunning(on: boolean): void {
  running = on;
  const start = $<HTMLButtonElement>('start');
  const pause = $<HTMLButtonElement>('pause');
  const focused = document.activeElement;
  start.disabled = on;
  pause.disabled = !on;
  $<HTMLButtonElement>('step').disabled = on;
  // A focused button that becomes disabled drops keyboard focus to <body>: hand it to the other one.
  if (on && focused === start) pause.focus();
  if (!on && focused === pause) start.focus();
  // The status line changes every 10 steps while running: announce it only when paused or stepping.
  $('train-status').setAttribute('aria-live', on ? 'off' : 'polite');
  if (on) void loop();
}

async function loop(): Promise<void> {
  while (running) {
    await enqueue(() => tick(STEPS_PER_TICK));
    await new Promise((ok) => setTimeout(ok, 0));
  }
}

// ---------- backends ----------

const availability: Record<BackendName, string | null> = { webgpu: null, webgl: null, wasm: null, cpu: null };

/**
 * Which backends this browser can run, and why not. Each is initialised once by TF.js itself
 * (no adapter of our own: a second WebGPU adapter/device in the page is what the library's
 * browser tests avoid); the one in use is chosen afterwards by switchBackend.
 */
async function probeBackends(): Promise<void> {
  if (!(navigator as Navigator & { gpu?: unknown }).gpu) availability.webgpu = 'navigator.gpu is undefined (no WebGPU in this browser)';
  if (typeof WebAssembly !== 'object') availability.wasm = 'no WebAssembly';
  for (const name of BACKENDS) if (availability[name] === null) await activate(name);
}

function renderBackends(): void {
  const box = $('backends');
  box.querySelectorAll('label').forEach((l) => l.remove());
  for (const name of BACKENDS) {
    const reason = availability[name];
    const label = document.createElement('label');
    label.className = reason ? 'unavailable' : '';
    label.innerHTML = `<input type="radio" name="backend" value="${name}"${reason ? ' disabled' : ''}${name === state.backend ? ' checked' : ''}> ${name}${reason ? ` — unavailable: ${reason}` : ''}`;
    if (reason) label.title = reason;
    box.appendChild(label);
  }
  box.querySelectorAll<HTMLInputElement>('input[name=backend]').forEach((input) =>
    input.addEventListener('change', () => void switchBackend(input.value as BackendName)),
  );
}

async function activate(name: BackendName): Promise<boolean> {
  try {
    if (await tf.setBackend(name)) {
      await tf.ready();
      return true;
    }
    availability[name] = name === 'webgpu' ? 'no WebGPU adapter (TF.js could not initialise it)' : 'failed to initialise';
  } catch (e) {
    availability[name] = `failed to initialise: ${(e as Error).message}`;
  }
  return false;
}

async function switchBackend(name: BackendName): Promise<void> {
  setRunning(false);
  await enqueue(async () => {
    disposeRun();
    const order = [name, ...BACKENDS.filter((b) => b !== name)];
    for (const b of order) {
      if (availability[b] === null && (await activate(b))) {
        state.backend = b;
        break;
      }
    }
    $('backend-active').textContent = tf.getBackend();
    renderBackends();
    writeUrl();
  });
  scheduleCurves();
  await reset();
}

// ---------- controls ----------

function bindControls(): void {
  const gamma = $<HTMLInputElement>('gamma');
  const alpha = $<HTMLInputElement>('alpha');
  const useAlpha = $<HTMLInputElement>('use-alpha');
  const ratio = $<HTMLInputElement>('ratio');
  const overlap = $<HTMLInputElement>('overlap');
  const seed = $<HTMLInputElement>('seed');
  gamma.value = String(state.gamma);
  alpha.value = String(state.alpha);
  useAlpha.checked = state.useAlpha;
  ratio.value = String(RATIOS.indexOf(state.ratio));
  overlap.value = String(state.overlap);
  seed.value = String(state.seed);
  const show = () => {
    $('gamma-value').textContent = state.gamma.toFixed(1);
    $('alpha-value').textContent = state.useAlpha ? state.alpha.toFixed(2) : 'off';
    alpha.disabled = !state.useAlpha;
    $('ratio-value').textContent = `1 : ${state.ratio}`;
    ratio.setAttribute('aria-valuetext', `1 to ${state.ratio}`);
    $('overlap-value').textContent = state.overlap.toFixed(2);
  };
  show();
  const onLoss = () => {
    state.gamma = Number(gamma.value);
    state.alpha = Number(alpha.value);
    state.useAlpha = useAlpha.checked;
    show();
    writeUrl();
    scheduleCurves();
  };
  gamma.addEventListener('input', onLoss);
  alpha.addEventListener('input', onLoss);
  useAlpha.addEventListener('change', onLoss);
  const onData = () => {
    state.ratio = RATIOS[Number(ratio.value)];
    state.overlap = Number(overlap.value);
    state.seed = Math.max(0, Math.round(Number(seed.value) || 0));
    show();
    writeUrl();
  };
  ratio.addEventListener('input', onData);
  overlap.addEventListener('input', onData);
  for (const el of [ratio, overlap, seed]) el.addEventListener('change', () => { onData(); void reset(); });
  $('start').addEventListener('click', () => setRunning(true));
  $('pause').addEventListener('click', () => setRunning(false));
  $('step').addEventListener('click', () => void enqueue(() => tick(STEPS_PER_TICK)));
  $('reset').addEventListener('click', () => void reset());
}

// ---------- the object tests (and the curious) read ----------

/**
 * `window.playground`, read by test/playground.test.ts and handy in the browser console:
 * `ready` (set once the first run is drawn; also `<body data-ready="true">`), `errors` (what the
 * page reported), `state` (the settings, as in the URL), `availability` (null or why a backend is
 * unavailable), `training` (step, the loss curves `ceLoss`/`flLoss`, the decision maps
 * `gridCE`/`gridFL` and those at step 0, held-out `metrics`), `curves` (the plotted values),
 * `backend`, `running`, `curvesPending`, `numTensors` (live TF.js tensors, all backends: the
 * tests check that it does not grow), and `idle()`, which resolves when all queued TF.js work
 * is done. Nothing in it drives the page: the tests use the controls.
 */

const playground = {
  ready: false,
  errors: [] as string[],
  state,
  availability,
  /** TF.js itself, for the browser console. */
  tf,
  training,
  curves: null as CurvesData | null,
  get backend() { return tf.getBackend(); },
  get curvesPending() { return curvesQueued; },
  get running() { return running; },
  get numTensors() { return tf.memory().numTensors; },
  /**
   * Resolves when all queued TF.js work (curves, steps) has finished, including work queued
   * by the jobs it waited for (a backend switch queues the new run when its own job ends).
   */
  idle: async () => {
    let waited: Promise<unknown>;
    do {
      waited = queue;
      await waited;
    } while (waited !== queue);
  },
};
(window as unknown as { playground: typeof playground }).playground = playground;
window.addEventListener('error', (e) => showError(e.error ?? e.message));
window.addEventListener('unhandledrejection', (e) => showError(e.reason));

async function main(): Promise<void> {
  setWasmPaths(new URL('./', location.href).href);
  await probeBackends();
  if (availability[state.backend] !== null && !requested.backend) {
    state.backend = BACKENDS.find((b) => availability[b] === null && b !== 'webgpu') ?? 'cpu';
  }
  bindControls();
  renderBackends();
  await switchBackend(state.backend);
  await queue;
  playground.ready = true;
  document.body.dataset.ready = 'true';
}

void main();
