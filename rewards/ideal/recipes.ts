// The ideal-response table of the dataset check: one row per route of the verl dispatcher. Each
// row reads the ground truth the way its route does (and says in words where the reference
// raises or can only score 0), builds the best response a policy could write from it, and
// explains in words why that response falls short when it does. The response is then scored by
// the real router (check.ts), so a recipe never decides a score itself.
import { LBP_METRIC_SCORER, LBP_SUBTASK_METRIC, type LbpMetric } from '../longbenchPro.js';
import { jsPyTypeName, pyFromJs, pyGetItem, pyMember, pyMemberTypeName, pyStr, pyTypeName, tryPyJsonTable } from '../pyjson.js';
import { extractChoice } from '../scorers/choice.js';
import { mathVerifyScore } from '../scorers/mathVerify.js';
import { mathVerifyMetricScore } from '../scorers/mathVerifyMetric.js';
import { minervaScore, normalizeFinalAnswer } from '../scorers/minerva.js';
import { normalizeAnswers } from '../scorers/lbpNormalize.js';
import { didYouMean } from '../suggest.js';
import { codePointLength, fold, pyLower, pyStrip } from '../text.js';
import type { ItemErrorCode, ScoreContext } from '../types.js';
import { JUDGE_MODES, type VerlBranch } from '../verlRouting.js';
import { problem, type Problem } from './problems.js';

/** The parts of a dataset row a route reads. */
export interface RowView {
  dataSource: string;
  /** `ground_truth`, or verl's `reward_model.ground_truth`. */
  groundTruth: unknown;
  /** The ground truth's Python type name (`float` for a JSON `42.0`, which JavaScript reads as 42). */
  groundTruthType: string;
  extraInfo: unknown;
}

/** What the router made of the ideal response. */
export interface IdealOutcome {
  score?: number;
  details?: Record<string, unknown>;
  warnings?: string[];
  error?: { code: ItemErrorCode; message: string };
}

export interface IdealPlan {
  reward_type?: string;
  scorer?: string;
  subtask?: string;
  /** The ideal response; absent when the row's shape already rules out every rollout. */
  response?: string;
  /** The most the route's scorer can give. */
  best: number;
  /** Problems seen in the shape before any scoring. */
  problems: Problem[];
  /** Why the ideal scored below `best`, when no problem above says so already. */
  explain?: (outcome: IdealOutcome) => Problem | undefined;
}

export interface IdealRecipe {
  /** How the ideal response is built, in words. */
  construction: string;
  plan(view: RowView, ctx: ScoreContext): IdealPlan;
}

/** py-rouge's ROUGE-L F of a response identical to its reference: 2pr/(p+r+1e-8) with p = r = 1. */
export const ROUGE_L_BEST = 2 / (2 + 1e-8);

/** Math-Verify reads only this many trailing code points of a response. */
const MATH_TAIL = 500;

const quote = (s: string, max = 80): string => JSON.stringify(codePointLength(s) > max ? Array.from(s).slice(0, max).join('') + '…' : s);
const typeOf = (v: unknown): string => (v === undefined ? 'missing' : `${/^[aeiou]/.test(jsPyTypeName(v)) ? 'an' : 'a'} ${jsPyTypeName(v)}`);
const shown = (v: unknown): string => (typeof v === 'string' ? quote(v) : v === undefined ? 'missing' : JSON.stringify(v)?.slice(0, 80) ?? String(v));

/** A value read from the row, or the problem Python's reading of it would raise. */
type Read<T = unknown> = { ok: true; value: T } | { ok: false; problem: Problem };

/** Python `obj[key]` where the reference reads it for every rollout. */
function readKey(obj: unknown, key: string, where: 'ground_truth' | 'extra_info'): Read {
  const got = pyGetItem(obj, key);
  if (got.ok) return { ok: true, value: got.value };
  const code = where === 'extra_info' ? 'bad_extra_info' : 'bad_ground_truth';
  const what = obj !== null && typeof obj === 'object' && !Array.isArray(obj) ? `${where} has no "${key}" field` : `${where} is ${typeOf(obj)}, not an object`;
  return { ok: false, problem: problem(code, `${what}: the reference's ${where}["${key}"] raises ${got.error} for every rollout (/score answers bad_ground_truth)`) };
}

/** The dispatcher's `ground_truth[-1] if isinstance(ground_truth, list) else ground_truth`. */
function lastIfList(groundTruth: unknown): Read {
  if (!Array.isArray(groundTruth)) return { ok: true, value: groundTruth };
  if (groundTruth.length === 0) {
    return { ok: false, problem: problem('bad_ground_truth', 'ground_truth is an empty list: the reference takes its last element and raises IndexError for every rollout') };
  }
  return { ok: true, value: groundTruth[groundTruth.length - 1] };
}

/** What Python's `for x in value` yields for a JSON value (list items, characters, keys), or undefined when it raises. */
function pyIterate(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return Array.from(value);
  if (value !== null && typeof value === 'object') return Object.keys(value);
  return undefined;
}

/** An answer line as a policy would write it: the folded text (the scorer lowercases it too). */
const answerLine = (answer: string): string => fold(answer);

// ---------------------------------------------------------------------------------------------
// LongBench-Pro

const LBP_SUBTASKS = Object.keys(LBP_SUBTASK_METRIC);

