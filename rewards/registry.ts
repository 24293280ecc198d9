// The table of scorers: one row per scorer, as trec_eval keeps one row per measure. GET /tasks,
// the native item form and the reward debugger all read this table; adding a scorer is a module
// in scorers/ and a row here.
import { AUDIT_FLAGS } from './audit/flags.js';
import { LBP_METRIC_SCORER, LBP_SUBTASK_METRIC, scoreLongBenchPro, type LbpMetric } from './longbenchPro.js';
import { choiceScore } from './scorers/choice.js';
import { emScore } from './scorers/em.js';
import { iouScore } from './scorers/iou.js';
import { mathVerifyScore } from './scorers/mathVerify.js';
import { mathVerifyMetricScore } from './scorers/mathVerifyMetric.js';
import { minervaScore } from './scorers/minerva.js';
import { retrievalCalculateScore } from './scorers/retrievalCalculate.js';
import { didYouMean } from './suggest.js';
import { ScoreFailure, type ScoreContext, type ScorerOutput } from './types.js';
import { VERL_ROW_EXAMPLES, type VerlRowExample } from './verlExamples.js';
import { VERL_DATA_SOURCES, verlBranch, type VerlRoute } from './verlRouting.js';
import { PROBLEM_CODES, type Severity } from './ideal/problems.js';
import { IDEAL_RECIPES, IDEAL_RESPONSE_BY_SCORER } from './ideal/recipes.js';

export const SEMANTICS = 'golongrl-reference';

/** Options a native item may carry, by name, with what they mean. */
export type OptionDocs = Record<string, string>;

export interface ScorerEntry {
  /** Native task name, e.g. `rouge_l`. */
  name: string;
  /** The reward type TMN-Reweight groups by. */
  rewardType: string;
  description: string;
  /** What a native item's `reference` holds for this scorer. */
  reference: string;
  options: OptionDocs;
  /** Scores a native item; `reference` and `options` are validated here, throwing ScoreFailure. */
  scoreNative(response: string, reference: unknown, options: Record<string, unknown>, ctx: ScoreContext): ScorerOutput;
}

const THINK_OPTION = {
  think:
    '"none" (default): score the response as given. "strip": score the text after the last </think>. ' +
    '"gate": apply the verl think gate (0 unless exactly one </think> and at most one <think>), then strip.',
};
const LANGUAGE_OPTION = {
  language: '"en"/"English" (default) or "zh"/"Chinese" (jieba word segmentation before ROUGE-L). Only rouge_l uses it.',
};

/** A native LongBench-Pro reference: an array of answer strings (a single string is one answer). */
function lbpAnswers(reference: unknown): unknown {
  if (typeof reference === 'string') return [reference];
  if (!Array.isArray(reference)) throw new ScoreFailure('bad_item', 'reference must be an array of answer strings', 'reference');
  return reference;
}

function chineseOption(options: Record<string, unknown>): boolean {
  const language = options.language ?? 'en';
  if (language === 'zh' || language === 'Chinese') return true;
  if (language === 'en' || language === 'English') return false;
  throw new ScoreFailure('bad_item', `options.language must be "en", "English", "zh" or "Chinese", not ${JSON.stringify(language)}${didYouMean(language, ['English', 'Chinese'])}`, 'options.language');
}

const LBP_DESCRIPTIONS: Record<LbpMetric, string> = {
  NDCG: "trec_eval ndcg_cut@k (k = number of answers) of the answer lines against the reference ranking.",
  Pairwise_Accuracy: 'Share of reference pairs (i<j) predicted in the same order, over C(len(predictions), 2).',
  Accuracy: 'First answer line equals the first reference (after lowercasing and whitespace folding).',
  Summary: "Max over references of py-rouge's ROUGE-L F (sentence-level union LCS), jieba-segmented for Chinese.",
  F1_Score: 'Set F1 between answer lines and references.',
  SubEM: 'Share of references (duplicates counted) that appear among the answer lines.',
};

