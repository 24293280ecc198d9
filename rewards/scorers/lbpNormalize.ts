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
  return foldLines(pyLower(answerArea(response)));
}

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
