/**
 * The decision map: a model's p(rare) on the grid as a heat map (light blue for the common
 * class, orange for the rare one), scaled onto a canvas, with the training points on top.
 */
import type { PointCloud } from './data.js';
import { EXTENT, GRID } from './grid.js';

function heat(p: number): [number, number, number] {
  // light blue (common) to orange (rare)
  const a = [222, 235, 247];
  const b = [230, 85, 13];
  return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * p)) as [number, number, number];
}

/** One pixel per grid cell, drawn onto the visible canvas with smoothing. */
const offscreen = document.createElement('canvas');
offscreen.width = GRID;
offscreen.height = GRID;

/** Draws `grid` (p(rare) per cell, as gridCells orders them) and `cloud`'s points, the rare ones last and larger. */
export function drawMap(canvas: HTMLCanvasElement, grid: number[], cloud: PointCloud): void {
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
