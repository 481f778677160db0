/**
 * Stratified splitting: every class keeps (about) the same share in every part, which
 * matters when the rare class has only a few dozen examples.
 */
import { DataError } from './errors.js';
import type { Rng } from './rng.js';

/** Groups row indices by class label. */
export function indicesByClass(labels: ArrayLike<number>, numClasses: number): number[][] {
  const groups: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < labels.length; i++) groups[labels[i]!]!.push(i);
  return groups;
}

/**
 * Splits row indices into parts with the given fractions (summing to 1), class by class.
 * Each class must give at least one row to every part; otherwise a {@link DataError}
 * names the class (via `className`) and how many rows it would need.
 */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  numClasses: number,
  fractions: readonly number[],
  rng: Rng,
  className: (c: number) => string = String,
): number[][] {
  const parts: number[][] = fractions.map(() => []);
  const groups = indicesByClass(labels, numClasses);
  const smallestFraction = Math.min(...fractions);
  const needed = Math.ceil(1 / smallestFraction);
  groups.forEach((group, c) => {
    if (group.length === 0) return;
    if (group.length < needed) {
      throw new DataError(
        `class ${className(c)} has ${group.length} rows; a stratified ${fractions.length}-way split needs at least ${needed}`,
      );
    }
    rng.shuffle(group);
    // Allocate the later parts by rounding and give the remainder to the first (training) part.
    let start = 0;
    const sizes = fractions.map((f) => Math.max(1, Math.round(f * group.length)));
    sizes[0] = group.length - sizes.slice(1).reduce((a, b) => a + b, 0);
    sizes.forEach((size, p) => {
      // A loop, not push(...slice): spreading hundreds of thousands of arguments overflows the stack.
      const part = parts[p]!;
      for (let k = start; k < start + size; k++) part.push(group[k]!);
      start += size;
    });
  });
  // Interleave classes so that a prefix of a part is not all one class.
  for (const part of parts) rng.shuffle(part);
  return parts;
}
