// GoLongRL's verl dispatcher (verl/utils/reward_score/__init__.py::default_compute_score): the think
// gate, routing on data_source, and the ground-truth shapes each branch expects. Where the
// reference raises, we return a typed error; where it still computes a number from an odd
// ground truth, we return that number.
import { LBP_METRIC_SCORER, LBP_SUBTASK_METRIC, scoreLongBenchPro, type LbpMetric } from './longbenchPro.js';
import { choiceScore } from './scorers/choice.js';
import { emScore } from './scorers/em.js';
import { iouScore } from './scorers/iou.js';
import { mathVerifyScore } from './scorers/mathVerify.js';
import { mathVerifyMetricScore } from './scorers/mathVerifyMetric.js';
import { minervaScore } from './scorers/minerva.js';
import { retrievalCalculateScore } from './scorers/retrievalCalculate.js';
import { pyGetItem, pyMemberTypeName } from './pyjson.js';
import { didYouMean, unknownDataSourceMessage } from './suggest.js';
import { afterLast, pyCount } from './text.js';
import { ScoreFailure, type ScoreContext, type ScorerOutput } from './types.js';

export interface VerlRoute {
  data_source: string;
  match: 'exact' | 'prefix' | 'contains';
  scorer: string;
  reward_type: string;
  response: string;
  /** The ground_truth this route reads (GET /tasks and the messages for a bad one show it). */
  ground_truth: string;
  /** The extra_info it reads; 'not read' when none. */
  extra_info: string;
}

/** Routes that take `ground_truth[-1]` when the ground truth is a list. */
const LAST_OF_LIST = ' (a list: its last element is used)';

const MINERVA_ROUTE = {
  match: 'exact',
  scorer: 'minerva',
  reward_type: 'the data_source',
  response: 'last 500 code points of the whole solution_str',
  ground_truth: '"<answer string>" (normalised like the Answer: line; not a list)',
  extra_info: 'not read',
} as const;
const METRIC_ROUTE = {
  match: 'prefix',
  scorer: 'math_verify_metric',
  reward_type: 'the data_source',
  response: 'whole solution_str',
  ground_truth: '"<answer, LaTeX, without \\boxed{}>" (a string only)',
  extra_info: 'not read',
} as const;

/**
 * The routing table, in the dispatcher's order: the first rule that matches decides, so a
 * data_source starting with "aime" goes to math_verify_metric whatever else it contains, and
 * substrings are checked after every exact name.
 */