/** Why an unknown reward_mode is unknown: stray whitespace, a metric name instead of a sub-task, else the router's suggestion. */
function subtaskHint(mode: string): string {
  const trimmed = mode.trim();
  if (trimmed !== mode && Object.hasOwn(LBP_SUBTASK_METRIC, trimmed)) return ` (it has stray whitespace: ${quote(trimmed)} is a sub-task)`;
  const metric = (Object.keys(LBP_METRIC_SCORER) as LbpMetric[]).find((m) => m.toLowerCase() === trimmed.toLowerCase());
  if (metric) return ` (${quote(mode)} is a metric; reward_mode names a sub-task, e.g. ${quote(LBP_SUBTASKS.find((t) => LBP_SUBTASK_METRIC[t] === metric)!)})`;
  return didYouMean(mode, LBP_SUBTASKS);
}

/** Share of Han characters among the non-space characters of a text. */
function hanShare(text: string): number {
  const chars = Array.from(text.replace(/\s+/gu, ''));
  if (chars.length === 0) return 0;
  return chars.filter((c) => /\p{Script=Han}/u.test(c)).length / chars.length;
}

/** py-rouge's sentences: pieces between "." with some word in them. */
const hasSentence = (normalized: string): boolean => normalized.split('.').some((piece) => fold(piece) !== '');

/** Words of the longest sentence of a text, split as py-rouge splits it (on "." then " "). */
function longestSentenceWords(normalized: string): number {
  return Math.max(0, ...normalized.split('.').map((s) => (fold(s) === '' ? 0 : fold(s).split(' ').length)));
}

function lbpLineResponse(metric: Exclude<LbpMetric, 'Summary'>, answers: readonly string[]): string {
  let lines = answers;
  // Accuracy reads the first line only; Pairwise_Accuracy counts a repeated line against itself,
  // so each answer is written once (the first time it comes, as the scorer normalises it).
  if (metric === 'Accuracy') lines = answers.slice(0, 1);
  else if (metric === 'Pairwise_Accuracy') {
    const normalized = normalizeAnswers(answers);
    lines = answers.filter((_, i) => normalized.indexOf(normalized[i]!) === i);
  }
  return `[Answer]\n${lines.map(answerLine).join('\n')}`;
}

/** Why the answers-one-per-line response falls short of 1, in words. */
function explainLines(metric: Exclude<LbpMetric, 'Summary'>, answers: readonly string[], score: number): Problem {
  const marked = answers.findIndex((a) => a.includes('[Answer]'));
  if (marked >= 0) {
    return problem('answer_contains_marker', `doc_ids[${marked}] ${quote(answers[marked]!)} contains "[Answer]": the scorer reads only the text after the last "[Answer]", so a response listing the answers cuts itself short (the ideal scores ${score})`);
  }
  const normalized = normalizeAnswers(answers);
  const empty = normalized.findIndex((a) => a === '');
  if (empty >= 0) {
    return problem('empty_answer', `doc_ids[${empty}] is empty after whitespace folding: only an empty line between two answers matches it, and one at the start or end of the answer area is stripped away (the ideal scores ${score})`);
  }
  const seen = new Set<string>();
  const repeated = normalized.find((a) => (seen.has(a) ? true : (seen.add(a), false)));
  if (repeated !== undefined && (metric === 'Pairwise_Accuracy' || metric === 'NDCG')) {
    return problem('duplicate_answers', `doc_ids repeats ${quote(repeated)}: ${metric} ranks answers by position, and a repeated answer keeps even the gold order from its best (it scores ${score})`);
  }
  return problem('ideal_below_best', `the answers written one per line after [Answer] score ${score} under ${metric}, below 1`);
}

