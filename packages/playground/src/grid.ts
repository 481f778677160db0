/** The square of the plane the decision maps cover: GRID × GRID cells over [-EXTENT, EXTENT]². */

export const GRID = 48;
export const EXTENT = 1.6;

/** The cells' centres, row-major [GRID * GRID, 2], top row (largest y) first, each row left to right. */
export function gridCells(): Float32Array {
  const cells = new Float32Array(GRID * GRID * 2);
  for (let r = 0; r < GRID; r++) {
    for (let c = 0; c < GRID; c++) {
      cells[2 * (r * GRID + c)] = -EXTENT + ((c + 0.5) / GRID) * 2 * EXTENT;
      cells[2 * (r * GRID + c) + 1] = EXTENT - ((r + 0.5) / GRID) * 2 * EXTENT;
    }
  }
  return cells;
}
