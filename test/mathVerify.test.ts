// math_verify (GoLongRL math_dapo.compute_score with is_use_math_verify=True): unit cases written
// from Math-Verify 0.8.0 / latex2sympy2_extended 1.10.2 semantics, hostile-input bounds, and parity
// with every public math row (minimal verl routing here; the lead's parity test goes through the
// real dispatcher).
import { describe, expect, it } from 'vitest';
import { mathVerifyScore } from '../rewards/scorers/mathVerify.js';
import { parseAnswer } from '../rewards/math/extract.js';
import { normalizeLatex, extractBoxedContent } from '../rewards/math/normalize.js';
import { afterLast, pyCount } from '../rewards/text.js';
import { ScoreFailure, type ScoreContext } from '../rewards/types.js';
import { loadScoreCases, type ScoreCase } from './helpers/parity.js';
import { boundedScore } from './helpers/boundedScore.js';

const ctx = (): ScoreContext => ({ details: true, deadline: performance.now() + 5000 });
const score = (response: string, gold: unknown): number => mathVerifyScore(response, gold, ctx()).score;
const rule = (response: string, gold: unknown): unknown => mathVerifyScore(response, gold, ctx()).details?.['rule'];

describe('extraction (Math-Verify parse)', () => {
  it('prefers \\boxed{} and the rightmost candidate of the best priority', () => {
    expect(parseAnswer('First $\\boxed{28}$. Then $\\boxed{-28}$.', ctx()).str).toBe('-28');
    expect(parseAnswer('Final Answer: The final answer is $x^2 - 1$. I hope it is correct.', ctx()).str).toBe('x^2 - 1');
  });
  it('needs a parsed value and its source string, otherwise scores 0', () => {
    expect(rule('no numbers here at all', '1')).toBe('no_extraction');
    expect(score('The answer is \\boxed{}.', '121\\pi')).toBe(0);
    // An unclosed \boxed{ never converts.
    expect(score('The answer is $\\boxed{E$', 'E')).toBe(0);
  });
  it('does not extract bare letters or comma tuples from plain text', () => {
    expect(score('Only option B works.\n\nThe answer is B.', 'B')).toBe(0);
    expect(score('The answer is (7,-9).', '(7, -9)')).toBe(0);
  });
  it('reads plain numbers after "answer", with thousands separators and percent words', () => {
    expect(score('Answer: 35', '35')).toBe(1);
    expect(score('The answer is 1,551,933.', '1551933')).toBe(1);
    expect(parseAnswer('The answer is 12 percent', ctx()).str).toBe('12');
  });
  it('only looks at the last 500 code points', () => {
    const tail = ' filler'.repeat(80);
    expect(score(`\\boxed{42}${tail}`, '42')).toBe(0);
    expect(score(`${'😀'.repeat(600)}\\boxed{42}`, '42')).toBe(1);
  });
});

describe('normalisation (latex2sympy2_extended 1.10.2)', () => {
  it('extracts boxed content, strips units, \\text, dollar signs and degree marks', () => {
    expect(extractBoxedContent('\\boxed{\\boxed{-2^\\circ}}', 'all')).toBe('-2^\\circ');
    expect(normalizeLatex('\\boxed{324 \\text{ crates}}', 'all')).toBe('324');
    expect(normalizeLatex('\\$60', 'all')).toBe('60');
    expect(normalizeLatex('\\dfrac{1}{2}', 'all')).toBe('\\frac{1}{2}');
    expect(normalizeLatex('\\frac12', 'all')).toBe('\\frac{1}{2}');
    expect(normalizeLatex('1/9', 'all')).toBe('\\frac{1}{9}');
    expect(normalizeLatex('0.5', 'all')).toBe('\\frac{1}{2}');
    expect(normalizeLatex('\\left(1, 9\\right)', 'all')).toBe('(1, 9)');
  });
});