const longbenchPro: IdealRecipe = {
  construction:
    'by the sub-task\'s metric: Summary (rouge_l) the first reference summary itself; Accuracy "[Answer]" and the first answer; ' +
    'Pairwise_Accuracy "[Answer]" and the answers one per line, each once, in gold order; NDCG, F1_Score, SubEM "[Answer]" and every answer one per line, in gold order',
  plan({ groundTruth, extraInfo }) {
    const plan: IdealPlan = { best: 1, problems: [] };
    // The sub-task labels the row even when its ground truth cannot be read.
    const peek = pyGetItem(extraInfo, 'reward_mode');
    const subtask = peek.ok && typeof peek.value === 'string' ? peek.value : undefined;
    const metric = subtask !== undefined && Object.hasOwn(LBP_SUBTASK_METRIC, subtask) ? LBP_SUBTASK_METRIC[subtask]! : undefined;
    if (subtask !== undefined) plan.subtask = subtask;
    if (metric) {
      plan.reward_type = metric;
      plan.scorer = LBP_METRIC_SCORER[metric];
      if (metric === 'Summary') plan.best = ROUGE_L_BEST;
    }

    const gtRead = lastIfList(groundTruth);
    if (!gtRead.ok) return { ...plan, problems: [gtRead.problem] };
    // The reference evaluates ground_truth["doc_ids"], extra_info["reward_mode"], ground_truth["summary"] in that order.
    const docIds = readKey(gtRead.value, 'doc_ids', 'ground_truth');
    if (!docIds.ok) return { ...plan, problems: [docIds.problem] };
    const mode = readKey(extraInfo, 'reward_mode', 'extra_info');
    if (!mode.ok) return { ...plan, problems: [mode.problem] };
    const summary = readKey(gtRead.value, 'summary', 'ground_truth');
    if (!summary.ok) return { ...plan, problems: [summary.problem] };

    // `if not ground_truth or len(ground_truth) == 0: return 0.0` comes before the sub-task lookup.
    const answersValue = docIds.value;
    // `not ground_truth` is true for None, False and 0 too.
    const answers = pyIterate(answersValue) ?? (answersValue === null || answersValue === false || answersValue === 0 ? [] : undefined);
    if (answers === undefined) {
      plan.problems.push(
        problem('bad_ground_truth', `doc_ids is ${shown(answersValue)}: the reference's len() of it raises TypeError: object of type '${jsPyTypeName(answersValue)}' has no len(), for every rollout`),
      );
      return plan;
    }
    const unknownTask = (): Problem =>
      problem('unknown_task', `extra_info.reward_mode ${shown(mode.value)} is not a LongBench-Pro sub-task${typeof mode.value === 'string' ? subtaskHint(mode.value) : ''}: the reference raises ValueError: Unknown sub_task (/score answers unknown_task)`);
    if (answers.length === 0) {
      plan.problems.push(problem('no_answers', `doc_ids is ${shown(answersValue)}: with no answers the reference scores every rollout 0`));
      if (!metric) plan.problems.push(unknownTask());
      return plan;
    }
    if (!metric) {
      plan.problems.push(unknownTask());
      return plan;
    }
    if (typeof answersValue === 'string' || !Array.isArray(answersValue)) {
      plan.problems.push(
        problem(
          'odd_ground_truth',
          `doc_ids is ${typeOf(answersValue)}, not a list: the reference uses its ${typeof answersValue === 'string' ? 'characters' : 'keys'} as the answers (a rollout scores by listing those); store the answers as a list of strings`,
        ),
      );
    }
    const nonString = answers.findIndex((a) => typeof a !== 'string');
    if (nonString >= 0) {
      plan.problems.push(problem('non_string_answer', `doc_ids[${nonString}] is ${shown(answers[nonString])}, not a string: the metric raises inside the reference's try and every rollout scores 0`));
      return plan;
    }
    const texts = answers as string[];
    if (metric === 'Pairwise_Accuracy' && texts.length <= 1) {
      plan.problems.push(problem('too_few_answers', `Pairwise_Accuracy needs at least two answers to order, and doc_ids has ${texts.length}: every rollout scores 0`));
      return plan;
    }

    if (metric === 'Summary') {
      const chinese = summary.value === 'Chinese';
      const chineseText = texts.findIndex((a) => hanShare(a) >= 0.3);
      if (!chinese && chineseText >= 0) {
        plan.problems.push(
          problem(
            'language_mismatch',
            `reference summary #${chineseText} is Chinese but ground_truth.summary is ${shown(summary.value)}, not "Chinese": without jieba segmentation each Chinese sentence is one ROUGE-L "word", so a summary that differs by a character scores 0 on it`,
          ),
        );
      }
      // The ideal is a reference py-rouge can read; an unreadable one fails every rollout.
      const readable = texts.findIndex((a) => hasSentence(normalizeAnswers([a])[0]!));
      const unreadable = texts.findIndex((a) => !hasSentence(normalizeAnswers([a])[0]!));
      if (unreadable >= 0) {
        plan.problems.push(
          problem('summary_unscorable', `reference summary #${unreadable} ${quote(texts[unreadable]!)} has no sentence (empty, blank or only dots): py-rouge raises on it and the reference scores every rollout 0`),
        );
      }
      if (readable < 0) return plan;
      plan.response = texts[readable]!;
      plan.explain = (outcome) => {
        const at = typeof outcome.details?.failed_reference === 'number' ? outcome.details.failed_reference : readable;
        if (outcome.details?.reason === 'reference_recursion_limit') {
          // Count words as ROUGE-L sees them (jieba-segmented for Chinese): the scorer's own references.
          const seen = Array.isArray(outcome.details.answers) ? outcome.details.answers[at] : undefined;
          const words = longestSentenceWords(typeof seen === 'string' ? seen : fold(pyLower(texts[at] ?? '')));
          return problem(
            'summary_sentence_too_long',
            `reference summary #${at} has a sentence of ${words} words: py-rouge's recursive LCS needs more than Python's 1000 frames for a response that shares most of it, so the closer a rollout comes to the reference, the surer it scores 0 (the reference summary itself scores ${outcome.score})`,
          );
        }
        return problem('ideal_below_best', `the reference summary itself scores ${outcome.score} against the references, below ROUGE-L's best ${ROUGE_L_BEST}`);
      };
      return plan;
    }
    plan.response = lbpLineResponse(metric, texts);
    plan.explain = (outcome) => explainLines(metric, texts, outcome.score ?? 0);
    return plan;
  },
};

// ---------------------------------------------------------------------------------------------
// multitableqa_pretraining (IoU)

/**
 * The scorer reads the whole response, think section included, so only an answer inside
 * <answer></answer> can parse as JSON.
 */
const answerTags = (table: string): string => `<answer>${table}</answer>`;

