/**
 * The TF.js backends: which this browser can run (and why not), activating one, and the radio
 * buttons that pick it.
 */
import * as tf from '@tensorflow/tfjs';
import { $ } from './dom.js';
import { BACKENDS, type BackendName } from './state.js';

/** Per backend, null where it can run, or why it cannot. */
export const availability: Record<BackendName, string | null> = { webgpu: null, webgl: null, wasm: null, cpu: null };

/**
 * Which backends this browser can run, and why not. Each is initialised once by TF.js itself
 * (no adapter of our own: a second WebGPU adapter/device in the page is what the library's
 * browser tests avoid); the one in use is chosen afterwards by switchBackend.
 */
export async function probeBackends(): Promise<void> {
  if (!(navigator as Navigator & { gpu?: unknown }).gpu) availability.webgpu = 'navigator.gpu is undefined (no WebGPU in this browser)';
  if (typeof WebAssembly !== 'object') availability.wasm = 'no WebAssembly';
  for (const name of BACKENDS) if (availability[name] === null) await activate(name);
}

/** The backend radio buttons, `current` checked, the unavailable ones disabled with the reason; `onSelect` on a change. */
export function renderBackends(current: BackendName, onSelect: (name: BackendName) => void): void {
  const box = $('backends');
  box.querySelectorAll('label').forEach((l) => l.remove());
  for (const name of BACKENDS) {
    const reason = availability[name];
    const label = document.createElement('label');
    label.className = reason ? 'unavailable' : '';
    label.innerHTML = `<input type="radio" name="backend" value="${name}"${reason ? ' disabled' : ''}${name === current ? ' checked' : ''}> ${name}${reason ? ` — unavailable: ${reason}` : ''}`;
    if (reason) label.title = reason;
    box.appendChild(label);
  }
  box
    .querySelectorAll<HTMLInputElement>('input[name=backend]')
    .forEach((input) => input.addEventListener('change', () => onSelect(input.value as BackendName)));
}

/** Makes `name` TF.js's backend; false, with the reason in `availability`, where it fails. */
export async function activate(name: BackendName): Promise<boolean> {
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