export const VERL_DATA_SOURCES: readonly VerlRoute[] = [
  { data_source: 'MATH##', ...METRIC_ROUTE },
  { data_source: 'aime', ...METRIC_ROUTE },
  ...['math_dapo', 'math', 'math_dapo_reasoning'].map((name): VerlRoute => ({ data_source: name, ...MINERVA_ROUTE })),
  {
    data_source: 'math_dapo_math_verify', match: 'exact', scorer: 'math_verify', reward_type: 'the data_source', response: 'whole solution_str',
    ground_truth: '"<answer, LaTeX or plain, without \\boxed{}>" or ["<answer>", ...] (any of them)',
    extra_info: 'not read',
  },
  { data_source: 'math_longcot', ...MINERVA_ROUTE },
  {
    data_source: 'longbench_pro', match: 'exact', scorer: 'by extra_info.reward_mode', reward_type: 'the sub-task metric', response: 'whole solution_str',
    ground_truth: '{"doc_ids": ["<answer line>", ...], "summary": "English" or "Chinese"}' + LAST_OF_LIST,
    extra_info: '{"reward_mode": "<LongBench-Pro sub-task, e.g. T5.1 Full-Sentence Citation Alignment>"}',
  },
  {
    data_source: 'multitableqa_pretraining', match: 'exact', scorer: 'iou', reward_type: 'multitableqa_pretraining', response: 'whole solution_str',
    ground_truth: '{"golden_label": "<the gold table as JSON text: {\\"data\\": [[cell, ...], ...]}>"}',
    extra_info: 'not read',
  },
  {
    data_source: 'retrieval_calculate', match: 'exact', scorer: 'retrieval_calculate', reward_type: 'retrieval_calculate', response: 'after </think>',
    ground_truth: '{"doc_ids": ["<|doc_3|>", ...], "golden_label": "<answer>"}' + LAST_OF_LIST,
    extra_info: 'not read',
  },
  {
    data_source: 'selection', match: 'exact', scorer: 'choice', reward_type: 'selection', response: 'after </think>',
    ground_truth: '{"golden_label": "<A, B, C or D, or a text containing The correct answer is (X)>"}' + LAST_OF_LIST,
    extra_info: 'not read',
  },
  {
    data_source: 'EM', match: 'exact', scorer: 'em', reward_type: 'EM', response: 'after </think>',
    ground_truth: '{"golden_label": "<answer>"}' + LAST_OF_LIST,
    extra_info: 'not read',
  },
  {
    data_source: 'math_longcot_math_verify', match: 'contains', scorer: 'math_verify', reward_type: 'the data_source', response: 'whole solution_str',
    ground_truth: '"<answer, LaTeX or plain, without \\boxed{}>" or {"golden_label": "<answer>"}' + LAST_OF_LIST,
    extra_info: 'not read',
  },
  ...['model_verify', 'retrieval_summary_calculate', 'model_judge', 'retrieval_model_judge'].map(
    (name): VerlRoute => ({
      data_source: name,
      match: 'contains',
      scorer: 'math_verify when extra_info.reward_mode is "math_verify"; else exact match or judge_required',
      reward_type: 'the data_source',
      response: 'after </think>',
      ground_truth: '"<answer>" or ["<answer>", ...] (the gold answers math_verify compares with)',
      extra_info: '{"reward_mode": "math_verify" (or a judge mode), "ground_truth": "<exact-match answer>"}',
    }),
  ),
];

const JUDGE_SOURCES = ['model_verify', 'retrieval_summary_calculate', 'model_judge', 'retrieval_model_judge'];
/** Judge reward modes: an exact copy of extra_info.ground_truth scores 1, anything else needs the LLM judge. */
export const JUDGE_MODES: ReadonlySet<string> = new Set(['model_judge', 'model_judge_with_question', 'model_compare']);

/**
 * verl's own reward routes, which the dispatcher keeps but GoLongRL's training never uses: the
 * module each calls, by exact data_source. Not implemented here; they get a message saying so.
 */
const VERL_BUILTINS: ReadonlyMap<string, string> = new Map([
  ['openai/gsm8k', 'gsm8k'],
  ...['lighteval/MATH', 'DigitalLearningGmbH/MATH-lighteval', 'HuggingFaceH4/MATH-500'].map((n): [string, string] => [n, 'math_reward']),
  ['math_stem', 'math_stem'],
  ['math_stem_longcot', 'math_stem'],
  ...['numina_aops_forum', 'numina_synthetic_math', 'numina_amc_aime', 'numina_synthetic_amc', 'numina_cn_k12', 'numina_olympiads'].map(
    (n): [string, string] => [n, 'prime_math'],
  ),
  ...['codecontests', 'apps', 'codeforces', 'taco'].map((n): [string, string] => [n, 'prime_code / sandbox_fusion']),
  ['hiyouga/geometry3k', 'geo3k'],
  ...['nq', 'triviaqa', 'popqa', 'hotpotqa', '2wikimultihopqa', 'musique', 'bamboogle'].map((n): [string, string] => [`searchR1_${n}`, 'search_r1_like_qa_em']),
]);

export interface VerlRow {
  data_source: unknown;
  solution_str: unknown;
  ground_truth?: unknown;
  extra_info?: unknown;
}

/** A routed verl row's outcome: the scorer's output plus which scorer and reward type it was. */
export interface VerlOutcome extends ScorerOutput {
  scorer: string;
  reward_type: string;
}

