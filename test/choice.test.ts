// Multiple choice (scorers.md 3.3): the letter after "The correct answer is", parenthesised form
// first, asterisks removed, compared with the label or the letter extracted from it.
import { describe, expect, it } from 'vitest';
import { choiceScore, extractChoice } from '../rewards/scorers/choice.js';
import { ScoreFailure, type ScoreContext } from '../rewards/types.js';
import { parityMismatches } from './helpers/scorerParity.js';
import { failure } from './helpers/failure.js';

const ctx: ScoreContext = { details: false, deadline: Infinity };
const score = (response: string, label: unknown) => choiceScore(response, { golden_label: label }, ctx).score;

describe('extractChoice', () => {
  it('reads the parenthesised and the bare form', () => {
    expect(extractChoice('So. The correct answer is (B).')).toBe('B');
    expect(extractChoice('The correct answer is C.')).toBe('C');
    expect(extractChoice('The correct answer is Apple')).toBe('A'); // no word boundary in the pattern
  });
  it('removes every asterisk first', () => {
    expect(extractChoice('**The correct answer is (D)**')).toBe('D');
    expect(extractChoice('The correct answer is **(A)**')).toBe('A');
    expect(extractChoice('The **correct answer** is *C*')).toBe('C');
  });
  it('prefers the first parenthesised match anywhere over an earlier bare one', () => {
    expect(extractChoice('The correct answer is B. No wait: The correct answer is (C). The correct answer is (D)')).toBe('C');
    expect(extractChoice('The correct answer is B, The correct answer is D')).toBe('B');
  });
  it('is case-sensitive, A-D only, exact spacing', () => {
    expect(extractChoice('the correct answer is (A)')).toBeNull();
    expect(extractChoice('The correct answer is (a)')).toBeNull();
    expect(extractChoice('The correct answer is (E)')).toBeNull();
    expect(extractChoice('The correct answer is  (A)')).toBeNull();
    expect(extractChoice('The correct answer is\n(A)')).toBeNull();
    expect(extractChoice('The correct answer is (A')).toBeNull();
    expect(extractChoice('The correct answer is')).toBeNull();
    expect(extractChoice('答案是 (A)')).toBeNull();
  });
  it('runs in linear time on adversarial repetition', () => {
    const t = performance.now();
    expect(extractChoice('The correct answer is ('.repeat(40_000) + 'The correct answer is E')).toBeNull();
    expect(extractChoice('*'.repeat(200_000) + 'The correct answer is (B)')).toBe('B');
    expect(performance.now() - t).toBeLessThan(500);
  });
});

describe('choiceScore', () => {
  it('matches the label itself or the letter extracted from it', () => {
    expect(score('The correct answer is (B)', 'B')).toBe(1);
    expect(score('The correct answer is (B)', 'The correct answer is (B)')).toBe(1);
    expect(score('The correct answer is B', 'The correct answer is B because ...')).toBe(1);
    expect(score('The correct answer is (B)', 'C')).toBe(0);
  });
  it('does not normalise the label', () => {
    expect(score('The correct answer is (B)', ' B')).toBe(0);
    expect(score('The correct answer is (B)', 'b')).toBe(0);
    expect(score('The correct answer is (B)', '(B)')).toBe(0);
  });
  it('scores 0 without an extracted letter, even when the label has none either', () => {
    expect(score('I think B', 'B')).toBe(0);
    expect(score('nothing', 'nothing')).toBe(0);
  });
  it('explains itself when details are on', () => {
    expect(choiceScore('The correct answer is (A)', { golden_label: 'A' }, { ...ctx, details: true }).details).toMatchObject({ extracted: 'A', label_extracted: null });
  });
  it('raises bad_ground_truth where Python raises, before the no-answer check', () => {
    expect(failure(() => choiceScore('no answer here', 'A', ctx)).code).toBe('bad_ground_truth');
    expect(failure(() => choiceScore('The correct answer is (A)', { label: 'A' }, ctx)).message).toContain('KeyError');
    expect(failure(() => score('no answer here', null)).message).toContain("no attribute 'replace'");
    expect(failure(() => score('The correct answer is (A)', ['A'])).code).toBe('bad_ground_truth');
    expect(failure(() => score('The correct answer is (A)', 1)).code).toBe('bad_ground_truth');
  });
});

describe('parity with the reference (data_source selection)', () => {
  const { total, mismatches } = parityMismatches('selection', choiceScore, false);
  it(`all ${total} selection rows agree`, () => {
    expect(total).toBeGreaterThan(100);
    expect(mismatches, mismatches.join('\n')).toEqual([]);
  });
});
