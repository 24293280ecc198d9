// What a scorer leaves for the audit while it scores (only when the audit is on): references to
// values it computed anyway, so the audit re-does none of the scorer's work.
import type { ChoiceScan } from '../scorers/choice.js';

export interface AuditTrace {
  /** The response as given (solution_str or response). */
  response: string;
  /** The text the scorer read: the response, or its part after </think> (dispatcher, think option). */
  text?: string;
  /** Where the response's last </think> starts (-1: none), when the think gate already found it. */
  thinkEnd?: number;
  /** LongBench-Pro line metrics: length of the answer area (stripped text after the last marker) in `text`. */
  answerAreaLength?: number;
  /** choice: the letters asserted up to the deciding phrase, and where it is (choice.ts, scanChoices). */
  choice?: ChoiceScan;
  /** LongBench-Pro: the normalised references. */
  answers?: readonly string[];
  /** LongBench-Pro line metrics: the normalised answer lines (empty ones included). */
  predictions?: readonly string[];
  /** NDCG: distinct answer lines (empty included), as the ranking collapsed them. */
  distinctLines?: number;
  /** Summary: index of the reference with the best ROUGE-L F (-1 when none was scored). */
  bestReference?: number;
  /** Math scorers: the text they parsed (math_verify, minerva: the last 500 code points; math_verify_metric: all of it)... */
  mathWindow?: string;
  /** ...and where in it the match that gave the answer (minerva: the Answer: line) starts and ends (-1 when none). */
  mathAnswerStart?: number;
  mathAnswerEnd?: number;
}

/** `t` emptied for a new item's response: every field stored in one order, so the object keeps one shape. */
function reset(t: AuditTrace, response: string): AuditTrace {
  t.response = response;
  t.text = undefined;
  t.thinkEnd = undefined;
  t.answerAreaLength = undefined;
  t.choice = undefined;
  t.answers = undefined;
  t.predictions = undefined;
  t.distinctLines = undefined;
  t.bestReference = undefined;
  t.mathWindow = undefined;
  t.mathAnswerStart = undefined;
  t.mathAnswerEnd = undefined;
  return t;
}

/**
 * The trace of the item being scored: one object, reset per item (scoring is synchronous). Plain
 * stores, not Object.assign from an empty record: that took ~0.5 µs per item, a tenth of a cheap scorer's time.
 */
const current: AuditTrace = reset({ response: '' }, '');

/** The trace, emptied for a new item. */
export const freshTrace = (response: string): AuditTrace => reset(current, response);
