// Shared result and error types of the scorer library.
import type { AuditFinding } from './audit/flags.js';
import type { AuditTrace } from './audit/trace.js';

/** Stable machine codes for per-item errors. Clients switch on these; never rename one. */
export type ItemErrorCode =
  | 'unknown_data_source' // verl row whose data_source the GoLongRL dispatcher does not route
  | 'unknown_task' // native task name or LongBench-Pro sub-task that does not exist
  | 'bad_ground_truth' // ground truth of a shape the reference raises on
  | 'bad_item' // the item itself is malformed (missing fields, wrong types, unparsable line)
  | 'judge_required' // the reference would call an LLM judge, which this service does not have
  | 'timeout' // the item exceeded its time budget
  | 'worker_crashed' // the worker scoring this item died
  | 'input_too_large' // a string exceeds the configured per-item limit
  | 'internal_error'; // a bug in this service; reported, never thrown

/** Each error code in words, for people reading summaries (CLI table, reports). */
export const ITEM_ERROR_MEANINGS: Readonly<Record<ItemErrorCode, string>> = {
  unknown_data_source: "the verl row's data_source is routed to no scorer (a typo, or a dataset this service does not serve)",
  unknown_task: 'the native task or LongBench-Pro sub-task (extra_info.reward_mode) does not exist',
  bad_ground_truth: 'the ground truth has a shape the reference raises on (a missing key, a wrong type, an empty list)',
  bad_item: 'the item is malformed: not valid JSON, not an object, or a missing or wrongly typed field',
  judge_required: "the reference would ask its LLM judge, which this service does not run",
  timeout: 'the item ran past its time budget',
  worker_crashed: 'the worker thread scoring the item died',
  input_too_large: 'a response is longer than the configured limit',
  internal_error: 'a bug in golong-reward (please report it with the item)',
};

export interface ItemError {
  code: ItemErrorCode;
  message: string;
  /** The item field at fault, as a dotted path (`ground_truth.doc_ids`, `options.language`), when one is. */
  field?: string;
}

/** What a scorer function returns: a score in [0, 1] plus optional explanation. */
export interface ScorerOutput {
  score: number;
  /** Why the score is what it is (extracted answers, matched lines, LCS sizes, deciding rule). */
  details?: Record<string, unknown>;
  /** Non-fatal problems, e.g. `bad_ground_truth: doc_ids is a string`. */
  warnings?: string[];
}

/** Thrown inside the library to turn an item into a typed error; caught by scoreItem. */
export class ScoreFailure extends Error {
  constructor(
    readonly code: ItemErrorCode,
    message: string,
    /** The item field at fault (dotted path), shown by the reward debugger. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ScoreFailure';
  }
}

/** Per-item execution context passed to every scorer. */
export interface ScoreContext {
  /** Collect `details` (the reward debugger); off on the hot path. */
  details: boolean;
  /** performance.now() value after which long-running scorers must throw ScoreFailure('timeout'). */
  deadline: number;
  /** Set when the item is audited: scorers leave what they computed here (audit/trace.ts). */
  audit?: AuditTrace;
}

/** The result of one item, as the CLI and the HTTP API return it. */
export interface ItemResult {
  id?: string | number;
  score: number | null;
  reward_type?: string;
  scorer?: string;
  details?: Record<string, unknown>;
  warnings?: string[];
  error?: ItemError;
  /** With the audit on: the flags the response raised (absent when none). */
  audit?: AuditFinding[];
  /** With an audit penalty applied: the reference's score, which `score` replaced. */
  reference_score?: number;
}

/** Throws ScoreFailure('timeout') once the context's deadline has passed. Cheap: call it in loops. */
export function checkDeadline(ctx: ScoreContext): void {
  if (performance.now() > ctx.deadline) throw new ScoreFailure('timeout', 'item exceeded its time budget');
}
