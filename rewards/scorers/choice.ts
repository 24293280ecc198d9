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

/** What the audit learns from the choice scorer's own scan (scanChoices). */
export interface ChoiceScan {
  letter: string | null;
  /** Letters asserted up to the deciding phrase (all of them when none is parenthesised), in order. */
  letters: string;
  /** Where the deciding phrase starts in the text without "*" (-1: none). */
  deciding: number;
  parenthesised: boolean;
  starsRemoved: boolean;
}

/** scanChoices' result: one object refilled per call, so that auditing a choice item allocates nothing. */
const scan: ChoiceScan = { letter: null, letters: '', deciding: -1, parenthesised: false, starsRemoved: false };

function scanResult(letter: string | null, letters: string, deciding: number, parenthesised: boolean, starsRemoved: boolean): ChoiceScan {
  scan.letter = letter;
  scan.letters = letters;
  scan.deciding = deciding;
  scan.parenthesised = parenthesised;
  scan.starsRemoved = starsRemoved;
  return scan;
}

/**
 * extractChoice, also noting the letters asserted on the way: the same scan, which stops at the
 * first parenthesised answer (after it nothing can change the score). The result is valid until
 * the next call (scoring is synchronous: the audit reads it for the item just scored).
 */
export function scanChoices(text: string): ChoiceScan {
  const s = text.includes('*') ? text.replaceAll('*', '') : text;
  let letters = '';
  let bare = -1;
  for (let i = s.indexOf(PHRASE); i !== -1; i = s.indexOf(PHRASE, i + 1)) {
    const at = i + PHRASE.length;
    const c = s.charCodeAt(at);
    if (c === 0x28 && isChoiceLetter(s.charCodeAt(at + 1)) && s.charCodeAt(at + 2) === 0x29) {
      const letter = s[at + 1]!;
      if (!letters.includes(letter)) letters += letter;
      return scanResult(letter, letters, i, true, s !== text);
    }
    if (isChoiceLetter(c)) {
      if (bare === -1) bare = i;
      if (!letters.includes(s[at]!)) letters += s[at]!;
    }
  }
  const letter = bare === -1 ? null : s[bare + PHRASE.length]!;
  return scanResult(letter, letters, bare, false, s !== text);
}

/** GoLongRL `multi_choices.compute_score`. `response` is the text after `</think>`. */
export function choiceScore(response: string, groundTruth: unknown, ctx: ScoreContext): ScorerOutput {
  // The reference reads the label, extracts from the response, then from the label: a label that is
  // not a string raises there (AttributeError on .replace), before the "no answer" check.
  const label = goldenLabelString(groundTruth, 'replace');
  let extracted: string | null;
  if (ctx.audit) {
    const scan = scanChoices(response);
    extracted = scan.letter;
    ctx.audit.choice = scan;
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
