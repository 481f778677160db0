/**
 * Side-effect module, imported before tfjs is used by the CLI and the example: drops TF.js's
 * "install our node backend (tfjs-node)" banner from console.warn.
 */

// Why: tfjs-node downloads a native libtensorflow at install time, which fails offline and on
// many platforms; this tool runs on the wasm or cpu backend on purpose, so the advice is noise.
// Only that one message is dropped; every other warning still reaches stderr.
const BANNER = 'looks like you are running TensorFlow.js in Node.js';
const warn = console.warn;
console.warn = (...args: unknown[]): void => {
  if (typeof args[0] === 'string' && args[0].includes(BANNER)) return;
  warn.apply(console, args);
};

export {};