const multitable: IdealRecipe = {
  construction: '"<answer>" + the golden_label JSON text (the gold table) + "</answer>" (the scorer reads the whole response, think section included, so only a tagged answer parses)',
  plan({ dataSource, groundTruth }) {
    const plan: IdealPlan = { reward_type: dataSource, scorer: 'iou', best: 1, problems: [] };
    const record = groundTruth !== null && typeof groundTruth === 'object' && !Array.isArray(groundTruth) ? (groundTruth as Record<string, unknown>) : undefined;
    if (!record || !Object.hasOwn(record, 'golden_label')) {
      // The reference then uses the ground truth itself as the parsed table.
      const data = record?.data;
      if (!Array.isArray(data) || data.length === 0) {
        plan.problems.push(problem('no_gold_rows', `ground_truth is ${typeOf(groundTruth)} without a golden_label${record ? ` or a non-empty "data" list` : ''}: the reference finds no gold rows and scores every rollout 0`));
        return plan;
      }
      plan.problems.push(problem('odd_ground_truth', 'ground_truth has no golden_label: the reference uses its own "data" field as the gold rows; store the table as a JSON string in golden_label'));
      plan.response = answerTags(JSON.stringify({ data }));
      return plan;
    }
    const label = record.golden_label;
    if (typeof label !== 'string') {
      plan.problems.push(problem('gold_not_json', `golden_label is ${typeOf(label)}, not a JSON string: json.loads raises TypeError, which the reference catches, so every rollout scores 0`));
      return plan;
    }
    const parsed = tryPyJsonTable(label);
    if (!parsed.ok) {
      if (parsed.kind === 'decode') {
        plan.problems.push(problem('gold_not_json', `golden_label is not valid JSON (${parsed.message}: char ${parsed.pos}): the reference scores every rollout 0`));
      } else {
        plan.problems.push(problem('bad_ground_truth', `golden_label: the reference's json.loads raises ${parsed.kind === 'value' ? 'ValueError' : 'RecursionError'} (${parsed.message}) for every rollout`));
      }
      return plan;
    }
    const table = parsed.value;
    if (table.top !== 'dict') {
      plan.problems.push(problem('no_gold_rows', `golden_label is a JSON ${table.top}, not an object with "data": the reference finds no gold rows and scores every rollout 0`));
      return plan;
    }
    const data = table.data;
    if (data === undefined) {
      plan.problems.push(problem('no_gold_rows', 'golden_label has no "data" field: the reference finds no gold rows and scores every rollout 0'));
      return plan;
    }
    if (Array.isArray(data)) {
      if (data.length === 0) {
        plan.problems.push(problem('no_gold_rows', 'golden_label\'s "data" is empty: with no gold rows the reference scores every rollout 0'));
        return plan;
      }
    } else if (data.t === 'str' || data.t === 'dict') {
      plan.problems.push(
        problem(
          'gold_not_a_table',
          `golden_label's "data" is a JSON ${data.t === 'str' ? 'string' : 'object'}, not a list of rows: the reference matches its ${data.t === 'str' ? 'characters' : 'keys'} as rows, and a response's "data" must be a list, so the gold table itself scores 0`,
        ),
      );
    } else {
      plan.problems.push(problem('bad_ground_truth', `golden_label's "data" is a JSON ${data.t}: the reference iterates it and raises TypeError for every rollout`));
      return plan;
    }
    plan.response = answerTags(label);
    plan.explain = (outcome) =>
      problem('ideal_below_best', `the gold table inside <answer></answer> scores ${outcome.score}, below 1${typeof outcome.details?.rule === 'string' ? ` (${outcome.details.rule})` : ''}`);
    return plan;
  },
};

// ---------------------------------------------------------------------------------------------
// Math golds (math_verify routes, retrieval_calculate's golden_label, the judge routes' math_verify mode)

