// GoLongRL math_dapo.compute_score with its defaults (data sources math_dapo, math,
// math_dapo_reasoning, and math_longcot, whose is_longcot switch changes nothing: its code is
// commented out): Minerva-style matching. The last `Answer: ...` line of the last 500 code points,
// normalised by normalize_final_answer (lm-evaluation-harness' hendrycks_math rules), must equal
// the normalised ground truth as a string. No Math-Verify, no numeric comparison.
import { ci, S } from '../math/pyRegex.js';
import { jsPyTypeName } from '../pyjson.js';
import { lastCodePoints, pyIsDigit, pyStrip } from '../text.js';
import { ScoreFailure, type ScoreContext, type ScorerOutput } from '../types.js';

// normalize_final_answer's tables, in the reference's order (each is a plain str.replace).
const SUBSTITUTIONS: ReadonlyArray<readonly [string, string]> = [
  ['an ', ''],
  ['a ', ''],
  ['.$', '$'],
  ['\\$', ''],
  ['\\ ', ''],
  [' ', ''],
  ['mbox', 'text'],
  [',\\text{and}', ','],
  ['\\text{and}', ','],
  ['\\text{m}', '\\text{}'],
];

const REMOVED_EXPRESSIONS: readonly string[] = [
  'square', 'ways', 'integers', 'dollars', 'mph', 'inches', 'hours', 'km', 'units', '\\ldots', 'sue', 'points', 'feet',
  'minutes', 'digits', 'cents', 'degrees', 'cm', 'gm', 'pounds', 'meters', 'meals', 'edges', 'students',
  'childrentickets', 'multiples', '\\text{s}', '\\text{.}', '\\text{\ns}', '\\text{}^2', '\\text{}^3', '\\text{\n}',
  '\\text{}', '\\mathrm{th}', '^\\circ', '^{\\circ}', '\\;', ',\\!', '{,}', '"', '\\dots',
];

// The reference's re.sub patterns. Python's `.` is any code point but "\n" (JavaScript's `.` also
// stops at "\r", U+2028 and U+2029), and the `u` flag keeps astral characters whole.
const DOT = '[^\\n]';
const INLINE_MATH = new RegExp(`${DOT}*?\\$(${DOT}*?)\\$${DOT}*`, 'gu');
const TEXT = new RegExp(`\\\\text\\{(${DOT}*?)\\}`, 'gu');
const TEXTBF = new RegExp(`\\\\textbf\\{(${DOT}*?)\\}`, 'gu');
const OVERLINE = new RegExp(`\\\\overline\\{(${DOT}*?)\\}`, 'gu');
const BOXED = new RegExp(`\\\\boxed\\{(${DOT}*)\\}`, 'gu');
const FRAC_SHORTHAND = new RegExp(`frac([^{])(${DOT})`, 'gu');
const SQRT_SHORTHAND = /sqrt([^{])/gu;

/** GoLongRL `normalize_final_answer` (math_dapo.py). */
export function normalizeFinalAnswer(answer: string): string {
  let s = answer.slice(answer.lastIndexOf('=') + 1); // split("=")[-1]
  for (const [before, after] of SUBSTITUTIONS) s = s.replaceAll(before, after);
  for (const expr of REMOVED_EXPRESSIONS) s = s.replaceAll(expr, '');
  s = s.replace(INLINE_MATH, (_m, inner: string) => `$${inner}$`);
  s = s.replace(TEXT, '$1');
  s = s.replace(TEXTBF, '$1');
  s = s.replace(OVERLINE, '$1');
  s = s.replace(BOXED, '$1');
  s = s.replace(FRAC_SHORTHAND, 'frac{$1}{$2}');
  s = s.replace(SQRT_SHORTHAND, 'sqrt{$1}');
  s = s.replaceAll('$', '');
  if (pyIsDigit(s.replaceAll(',', ''))) s = s.replaceAll(',', '');
  return pyStrip(s);
}

// is_correct_minerva's answer_pattern r"(?i)Answer\s*:\s*([^\n]+)", Python's \s and IGNORECASE.
const ANSWER_LINE = new RegExp(`${ci('answer')}${S}*:${S}*([^\\n]+)`, 'gu');

/** The last `Answer: ...` match (re.findall(...)[-1]), or undefined. */
function lastAnswerLine(text: string): RegExpExecArray | undefined {
  let last: RegExpExecArray | undefined;
  for (const m of text.matchAll(ANSWER_LINE)) last = m;
  return last;
}

/** The last `Answer: ...` capture, or "[INVALID]" as the reference has it. */
export function minervaAnswer(text: string): string {
  return lastAnswerLine(text)?.[1] ?? '[INVALID]';
}

/**
 * GoLongRL `math_dapo.compute_score(solution_str, ground_truth)` with strict_box_verify off and
 * is_use_math_verify off: 1 when the normalised `Answer:` capture of the last 500 code points
 * equals the normalised ground truth, else 0. `solution` is the whole solution_str; `goldType`, the
 * ground truth's Python type name when the caller knows it (a JSON 42.0 is a float).
 */
export function minervaScore(solution: string, groundTruth: unknown, ctx: ScoreContext, goldType?: string): ScorerOutput {
  if (typeof groundTruth !== 'string') {
    const type = goldType ?? jsPyTypeName(groundTruth);
    throw new ScoreFailure(
      'bad_ground_truth',
      `ground truth is ${type}, not a string; the reference raises AttributeError: '${type}' object has no attribute 'split' (normalize_final_answer)`,
    );
  }
  const window = lastCodePoints(solution, 500);
  const line = lastAnswerLine(window);
  const extracted = line?.[1] ?? '[INVALID]';
  if (ctx.audit) {
    // For the audit (answer_in_think): the window and the Answer: line it read.
    ctx.audit.mathWindow = window;
    ctx.audit.mathWindowAt = solution.length - window.length;
    ctx.audit.mathAnswerStart = line ? line.index : -1;
    ctx.audit.mathAnswerEnd = line ? line.index + line[0].length : -1;
  }
  const pred = normalizeFinalAnswer(extracted);
  const gold = normalizeFinalAnswer(groundTruth);
  const score = pred === gold ? 1 : 0;
  if (!ctx.details) return { score };
  return {
    score,
    details: {
      rule: extracted === '[INVALID]' ? 'no "Answer:" line (the reference compares "[INVALID]")' : score ? 'normalised answers are equal' : 'normalised answers differ',
      extracted,
      normalized_prediction: pred,
      normalized_ground_truth: gold,
    },
  };
}