describe('comparison (Math-Verify verify)', () => {
  it('quick path: the extracted string equals the gold string', () => {
    expect(rule('\\boxed{42}', '42')).toBe('string_match');
  });
  it('compares numbers exactly, or after rounding to 6 decimals when a Float is involved', () => {
    expect(score('\\boxed{1202.0}', '1202')).toBe(1);
    expect(score('\\boxed{\\frac{109}{2}}', '54.5')).toBe(1);
    expect(score('\\boxed{0.1111111111}', '\\frac{1}{9}')).toBe(1);
    expect(score('\\boxed{0.11}', '\\frac{1}{9}')).toBe(0);
    expect(score('\\boxed{452.38934212}', '144\\pi')).toBe(1);
    expect(score('\\boxed{\\frac{2}{36}}', '\\frac{1}{18}')).toBe(1);
    expect(score('\\boxed{\\sqrt{136}}', '2\\sqrt{34}')).toBe(1);
    expect(score('\\boxed{17}', '\\sqrt{157}')).toBe(0);
  });
  it('treats a\\% as a/100 against decimals, but not against the bare number', () => {
    expect(score('\\boxed{0.12}', '12\\%')).toBe(1);
    expect(score('\\boxed{5}', '5%')).toBe(0);
  });
  it('keeps interval ends and sets/tuples apart as the reference does', () => {
    expect(score('\\boxed{[3, 4]}', '(3, 4]')).toBe(0);
    expect(score('\\boxed{[-3, 7)}', '[-3, 7)')).toBe(1);
    expect(score('\\boxed{\\{6, 7\\}}', '(6, 7)')).toBe(1); // open interval gold vs 2-element set
    expect(score('\\boxed{\\{-2, -6\\}}', '\\{-6, -2\\}')).toBe(1);
    expect(score('\\boxed{(4, -1)}', '(4, 1)')).toBe(0);
    expect(score('\\boxed{-2 \\le x \\le 11}', '[-2, 11]')).toBe(0);
    expect(score('\\boxed{x \\in [3, 5]}', '[3, 5]')).toBe(1);
  });
  it('unwraps equations against a plain gold and compares equations as equations', () => {
    expect(score('\\boxed{x = 183}', '183')).toBe(1);
    expect(score('\\boxed{y=-3x+1}', 'y = -3x + 1')).toBe(1);
    expect(score('\\boxed{y = 2x + 5}', 'y = 2x + 3')).toBe(0);
    expect(score('\\boxed{(x-4)(x+4)}', 'x^2 - 16')).toBe(1);
    expect(score('\\boxed{(x-9)^2}', 'x^2 - 81')).toBe(0);
  });
  it('matches text answers through symbols (letters of \\text, lowercased)', () => {
    expect(score('\\boxed{\\text{E}}', '\\text{(E)}')).toBe(1);
    expect(score('\\boxed{tuesday}', '\\text{Tuesday}')).toBe(1);
    expect(score('\\boxed{\\textbf{Thursday}}', 'Thursday')).toBe(1);
    expect(score('\\boxed{Monday}', '\\text{Sunday}')).toBe(0);
  });
  it('drops degree marks and units', () => {
    expect(score('$135^\\circ$ is the final answer: \\boxed{135^\\circ}', '135')).toBe(1);
    expect(score('\\boxed{-16^\\circ}', '-16')).toBe(1);
    expect(score('\\boxed{40 \\text{ dollars}}', '40')).toBe(1);
    expect(score('\\boxed{\\$60}', '60')).toBe(1);
    expect(score('\\boxed{\\pi 36}', '36\\pi')).toBe(1);
  });
});

describe('ground truth shapes (Python semantics)', () => {
  it('accepts a list of golds (membership, then each one)', () => {
    expect(score('\\boxed{8}', ['7', '8'])).toBe(1);
    expect(score('\\boxed{8.0}', ['7', '8'])).toBe(1);
  });
  it('iterates the keys of an object, as `in`/`for` on a dict do', () => {
    expect(score('\\boxed{5}', { golden_label: '5' })).toBe(0);
    expect(score('\\boxed{golden_label}', { golden_label: '5' })).toBe(1);
  });
  it('raises for non-iterable ground truth, but only after an extraction succeeded', () => {
    expect(() => mathVerifyScore('\\boxed{30}', 30, ctx())).toThrow(ScoreFailure);
    expect(() => mathVerifyScore('\\boxed{30}', null, ctx())).toThrow(/TypeError/);
    expect(score('nothing to extract', 30)).toBe(0);
  });
});