/** A dispatcher branch; the dataset check (rewards/ideal) keeps one ideal-response recipe per branch. */
export type VerlBranch =
  | 'longbench_pro'
  | 'iou'
  | 'retrieval_calculate'
  | 'selection'
  | 'EM'
  | 'math'
  | 'judge'
  | 'minerva'
  | 'math_dapo_math_verify'
  | 'math_verify_metric';

/** Which dispatcher branch a data_source takes, or undefined when the reference has none here. */
export function verlBranch(dataSource: string): VerlBranch | undefined {
  return routingOf(dataSource).branch;
}

/**
 * The branch and the routing-table row of a data_source, looked up once per name: every row of a
 * batch asks for both (field checks, then routing), and a batch holds a handful of names.
 */
const ROUTING_CACHE = new Map<string, { branch: VerlBranch | undefined; route: VerlRoute | undefined }>();
const ROUTING_CACHE_SIZE = 4096;

function routingOf(dataSource: string): { branch: VerlBranch | undefined; route: VerlRoute | undefined } {
  let routing = ROUTING_CACHE.get(dataSource);
  if (routing === undefined) {
    // Arbitrary names (typos, hostile input) must not grow it without bound.
    if (ROUTING_CACHE.size >= ROUTING_CACHE_SIZE) ROUTING_CACHE.clear();
    routing = { branch: branchOf(dataSource), route: routeOf(dataSource) };
    ROUTING_CACHE.set(dataSource, routing);
  }
  return routing;
}

function branchOf(dataSource: string): VerlBranch | undefined {
  // default_compute_score's order. verl's built-ins are exact names no other rule matches, so
  // setting them all aside first changes nothing (gsm8k and lighteval MATH do come first there).
  if (VERL_BUILTINS.has(dataSource)) return undefined;
  if (dataSource.startsWith('MATH##') || dataSource.startsWith('aime')) return 'math_verify_metric';
  switch (dataSource) {
    case 'math_dapo':
    case 'math':
    case 'math_dapo_reasoning':
    case 'math_longcot':
      return 'minerva';
    case 'math_dapo_math_verify':
      return 'math_dapo_math_verify';
  }
  if (dataSource.includes('math_longcot_math_verify')) return 'math';
  switch (dataSource) {
    case 'longbench_pro':
      return 'longbench_pro';
    case 'multitableqa_pretraining':
      return 'iou';
    case 'retrieval_calculate':
    case 'selection':
    case 'EM':
      return dataSource;
  }
  if (JUDGE_SOURCES.some((s) => dataSource.includes(s))) return 'judge';
  return undefined;
}

/** The verl built-in module a data_source names (gsm8k, math_reward, prime_math...), which this service does not implement. */
export function verlBuiltinModule(dataSource: string): string | undefined {
  return VERL_BUILTINS.get(dataSource);
}

/** Why a data_source is not served: a verl built-in we do not implement, or a name no rule matches. */
function unknownDataSource(dataSource: string): ScoreFailure {
  const module = verlBuiltinModule(dataSource);
  if (module !== undefined) {
    return new ScoreFailure(
      'unknown_data_source',
      `data_source ${JSON.stringify(dataSource)} is one of verl's built-in reward routes (${module}), which GoLongRL's reward code ` +
        'keeps but its training does not use; this service does not implement verl built-ins',
      'data_source',
    );
  }
  return new ScoreFailure('unknown_data_source', unknownDataSourceMessage(dataSource, VERL_DATA_SOURCES, (name) => verlBranch(name) !== undefined), 'data_source');
}

/** The think gate: exactly one `</think>` and at most one `<think>`, else the reference scores 0. */
export function thinkGateFailure(solution: string): string | undefined {
  return checkThinkGate(solution).failure;
}

