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

/**
 * A new trace for an item's response, every field present in one order (one shape for every
 * item). A new object per item, not one reused object reset per item: the reused object lived in
 * the old generation, so each young value a scorer stored into it (the text after </think>, the
 * normalised lines) went through the write barrier's slow path (a remembered-set insert), which
 * cost more CPU time per item than allocating the object does.
 */
export function freshTrace(response: string): AuditTrace {
  return {
    response,
    text: undefined,
    thinkEnd: undefined,
    answerAreaLength: undefined,
    choice: undefined,
    answers: undefined,
    predictions: undefined,
    distinctLines: undefined,
    bestReference: undefined,
    mathWindow: undefined,
    mathAnswerStart: undefined,
    mathAnswerEnd: undefined,
  };
}