const MATH_FUNCTION_NAMES = new Set(['sin', 'cos', 'tan', 'cot', 'sec', 'csc', 'log', 'exp', 'max', 'min', 'gcd', 'lcm', 'mod', 'det', 'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'tanh', 'sqrt', 'frac', 'inf', 'lim']);
const TEXT_COMMAND = /\\(?:text|textbf|textit|mathrm|mathbf|operatorname|mbox)\s*\{[^{}]*\}/g;
// A think tag in a gold is its own problem (gold_contains_think_tag), not a word.
const THINK_TAG = /<\/?think>/g;
const BARE_WORD = /(?<![\\A-Za-z])[A-Za-z]{3,}(?![A-Za-z])/g;

/**
 * Why a math gold cannot be matched, when \\boxed{gold} scores 0 against it. `window`: the route
 * reads only the last 500 code points (math_verify_from_sky; math_verify.compute_score reads all).
 */
function explainMathGold(gold: string, outcome: IdealOutcome, where: string, window = true): Problem {
  const length = codePointLength(gold);
  if (window && length > MATH_TAIL - 10) {
    return problem('math_gold_unparseable', `${where} is ${length} code points long: the reference reads only the last ${MATH_TAIL} code points of a response, so \\boxed{gold} never fits and every rollout scores 0`);
  }
  const rule = outcome.details?.rule;
  const why = rule === 'no_extraction' || rule === 'no_gold_extraction' ? 'Math-Verify finds no answer in \\boxed{gold}' : 'Math-Verify does not find \\boxed{gold} equal to the gold';
  return problem('math_gold_unparseable', `${where} ${quote(gold)} is not parseable: ${why}, so every rollout will score 0`);
}

/**
 * A gold that mixes words with a number ("about 42 %") is read by Math-Verify as a product of
 * letters: only a verbatim copy matches. Reported when the gold without its words, boxed, scores 0.
 */
function mathGoldWords(gold: string, ctx: ScoreContext, where: string, score: typeof mathVerifyScore = mathVerifyScore): Problem | undefined {
  const words: string[] = [];
  // Words inside \text{...} are text on purpose and stay (so do think tags); bare ones are taken out.
  const withoutWords = gold.replace(new RegExp(`${TEXT_COMMAND.source}|${THINK_TAG.source}|${BARE_WORD.source}`, 'g'), (m) => {
    if (m.startsWith('\\') || m.startsWith('<') || MATH_FUNCTION_NAMES.has(m.toLowerCase())) return m;
    words.push(m);
    return ' ';
  });
  if (words.length === 0) return undefined;
  const stripped = fold(withoutWords);
  if (stripped === '' || !/\d/.test(stripped)) return undefined;
  const plain = score(`\\boxed{${stripped}}`, gold, ctx);
  if (plain.score > 0) return undefined;
  return problem(
    'math_gold_words',
    `${where} ${quote(gold)} contains the word${words.length > 1 ? 's' : ''} ${words.map((w) => `"${w}"`).join(', ')}, which Math-Verify reads as a product of letters: only a verbatim copy of the gold scores 1, and the answer ${quote(stripped)} scores 0; standardise the gold (e.g. to ${quote(stripped)})`,
  );
}

/**
 * A math gold as math_verify_from_sky iterates it: the strings it compares with, or the TypeError
 * it raises. `type`: the gold's Python type name (a JSON 42.0 is a float; JavaScript reads 42).
 */
function mathGoldStrings(gold: unknown, where: string, type = jsPyTypeName(gold)): Read<string[]> {
  if (typeof gold === 'string') return { ok: true, value: [gold] };
  if (Array.isArray(gold)) return { ok: true, value: gold.map((_, i) => pyStr(pyMember(gold, String(i)))) };
  if (gold !== null && typeof gold === 'object') return { ok: true, value: Object.keys(gold) };
  return {
    ok: false,
    problem: problem(
      'bad_ground_truth',
      `${where} is ${typedValue(gold, type)}, not a string: the reference raises TypeError: argument of type '${type}' is not iterable for every rollout with an answer${storeAsString(gold, type)}`,
    ),
  };
}

/** The math_verify_from_sky part of a route's plan: the gold value it compares with (of Python type `type`), \\boxed{} of its first string. */
function skyMathPlan(plan: IdealPlan, goldValue: unknown, type: string, ctx: ScoreContext): IdealPlan {
  const golds = mathGoldStrings(goldValue, 'the math gold', type);
  if (!golds.ok) return { ...plan, problems: [golds.problem] };
  const gold = golds.value[0];
  if (gold === undefined) {
    plan.problems.push(problem('math_gold_unparseable', `the math gold is ${shown(goldValue)}: with no gold string to compare with, every rollout scores 0`));
    return plan;
  }
  if (typeof goldValue !== 'string') {
    plan.problems.push(problem('odd_ground_truth', `the math gold is ${typeOf(goldValue)}: the reference compares with its ${Array.isArray(goldValue) ? 'elements' : 'keys'}; store the answer as a string`));
  }
  const words = mathGoldWords(gold, ctx, 'math gold');
  if (words) plan.problems.push(words);
  plan.response = `\\boxed{${gold}}`;
  plan.explain = (outcome) => explainMathGold(gold, outcome, 'math gold');
  return plan;
}

const BOXED_GOLD = '"\\boxed{gold}" (the gold answer string inside \\boxed{})';

/** math_longcot_math_verify routes: the last element of a list, then a string or its golden_label. */
const mathLongcot: IdealRecipe = {
  construction: BOXED_GOLD,
  plan({ dataSource, groundTruth }, ctx) {
    const plan: IdealPlan = { reward_type: dataSource, scorer: 'math_verify', best: 1, problems: [] };
    const gtRead = lastIfList(groundTruth);
    if (!gtRead.ok) return { ...plan, problems: [gtRead.problem] };
    const goldRead = typeof gtRead.value === 'string' ? gtRead : readKey(gtRead.value, 'golden_label', 'ground_truth');
    if (!goldRead.ok) return { ...plan, problems: [goldRead.problem] };
    // A string ground truth is the gold; otherwise its golden_label member, whose Python type is recorded there.
    const type = goldRead === gtRead ? jsPyTypeName(goldRead.value) : pyMemberTypeName(gtRead.value as object, 'golden_label');
    return skyMathPlan(plan, goldRead.value, type, ctx);
  },
};

/** math_dapo_math_verify: math_verify_from_sky on the ground truth as it is (no last element, no golden_label). */
const mathDapoMathVerify: IdealRecipe = {
  construction: `${BOXED_GOLD}; a list of golds: the first`,
  plan({ dataSource, groundTruth, groundTruthType }, ctx) {
    return skyMathPlan({ reward_type: dataSource, scorer: 'math_verify', best: 1, problems: [] }, groundTruth, groundTruthType, ctx);
  },
};

/** `an int (42)`, `a float (42.0)`: a ground truth by its Python type (JavaScript reads 42.0 as 42). */
function typedValue(value: unknown, type: string): string {
  const text = type === 'float' && Number.isInteger(value) ? `${String(value)}.0` : shown(value);
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type} (${text})`;
}

/** How to store a ground truth that is not a string, for the routes that read it as one. */
function storeAsString(value: unknown, type: string): string {
  if (type === 'int' || type === 'float') return `; store it as the string ${JSON.stringify(type === 'float' && Number.isInteger(value) ? `${String(value)}.0` : String(value))}`;
  if (type === 'list') return '; this route reads the ground truth as it is (not its last element, nor a golden_label): store the answer string';
  return '; store the answer as a string';
}

/** The problem of a route that reads its ground truth as a string and gets another type: what the reference raises, and how to store it. */
function notAString(value: unknown, type: string, raises: string): Problem {
  return problem('bad_ground_truth', `the ground truth is ${typedValue(value, type)}, not a string: ${raises}, for every rollout${storeAsString(value, type)}`);
}

/** MATH##* and aime* routes: math_verify.compute_score, Math-Verify's math_metric on the whole response. */
const mathVerifyMetric: IdealRecipe = {
  construction: `${BOXED_GOLD}; the scorer reads the whole response and parses the gold as LaTeX`,
  plan({ dataSource, groundTruth, groundTruthType }, ctx) {
    const plan: IdealPlan = { reward_type: dataSource, scorer: 'math_verify_metric', best: 1, problems: [] };
    if (typeof groundTruth !== 'string') {
      const raises = `the reference's "\\\\boxed{" + ground_truth + "}" raises TypeError: can only concatenate str (not "${groundTruthType}") to str`;
      return { ...plan, problems: [notAString(groundTruth, groundTruthType, raises)] };
    }
    const words = mathGoldWords(groundTruth, ctx, 'math gold', mathVerifyMetricScore);
    if (words) plan.problems.push(words);
    plan.response = `\\boxed{${groundTruth}}`;
    plan.explain = (outcome) => explainMathGold(groundTruth, outcome, 'math gold', false);
    return plan;
  },
};