describe('hostile inputs finish quickly', () => {
  const cases: [string, string][] = [
    ['\\boxed{9^9^9^9}', '5'],
    ['\\boxed{100000!}', '3'],
    ['$10^{10^{10}}$', '7'],
    ['\\boxed{10^{10^{10}}+1}', '10^{10^{10}}'],
    ['\\boxed{'.repeat(10_000) + '1' + '}'.repeat(10_000), '1'],
    ['x'.repeat(1_000_000), '1'],
    ['1 '.repeat(500_000), '1'],
    ['\\boxed{' + '{'.repeat(240) + '1' + '}'.repeat(240) + '}', '1'],
    ['\\boxed{2}', '$'.repeat(9000)],
    ['\\boxed{1}', '\\boxed{'.repeat(10_000) + '1' + '}'.repeat(10_000)],
    ['\\boxed{2^{-100000}}', '0'],
  ];
  it.each(cases)('%# returns a score or a typed error in well under a second', (response, gold) => {
    const { result, ms } = boundedScore(response, gold);
    expect(ms).toBeLessThan(500);
    expect([0, 1, 'timeout']).toContain(result);
  });
  it('never equates a huge exact power with 0 through float underflow', () => {
    expect(score('\\boxed{2^{-100000}}', '0')).toBe(0);
  });
});

// ---- parity ----

const JUDGE_SOURCES = ['model_verify', 'retrieval_summary_calculate', 'model_judge', 'retrieval_model_judge'];

function isMathRow(c: ScoreCase): boolean {
  const ei = c.extra_info as Record<string, unknown> | null;
  if (c.data_source.includes('math_longcot_math_verify')) return true;
  return JUDGE_SOURCES.some((s) => c.data_source.includes(s)) && ei !== null && typeof ei === 'object' && ei['reward_mode'] === 'math_verify';
}

/** Minimal GoLongRL routing for the math rows (scorers.md section 2). */
function routeMath(c: ScoreCase): number {
  const s = c.solution_str;
  if (!s.includes('</think>') || pyCount(s, '<think>') > 1 || pyCount(s, '</think>') > 1) return 0;
  const c2 = ctx();
  if (c.data_source.includes('math_longcot_math_verify')) {
    let gt = Array.isArray(c.ground_truth) ? c.ground_truth[c.ground_truth.length - 1] : c.ground_truth;
    if (gt !== null && typeof gt === 'object' && !Array.isArray(gt)) {
      if (!Object.hasOwn(gt, 'golden_label')) throw new ScoreFailure('bad_ground_truth', 'KeyError: golden_label');
      gt = (gt as Record<string, unknown>)['golden_label'];
    }
    return mathVerifyScore(s, gt, c2).score;
  }
  const response = afterLast(s, '</think>');
  const ei = c.extra_info as Record<string, unknown>;
  if (!Object.hasOwn(ei, 'ground_truth')) throw new ScoreFailure('bad_ground_truth', "KeyError: 'ground_truth'");
  if (response === ei['ground_truth']) return 1;
  return mathVerifyScore(response, c.ground_truth, c2).score;
}

describe('parity with the reference (public math rows)', () => {
  const rows = loadScoreCases().filter(isMathRow);
  it('covers the math rows', () => {
    expect(rows.length).toBeGreaterThan(250);
  });
  it('agrees on at least 98% of them (to 1e-9), listing every mismatch', () => {
    const mismatches: string[] = [];
    for (const c of rows) {
      let got: number | undefined;
      let err: ScoreFailure | undefined;
      try {
        got = routeMath(c);
      } catch (e) {
        if (!(e instanceof ScoreFailure)) throw e;
        err = e;
      }
      const ok = c.expected_error !== undefined ? err?.code === 'bad_ground_truth' : err === undefined && Math.abs(got! - c.expected!) <= 1e-9;
      if (!ok) mismatches.push(`${c.id} [${c.data_source}] expected ${c.expected ?? c.expected_error}, got ${err ? err.code : got}`);
    }
    const agreement = (rows.length - mismatches.length) / rows.length;
    expect(agreement, mismatches.join('\n')).toBeGreaterThanOrEqual(0.98);
  });
});
