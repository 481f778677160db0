/**
 * A strided matrix product, `C += A · B`, written so that V8 keeps a 4×4 tile of
 * the result in registers. Measured on this machine it runs at about 2 G
 * multiply-adds/s, against about 0.5 G/s for the usual axpy-style triple loop:
 * the tile loads 8 values per 16 multiply-adds instead of 2 loads and a store per
 * multiply-add.
 *
 * Every operand is addressed by an offset and two strides, so one routine serves
 * the forward pass (`cols · W`), the weight gradient (`colsᵀ · dY`) and the input
 * gradient (`dY · Wᵀ`) without transposing anything.
 *
 * Sums are held in JS numbers (float64) and accumulated into a float64 `C`, so
 * results are rounded to float32 only once, when the caller writes them out.
 */

/**
 * Where a matrix lives in a flat array: element (i, j) is at
 * `off + i*rowStride + j*colStride`. Operands are float32 and the result float64
 * at every call site, so the element loads stay monomorphic and V8 keeps them fast.
 */
export interface StridedMatrix<T extends Float32Array | Float64Array> {
  data: T;
  off: number;
  rowStride: number;
  colStride: number;
}

/**
 * Adds the product of A (M×K) and B (K×N) to C (M×N).
 */
export function gemmAccumulate(
  M: number,
  N: number,
  K: number,
  a: StridedMatrix<Float32Array>,
  b: StridedMatrix<Float32Array>,
  c: StridedMatrix<Float64Array>,
): void {
  const A = a.data;
  const aOff = a.off;
  const aSM = a.rowStride;
  const aSK = a.colStride;
  const B = b.data;
  const bOff = b.off;
  const bSK = b.rowStride;
  const bSN = b.colStride;
  const C = c.data;
  const cOff = c.off;
  const cSM = c.rowStride;
  const cSN = c.colStride;
  const M4 = M - (M % 4);
  const N4 = N - (N % 4);

  for (let m = 0; m < M4; m += 4) {
    for (let n = 0; n < N4; n += 4) {
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0;
      let c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0;
      let c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      let ai = aOff + m * aSM;
      let bi = bOff + n * bSN;
      for (let k = 0; k < K; k++) {
        const a0 = A[ai],
          a1 = A[ai + aSM],
          a2 = A[ai + 2 * aSM],
          a3 = A[ai + 3 * aSM];
        const b0 = B[bi],
          b1 = B[bi + bSN],
          b2 = B[bi + 2 * bSN],
          b3 = B[bi + 3 * bSN];
        c00 += a0 * b0;
        c01 += a0 * b1;
        c02 += a0 * b2;
        c03 += a0 * b3;
        c10 += a1 * b0;
        c11 += a1 * b1;
        c12 += a1 * b2;
        c13 += a1 * b3;
        c20 += a2 * b0;
        c21 += a2 * b1;
        c22 += a2 * b2;
        c23 += a2 * b3;
        c30 += a3 * b0;
        c31 += a3 * b1;
        c32 += a3 * b2;
        c33 += a3 * b3;
        ai += aSK;
        bi += bSK;
      }
      let ci = cOff + m * cSM + n * cSN;
      C[ci] += c00;
      C[ci + cSN] += c01;
      C[ci + 2 * cSN] += c02;
      C[ci + 3 * cSN] += c03;
      ci += cSM;
      C[ci] += c10;
      C[ci + cSN] += c11;
      C[ci + 2 * cSN] += c12;
      C[ci + 3 * cSN] += c13;
      ci += cSM;
      C[ci] += c20;
      C[ci + cSN] += c21;
      C[ci + 2 * cSN] += c22;
      C[ci + 3 * cSN] += c23;
      ci += cSM;
      C[ci] += c30;
      C[ci + cSN] += c31;
      C[ci + 2 * cSN] += c32;
      C[ci + 3 * cSN] += c33;
    }
    // Columns left over when N is not a multiple of 4 (e.g. a 1-channel head).
    for (let n = N4; n < N; n++) {
      let c0 = 0,
        c1 = 0,
        c2 = 0,
        c3 = 0;
      let ai = aOff + m * aSM;
      let bi = bOff + n * bSN;
      for (let k = 0; k < K; k++) {
        const bv = B[bi];
        c0 += A[ai] * bv;
        c1 += A[ai + aSM] * bv;
        c2 += A[ai + 2 * aSM] * bv;
        c3 += A[ai + 3 * aSM] * bv;
        ai += aSK;
        bi += bSK;
      }
      const ci = cOff + m * cSM + n * cSN;
      C[ci] += c0;
      C[ci + cSM] += c1;
      C[ci + 2 * cSM] += c2;
      C[ci + 3 * cSM] += c3;
    }
  }
  // Rows left over when M is not a multiple of 4.
  for (let m = M4; m < M; m++) {
    for (let n = 0; n < N4; n += 4) {
      let c0 = 0,
        c1 = 0,
        c2 = 0,
        c3 = 0;
      let ai = aOff + m * aSM;
      let bi = bOff + n * bSN;
      for (let k = 0; k < K; k++) {
        const av = A[ai];
        c0 += av * B[bi];
        c1 += av * B[bi + bSN];
        c2 += av * B[bi + 2 * bSN];
        c3 += av * B[bi + 3 * bSN];
        ai += aSK;
        bi += bSK;
      }
      const ci = cOff + m * cSM + n * cSN;
      C[ci] += c0;
      C[ci + cSN] += c1;
      C[ci + 2 * cSN] += c2;
      C[ci + 3 * cSN] += c3;
    }
    for (let n = N4; n < N; n++) {
      let s = 0;
      let ai = aOff + m * aSM;
      let bi = bOff + n * bSN;
      for (let k = 0; k < K; k++) {
        s += A[ai] * B[bi];
        ai += aSK;
        bi += bSK;
      }
      C[cOff + m * cSM + n * cSN] += s;
    }
  }
}
