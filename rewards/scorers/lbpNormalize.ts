// LongBench-Pro's text normalisation (normalize_answers / normalize_prediction /
// normalize_prediction_abstract), with Python's strip/split/lower rules from text.ts.
import { answerArea, fold, foldLines, pyLower, pyStrip } from '../text.js';

/** `fix_space(lower(a).strip())` for every reference answer. */
export function normalizeAnswers(answers: readonly string[]): string[] {
  return answers.map((a) => fold(pyLower(a)));
}

/**
 * The answer lines of a response: the text after the last `[Answer]` (else `[答案]`), stripped,
 * lowercased, split on "\n" only, each line whitespace-folded. Empty lines stay as "".
 */
export function normalizePrediction(response: string): string[] {
  const area = answerArea(response);
  areaLength = area.length;
  return foldLines(pyLower(area));
}

/**
 * The length of the answer area the last normalizePrediction call read, for the audit's
 * answer_in_think check: kept aside rather than passed back, so that the audited and the plain
 * path call the same function (a trace argument made it polymorphic: +700 instructions per
 * Pairwise item, audit off too).
 */
let areaLength = 0;
export const lastAnswerAreaLength = (): number => areaLength;

/** The Summary metric's prediction: the whole response, lowercased and whitespace-folded. */
export function normalizeSummary(response: string): string {
  return fold(pyLower(response));
}

/**
 * What ROUGE-L makes of `normalizeSummary(response)`, without folding the whole text: ROUGE-L
 * splits on "." and folds each sentence itself, and folding only ever shrinks an inner whitespace
 * run to one space (never to nothing), so stripping the ends gives the same sentences and words.
 * Not for jieba (Chinese), which sees the whitespace.
 */
export function summaryForRouge(response: string): string {
  return pyStrip(pyLower(response));
}
