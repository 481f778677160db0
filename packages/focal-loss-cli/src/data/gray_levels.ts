/**
 * Scenes as base64 gray levels: how results.json stores the test scenes the report draws.
 * Shared by compare (which writes them) and the report (which reads them back), so neither
 * has to import the other for it.
 */

/** Gray levels (0-255, base64) of a scene given as values in [0, 1]. */
export function encodeGray(values: ArrayLike<number>): string {
  return Buffer.from(Uint8Array.from(values, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255))).toString('base64');
}

/** The gray levels ({@link encodeGray}) of the first `count` scenes of square `side`×`side` images stored one after another. */
export function encodeScenes(images: Float32Array, side: number, count: number): string[] {
  const pixels = side * side;
  return Array.from({ length: count }, (_, s) => encodeGray(images.subarray(s * pixels, (s + 1) * pixels)));
}