// ---------------------------------------------------------------------------------------------
// Minerva (math_dapo, math, math_dapo_reasoning, math_longcot)

/** The code points math_dapo.compute_score keeps of a response. */
const MINERVA_TAIL = 500;

const minerva: IdealRecipe = {
  construction:
    '"Answer: " + the gold (when that line does not match, e.g. it is longer than the last 500 code points the scorer reads, ' +
    '"Answer: " + the gold as normalize_final_answer leaves it)',
  plan({ dataSource, groundTruth, groundTruthType }, ctx) {
    const plan: IdealPlan = { reward_type: dataSource, scorer: 'minerva', best: 1, problems: [] };
    if (typeof groundTruth !== 'string') {
      const raises = `the reference's normalize_final_answer raises AttributeError: '${groundTruthType}' object has no attribute 'split'`;
      return { ...plan, problems: [notAString(groundTruth, groundTruthType, raises)] };
    }
    const normalized = normalizeFinalAnswer(groundTruth);
    if (normalized === '') {
      plan.problems.push(
        problem('empty_label', `the gold ${quote(groundTruth)} is empty after normalize_final_answer: any "Answer:" line that normalises to nothing (e.g. "Answer: $$") scores 1`),
      );
    }
    // String equality after normalisation: the gold itself normally matches, its normalised form
    // when the gold is too long for the window or holds an "Answer:" of its own.
    const candidates = [`Answer: ${groundTruth}`, `Answer: ${normalized}`];
    plan.response = candidates.find((r) => minervaScore(r, groundTruth, ctx).score === 1) ?? candidates[0]!;
    plan.explain = (outcome) => {
      if (normalized.includes('\n')) {
        return problem(
          'answer_line_unmatchable',
          `the gold ${quote(groundTruth)} keeps a line break after normalize_final_answer, and the reference's "Answer:" capture stops at the end of its line: no response can equal it, so every rollout scores 0`,
        );
      }
      const length = codePointLength(`Answer: ${normalized}`);
      if (length > MINERVA_TAIL) {
        return problem(
          'answer_line_unmatchable',
          `the gold is ${codePointLength(normalized)} code points even after normalize_final_answer: an "Answer:" line holding it does not fit the last ${MINERVA_TAIL} code points the reference reads, so every rollout scores 0`,
        );
      }
      return problem('ideal_below_best', `"Answer: " + the gold scores ${outcome.score}, below 1`);
    };
    return plan;
  },
};

// ---------------------------------------------------------------------------------------------
// retrieval_calculate

const DOC_ID = /^<\|doc_\p{Nd}+\|>$/u;

