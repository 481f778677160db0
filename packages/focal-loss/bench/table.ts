/** The benchmark table as Markdown. */
import type { Row } from './row.js';

export function formatCount(n: number): string {
  const exponent = Math.round(Math.log10(n));
  return 10 ** exponent === n ? `1e${exponent}` : String(n);
}

const HEADER = [
  'loss',
  'elements',
  'shape',
  'backend',
  'implementation',
  'M elem/s',
  'x composite',
  'vs JS floor',
  'peak extra MB',
  'peak / logits',
  'loss rel. err',
];

function cells(r: Row): string[] {
  return [
    r.loss,
    formatCount(r.elements),
    r.shape.join('x'),
    r.backend,
    r.implementation,
    (r.elementsPerSecond / 1e6).toFixed(2),
    r.speedupOverComposite === null ? '-' : r.speedupOverComposite.toFixed(1),
    r.speedVsJsFloor.toFixed(2),
    r.peakExtraBytes === null ? '-' : (r.peakExtraBytes / 2 ** 20).toFixed(1),
    r.peakExtraOverLogitsBytes === null ? '-' : r.peakExtraOverLogitsBytes.toFixed(2),
    r.lossRelativeError.toExponential(1),
  ];
}

export function markdownTable(rows: Row[]): string {
  const lines = rows.map(cells);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (values: string[]): string => `| ${values.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [format(HEADER), rule, ...lines.map(format)].join('\n');
}
