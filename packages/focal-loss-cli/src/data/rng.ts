/**
 * Seeded pseudo-random numbers. Every random choice in `compare` (subsampling, splits,
 * scene layout, shuffling) goes through this so that a seed reproduces a run exactly.
 */

import { mulberry32 } from 'focal-loss/core';

/** A seeded generator of uniform numbers in [0, 1), with the draws `compare` needs. */
export class Rng {
  /** Uniform in [0, 1): focal-loss's one seeded generator (mulberry32). */
  readonly next: () => number;

  constructor(seed: number) {
    // Mix the seed so that nearby seeds (0, 1, 2) do not start in correlated states.
    this.next = mulberry32((Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ 0xc2b2ae35) >>> 0);
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }

  /** A child generator whose stream depends on this seed and `salt`, for independent sub-tasks. */
  fork(salt: number): Rng {
    return new Rng(Math.floor(this.next() * 0x7fffffff) ^ Math.imul(salt, 0x27d4eb2d));
  }
}

/** Integers 0..n-1. */
export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
