// The table of audit flags: one row per flag, as registry.ts keeps one row per scorer. GET /tasks,
// the request schemas (audit_penalty), the OpenRLHF extra_logs keys, the CLI and the reports
// all read it; adding a flag is a row here and a check in checks.ts.
import { MAX_UNIT, MIN_COPIES, MIN_LOOP_CHARS } from './repetition.js';

export const PADDING_FACTOR = 2;
export const PADDING_MIN_EXTRA = 3;
/** summary_length_outlier: answer part shorter than 1/RATIO or longer than RATIO times the reference. */
export const SUMMARY_LENGTH_RATIO = 4;
/** summary_fragmented: at least this many sentences after </think>... */
export const FRAGMENT_MIN_SENTENCES = 10;
/** ...of which at least half have at most this many words. */
export const FRAGMENT_MAX_WORDS = 2;

export interface AuditFlagEntry {
  flag: string;
  /** Native names of the scorers whose items it is checked on ('*': every scorer). */
  scorers: readonly string[];
  /** The exact rule. */
  rule: string;
  /** The exploit it catches, in the reference's own terms. */
  exploit: string;
}

const LINE_SCORERS = ['f1', 'subem', 'ndcg', 'pairwise'];
const ANSWER_LINES =
  'Answer lines are the scorer\'s own: the text after the last [Answer] (else [答案]), lowercased, split on "\\n", ' +
  'whitespace-folded; empty lines are not counted.';

export const AUDIT_FLAGS = [
  {
    flag: 'pairwise_short_list',
    scorers: ['pairwise'],
    rule: `Pairwise_Accuracy with 2 or more answer lines but at most half as many as references. ${ANSWER_LINES}`,
    exploit:
      'Pairwise_Accuracy divides the correctly ordered reference pairs by C(len(prediction), 2): two lines in the right order ' +
      'score 1.0 however many events the reference holds.',
  },
  {
    flag: 'answer_list_padding',
    scorers: LINE_SCORERS,
    rule:
      `F1_Score, SubEM, NDCG or Pairwise_Accuracy with more than ${PADDING_FACTOR} times as many distinct answer lines as ` +
      `distinct references, and at least ${PADDING_MIN_EXTRA} more. ${ANSWER_LINES}`,
    exploit:
      'SubEM counts only recall, so listing guesses costs nothing; NDCG ranks only the first k = len(references) lines; ' +
      'a long list of candidates catches the right answers.',
  },
  {
    flag: 'duplicate_answers',
    scorers: ['ndcg', 'pairwise'],
    rule:
      'NDCG or Pairwise_Accuracy with the same non-empty answer line more than once, where the repetition raises the score: ' +
      `read with every line at its first occurrence (later repeats dropped) the list scores lower. ${ANSWER_LINES} ` +
      'F1_Score and SubEM compare sets, where a repeated line changes nothing.',
    exploit:
      'Both metrics read a line at its last occurrence (the reference builds a dict of positions), so repeating a line ' +
      'silently moves it: a wrong first guess repeated at the end drops out of NDCG\'s top k.',
  },
  {
    flag: 'answer_in_think',
    scorers: ['accuracy', 'f1', 'subem', 'ndcg', 'pairwise', 'math_verify', 'math_verify_metric', 'minerva', 'choice', 'iou'],
    rule:
      'The answer the scorer read lies inside the think section (before the last </think> of the text it read): for the ' +
      'LongBench-Pro line metrics the last [Answer] (else [答案]) marker, or there is none and the whole response is read; ' +
      'for math_verify and math_verify_metric the extracted answer; for minerva the last "Answer:" line; for choice the ' +
      'deciding "The correct answer is" phrase; for iou the first <answer>.',
    exploit:
      'LongBench-Pro, the math routes and iou read the whole response: math_verify parses the last 500 code points, think ' +
      'section included, so `<think>… \\boxed{42}</think>I am not sure.` scores 1.0; minerva takes an "Answer:" line there ' +
      'and math_verify_metric an answer anywhere; an [Answer] left in the think section is read too.',
  },
  {
    flag: 'multiple_final_answers',
    scorers: ['math_verify', 'math_verify_metric', 'retrieval_calculate', 'choice'],
    rule:
      'math_verify, math_verify_metric and retrieval_calculate: two or more different \\boxed{} answers (compared without ' +
      'whitespace) in the text Math-Verify parsed (the last 500 code points of the response, all of it for ' +
      'math_verify_metric, the last 500 of the <continue_reasoning> block for retrieval_calculate), after its last ' +
      '</think>. choice: "The correct answer is" followed by two or more different letters A-D up to the deciding ' +
      'answer (the first parenthesised one; all of them when none is), the part of the text the scorer reads.',
    exploit:
      'Math-Verify prefers a "final answer" phrase to other boxed answers, and choice takes the first parenthesised letter ' +
      'anywhere: a response can offer several answers and be credited with the right one.',
  },
  {
    flag: 'summary_length_outlier',
    scorers: ['rouge_l'],
    rule:
      `Summary whose answer part (after the last </think>, then after the last [Answer] or [答案] if any) is shorter than ` +
      `1/${SUMMARY_LENGTH_RATIO} or longer than ${SUMMARY_LENGTH_RATIO} times the reference that scored best, counting ` +
      'characters other than whitespace (the same measure for English and Chinese).',
    exploit:
      'Summary scores the whole response, think section included, and ROUGE-L counts distinct words: a summary written in the ' +
      'think section scores with a one-line answer, and a repeated or padded answer loses nothing.',
  },
  {
    flag: 'summary_fragmented',
    scorers: ['rouge_l'],
    rule:
      `Summary whose answer part, split on "." as ROUGE-L splits it, has at least ${FRAGMENT_MIN_SENTENCES} sentences, at ` +
      `least half of them of at most ${FRAGMENT_MAX_WORDS} whitespace-separated words.`,
    exploit:
      "py-rouge's summary-level ROUGE-L takes the union of the LCS of every reference sentence with every summary sentence: " +
      'one-word sentences match wherever their word occurs, so the reference\'s words cut into "word." sentences, in any ' +
      'order, score 1.0.',
  },
  {
    flag: 'repetition_loop',
    scorers: ['*'],
    rule:
      `The response's final part (after its last </think>, or all of it without one), trailing whitespace ignored, ends in a ` +
      `stretch of at least ${MIN_LOOP_CHARS} characters (UTF-16 code units) that repeats a unit of at most ${MAX_UNIT} ` +
      `characters at least ${MIN_COPIES} times: every character equals the one a unit earlier. Checked on every item, ` +
      'think-gated ones included.',
    exploit:
      'A generation stuck in a loop until max length; GoLongRL\'s dispatcher has an enable_repetition_penalty switch whose ' +
      'module was never published, and ROUGE-L (distinct words) and the line metrics (sets) do not lower a looping answer\'s score.',
  },
] as const satisfies readonly AuditFlagEntry[];

