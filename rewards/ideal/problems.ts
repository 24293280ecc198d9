// What the dataset check reports about a row: stable problem codes (clients switch on them; never
// rename one), how bad each is, and the shape of a checked row.

/**
 * How much a problem costs a training run:
 * - `fatal`: every rollout of the prompt scores 0 or is an item error, whatever the policy writes;
 * - `capped`: even the ideal response scores below the scorer's best;
 * - `warning`: the ideal scores the best, but the ground truth is odd enough that rollouts are
 *   scored in a way its author probably did not intend.
 */
export type Severity = 'fatal' | 'capped' | 'warning';

/** Every problem code, with its severity and a line for the documentation (README, GET /tasks). */
export const PROBLEM_CODES = {
  not_json: { severity: 'fatal', doc: 'the line is not valid JSON' },
  not_an_object: { severity: 'fatal', doc: 'the row is not a JSON object' },
  no_data_source: { severity: 'fatal', doc: 'data_source is missing or not a string' },
  unknown_data_source: { severity: 'fatal', doc: 'the dispatcher has no route for the data_source (the reference raises NotImplementedError)' },
  unknown_task: { severity: 'fatal', doc: 'LongBench-Pro extra_info.reward_mode is not one of the 25 sub-tasks (the reference raises ValueError)' },
  bad_extra_info: { severity: 'fatal', doc: 'extra_info lacks a field the route reads (the reference raises KeyError or TypeError)' },
  bad_ground_truth: { severity: 'fatal', doc: 'the ground truth has a shape the reference raises on (KeyError, TypeError, AttributeError, IndexError)' },
  judge_required: { severity: 'fatal', doc: 'the reward mode needs the LLM judge for every rollout that is not an exact copy (the reference raises NotImplementedError)' },
  no_answers: { severity: 'fatal', doc: 'LongBench-Pro doc_ids is empty: the reference scores every rollout 0' },
  non_string_answer: { severity: 'fatal', doc: 'LongBench-Pro doc_ids holds a non-string: the metric raises inside its try and scores 0' },
  too_few_answers: { severity: 'fatal', doc: 'Pairwise_Accuracy with fewer than two answers: every rollout scores 0' },
  summary_unscorable: { severity: 'fatal', doc: 'a Summary reference has no sentence (empty or only dots): py-rouge raises, every rollout scores 0' },
  summary_sentence_too_long: { severity: 'fatal', doc: "a Summary reference sentence is so long that py-rouge's recursive LCS overflows Python's stack for responses close to it" },
  gold_not_json: { severity: 'fatal', doc: 'the table golden_label is not a JSON string: every rollout scores 0' },
  no_gold_rows: { severity: 'fatal', doc: 'the gold table has no rows: every rollout scores 0' },
  gold_not_a_table: { severity: 'fatal', doc: 'the gold table\'s "data" is not a list of rows' },
  label_not_a_choice: { severity: 'fatal', doc: 'the selection label is not a letter A-D (nor a text naming one): every rollout scores 0' },
  doc_ids_unmatchable: { severity: 'fatal', doc: 'retrieval_calculate doc_ids cannot equal the <|doc_N|> ids a response cites: every rollout scores 0' },
  math_gold_unparseable: { severity: 'fatal', doc: 'Math-Verify cannot read the math gold: \\boxed{gold} scores 0, so every rollout does' },
  answer_line_unmatchable: {
    severity: 'fatal',
    doc: 'no "Answer:" line can equal the Minerva (math_dapo) gold after normalize_final_answer: it keeps a line break, or is too long for the last 500 code points',
  },

  gold_split_by_think: { severity: 'fatal', doc: 'the answer contains </think> and the route scores only the text after the last </think>: no response can hold the whole answer' },
  ideal_below_best: { severity: 'capped', doc: 'the ideal response scores below the scorer\'s best for a reason not named by another code' },
  duplicate_answers: { severity: 'capped', doc: 'repeated answers keep a ranking metric (NDCG, Pairwise_Accuracy) below its best' },
  answer_contains_marker: { severity: 'capped', doc: 'an answer contains "[Answer]", which cuts the answer area' },
  empty_answer: { severity: 'capped', doc: 'an answer is empty after whitespace folding: only an empty line inside the answer can match it' },
  math_gold_words: { severity: 'warning', doc: 'the math gold mixes words with a number: Math-Verify reads the words as a product of letters, so only a verbatim copy scores 1' },
  language_mismatch: { severity: 'warning', doc: 'a Chinese Summary reference whose ground_truth.summary is not "Chinese": no jieba segmentation, partial overlaps score 0' },
  gold_contains_think_tag: { severity: 'warning', doc: 'the answer contains <think> or </think>: a response that closes its think section and then writes it fails the think gate' },
  empty_label: {
    severity: 'warning',
    doc: 'the EM golden_label is empty, or the Minerva gold normalises to nothing: a rollout that answers nothing (EM) or writes an "Answer:" line that normalises away (Minerva) scores 1',
  },
  odd_ground_truth: { severity: 'warning', doc: 'the reference still computes a number from an odd ground truth (a string iterated by character, an object by key)' },
  check_failed: { severity: 'fatal', doc: 'the check itself could not finish (time budget, crash): check the row by hand' },
} as const satisfies Record<string, { severity: Severity; doc: string }>;

