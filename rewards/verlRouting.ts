// GoLongRL's verl dispatcher (verl/utils/reward_score/__init__.py::default_compute_score): the think
// gate, routing on data_source, and the ground-truth shapes each branch expects. Where the
// reference raises, we return a typed error; where it still computes a number from an odd
// ground truth, we return that number.
import { LBP_METRIC_SCORER, LBP_SUBTASK_METRIC, scoreLongBenchPro, type LbpMetric } from './longbenchPro.js';
import { choiceScore } from './scorers/choice.js';
import { emScore } from './scorers/em.js';
import { iouScore } from './scorers/iou.js';
import { mathVerifyScore } from './scorers/mathVerify.js';
import { retrievalCalculateScore } from './scorers/retrievalCalculate.js';
import { pyGetItem } from './pyjson.js';
import { didYouMean, unknownDataSourceMessage } from './suggest.js';
import { afterLast, pyCount } from './text.js';
import { ScoreFailure, type ScoreContext, type ScorerOutput } from './types.js';

export interface VerlRoute {
  data_source: string;
  match: 'exact' | 'contains';
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

/** The routing table, in the dispatcher's order (exact names are checked before substrings). */
export const VERL_DATA_SOURCES: readonly VerlRoute[] = [
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
const JUDGE_MODES = new Set(['model_judge', 'model_judge_with_question', 'model_compare']);

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

type Branch = 'longbench_pro' | 'iou' | 'retrieval_calculate' | 'selection' | 'EM' | 'math' | 'judge';

/** Which dispatcher branch a data_source takes, or undefined when the reference has none. */
export function verlBranch(dataSource: string): Branch | undefined {
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
  if (dataSource.includes('math_longcot_math_verify')) return 'math';
  if (JUDGE_SOURCES.some((s) => dataSource.includes(s))) return 'judge';
  return undefined;
}

/** The think gate: exactly one `</think>` and at most one `<think>`, else the reference scores 0. */
export function thinkGateFailure(solution: string): string | undefined {
  if (!solution.includes('</think>')) return 'no </think> in the response';
  if (pyCount(solution, '<think>') > 1) return 'more than one <think>';
  if (pyCount(solution, '</think>') > 1) return 'more than one </think>';
  return undefined;
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
  if (groundTruth.length === 0) throw new ScoreFailure('bad_ground_truth', 'ground_truth is an empty list');
  return groundTruth[groundTruth.length - 1];
}

/** Python `obj[key]` on the ground truth or extra_info; where Python raises, the item is bad_ground_truth. */
function getItem(obj: unknown, key: string, what: string): unknown {
  const got = pyGetItem(obj, key);
  if (!got.ok) throw new ScoreFailure('bad_ground_truth', `${what}["${key}"] raises ${got.error}; ${what} must be an object with a "${key}" field`);
  return got.value;
}

/** A math gold answer as math_verify_from_sky iterates it: a dict contributes its keys (Python `in`). */
function mathGold(gold: unknown): unknown {
  return gold !== null && typeof gold === 'object' && !Array.isArray(gold) ? Object.keys(gold) : gold;
}

/**
 * Scores one verl row the way GoLongRL's dispatcher does. Throws ScoreFailure for rows the
 * reference cannot score (unknown data source, missing keys, judge-only reward modes).
 */
export function scoreVerlRow(row: VerlRow, ctx: ScoreContext): VerlOutcome {
  const { data_source: dataSource, solution_str: solution } = row;
  if (typeof dataSource !== 'string') throw new ScoreFailure('bad_item', `data_source must be a string, got ${typeName(dataSource)}`);
  if (typeof solution !== 'string') throw new ScoreFailure('bad_item', `solution_str must be a string, got ${typeName(solution)}`);
  const branch = verlBranch(dataSource);
  // Reported before the think gate: a typo in data_source must never become silent zeros.
  if (!branch) {
    throw new ScoreFailure('unknown_data_source', unknownDataSourceMessage(dataSource, VERL_DATA_SOURCES, (name) => verlBranch(name) !== undefined));
  }
  const groundTruth = row.ground_truth;
  const extraInfo = row.extra_info;
  const gate = thinkGateFailure(solution);

  if (branch === 'longbench_pro') {
    if (gate) {
      const metric = metricOf(extraInfo);
      return gated(gate, metric ? LBP_METRIC_SCORER[metric] : 'longbench_pro', metric ?? 'longbench_pro', ctx);
    }
    const gt = lastIfList(groundTruth);
    const answers = getItem(gt, 'doc_ids', 'ground_truth');
    const subTask = getItem(extraInfo, 'reward_mode', 'extra_info');
    const metric = typeof subTask === 'string' && Object.hasOwn(LBP_SUBTASK_METRIC, subTask) ? LBP_SUBTASK_METRIC[subTask] : undefined;
    if (!metric) {
      throw new ScoreFailure(
        'unknown_task',
        `unknown LongBench-Pro sub-task ${JSON.stringify(subTask)} in extra_info.reward_mode${didYouMean(subTask, Object.keys(LBP_SUBTASK_METRIC))}; known: ${Object.keys(LBP_SUBTASK_METRIC).join(', ')}`,
      );
    }
    const language = getItem(gt, 'summary', 'ground_truth');
    const out = scoreLongBenchPro(solution, answers, metric, language === 'Chinese', ctx);
    return { scorer: LBP_METRIC_SCORER[metric], reward_type: metric, ...out };
  }

  const rewardType = dataSource;
  const scorer = branch === 'iou' ? 'iou' : branch === 'selection' ? 'choice' : branch === 'EM' ? 'em' : branch === 'math' || branch === 'judge' ? 'math_verify' : 'retrieval_calculate';
  if (gate) return gated(gate, scorer, rewardType, ctx);
  // The text after the last </think>, for the branches that read only that (not iou or math).
  const afterThink = (): string => afterLast(solution, '</think>');
  const done = (out: ScorerOutput, name = scorer): VerlOutcome => ({ scorer: name, reward_type: rewardType, ...out });

  switch (branch) {
    case 'iou':
      return done(iouScore(solution, groundTruth, ctx));
    case 'retrieval_calculate':
      return done(retrievalCalculateScore(afterThink(), lastIfList(groundTruth), ctx));
    case 'selection':
      return done(choiceScore(afterThink(), lastIfList(groundTruth), ctx));
    case 'EM':
      return done(emScore(afterThink(), lastIfList(groundTruth), ctx));
    case 'math': {
      const gt = lastIfList(groundTruth);
      const gold = typeof gt === 'string' ? gt : getItem(gt, 'golden_label', 'ground_truth');
      return done(mathVerifyScore(solution, gold, ctx));
    }
    case 'judge':
      return scoreJudgeRow(afterThink(), groundTruth, extraInfo, ctx, rewardType);
  }
}

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
  );
}

/** The sub-task metric named by extra_info.reward_mode, when there is one. */
function metricOf(extraInfo: unknown): LbpMetric | undefined {
  const mode = extraInfo !== null && typeof extraInfo === 'object' ? (extraInfo as Record<string, unknown>).reward_mode : undefined;
  return typeof mode === 'string' && Object.hasOwn(LBP_SUBTASK_METRIC, mode) ? LBP_SUBTASK_METRIC[mode] : undefined;
}

function gated(reason: string, scorer: string, rewardType: string, ctx: ScoreContext): VerlOutcome {
  const outcome: VerlOutcome = { score: 0, scorer, reward_type: rewardType };
  if (ctx.details) outcome.details = { rule: 'think_gate', reason };
  return outcome;
}

/** The routing-table row a data_source takes (exact names first, then substrings in table order). */
export function verlRouteOf(dataSource: string): VerlRoute | undefined {
  return (
    VERL_DATA_SOURCES.find((r) => r.match === 'exact' && r.data_source === dataSource) ??
    VERL_DATA_SOURCES.find((r) => r.match === 'contains' && dataSource.includes(r.data_source))
  );
}
