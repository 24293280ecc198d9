// GoLongRL's other math routes (scorers.md section 2): math_dapo.compute_score's defaults (Minerva
// `Answer:` matching), math_dapo_math_verify, and math_verify.compute_score for MATH##*/aime*.
// Every expected value here was checked against the reference harness (GoLongRL's dispatcher).
import { describe, expect, it } from 'vitest';
import { scoreItem } from '../rewards/index.js';
import { normalizeFinalAnswer, minervaAnswer } from '../rewards/scorers/minerva.js';
import { pyIsDigit } from '../rewards/text.js';

const T = '<think>\nworking\n</think>\n\n';
const row = (dataSource: string, solution: string, groundTruth: unknown) => ({ data_source: dataSource, solution_str: solution, ground_truth: groundTruth, extra_info: {} });
const score = (dataSource: string, solution: string, groundTruth: unknown) => scoreItem(row(dataSource, solution, groundTruth));

describe('normalize_final_answer (math_dapo.py)', () => {
  it.each([
    ['\\text{Tuesday}', 'Tuesday'],
    [' Tuesday ', 'Tuesday'],
    ['5 dollars', '5'],
    ['\\$5', '5'],
    ['30^\\circ', '30'],
    ['1,000', '1000'],
    ['1,2', '12'],
    ['\\fracab', '\\frac{a}{b}'],
    ['\\frac12', '\\frac{1}{2}'],
    ['\\sqrt2', '\\sqrt{2}'],
    ['x = 5', '5'],
    ['y=2=3', '3'],
    ['an apple', 'apple'],
    ['a cat', 'cat'],
    ['sue', ''],
    ['\\boxed{7}', '7'],
    ['$8$', '8'],
    ['a$b$c$d$e', 'b'],
    ['x\n$y$', 'x\ny'],
    ['\\text{m}', ''],
    ['10{,}000', '10000'],
    ['\\overline{AB}', 'AB'],
    ['7\\mathrm{th}', '7'],
    ['\\mbox{yes}', 'yes'],
    ['2 \\text{ and } 3', '23'],
    ['\\frac😀x', '\\frac{😀}{x}'],
    ['²,²', '²²'],
    ['٣,٣', '٣٣'],
    ['12²', '12²'],
    ['[INVALID]', '[INVALID]'],
  ])('%j -> %j', (input, expected) => {
    expect(normalizeFinalAnswer(input)).toBe(expected);
  });

  it("str.isdigit is Python's: superscripts and circled digits count, letters and signs do not", () => {
    expect(['123', '²', '①②', '٣', '１２', '𝟙'].every(pyIsDigit)).toBe(true);
    expect(['', '1.5', '-1', 'a1', '½', ' 1'].some(pyIsDigit)).toBe(false);
  });
});

describe('Minerva answer extraction', () => {
  it('takes the last "Answer:" capture, case-insensitively (ſ folds to s), to the end of its line', () => {
    expect(minervaAnswer('answer: 5\nAnswer:6')).toBe('6');
    expect(minervaAnswer('ANſWER :  \\boxed{7}')).toBe('\\boxed{7}');
    expect(minervaAnswer('Answer:\n\n42\nmore')).toBe('42');
    expect(minervaAnswer('nothing here')).toBe('[INVALID]');
  });
});

describe('math_dapo, math, math_dapo_reasoning, math_longcot', () => {
  it('compare the normalised Answer: line with the normalised gold, as strings', () => {
    expect(score('math_dapo', T + 'Answer: Tuesday', '\\text{Tuesday}')).toMatchObject({ score: 1, scorer: 'minerva', reward_type: 'math_dapo' });
    expect(score('math_longcot', T + 'ANſWER :  \\boxed{7}', '7')).toMatchObject({ score: 1, reward_type: 'math_longcot' });
    expect(score('math_dapo', T + 'Answer: 1,000 dollars', '1000').score).toBe(1);
    expect(score('math_longcot', T + 'Answer: 12,345', '12345').score).toBe(1);
    expect(score('math_dapo', T + 'Answer: x = \\frac12', '\\frac{1}{2}').score).toBe(1);
    expect(score('math_dapo', T + 'Answer: 0.5', '\\frac{1}{2}').score).toBe(0); // no numeric comparison
  });
  it('ignore a \\boxed answer without an Answer: line', () => {
    expect(score('math', T + 'Therefore, the answer is $\\boxed{80.5}$.', '80.5')).toMatchObject({ score: 0, reward_type: 'math' });
  });
  it('compare "[INVALID]" when there is no Answer: line, as the reference does', () => {
    expect(score('math_dapo_reasoning', T + 'no answer line here', '[INVALID]').score).toBe(1);
  });
  it('read only the last 500 code points of the whole solution', () => {
    expect(score('math_dapo', T + 'Answer: 5\n' + 'x'.repeat(494), '5').score).toBe(0);
    expect(score('math_dapo', T + 'Answer: 5\n' + 'x'.repeat(480), '5').score).toBe(1);
  });
  it('apply the think gate first', () => {
    expect(score('math_dapo', 'Answer: 5', '5')).toMatchObject({ score: 0, scorer: 'minerva' });
  });
  it('raise on a ground truth that is not a string (AttributeError in the reference)', () => {
    for (const gt of [5, ['5'], { golden_label: '5' }, null]) {
      expect(score('math_dapo', T + 'Answer: 5', gt).error?.code, JSON.stringify(gt)).toBe('bad_ground_truth');
    }
  });
});