/** The think gate's verdict, and where the first `</think>` is (-1: none; the only one when the gate passes). */
function checkThinkGate(solution: string): { failure?: string; close: number } {
  const close = solution.indexOf('</think>');
  if (close === -1) return { failure: 'no </think> in the response', close };
  if (pyCount(solution, '<think>') > 1) return { failure: 'more than one <think>', close };
  if (solution.indexOf('</think>', close + '</think>'.length) !== -1) return { failure: 'more than one </think>', close };
  return { close };
}

/** `null`, `an array`, `an object`, `a string`…: a JSON value's kind, for messages. */
export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** Python `ground_truth[-1] if isinstance(ground_truth, list) else ground_truth`. */
function lastIfList(groundTruth: unknown): unknown {
  if (!Array.isArray(groundTruth)) return groundTruth;
  if (groundTruth.length === 0) throw new ScoreFailure('bad_ground_truth', 'ground_truth is an empty list', 'ground_truth');
  return groundTruth[groundTruth.length - 1];
}

/** Python `obj[key]` on the ground truth or extra_info; where Python raises, the item is bad_ground_truth. */
function getItem(obj: unknown, key: string, what: string): unknown {
  const got = pyGetItem(obj, key);
  if (!got.ok) throw new ScoreFailure('bad_ground_truth', `${what}["${key}"] raises ${got.error}; ${what} must be an object with a "${key}" field`, `${what}.${key}`);
  return got.value;
}

/** A math gold answer as math_verify_from_sky iterates it: a dict contributes its keys (Python `in`). */
function mathGold(gold: unknown): unknown {
  return gold !== null && typeof gold === 'object' && !Array.isArray(gold) ? Object.keys(gold) : gold;
}

export interface VerlRowOptions {
  /**
   * Apply the think gate (default true). The dataset check turns it off: it scores an ideal
   * answer built from the ground truth, which has no think section, on every branch as is.
   */
  thinkGate?: boolean;
}

/**
 * Scores one verl row the way GoLongRL's dispatcher does. Throws ScoreFailure for rows the
 * reference cannot score (unknown data source, missing keys, judge-only reward modes).
 */
export function scoreVerlRow(row: VerlRow, ctx: ScoreContext, options: VerlRowOptions = {}): VerlOutcome {
  const out = routeVerlRow(row, ctx, options);
  if (ctx.details && out.details !== undefined && out.details.rule !== 'think_gate') {
    // The debugger shows that the gate passed and which part of solution_str the scorer read.
    const solution = row.solution_str as string;
    out.details = {
      ...out.details,
      think_gate: { passed: true, think_open: pyCount(solution, '<think>'), think_close: pyCount(solution, '</think>') },
      // The routing table's own words, so the page and GET /tasks never disagree.
      scored_part: verlRouteOf(row.data_source as string)?.response,
    };
  }
  return out;
}