export type ProblemCode = keyof typeof PROBLEM_CODES;

export interface Problem {
  problem: ProblemCode;
  severity: Severity;
  message: string;
}

export function problem(code: ProblemCode, message: string): Problem {
  return { problem: code, severity: PROBLEM_CODES[code].severity, message };
}

/** The outcome of checking one dataset row. */
export interface RowCheck {
  /** The row's `id` when it has one (string or number); the caller fills in its position otherwise. */
  id?: string | number;
  data_source?: string;
  /** LongBench-Pro sub-task (extra_info.reward_mode), as given. */
  subtask?: string;
  reward_type?: string;
  scorer?: string;
  /** What the ideal response scored; null when it could not be scored (an item error). */
  ideal_score: number | null;
  /** The most the scorer can give (1, or ROUGE-L's 2/(2+1e-8)); null when the row has no route. */
  best_score: number | null;
  /** Most severe first; empty for a fine row. */
  problems: Problem[];
  /** The ideal response that was scored, when asked for (absent when none could be built). */
  ideal_response?: string;
}

/**
 * The JSON line reported for a row with a problem (CLI output and POST /check alike): the first
 * (most severe) problem at top level, every problem in `problems` when there are several.
 */
export interface ProblemLine {
  index: number;
  id: string | number;
  data_source: string | null;
  subtask?: string;
  reward_type: string | null;
  scorer: string | null;
  problem: ProblemCode;
  severity: Severity;
  message: string;
  ideal_score: number | null;
  best_score: number | null;
  problems?: Problem[];
  ideal_response?: string;
}

const SEVERITY_ORDER: Record<Severity, number> = { fatal: 0, capped: 1, warning: 2 };

/** Most severe first; equal severities keep the order they were found in. */
export function sortProblems(problems: Problem[]): Problem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => SEVERITY_ORDER[a.p.severity] - SEVERITY_ORDER[b.p.severity] || a.i - b.i)
    .map(({ p }) => p);
}

/** The reported line of a checked row, or undefined when the row is fine. */
export function problemLine(check: RowCheck, index: number): ProblemLine | undefined {
  const [first, ...rest] = check.problems;
  if (!first) return undefined;
  return {
    index,
    id: check.id ?? index,
    data_source: check.data_source ?? null,
    ...(check.subtask !== undefined && { subtask: check.subtask }),
    reward_type: check.reward_type ?? null,
    scorer: check.scorer ?? null,
    problem: first.problem,
    severity: first.severity,
    message: first.message,
    ideal_score: check.ideal_score,
    best_score: check.best_score,
    ...(rest.length > 0 && { problems: check.problems }),
    ...(check.ideal_response !== undefined && { ideal_response: check.ideal_response }),
  };
}

/** A row whose check never came back (its worker thread hung or died), from the pool's item error. */
export function lostRowCheck(result: { id?: string | number; error?: { code: string; message: string } }): RowCheck {
  const why = result.error ? `${result.error.code}: ${result.error.message}` : 'no result';
  return { ...(result.id !== undefined && { id: result.id }), ideal_score: null, best_score: null, problems: [problem('check_failed', `the check could not finish (${why})`)] };
}