describe('math_dapo_math_verify', () => {
  it('is math_verify on the raw ground truth: a list gives candidates, a dict its keys', () => {
    expect(score('math_dapo_math_verify', T + '\\boxed{7}', ['3', '7'])).toMatchObject({ score: 1, scorer: 'math_verify', reward_type: 'math_dapo_math_verify' });
    expect(score('math_dapo_math_verify', T + '\\boxed{7}', { '7': 'x' }).score).toBe(1);
    expect(score('math_dapo_math_verify', T + '\\boxed{7}', { golden_label: '7' }).score).toBe(0);
  });
  it('reads the last 500 code points only', () => {
    expect(score('math_dapo_math_verify', 'Answer: 42 ' + 'words '.repeat(150) + '</think> nothing more', '42').score).toBe(0);
  });
  it('raises on a number ground truth only once something was extracted', () => {
    expect(score('math_dapo_math_verify', T + '\\boxed{7}', 7).error?.code).toBe('bad_ground_truth');
    expect(score('math_dapo_math_verify', T + 'nothing', 7).score).toBe(0);
  });
});

describe('MATH##* and aime* (math_verify.compute_score)', () => {
  it('route on the prefix, before every exact name and substring rule', () => {
    expect(score('MATH##algebra', T + 'Therefore, the answer is $\\boxed{10}$.', '10')).toMatchObject({ score: 1, scorer: 'math_verify_metric', reward_type: 'MATH##algebra' });
    expect(score('aimeX', T + 'The answer is $\\frac{1}{2}$', '0.5')).toMatchObject({ score: 1, reward_type: 'aimeX' });
    expect(score('MATH##model_judge', T + 'Answer: 3', '3')).toMatchObject({ score: 1, scorer: 'math_verify_metric' });
    expect(score('aime_math_longcot_math_verify', T + 'Answer: 3', { golden_label: '3' }).error?.code).toBe('bad_ground_truth');
  });
  it('read the whole response, not the last 500 code points', () => {
    expect(score('aime_2025_I', 'Answer: 42 ' + 'words '.repeat(150) + '</think> nothing more', '42').score).toBe(1);
  });
  it('verify symbolically', () => {
    expect(score('aime', T + 'Final Answer: The final answer is $\\pi \\cdot 10^2$. I hope it is correct.', '100\\pi').score).toBe(1);
    expect(score('aime2024', T + 'The result is $\\$8105453$', '8105453').score).toBe(1);
    expect(score('aime2024', T + 'Answer: 12²', '144').score).toBe(0);
  });
  it('score 0 when nothing is extracted, or when the gold yields nothing (ValueError caught)', () => {
    expect(score('MATH##', T + 'no math at all', '42').score).toBe(0);
    expect(score('MATH##x', T + 'Answer: 3', '$').score).toBe(0);
  });
  it('compare unparsable answers as strings; a non-ASCII number ends the parse (SympifyError)', () => {
    expect(score('aime2024', T + '\\boxed{٣}', '٣').score).toBe(1);
    expect(score('math_longcot_math_verify', T + 'Answer: ٣', '3').score).toBe(0);
  });
  it('raise TypeError on a ground truth that is not a string', () => {
    expect(score('aime2024', T + 'Answer: 42', 42).error).toMatchObject({ code: 'bad_ground_truth', message: expect.stringContaining('can only concatenate str (not "int") to str') });
    expect(score('aime2024', T + 'Answer: 42', ['42']).error?.code).toBe('bad_ground_truth');
  });
});

describe('verl built-in routes', () => {
  it('are unknown_data_source with a message saying so, gate or not', () => {
    for (const ds of ['openai/gsm8k', 'lighteval/MATH', 'HuggingFaceH4/MATH-500', 'math_stem', 'math_stem_longcot', 'numina_olympiads', 'codecontests', 'hiyouga/geometry3k', 'searchR1_nq']) {
      for (const solution of [T + 'Answer: 7', 'no think']) {
        const r = score(ds, solution, '7');
        expect(r.error?.code, ds).toBe('unknown_data_source');
        expect(r.error?.message, ds).toMatch(/verl's built-in reward routes .*does not implement/);
        expect(r.error?.message, ds).not.toContain('known:');
      }
    }
  });
  it('leaves other unknown names listing the rules', () => {
    const r = score('Math_dapo', T + 'Answer: 7', '7');
    expect(r.error?.code).toBe('unknown_data_source');
    expect(r.error?.message).toContain('MATH##*, aime*, math_dapo');
  });
});
