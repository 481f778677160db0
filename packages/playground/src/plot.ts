/** SVG line plots, drawn as markup: axes with ticks, one path per series, and a legend. */

export interface Series {
  x: number[];
  y: number[];
  color: string;
  width: number;
  dash?: string;
  /** Extra attributes on the series' <path> (the tests find curves by data-* attributes). */
  attrs?: Record<string, string>;
}

/** The plot area inside every SVG's viewBox, in user units. */
export const PLOT = { left: 46, right: 410, top: 10, bottom: 268 };

/** Replaces `svg`'s content with the series over the ranges `xr` × `yr` (y values outside it are clamped to its edge). */
export function plot(
  svg: SVGSVGElement,
  series: Series[],
  xr: [number, number],
  yr: [number, number],
  xLabel: string,
  yTicks?: number[],
  yFormat = (v: number) => String(+v.toFixed(2)),
): void {
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
  parts.push(
    `<rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" height="${PLOT.bottom - PLOT.top}" fill="none" stroke="#999"/>`,
  );
  parts.push(`<text x="${(PLOT.left + PLOT.right) / 2}" y="${PLOT.bottom + 28}" text-anchor="middle">${xLabel}</text>`);
  for (const s of series) {
    const d = s.x.map((x, i) => `${i ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(s.y[i]).toFixed(1)}`).join('');
    const attrs = Object.entries(s.attrs ?? {})
      .map(([k, v]) => ` ${k}="${v}"`)
      .join('');
    parts.push(
      `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="${s.width}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}${attrs}/>`,
    );
  }
  svg.innerHTML = parts.join('');
}

/** Appends a legend, one `[label, color]` per line, to the plot's top right corner. */
export function legend(svg: SVGSVGElement, items: [string, string][]): void {
  svg.insertAdjacentHTML(
    'beforeend',
    items
      .map(
        ([label, color], i) =>
          `<g transform="translate(${PLOT.right - 90},${PLOT.top + 8 + i * 15})"><line x2="16" stroke="${color}" stroke-width="3"/><text x="20" y="4">${label}</text></g>`,
      )
      .join(''),
  );
}