function lbpEntry(metric: LbpMetric): ScorerEntry {
  return {
    name: LBP_METRIC_SCORER[metric],
    rewardType: metric,
    description: LBP_DESCRIPTIONS[metric] + ' Answer lines: after the last [Answer] (or [答案]), one per line.',
    reference: 'array of reference answer strings',
    options: metric === 'Summary' ? { ...LANGUAGE_OPTION, ...THINK_OPTION } : { ...THINK_OPTION },
    scoreNative: (response, reference, options, ctx) =>
      scoreLongBenchPro(response, lbpAnswers(reference), metric, metric === 'Summary' && chineseOption(options), ctx),
  };
}

function goldString(reference: unknown, what: string): string {
  if (typeof reference !== 'string') throw new ScoreFailure('bad_item', `reference must be a string (${what})`, 'reference');
  return reference;
}

export const SCORERS: readonly ScorerEntry[] = [
  {
    name: 'em',
    rewardType: 'EM',
    description: 'Exact match after Python strip() of both sides.',
    reference: 'the gold answer string',
    options: { ...THINK_OPTION },
    scoreNative: (response, reference, _options, ctx) =>
      emScore(response, { golden_label: goldString(reference, 'the gold answer') }, ctx),
  },
  {
    name: 'choice',
    rewardType: 'selection',
    description:
      'Multiple choice: the first "The correct answer is (X)" (else "The correct answer is X"), X in A-D, ' +
      'after removing every "*", equals the gold letter or the letter extracted from the gold text.',
    reference: 'the gold letter (or a text containing "The correct answer is (X)")',
    options: { ...THINK_OPTION },
    scoreNative: (response, reference, _options, ctx) =>
      choiceScore(response, { golden_label: goldString(reference, 'the gold letter') }, ctx),
  },
  ...(['Accuracy', 'F1_Score', 'SubEM', 'NDCG', 'Pairwise_Accuracy', 'Summary'] as const).map(lbpEntry),
  {
    name: 'iou',
    rewardType: 'multitableqa_pretraining',
    description:
      'Multiset IoU of table rows: the JSON "data" rows of the response (inside <answer>…</answer> if present) ' +
      'against the gold rows, rows compared by Python str() of their cells.',
    reference: 'the gold table as a JSON string ({"data": [[...], ...]}) or as an object',
    options: { ...THINK_OPTION },
    scoreNative: (response, reference, _options, ctx) =>
      iouScore(response, typeof reference === 'string' ? { golden_label: reference } : reference, ctx),
  },
  {
    name: 'math_verify',
    rewardType: 'math_verify',
    description:
      'Math-Verify: extract the final answer from the last 500 characters (\\boxed{}, "final answer" phrasing, ' +
      'LaTeX or plain expressions) and compare it with the gold answer numerically and symbolically.',
    reference: 'the gold answer (LaTeX or plain), without \\boxed{}',
    options: { ...THINK_OPTION },
    scoreNative: (response, reference, _options, ctx) =>
      mathVerifyScore(response, goldString(reference, 'the gold answer'), ctx),
  },
  {
    name: 'minerva',
    rewardType: 'math_dapo',
    description:
      'math_dapo.compute_score defaults (data sources math_dapo, math, math_dapo_reasoning, math_longcot): the last ' +
      '"Answer: ..." line of the last 500 characters, normalised by normalize_final_answer (units, \\text{}, ' +
      '\\boxed{}, $...$, shorthand \\frac/\\sqrt, thousands commas), equals the normalised gold as a string.',
    reference: 'the gold answer string (normalised the same way)',
    options: { ...THINK_OPTION },
    scoreNative: (response, reference, _options, ctx) => minervaScore(response, goldString(reference, 'the gold answer'), ctx),
  },
  {
    name: 'math_verify_metric',
    rewardType: 'math_verify_metric',
    description:
      "math_verify.compute_score (data sources MATH##*, aime*): Math-Verify's math_metric over the whole response, " +
      'plain expressions extracted before LaTeX, the gold parsed as LaTeX from \\boxed{gold}; no quick string match.',
    reference: 'the gold answer (LaTeX), without \\boxed{}',
    options: { ...THINK_OPTION },
    scoreNative: (response, reference, _options, ctx) => mathVerifyMetricScore(response, goldString(reference, 'the gold answer'), ctx),
  },
  {
    name: 'retrieval_calculate',
    rewardType: 'retrieval_calculate',
    description:
      '1 when the <|doc_N|> ids in <relevant_doc_ids> equal the gold ids as a set and the ' +
      '<continue_reasoning> block is math-verified against the gold answer; else 0.',
    reference: 'object {"doc_ids": ["<|doc_1|>", ...], "golden_label": "42"}',
    options: { ...THINK_OPTION },
    scoreNative: (response, reference, _options, ctx) => retrievalCalculateScore(response, reference, ctx),
  },
];

