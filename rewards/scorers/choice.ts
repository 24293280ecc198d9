// Multiple choice (GoLongRL multi_choices.compute_score, data_source "selection").
import { type ScoreContext, type ScorerOutput } from '../types.js';
import { goldenLabelString } from './em.js';

const PHRASE = 'The correct answer is ';

function isChoiceLetter(c: number): boolean {
  return c >= 0x41 && c <= 0x44; // A-D
}

/**
 * Python `extract_answer`: remove every `*`, then the letter of the first
 * `The correct answer is \(([A-D])\)`, else of the first `The correct answer is ([A-D])`, else
 * null. One indexOf scan over the phrase (linear time): a parenthesised match anywhere wins over
 * an earlier bare one, so the first bare match is only remembered.
 */
export function extractChoice(text: string): string | null {
  const s = text.includes('*') ? text.replaceAll('*', '') : text;
  let bare: string | null = null;
  for (let i = s.indexOf(PHRASE); i !== -1; i = s.indexOf(PHRASE, i + 1)) {
    const at = i + PHRASE.length;
    const c = s.charCodeAt(at);
    if (c === 0x28 && isChoiceLetter(s.charCodeAt(at + 1)) && s.charCodeAt(at + 2) === 0x29) return s[at + 1]!;
    if (bare === null && isChoiceLetter(c)) bare = s[at]!;
  }
  return bare;
}

/** GoLongRL `multi_choices.compute_score`. `response` is the text after `</think>`. */
export function choiceScore(response: string, groundTruth: unknown, ctx: ScoreContext): ScorerOutput {
  // The reference reads the label, extracts from the response, then from the label: a label that is
  // not a string raises there (AttributeError on .replace), before the "no answer" check.
  const label = goldenLabelString(groundTruth, 'replace');
  const extracted = extractChoice(response);
  const labelExtracted = extractChoice(label);
  const score = extracted !== null && (extracted === label || extracted === labelExtracted) ? 1 : 0;
  return {
    score,
    ...(ctx.details && {
      details: {
        extracted,
        golden_label: label,
        label_extracted: labelExtracted,
        rule: extracted === null ? 'no "The correct answer is" letter in the response' : score === 1 ? 'extracted letter matches the label' : 'extracted letter differs from the label',
      },
    }),
  };
}