function routeVerlRow(row: VerlRow, ctx: ScoreContext, { thinkGate = true }: VerlRowOptions): VerlOutcome {
  const { data_source: dataSource, solution_str: solution } = row;
  if (typeof dataSource !== 'string') throw new ScoreFailure('bad_item', `data_source must be a string, got ${typeName(dataSource)}`, 'data_source');
  if (typeof solution !== 'string') throw new ScoreFailure('bad_item', `solution_str must be a string, got ${typeName(solution)}`, 'solution_str');
  const branch = verlBranch(dataSource);
  // Reported before the think gate: a typo in data_source must never become silent zeros.
  if (!branch) throw unknownDataSource(dataSource);
  const groundTruth = row.ground_truth;
  const extraInfo = row.extra_info;
  const gateCheck = thinkGate ? checkThinkGate(solution) : undefined;
  const gate = gateCheck?.failure;
  // Past the gate the response has exactly one </think>, which the gate found: the audit's think
  // section ends there (no second search of a long think section).
  if (ctx.audit && gateCheck && !gate) ctx.audit.thinkEnd = gateCheck.close;

  if (branch === 'longbench_pro') {
    if (gate) {
      const metric = metricOf(extraInfo);
      return gated(solution, gate, metric ? LBP_METRIC_SCORER[metric] : 'longbench_pro', metric ?? 'longbench_pro', ctx);
    }
    const gt = lastIfList(groundTruth);
    const answers = getItem(gt, 'doc_ids', 'ground_truth');
    const subTask = getItem(extraInfo, 'reward_mode', 'extra_info');
    const metric = typeof subTask === 'string' && Object.hasOwn(LBP_SUBTASK_METRIC, subTask) ? LBP_SUBTASK_METRIC[subTask] : undefined;
    if (!metric) {
      throw new ScoreFailure(
        'unknown_task',
        `unknown LongBench-Pro sub-task ${JSON.stringify(subTask)} in extra_info.reward_mode${didYouMean(subTask, Object.keys(LBP_SUBTASK_METRIC))}; known: ${Object.keys(LBP_SUBTASK_METRIC).join(', ')}`,
        'extra_info.reward_mode',
      );
    }
    const language = getItem(gt, 'summary', 'ground_truth');
    if (ctx.audit) ctx.audit.text = solution;
    const out = scoreLongBenchPro(solution, answers, metric, language === 'Chinese', ctx);
    return { scorer: LBP_METRIC_SCORER[metric], reward_type: metric, ...out };
  }

  const rewardType = dataSource;
  const scorer = BRANCH_SCORER[branch];
  if (gate) return gated(solution, gate, scorer, rewardType, ctx);
  // What the branch's scorer reads: the text after the last </think> (EM, selection, retrieval,
  // judge) or the whole solution. No closures here: one made per row went through V8's
  // CompileLazy at every call.
  const scored = readsFinalPart(branch) ? afterLast(solution, '</think>') : solution;
  if (ctx.audit) ctx.audit.text = scored;

  switch (branch) {
    case 'iou':
      return outcome(scorer, rewardType, iouScore(solution, groundTruth, ctx));
    case 'retrieval_calculate':
      return outcome(scorer, rewardType, retrievalCalculateScore(scored, lastIfList(groundTruth), ctx));
    case 'selection':
      return outcome(scorer, rewardType, choiceScore(scored, lastIfList(groundTruth), ctx));
    case 'EM':
      return outcome(scorer, rewardType, emScore(scored, lastIfList(groundTruth), ctx));
    case 'math': {
      const gt = lastIfList(groundTruth);
      if (typeof gt === 'string') return outcome(scorer, rewardType, mathVerifyScore(solution, gt, ctx));
      const gold = getItem(gt, 'golden_label', 'ground_truth');
      return outcome(scorer, rewardType, mathVerifyScore(solution, gold, ctx, typeof gold === 'string' ? undefined : pyMemberTypeName(gt as object, 'golden_label')));
    }
    case 'judge':
      return scoreJudgeRow(scored, groundTruth, extraInfo, ctx, rewardType);
    case 'minerva':
      return outcome(scorer, rewardType, minervaScore(solution, groundTruth, ctx, groundTruthTypeName(row, groundTruth)));
    case 'math_dapo_math_verify':
      // math_dapo.compute_score(solution_str, ground_truth, is_use_math_verify=True): the raw ground truth.
      return outcome(scorer, rewardType, mathVerifyScore(solution, groundTruth, ctx, groundTruthTypeName(row, groundTruth)));
    case 'math_verify_metric':
      return outcome(scorer, rewardType, mathVerifyMetricScore(solution, groundTruth, ctx, groundTruthTypeName(row, groundTruth)));
  }
}

const outcome = (scorer: string, rewardType: string, out: ScorerOutput): VerlOutcome => ({ scorer, reward_type: rewardType, ...out });

/** The branches whose scorer reads only the text after the last </think> (the routing table's "after </think>"). */
export const readsFinalPart = (branch: VerlBranch): boolean => branch === 'retrieval_calculate' || branch === 'selection' || branch === 'EM' || branch === 'judge';

