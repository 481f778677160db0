/**
 * Renders vega-lite specs to SVG strings in Node: vega-lite compiles to a vega spec,
 * vega renders headlessly (renderer 'none' needs no canvas package).
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** Compiles and renders one vega-lite spec to a standalone SVG document string. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