const retrievalCalculate: IdealRecipe = {
  construction: '"<relevant_doc_ids>" with the gold doc ids, comma-separated, "</relevant_doc_ids>", then "<continue_reasoning>\\boxed{golden_label}</continue_reasoning>"',
  plan({ dataSource, groundTruth }, ctx) {
    const plan: IdealPlan = { reward_type: dataSource, scorer: 'retrieval_calculate', best: 1, problems: [] };
    const gtRead = lastIfList(groundTruth);
    if (!gtRead.ok) return { ...plan, problems: [gtRead.problem] };
    const docIds = readKey(gtRead.value, 'doc_ids', 'ground_truth');
    if (!docIds.ok) return { ...plan, problems: [docIds.problem] };
    const value = docIds.value;
    const ids = pyIterate(value);
    if (ids === undefined) {
      plan.problems.push(problem('bad_ground_truth', `doc_ids is ${shown(value)}: the reference's set() of it raises TypeError: '${jsPyTypeName(value)}' object is not iterable, for every rollout that cites ids`));
      return plan;
    }
    const unhashable = ids.find((d) => d !== null && typeof d === 'object');
    if (unhashable !== undefined) {
      plan.problems.push(problem('bad_ground_truth', `doc_ids holds ${typeOf(unhashable)}: the reference's set() raises TypeError: unhashable type: '${jsPyTypeName(unhashable)}', for every rollout that cites ids`));
      return plan;
    }
    const label = readKey(gtRead.value, 'golden_label', 'ground_truth');
    if (!label.ok) return { ...plan, problems: [label.problem] };
    const golds = mathGoldStrings(label.value, 'golden_label', pyMemberTypeName(gtRead.value as object, 'golden_label'));
    if (!golds.ok) return { ...plan, problems: [golds.problem] };

    if (typeof value === 'string') {
      plan.problems.push(problem('doc_ids_unmatchable', `doc_ids is a string ${quote(value)}: the reference compares the cited ids with its characters, which are never <|doc_N|> ids, so every rollout scores 0; store a list`));
    } else if (ids.length === 0) {
      plan.problems.push(problem('doc_ids_unmatchable', 'doc_ids is empty: a response must cite at least one <|doc_N|> id to be scored, and then its ids differ from the empty gold set; every rollout scores 0'));
    } else {
      const bad = ids.find((d) => typeof d !== 'string' || !DOC_ID.test(d));
      if (bad !== undefined) {
        plan.problems.push(problem('doc_ids_unmatchable', `doc_ids holds ${shown(bad)}, which is not a <|doc_N|> id: the ids a response cites can never equal the gold set, so every rollout scores 0`));
      }
    }
    const gold = golds.value[0];
    if (gold === undefined) {
      plan.problems.push(problem('math_gold_unparseable', `golden_label is ${shown(label.value)}: with no gold string to compare with, every rollout scores 0`));
      return plan;
    }
    const words = mathGoldWords(gold, ctx, 'golden_label');
    if (words) plan.problems.push(words);
    const cited = ids.filter((d): d is string => typeof d === 'string');
    plan.response = `<relevant_doc_ids>${cited.join(', ')}</relevant_doc_ids>\n<continue_reasoning>\\boxed{${gold}}</continue_reasoning>`;
    plan.explain = (outcome) => {
      const math = mathVerifyScore(`\\boxed{${gold}}`, label.value, { ...ctx, details: true });
      if (math.score === 0) return explainMathGold(gold, { score: 0, ...(math.details && { details: math.details }) }, 'golden_label');
      return problem('ideal_below_best', `the gold ids with \\boxed{golden_label} score ${outcome.score}, below 1`);
    };
    return plan;
  },
};

// ---------------------------------------------------------------------------------------------
// selection, EM

/** The golden_label string, or the problem the reference raises on for every rollout. */
function goldenLabel(groundTruth: unknown, method: string): Read<string> {
  const gtRead = lastIfList(groundTruth);
  if (!gtRead.ok) return gtRead;
  const label = readKey(gtRead.value, 'golden_label', 'ground_truth');
  if (!label.ok) return label;
  if (typeof label.value !== 'string') {
    const type = jsPyTypeName(label.value);
    return {
      ok: false,
      problem: problem('bad_ground_truth', `golden_label is ${typeOf(label.value)} (${shown(label.value)}), not a string: the reference raises AttributeError: '${type}' object has no attribute '${method}' for every rollout`),
    };
  }
  return { ok: true, value: label.value };
}

function choiceHint(label: string): string {
  const stripped = pyStrip(label);
  if (/^[A-D]$/.test(stripped)) return ' (it has surrounding whitespace; write the bare letter)';
  if (/^[a-d]$/.test(stripped)) return ' (letters are case-sensitive: write it in upper case)';
  if (/^\(?[A-D]\)?\.?$/.test(stripped)) return ' (write the bare letter, or "The correct answer is (X)")';
  if (/^[E-Z]$/i.test(stripped)) return ' (the reference recognises only A-D)';
  if (stripped === '') return ' (it is empty)';
  return '';
}

const selection: IdealRecipe = {
  construction: '"The correct answer is (X)", X the golden_label letter (or the letter a golden_label text names)',
  plan({ dataSource, groundTruth }) {
    const plan: IdealPlan = { reward_type: dataSource, scorer: 'choice', best: 1, problems: [] };
    const label = goldenLabel(groundTruth, 'replace');
    if (!label.ok) return { ...plan, problems: [label.problem] };
    const letter = /^[A-D]$/.test(label.value) ? label.value : extractChoice(label.value);
    if (letter === null) {
      plan.problems.push(
        problem('label_not_a_choice', `golden_label ${quote(label.value)} is not one of the letters A-D, nor a text containing "The correct answer is (X)"${choiceHint(label.value)}: every rollout scores 0`),
      );
      return plan;
    }
    plan.response = `The correct answer is (${letter})`;
    plan.explain = (outcome) => problem('ideal_below_best', `"The correct answer is (${letter})" scores ${outcome.score}, below 1`);
    return plan;
  },
};