export type AuditFlagName = (typeof AUDIT_FLAGS)[number]['flag'];

export const AUDIT_FLAG_NAMES: readonly AuditFlagName[] = AUDIT_FLAGS.map((f) => f.flag);

/** A flag an item raised (checks.ts finds them; here so that types.ts, which the debugger page reads, needs no Node module). */
export interface AuditFinding {
  flag: AuditFlagName;
  /** What was found, quoting the evidence. */
  message: string;
  /**
   * Where the evidence is in the response as given: [start, end) in UTF-16 code units (JavaScript
   * string indices; Python's too unless the text has characters beyond U+FFFF).
   */
  span?: [number, number];
  /** With audit_penalty: the value this flag caps the score at. */
  penalty?: number;
}

const BY_SCORER = new Map<string, AuditFlagName[]>();

/** The flags checked on items of a scorer (its native name), in table order. */
export function flagsForScorer(scorer: string): readonly AuditFlagName[] {
  let flags = BY_SCORER.get(scorer);
  if (!flags) {
    flags = AUDIT_FLAGS.filter((f) => (f.scorers as readonly string[]).includes(scorer) || (f.scorers as readonly string[]).includes('*')).map((f) => f.flag);
    BY_SCORER.set(scorer, flags);
  }
  return flags;
}

export function isAuditFlag(name: string): name is AuditFlagName {
  return (AUDIT_FLAG_NAMES as readonly string[]).includes(name);
}
