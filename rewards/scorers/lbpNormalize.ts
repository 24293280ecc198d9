// LongBench-Pro's text normalisation (normalize_answers / normalize_prediction /
// normalize_prediction_abstract), with Python's strip/split/lower rules from text.ts.
import { answerArea, fold, pyLower } from '../text.js';

/** `fix_space(lower(a).strip())` for every reference answer. */
export function normalizeAnswers(answers: readonly string[]): string[] {
  return answers.map((a) => fold(pyLower(a)));
}

/**
 * The answer lines of a response: the text after the last `[Answer]` (else `[答案]`), stripped,
 * lowercased, split on "\n" only, each line whitespace-folded. Empty lines stay as "".
 */
export function normalizePrediction(response: string): string[] {
  return pyLower(answerArea(response))
    .split('\n')
    .map((line) => fold(line));
}

/** The Summary metric's prediction: the whole response, lowercased and whitespace-folded. */
export function normalizeSummary(response: string): string {
  return fold(pyLower(response));
}