/** For messages only: a JSON 42.0 ground truth is a float to the reference, 42 to JavaScript. */
function groundTruthTypeName(row: VerlRow, groundTruth: unknown): string | undefined {
  return typeof groundTruth === 'string' ? undefined : pyMemberTypeName(row, 'ground_truth');
}

/** The scorer each branch reports (the judge branch reports the one it actually used). */
const BRANCH_SCORER: Record<Exclude<VerlBranch, 'longbench_pro'>, string> = {
  iou: 'iou',
  retrieval_calculate: 'retrieval_calculate',
  selection: 'choice',
  EM: 'em',
  math: 'math_verify',
  judge: 'math_verify',
  minerva: 'minerva',
  math_dapo_math_verify: 'math_verify',
  math_verify_metric: 'math_verify_metric',
};

/** model_verify / model_judge rows: exact match, math_verify, or the LLM judge we do not have. */
function scoreJudgeRow(response: string, groundTruth: unknown, extraInfo: unknown, ctx: ScoreContext, rewardType: string): VerlOutcome {
  const mode = getItem(extraInfo, 'reward_mode', 'extra_info');
  if (mode === 'math_verify' || (typeof mode === 'string' && JUDGE_MODES.has(mode))) {
    const exact = getItem(extraInfo, 'ground_truth', 'extra_info');
    if (response === exact) {
      const details = ctx.details ? { rule: 'exact_match_extra_info_ground_truth' } : undefined;
      return { score: 1, scorer: mode === 'math_verify' ? 'math_verify' : 'exact_match', reward_type: rewardType, ...(details && { details }) };
    }
    if (mode === 'math_verify') {
      return { scorer: 'math_verify', reward_type: rewardType, ...mathVerifyScore(response, mathGold(groundTruth), ctx) };
    }
  }
  throw new ScoreFailure(
    'judge_required',
    `reward_mode ${JSON.stringify(mode)} needs the remote LLM judge (genrm), which this service does not run; ` +
      'only exact matches with extra_info.ground_truth and reward_mode "math_verify" are scored',
    'extra_info.reward_mode',
  );
}

/** The sub-task metric named by extra_info.reward_mode, when there is one. */
function metricOf(extraInfo: unknown): LbpMetric | undefined {
  const mode = extraInfo !== null && typeof extraInfo === 'object' ? (extraInfo as Record<string, unknown>).reward_mode : undefined;
  return typeof mode === 'string' && Object.hasOwn(LBP_SUBTASK_METRIC, mode) ? LBP_SUBTASK_METRIC[mode] : undefined;
}

function gated(solution: string, reason: string, scorer: string, rewardType: string, ctx: ScoreContext): VerlOutcome {
  const outcome: VerlOutcome = { score: 0, scorer, reward_type: rewardType };
  if (ctx.details) outcome.details = thinkGateDetails(solution, reason);
  return outcome;
}

/** What the think gate saw (details only): the tag counts it judged. */
export function thinkGateDetails(solution: string, reason: string): Record<string, unknown> {
  return { rule: 'think_gate', reason, think_open: pyCount(solution, '<think>'), think_close: pyCount(solution, '</think>') };
}

/** The routing-table row a data_source takes (prefixes first, then exact names, then substrings in table order). */
export function verlRouteOf(dataSource: string): VerlRoute | undefined {
  return routingOf(dataSource).route;
}

function routeOf(dataSource: string): VerlRoute | undefined {
  if (VERL_BUILTINS.has(dataSource)) return undefined;
  return (
    VERL_DATA_SOURCES.find((r) => r.match === 'prefix' && dataSource.startsWith(r.data_source)) ??
    VERL_DATA_SOURCES.find((r) => r.match === 'exact' && r.data_source === dataSource) ??
    VERL_DATA_SOURCES.find((r) => r.match === 'contains' && dataSource.includes(r.data_source))
  );
}
