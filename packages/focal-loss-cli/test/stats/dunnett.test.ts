/**
 * Dunnett's many-to-one critical value by quadrature, against Student's t (one contrast), the
 * published tables and a Monte Carlo check.
 *
 * Tables: one-sided 0.05, C. W. Dunnett (1955), "A multiple comparison procedure for comparing
 * several treatments with a control", JASA 50:1096-1121, its one-sided 0.05 table (k = number of treatments;
 * as reprinted in https://text-id.123dok.com/document/lzg28pv2y-one-sided-one-sided-um-05-one-tailed-um-10-two-tailed-n.html);
 * two-sided 0.05, C. W. Dunnett (1964), "New tables for multiple comparisons with a control",
 * Biometrics 20:482-491 (as reprinted e.g. in Howell, Statistical Methods for Psychology, and in
 * R's MCPMod critVal: 3 treatments, 12 df → 2.686 one-sided 0.025 ≈ 2.68 two-sided).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/data/rng.js';
import { dunnettCriticalValue } from '../../src/stats/index.js';

const close = (got: number, want: number, tol: number, what: string) =>
  assert.ok(Math.abs(got - want) <= tol, `${what}: got ${got}, want ${want} ± ${tol}`);

test("one contrast is Student's t", () => {
  for (const [df, q] of [
    [1, 12.7062],
    [2, 4.3027],
    [4, 2.7764],
    [10, 2.2281],
    [Number.POSITIVE_INFINITY, 1.96],
  ] as const) {
    close(dunnettCriticalValue({ contrasts: 1, df }), q, 5e-4, `t(0.975, ${df})`);
  }
  close(dunnettCriticalValue({ contrasts: 1, df: 4, sides: 1 }), 2.1318, 5e-4, 't(0.95, 4)');
});

test("Dunnett's one-sided table (1955)", () => {
  for (const [m, df, q] of [
    [2, 5, 2.44],
    [2, 10, 2.15],
    [5, 20, 2.39],
    [12, 10, 2.92],
    [10, Number.POSITIVE_INFINITY, 2.45],
    [20, 60, 2.72],
  ] as const) {
    close(dunnettCriticalValue({ contrasts: m, df, sides: 1 }), q, 0.006, `one-sided, ${m} contrasts, ${df} df`);
  }
});

test("Dunnett's two-sided table (1964)", () => {
  for (const [m, df, q] of [
    [2, 10, 2.57],
    [3, 12, 2.68],
    [5, 20, 2.73],
    [9, Number.POSITIVE_INFINITY, 2.69],
  ] as const) {
    close(dunnettCriticalValue({ contrasts: m, df }), q, 0.006, `two-sided, ${m} contrasts, ${df} df`);
  }
});

test('Monte Carlo agrees: 10 contrasts, known variance, and 11 contrasts at 22 df', (t) => {
  const rng = new Rng(7);
  const draws = 200_000;
  const lines: string[] = [];
  for (const [m, df] of [
    [10, Number.POSITIVE_INFINITY],
    [11, 22],
  ] as const) {
    const c = dunnettCriticalValue({ contrasts: m, df });
    let inside = 0;
    for (let i = 0; i < draws; i++) {
      const y0 = rng.normal();
      let s = 1;
      if (df !== Number.POSITIVE_INFINITY) {
        let chi2 = 0;
        for (let j = 0; j < df; j++) chi2 += rng.normal() ** 2;
        s = Math.sqrt(chi2 / df);
      }
      let ok = true;
      for (let j = 0; j < m && ok; j++) ok = Math.abs(rng.normal() - y0) / Math.SQRT2 <= c * s;
      if (ok) inside++;
    }
    const coverage = inside / draws;
    lines.push(`${m} contrasts, ${df} df: c = ${c.toFixed(4)}, Monte Carlo coverage ${coverage.toFixed(4)}`);
    close(coverage, 0.95, 0.002, `coverage at c = ${c}`); // 0.002 ≈ 4 standard errors of 200,000 draws
  }
  for (const line of lines) t.diagnostic(line);
});

test('bad arguments are named', () => {
  assert.throws(() => dunnettCriticalValue({ contrasts: 0, df: 3 }), /dunnettCriticalValue: contrasts must be an integer ≥ 1, got 0/);
  assert.throws(() => dunnettCriticalValue({ contrasts: 2, df: 0 }), /dunnettCriticalValue: df must be/);
});
