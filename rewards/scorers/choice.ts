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

/**
 * extractChoice's letter, plus what the audit needs: every letter the phrase asserts (in order of
 * first assertion) and where the deciding phrase starts in the text without "*". One full scan.
 */
export function scanChoices(text: string): { letter: string | null; letters: string[]; deciding: number; parenthesised: boolean; starsRemoved: boolean } {
  const s = text.includes('*') ? text.replaceAll('*', '') : text;
  const letters: string[] = [];
  let paren = -1;
  let bare = -1;
  for (let i = s.indexOf(PHRASE); i !== -1; i = s.indexOf(PHRASE, i + 1)) {
    const at = i + PHRASE.length;
    const c = s.charCodeAt(at);
    let letter: string;
    if (c === 0x28 && isChoiceLetter(s.charCodeAt(at + 1)) && s.charCodeAt(at + 2) === 0x29) {
      letter = s[at + 1]!;
      if (paren === -1) paren = i;
    } else if (isChoiceLetter(c)) {
      letter = s[at]!;
      if (bare === -1) bare = i;
    } else continue;
    if (!letters.includes(letter)) letters.push(letter);
  }
  const deciding = paren !== -1 ? paren : bare;
  const letter = deciding === -1 ? null : s[deciding + PHRASE.length + (paren !== -1 ? 1 : 0)]!;
  return { letter, letters, deciding, parenthesised: paren !== -1, starsRemoved: s !== text };
}

/** GoLongRL `multi_choices.compute_score`. `response` is the text after `</think>`. */
export function choiceScore(response: string, groundTruth: unknown, ctx: ScoreContext): ScorerOutput {
  // The reference reads the label, extracts from the response, then from the label: a label that is
  // not a string raises there (AttributeError on .replace), before the "no answer" check.
  const label = goldenLabelString(groundTruth, 'replace');
  let extracted: string | null;
  if (ctx.audit) {
    const { letter, ...choice } = scanChoices(response);
    extracted = letter;
    ctx.audit.choice = choice;
  } else extracted = extractChoice(response);
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
