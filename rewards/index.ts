// Public entry points of the scorer library: one item in, one result out, never a throw.
import { applyPenalties, auditTrace, freshTrace, nothingToAudit, type AuditFinding, type AuditPenalties, type AuditTrace } from './audit/index.js';
import { knownTaskNames, resolveTask } from './registry.js';
import { compactName, didYouMean } from './suggest.js';
import { afterLast } from './text.js';
import { ScoreFailure, type ItemResult, type ScoreContext, type ScorerOutput } from './types.js';
import { checkVerlRowFields, withExpectedShape } from './verlRowFields.js';
import { scoreVerlRow, thinkGateDetails, thinkGateFailure, typeName, VERL_DATA_SOURCES, verlRouteOf } from './verlRouting.js';

export * from './types.js';
export { describeTasks, SEMANTICS, type TasksDescription } from './registry.js';
export { clearResponseCaches, clearScorerCaches } from './lruCache.js';
export { AUDIT_FLAGS, AUDIT_FLAG_NAMES, flagsForScorer, PENALTY_SEMANTICS_SUFFIX, type AuditFinding, type AuditFlagName, type AuditPenalties } from './audit/index.js';

export const DEFAULT_ITEM_TIMEOUT_MS = 2000;

export interface ScoreItemOptions {
  /** Add per-item explanations (`details`). */
  details?: boolean;
  /** Per-item time budget in milliseconds (default 2000). */
  timeoutMs?: number;
  /** Run the reward-hacking audit: flagged items get `audit` (rewards/audit/flags.ts). */
  audit?: boolean;
  /** With the audit: `{flag: value}` caps the score of an item with that flag (implies `audit`). */
  auditPenalty?: AuditPenalties;
}

