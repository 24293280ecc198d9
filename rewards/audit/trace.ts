// What a scorer leaves for the audit while it scores (only when the audit is on): references to
// values it computed anyway, so the audit re-does none of the scorer's work.

export interface AuditTrace {
  /** The response as given (solution_str or response). */
  response: string;
  /** The text the scorer read: the response, or its part after </think> (dispatcher, think option). */
  text?: string;
  /** Where the response's last </think> starts (-1: none), when the think gate already found it. */
  thinkEnd?: number;
  /** LongBench-Pro line metrics: length of the answer area (stripped text after the last marker) in `text`. */
  answerAreaLength?: number;
  /** choice: every letter asserted, and where the deciding phrase is in the text without "*" (-1: none). */
  choice?: { letters: string[]; deciding: number; parenthesised: boolean; starsRemoved: boolean };
  /** LongBench-Pro: the normalised references. */
  answers?: readonly string[];
  /** LongBench-Pro line metrics: the normalised answer lines (empty ones included). */
  predictions?: readonly string[];
  /** NDCG: distinct answer lines (empty included), as the ranking collapsed them. */
  distinctLines?: number;
  /** Summary: index of the reference with the best ROUGE-L F (-1 when none was scored). */
  bestReference?: number;
  /** math_verify: the text Math-Verify parsed (the last 500 code points of what it was given)... */
  mathWindow?: string;
  /** ...and where in it the match that gave the extracted answer starts and ends (-1 when nothing was extracted). */
  mathAnswerStart?: number;
  mathAnswerEnd?: number;
}

/** A trace with every field present (one object shape, fields filled in place by the scorers). */
export function emptyTrace(response: string): AuditTrace {
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