const exactMatch: IdealRecipe = {
  construction: 'the golden_label itself',
  plan({ dataSource, groundTruth }) {
    const plan: IdealPlan = { reward_type: dataSource, scorer: 'em', best: 1, problems: [] };
    const label = goldenLabel(groundTruth, 'strip');
    if (!label.ok) return { ...plan, problems: [label.problem] };
    if (pyStrip(label.value) === '') {
      plan.problems.push(problem('empty_label', `golden_label ${quote(label.value)} is empty after strip(): a rollout that writes nothing after </think> scores 1`));
    }
    plan.response = label.value;
    plan.explain = (outcome) => problem('ideal_below_best', `the golden_label itself scores ${outcome.score}, below 1`);
    return plan;
  },
};

// ---------------------------------------------------------------------------------------------
// Judge routes (model_verify, retrieval_summary_calculate, model_judge, retrieval_model_judge)

const judge: IdealRecipe = {
  construction:
    'extra_info.ground_truth itself (an exact copy scores 1 in reward modes "math_verify", "model_judge", "model_judge_with_question", "model_compare"); ' +
    '"\\boxed{…}" of it when it is not a string',
  plan({ dataSource, extraInfo }) {
    const plan: IdealPlan = { reward_type: dataSource, best: 1, problems: [] };
    const mode = readKey(extraInfo, 'reward_mode', 'extra_info');
    if (!mode.ok) return { ...plan, problems: [mode.problem] };
    const isMath = mode.value === 'math_verify';
    if (!isMath && !(typeof mode.value === 'string' && JUDGE_MODES.has(mode.value))) {
      plan.problems.push(
        problem(
          'judge_required',
          `extra_info.reward_mode ${shown(mode.value)} is none of math_verify, model_judge, model_judge_with_question, model_compare: the reference raises NotImplementedError (genrm_remote) for every rollout (/score answers judge_required)`,
        ),
      );
      return plan;
    }
    const exact = readKey(extraInfo, 'ground_truth', 'extra_info');
    if (!exact.ok) return { ...plan, problems: [exact.problem] };
    plan.scorer = isMath ? 'math_verify' : 'exact_match';
    if (!isMath) {
      plan.problems.push(
        problem(
          'judge_required',
          typeof exact.value === 'string'
            ? `reward_mode ${shown(mode.value)}: only an exact copy of extra_info.ground_truth scores (1); every other rollout needs the LLM judge, which the reference calls and this service does not run (/score answers judge_required)`
            : `reward_mode ${shown(mode.value)} with extra_info.ground_truth ${typeOf(exact.value)}: no response equals it, so every rollout needs the LLM judge (/score answers judge_required)`,
        ),
      );
      if (typeof exact.value !== 'string') return plan;
    }
    plan.response = typeof exact.value === 'string' ? exact.value : `\\boxed{${pyStr(pyFromJs(exact.value))}}`;
    plan.explain = (outcome) => problem('ideal_below_best', `extra_info.ground_truth as the response scores ${outcome.score}, below 1`);
    return plan;
  },
};

/** One recipe per dispatcher branch (the compiler checks that every branch has one). */
export const IDEAL_RECIPES: Readonly<Record<VerlBranch, IdealRecipe>> = {
  longbench_pro: longbenchPro,
  iou: multitable,
  retrieval_calculate: retrievalCalculate,
  selection,
  EM: exactMatch,
  math: mathLongcot,
  judge,
  minerva,
  math_dapo_math_verify: mathDapoMathVerify,
  math_verify_metric: mathVerifyMetric,
};

/** The ideal response of each native scorer, in words (GET /tasks reads it through the registry). */
export const IDEAL_RESPONSE_BY_SCORER: Readonly<Record<string, string>> = {
  em: exactMatch.construction,
  choice: selection.construction,
  accuracy: '"[Answer]" and the first answer on the next line',
  f1: '"[Answer]" and every answer one per line',
  subem: '"[Answer]" and every answer one per line',
  ndcg: '"[Answer]" and every answer one per line, in gold order',
  pairwise: '"[Answer]" and the answers one per line, each once, in gold order',
  rouge_l: 'the first reference summary itself (its best is 2/(2+1e-8), ROUGE-L\'s F for p = r = 1)',
  iou: multitable.construction,
  math_verify: mathLongcot.construction,
  math_verify_metric: mathVerifyMetric.construction,
  minerva: minerva.construction,
  retrieval_calculate: retrievalCalculate.construction,
};

/** Thrown errors of the router, as problems (for outcomes no recipe foresaw). */
export function errorProblem(error: { code: ItemErrorCode; message: string }): Problem {
  switch (error.code) {
    case 'bad_ground_truth':
      return problem('bad_ground_truth', `${error.message} (every rollout: /score answers bad_ground_truth)`);
    case 'unknown_task':
    case 'unknown_data_source':
    case 'judge_required':
      return problem(error.code, error.message);
    default:
      return problem('check_failed', `the ideal response could not be scored: ${error.code}: ${error.message}`);
  }
}
