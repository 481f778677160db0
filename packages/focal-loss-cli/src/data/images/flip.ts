/** Horizontal flip of square row-major images, the training augmentation of the image tasks. */

/**
 * Writes `image` (side × side pixels of `channels` values, row-major) mirrored left to right
 * into `out` from `offset`. Works for pixels (Float32Array) and label masks (Int32Array, 1 channel).
 */
export function copyFlipped<T extends Float32Array | Int32Array>(image: T, side: number, channels: number, out: T, offset: number): void {
  for (let r = 0; r < side; r++)
    for (let c = 0; c < side; c++) {
      const from = (r * side + (side - 1 - c)) * channels;
      const to = offset + (r * side + c) * channels;
      for (let ch = 0; ch < channels; ch++) out[to + ch] = image[from + ch]!;
    }
}
