/**
 * The playground page's wiring: focal-loss curves from the library's ops, and an MLP trained with
 * cross-entropy and with focal loss side by side. All TF.js work runs through one queue and
 * reads tensors with `await data()` (WebGPU's dataSync is not dependable in headless Chromium).
 * Here: the queue, the training loop, the controls, the backend switch and `window.playground`;
 * the parts are in state.ts (settings and URL), backends.ts, curves.ts, training.ts (the two
 * models) and training_view.ts (what they draw).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { activate, availability, probeBackends, renderBackends } from './backends.js';
import { type CurvesData, drawCurves } from './curves.js';
import { $ } from './dom.js';
import { BACKENDS, type BackendName, DEFAULTS, RATIOS, readUrl, type State, writeUrl } from './state.js';
import { disposeRun, startRun, tick, training } from './training.js';
import { drawTraining } from './training_view.js';

const STEPS_PER_TICK = 10;

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

// ---------- curves ----------

let curvesQueued = false;
function scheduleCurves(): void {
  if (curvesQueued) return;
  curvesQueued = true;
  void enqueue(async () => {
    curvesQueued = false;
    playground.curves = await drawCurves(state.gamma, state.useAlpha ? state.alpha : null);
  });
}

// ---------- training ----------

let running = false;

/** `steps` training steps (0: evaluate only), then the maps, curves and metrics redrawn. */
async function advance(steps: number): Promise<void> {
  const r = await tick(steps, state);
  if (r) drawTraining(r);
}

function reset(): Promise<void> {
  setRunning(false);
  return enqueue(async () => {
    startRun(state);
    await advance(0);
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
    await enqueue(() => advance(STEPS_PER_TICK));
    await new Promise((ok) => setTimeout(ok, 0));
  }
}

// ---------- backends ----------

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
    showBackends();
    writeUrl(state);
  });
  scheduleCurves();
  await reset();
}

function showBackends(): void {
  renderBackends(state.backend, (name) => void switchBackend(name));
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
    writeUrl(state);
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
    writeUrl(state);
  };
  ratio.addEventListener('input', onData);
  overlap.addEventListener('input', onData);
  for (const el of [ratio, overlap, seed])
    el.addEventListener('change', () => {
      onData();
      void reset();
    });
  $('start').addEventListener('click', () => setRunning(true));
  $('pause').addEventListener('click', () => setRunning(false));
  $('step').addEventListener('click', () => void enqueue(() => advance(STEPS_PER_TICK)));
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
  get backend() {
    return tf.getBackend();
  },
  get curvesPending() {
    return curvesQueued;
  },
  get running() {
    return running;
  },
  get numTensors() {
    return tf.memory().numTensors;
  },
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
  showBackends();
  await switchBackend(state.backend);
  await queue;
  playground.ready = true;
  document.body.dataset.ready = 'true';
}

void main();
