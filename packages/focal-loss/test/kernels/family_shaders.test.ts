/**
 * The GPU side of the element-wise family as text (no browser here; test/browser runs the
 * programs): the sigmoid focal loss and FL* are family members whose parameters come from the
 * plan's uniforms (one program for every alpha, gamma, beta, label smoothing) and whose
 * ±Infinity limits are their own; the other members compile their parameters in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { familyShaderKey, familyUniformValues, glslFamilyTerms, wgslFamilyTerms } from '../../src/kernels/family/shaders.js';
import { sigmoidFamilyOf } from '../../src/kernels/family/sigmoid.js';
import type { SigmoidFocalLossAttrs } from '../../src/kernels/kernel_names.js';

const focal = (over: Partial<SigmoidFocalLossAttrs> = {}): SigmoidFocalLossAttrs => ({
  mode: 'focal',
  alpha: 0.25,
  gamma: 2,
  beta: 0,
  labelSmoothing: 0,
  reduction: 'mean',
  ...over,
});

test('sigmoid attrs map to the family member of their mode, with the op parameters', () => {
  assert.deepEqual(sigmoidFamilyOf(focal()), { family: 'sigmoidFocalLoss', params: { alpha: 0.25, gamma: 2, labelSmoothing: 0 } });
  assert.deepEqual(sigmoidFamilyOf(focal({ mode: 'star', beta: -1, alpha: null })), {
    family: 'sigmoidFocalLossStar',
    params: { alpha: null, gamma: 2, beta: -1, labelSmoothing: 0 },
  });
});

test('sigmoid parameters are uniforms: one program (and webgpu key) for every value', () => {
  const a = sigmoidFamilyOf(focal({ gamma: 2, labelSmoothing: 0.1 }));
  const b = sigmoidFamilyOf(focal({ gamma: 0.5, alpha: 0.9 }));
  for (const hasWeights of [false, true]) {
    assert.equal(glslFamilyTerms(a.family, a.params, hasWeights), glslFamilyTerms(b.family, b.params, hasWeights));
    assert.equal(wgslFamilyTerms(a.family, a.params, hasWeights), wgslFamilyTerms(b.family, b.params, hasWeights));
  }
  assert.equal(familyShaderKey(a.family, a.params), familyShaderKey(b.family, b.params));
  // Whether alpha is null is compiled in.
  const none = sigmoidFamilyOf(focal({ alpha: null }));
  assert.notEqual(familyShaderKey(none.family, none.params), familyShaderKey(a.family, a.params));
  assert.match(glslFamilyTerms(none.family, none.params, false), /const bool P_HAS_ALPHA = false;/);
  const glsl = glslFamilyTerms(a.family, a.params, false);
  const wgsl = wgslFamilyTerms(a.family, a.params, false);
  assert.doesNotMatch(glsl, /\bP_(ALPHA|GAMMA|LABEL_SMOOTHING)\b/);
  assert.doesNotMatch(wgsl, /\bP_(ALPHA|GAMMA|LABEL_SMOOTHING)\b/);
  assert.match(glsl, /powGamma\(m, uGamma\)/);
  assert.match(wgsl, /powGamma\(m, uniforms\.uGamma\)/);
});

test('uniform values: uAlpha (1 for null), uGamma, uBeta (FL* only), uSmoothing', () => {
  const f = sigmoidFamilyOf(focal({ gamma: 3, labelSmoothing: 0.2 }));
  assert.deepEqual(familyUniformValues(f.family, f.params), [0.25, 3, 0, 0.2]);
  const s = sigmoidFamilyOf(focal({ mode: 'star', alpha: null, gamma: 1.5, beta: 2 }));
  assert.deepEqual(familyUniformValues(s.family, s.params), [1, 1.5, 2, 0]);
  // Members without uniforms get the plan's neutral values and compile their parameters in.
  const poly = { alpha: 0.25, gamma: 2, epsilon: 1 };
  assert.deepEqual(familyUniformValues('polyFocalLoss', poly), [1, 0, 0, 0]);
  assert.notEqual(familyShaderKey('polyFocalLoss', poly), familyShaderKey('polyFocalLoss', { ...poly, gamma: 3 }));
  assert.match(glslFamilyTerms('polyFocalLoss', poly, false), /const float P_GAMMA = 2\.0;/);
});

test('the sigmoid members give their own ±Infinity limits; the others take the shared rule', () => {
  const f = sigmoidFamilyOf(focal());
  for (const code of [glslFamilyTerms(f.family, f.params, true), wgslFamilyTerms(f.family, f.params, true)]) {
    assert.match(code, /familyLimit\(x0, t0\)/);
    assert.doesNotMatch(code, /1e10/);
  }
  for (const code of [glslFamilyTerms('polyFocalLoss', { alpha: 0.25, gamma: 2, epsilon: 1 }, true)]) {
    assert.doesNotMatch(code, /familyLimit/);
    assert.match(code, /r\.x > 1e10/);
  }
});