const NATIVE_FIELDS = new Set(['id', 'uid', 'task', 'response', 'reference', 'options']);
const THINK_MODES = new Set(['none', 'strip', 'gate']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A native item's response after its `think` option is applied, or a gate failure reason. */
function applyThinkOption(response: string, think: unknown): { text: string; gateFailure?: string } {
  if (think === undefined || think === 'none') return { text: response };
  if (typeof think !== 'string' || !THINK_MODES.has(think)) {
    throw new ScoreFailure('bad_item', `options.think must be "none", "strip" or "gate", not ${JSON.stringify(think)}${didYouMean(think, [...THINK_MODES])}`, 'options.think');
  }
  if (think === 'gate') {
    const gateFailure = thinkGateFailure(response);
    if (gateFailure) return { text: '', gateFailure };
  }
  return { text: afterLast(response, '</think>') };
}

const NATIVE_FORM = 'a native item is {task, response, reference, options}';


/** An unknown native task: the likely name, or that it is a verl data_source, then the known names. */
export function unknownTaskMessage(task: string): string {
  const known = knownTaskNames();
  let hint = didYouMean(task, known);
  const route = verlRouteOf(task) ?? VERL_DATA_SOURCES.find((r) => compactName(r.data_source) === compactName(task));
  if (hint === '' && route) {
    const subTask = route.data_source === 'longbench_pro' ? ', or name a LongBench-Pro sub-task as the task' : '';
    hint = ` (${JSON.stringify(task)} is a verl data_source: send a verl row {data_source, solution_str, ground_truth, extra_info} instead${subTask})`;
  }
  return `unknown task ${JSON.stringify(task)}${hint}; known: ${known.join(', ')}`;
}

function scoreNative(item: Record<string, unknown>, ctx: ScoreContext): ScorerOutput & { scorer: string; reward_type: string } {
  const { task, response } = item;
  if (typeof task !== 'string') throw new ScoreFailure('bad_item', 'task must be a string naming a scorer, a reward type or a LongBench-Pro sub-task', 'task');
  const resolved = resolveTask(task);
  if (!resolved) throw new ScoreFailure('unknown_task', unknownTaskMessage(task), 'task');
  if (typeof response !== 'string') {
    if (response === undefined && 'solution_str' in item) {
      throw new ScoreFailure('bad_item', 'response is missing: native items (with task) carry the text in response; "solution_str" is the verl rows\' field ({data_source, solution_str, ground_truth, extra_info})', 'response');
    }
    throw new ScoreFailure('bad_item', response === undefined ? `response is missing; ${NATIVE_FORM}` : `response must be a string, not ${typeName(response)}`, 'response');
  }
  if (!('reference' in item)) {
    const hint = 'ground_truth' in item ? ': native items carry the gold answer in reference; "ground_truth" is the verl rows\' field' : `; ${NATIVE_FORM}`;
    throw new ScoreFailure('bad_item', `reference is missing${hint} (${resolved.entry.name} takes ${resolved.entry.reference})`, 'reference');
  }
  const unknownField = Object.keys(item).find((k) => !NATIVE_FIELDS.has(k));
  if (unknownField) {
    throw new ScoreFailure('bad_item', `unknown field ${JSON.stringify(unknownField)}${didYouMean(unknownField, [...NATIVE_FIELDS])} in a native item (fields: ${[...NATIVE_FIELDS].join(', ')})`, unknownField);
  }
  const options = item.options ?? {};
  if (!isRecord(options)) throw new ScoreFailure('bad_item', 'options must be an object', 'options');
  const { entry, rewardType } = resolved;
  const unknownOption = Object.keys(options).find((k) => !Object.hasOwn(entry.options, k));
  if (unknownOption) {
    throw new ScoreFailure(
      'bad_item',
      `option ${JSON.stringify(unknownOption)}${didYouMean(unknownOption, Object.keys(entry.options))} does not apply to ${entry.name} (its options: ${Object.keys(entry.options).join(', ')})`,
    );
  }
  const { text, gateFailure } = applyThinkOption(response, options.think);
  const base = { scorer: entry.name, reward_type: rewardType };
  if (gateFailure) return { ...base, score: 0, ...(ctx.details && { details: thinkGateDetails(response, gateFailure) }) };
  if (ctx.audit) ctx.audit.text = text;
  try {
    return Object.assign(base, entry.scoreNative(text, item.reference, options, ctx));
  } catch (err) {
    // The scorers name verl's fields; a native item holds the same value in `reference`.
    if (err instanceof ScoreFailure && err.field?.startsWith('ground_truth')) throw new ScoreFailure(err.code, err.message, 'reference');
    throw err;
  }
}

/** A new trace for the item's response, when it has one (the audit then runs on it). */
function auditTraceOf(item: unknown): AuditTrace | undefined {
  if (!isRecord(item)) return undefined;
  const response = 'data_source' in item ? item.solution_str : item.response;
  return typeof response === 'string' ? freshTrace(response) : undefined;
}

/** A flagged result: its findings, and the penalties asked for applied. */
function withFindings(result: ItemResult & { score: number }, found: readonly AuditFinding[], penalties: AuditPenalties | undefined): void {
  const findings = found as AuditFinding[]; // a fresh list whenever it is not empty
  result.audit = findings;
  const penalized = penalties && applyPenalties(result.score, findings, penalties);
  if (penalized) {
    result.score = penalized.score;
    result.reference_score = penalized.referenceScore;
  }
}

/** The item's own id: its `id` field when that is a string or a number (results carry it). */
export function itemId(item: unknown): string | number | undefined {
  if (!isRecord(item)) return undefined;
  const id = item.id;
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}

/**
 * Scores one item: a verl row ({data_source, solution_str, ground_truth, extra_info}) or a native
 * item ({task, response, reference, options}). Never throws: failures become `error` results.
 * The result carries the item's `id` when it has one.
 */
export function scoreItem(item: unknown, options: ScoreItemOptions = {}): ItemResult {
  const id = itemId(item);
  const trace = options.audit || options.auditPenalty ? auditTraceOf(item) : undefined;
  // One shape whether audited or not: scorers' property reads stay monomorphic.
  const ctx: ScoreContext = {
    details: options.details === true,
    deadline: performance.now() + (options.timeoutMs ?? DEFAULT_ITEM_TIMEOUT_MS),
    audit: trace,
  };
  try {
    if (!isRecord(item)) {
      const jsonText = typeof item === 'string' && /^\s*\{/.test(item) ? '; this one is a string holding JSON text: send the object itself, not its serialisation' : '';
      throw new ScoreFailure('bad_item', `an item must be a JSON object${jsonText}`);
    }
    if (item.id !== undefined && id === undefined) throw new ScoreFailure('bad_item', 'id must be a string or a number', 'id');
    let out: ScorerOutput & { scorer: string; reward_type: string };
    if ('data_source' in item) {
      checkVerlRowFields(item);
      try {
        out = scoreVerlRow(item as { data_source: unknown; solution_str: unknown }, ctx);
      } catch (err) {
        throw err instanceof ScoreFailure ? withExpectedShape(err, item) : err;
      }
    }
    else if ('task' in item) out = scoreNative(item, ctx);
    else throw new ScoreFailure('bad_item', 'an item needs either data_source and solution_str (verl row) or task, response and reference (native form)');
    if (!(out.score >= 0 && out.score <= 1)) throw new ScoreFailure('internal_error', `scorer ${out.scorer} produced ${out.score}, outside [0, 1]`);
    const result: ItemResult & { score: number } = { score: out.score, reward_type: out.reward_type, scorer: out.scorer };
    if (ctx.details && out.details) result.details = out.details;
    if (out.warnings?.length) result.warnings = out.warnings;
    if (trace && !nothingToAudit(out.scorer, trace)) {
      // Here rather than in a function of its own: most items raise nothing, and the call was a
      // tenth of the audit's time on a cheap item whenever V8 did not inline it.
      const found = auditTrace(out.scorer, out.score, trace);
      if (found.length > 0) withFindings(result, found, options.auditPenalty);
    }
    return withId(id, result);
  } catch (err) {
    if (err instanceof ScoreFailure) return withId(id, { score: null, error: { code: err.code, message: err.message, ...(err.field !== undefined && { field: err.field }) } });
    // A RangeError from a pathological input (stack, string length) is still this item's alone.
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return withId(id, { score: null, error: { code: 'internal_error', message } });
  }
}

/**
 * The result with the item's id first, when it has one. A function of its own, not a closure made
 * in scoreItem: a closure created per item went through V8's CompileLazy on every call (~4 % of a
 * cheap EM row).
 */
function withId(id: string | number | undefined, r: ItemResult): ItemResult {
  return id === undefined ? r : { id, ...r };
}

/**
 * Loads what the first item would otherwise pay for inside its time budget: jieba's dictionary
 * (a second or more on a busy machine) and the math code. Scoring threads call it before taking
 * work; so do the CLI commands that score in their own thread.
 */
export function warmUp(): void {
  // A generous budget: on a busy machine the dictionary alone can take longer than an item's.
  const options = { timeoutMs: 600_000 };
  scoreItem({ task: 'rouge_l', response: '今天的天气很好，我们去公园散步。', reference: ['今天天气不错，我们去公园。'], options: { language: 'zh' } }, options);
  scoreItem({ task: 'math_verify', response: 'The answer is \\boxed{\\frac{1}{2}}.', reference: '0.5' }, options);
  // The math extraction regexes compile (and tier up) on first use; the first item of a batch
  // that needed them took up to half a second on a loaded machine. One pass over the main answer
  // shapes per math scorer pays for that here instead.
  for (const task of ['math_verify', 'math_verify_metric', 'minerva']) {
    for (const response of ['Final Answer: The final answer is $−3$. I hope it is correct.', 'Answer: −36', 'so x = 3/4, 1,000 or \\(y\\)', 'the final answer is \\[ \\sqrt{2} \\]']) {
      scoreItem({ task, response, reference: '-3' }, options);
    }
  }
}