const BY_NAME = new Map<string, ScorerEntry>();
for (const entry of SCORERS) {
  BY_NAME.set(entry.name, entry);
  BY_NAME.set(entry.rewardType, entry);
}

export interface ResolvedTask {
  entry: ScorerEntry;
  /** The reward type this task reports (the LongBench-Pro metric for a sub-task name). */
  rewardType: string;
}

/** Finds a native task by scorer name, reward-type name or LongBench-Pro sub-task name. */
export function resolveTask(task: string): ResolvedTask | undefined {
  const metric = Object.hasOwn(LBP_SUBTASK_METRIC, task) ? LBP_SUBTASK_METRIC[task] : undefined;
  const entry = metric ? BY_NAME.get(metric) : BY_NAME.get(task);
  return entry && { entry, rewardType: entry.rewardType };
}

/** Every task name a native item may use, for error messages. */
export function knownTaskNames(): string[] {
  return [...new Set([...SCORERS.map((s) => s.name), ...SCORERS.map((s) => s.rewardType), ...Object.keys(LBP_SUBTASK_METRIC)])];
}

export interface TasksDescription {
  semantics: string;
  scorers: Array<{ name: string; reward_type: string; description: string; reference: string; options: OptionDocs; ideal_response: string }>;
  longbench_pro_subtasks: Array<{ name: string; reward_type: string; scorer: string }>;
  /** Each routing-table row (with the ground_truth and extra_info it reads), a row that scores 1, and the dataset check's ideal response. */
  data_sources: Array<VerlRoute & { example: VerlRowExample | undefined; ideal_response: string }>;
  /** What POST /check and `golong-reward check` report about a dataset row. */
  check_problems: Array<{ code: string; severity: Severity; meaning: string }>;
  /** The reward-hacking audit's flags (rewards/audit/flags.ts): the scorers each is checked on, its rule and the exploit. */
  audit_flags: Array<{ flag: string; scorers: string[]; rule: string; exploit: string }>;
}

export function describeTasks(): TasksDescription {
  return {
    semantics: SEMANTICS,
    scorers: SCORERS.map((s) => ({
      name: s.name,
      reward_type: s.rewardType,
      description: s.description,
      reference: s.reference,
      options: s.options,
      ideal_response: IDEAL_RESPONSE_BY_SCORER[s.name]!,
    })),
    longbench_pro_subtasks: Object.entries(LBP_SUBTASK_METRIC).map(([name, metric]) => ({
      name,
      reward_type: metric,
      scorer: LBP_METRIC_SCORER[metric],
    })),
    data_sources: VERL_DATA_SOURCES.map((d) => ({
      ...d,
      example: VERL_ROW_EXAMPLES[d.data_source],
      ideal_response: IDEAL_RECIPES[verlBranch(d.data_source)!].construction,
    })),
    check_problems: Object.entries(PROBLEM_CODES).map(([code, { severity, doc }]) => ({ code, severity, meaning: doc })),
    audit_flags: AUDIT_FLAGS.map((f) => ({ flag: f.flag, scorers: [...f.scorers], rule: f.rule, exploit: f.exploit })),
  };
}
