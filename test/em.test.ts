// EM (scorers.md 3.2): Python strip() on both sides, exact comparison; ground-truth shapes the
// reference raises on are bad_ground_truth errors.
import { describe, expect, it } from 'vitest';
import { emMatch, emScore } from '../rewards/scorers/em.js';
import { ScoreFailure, type ScoreContext } from '../rewards/types.js';
import { parityMismatches } from './helpers/scorerParity.js';
import { failure } from './helpers/failure.js';

const ctx: ScoreContext = { details: false, deadline: Infinity };
const score = (response: string, gt: unknown) => emScore(response, gt, ctx).score;

describe('emMatch', () => {
  it('compares after Python strip() of both sides', () => {
    expect(emMatch('  Porto\n', 'Porto')).toBe(true);
    expect(emMatch('Porto', '\t\nPorto \r')).toBe(true);
  });
  it("strips Python's extra whitespace (U+001C..U+001F, U+0085, U+3000) but not U+FEFF", () => {
    expect(emMatch('\x1cPorto\x85', 'Porto')).toBe(true);
    expect(emMatch('\u3000Porto\u2028', 'Porto')).toBe(true);
    expect(emMatch('\ufeffPorto', 'Porto')).toBe(false);
    expect(emMatch('Porto\u200b', 'Porto')).toBe(false); // zero-width space is not whitespace
  });
  it('is case- and inner-whitespace-sensitive', () => {
    expect(emMatch('porto', 'Porto')).toBe(false);
    expect(emMatch('New  York', 'New York')).toBe(false);
  });
  it('matches two empty answers', () => {
    expect(emMatch('  ', '')).toBe(true);
  });
});

describe('emScore', () => {
  it('scores 1 or 0', () => {
    expect(score(' 1984 ', { golden_label: '1984\n' })).toBe(1);
    expect(score('1985', { golden_label: '1984' })).toBe(0);
  });
  it('explains itself when details are on', () => {
    expect(emScore(' a ', { golden_label: 'a' }, { ...ctx, details: true }).details).toMatchObject({ response: 'a', golden_label: 'a' });
  });
  it('raises bad_ground_truth where Python raises', () => {
    expect(failure(() => score('a', 'a')).code).toBe('bad_ground_truth'); // TypeError: string indices
    expect(failure(() => score('a', {})).message).toContain('KeyError');
    expect(failure(() => score('a', ['a'])).code).toBe('bad_ground_truth');
    expect(failure(() => score('a', null)).code).toBe('bad_ground_truth');
    expect(failure(() => score('a', { golden_label: null })).message).toContain('AttributeError');
    expect(failure(() => score('a', { golden_label: 1 })).code).toBe('bad_ground_truth');
    expect(failure(() => score('a', { golden_label: ['a'] })).code).toBe('bad_ground_truth');
  });
});

describe('parity with the reference (data_source EM)', () => {
  const { total, mismatches } = parityMismatches('EM', emScore, false);
  it(`all ${total} EM rows agree`, () => {
    expect(total).toBeGreaterThan(100);
    expect(mismatches, mismatches.join('\n')).toEqual([]);
  });
});
