// LongBench-Pro's compute_score after the sub-task lookup: the empty checks, Python's truthiness
// and len() of the answers, then one of six metrics inside the reference's try/except (any
// failure, and any result outside [0, 1], scores 0).
import { accuracyScore } from './scorers/accuracy.js';
import { f1Score } from './scorers/f1.js';
import { lastAnswerAreaLength, normalizeAnswers, normalizePrediction, normalizeSummary, summaryForRouge } from './scorers/lbpNormalize.js';
import { ndcgScore } from './scorers/ndcg.js';
import { LruCache } from './lruCache.js';
import { pairwiseScore } from './scorers/pairwise.js';
import { RECURSION_WALK_LIMIT, rougeLMax, type RougeFailureReason, type SpacedTokens } from './scorers/rougeL.js';
import { subemScore } from './scorers/subem.js';
import { joinSegmented, loadJiebaDictionaries, pyJiebaJoin, pyJiebaSegment, type Segmented } from './jiebaPy.js';
import { answerArea, pyStrip } from './text.js';
import { firstLines, ndcgLines, pairwiseLines, setLines } from './scorers/lineDetails.js';
import type { AuditTrace } from './audit/trace.js';
import { ScoreFailure, type ScoreContext, type ScorerOutput } from './types.js';

export type LbpMetric = 'NDCG' | 'Pairwise_Accuracy' | 'Accuracy' | 'Summary' | 'F1_Score' | 'SubEM';

/** The reference's TASK_METRIC_CONFIG: the 25 sub-task names (exact strings) and their metric. */
export const LBP_SUBTASK_METRIC: Readonly<Record<string, LbpMetric>> = Object.freeze({
  'T1.1 Global Cohesive Retrieval': 'NDCG',
  'T1.2 Key-Snippet Retrieval': 'NDCG',
  'T2.1 Global Timeline Reconstruction': 'Pairwise_Accuracy',
  'T2.2 Local Causal Chain Sorting': 'Pairwise_Accuracy',
  'T3.1 Multi-Doc Integration QA': 'Accuracy',
  'T3.2 Single-Hop Fact QA': 'Accuracy',
  'T4.1 Global-Coverage Constrained Summary': 'Summary',
  'T4.2 Query-Focused Summary': 'Summary',
  'T5.1 Full-Sentence Citation Alignment': 'F1_Score',
  'T5.2 Key-Statement Citation Alignment': 'F1_Score',
  'T6.1 Large-Scale Document Clustering': 'SubEM',
  'T6.2 Targeted Subset Cluster Identification': 'F1_Score',
  'T6.3 Global Frequency Analysis': 'Pairwise_Accuracy',
  'T7.1 Global Conflict & Inconsistency Localization': 'F1_Score',
  'T7.2 Targeted Rule or Condition Violation Detection': 'F1_Score',
  'T7.3 Comprehensive Error & Anomaly Sweep': 'F1_Score',
  'T8.1 Structured Multi-Source Consistency Verification': 'SubEM',
  'T8.2 Single-Source Targeted Aggregation': 'SubEM',
  'T8.3 Long-Context Procedural State Tracking': 'SubEM',
  'T9.1 Dependency-Aware Multi-Version Impact Analysis': 'F1_Score',
  'T9.2 Localized Interface Change Detection': 'F1_Score',
  'T10.1 Large-Scale In-Context Rule Induction': 'SubEM',
  'T10.2 Targeted Example-Based Rule Induction': 'SubEM',
  'T11.1 Long-Range Entity & Commitment Tracking': 'Accuracy',
  'T11.2 Short-Range Reference Resolution & State Query': 'Accuracy',
});

/** Native scorer name of each metric. */
export const LBP_METRIC_SCORER: Readonly<Record<LbpMetric, string>> = Object.freeze({
  NDCG: 'ndcg',
  Pairwise_Accuracy: 'pairwise',
  Accuracy: 'accuracy',
  Summary: 'rouge_l',
  F1_Score: 'f1',
  SubEM: 'subem',
});

interface Outcome {
  score: number;
  details: Record<string, unknown>;
}

/**
 * What Python's `for a in answers` yields after `if not answers or len(answers) == 0: return 0`:
 * undefined when that check returns 0. `len()` of a bool or number raises outside the
 * reference's try, so those are item errors.
 */
function iterateAnswers(answers: unknown, warnings: string[]): unknown[] | undefined {
  if (Array.isArray(answers)) return answers.length === 0 ? undefined : answers;
  if (typeof answers === 'string') {
    if (answers.length === 0) return undefined;
    warnings.push('bad_ground_truth: doc_ids is a string; the reference uses its characters as the answers');
    return Array.from(answers);
  }
  if (answers === null || answers === false || answers === 0) return undefined;
  if (typeof answers === 'object') {
    const keys = Object.keys(answers);
    if (keys.length === 0) return undefined;
    warnings.push('bad_ground_truth: doc_ids is an object; the reference uses its keys as the answers');
    return keys;
  }
  if (answers === undefined) throw new ScoreFailure('bad_ground_truth', 'doc_ids is missing', 'ground_truth.doc_ids');
  throw new ScoreFailure('bad_ground_truth', `doc_ids is ${JSON.stringify(answers)}, which has no len() (the reference raises TypeError)`, 'ground_truth.doc_ids');
}

/** Details are built only when asked for: on the hot path they would be most of the cost. */
function lineMetric(metric: Exclude<LbpMetric, 'Summary'>, answers: string[], predictions: string[], details: boolean, trace?: AuditTrace): Outcome {
  switch (metric) {
    case 'Accuracy': {
      const r = accuracyScore(answers, predictions);
      if (!details) return { score: r.score, details: NO_DETAILS };
      const rule = r.score === 1 ? 'first line equals the first answer' : predictions.length === 0 ? 'no answer line' : 'first line differs from the first answer';
      return { score: r.score, details: { answers, predictions, rule, ...firstLines(answers, predictions, r.score === 1) } };
    }
    case 'F1_Score': {
      const r = f1Score(answers, predictions);
      if (!details) return { score: r.score, details: NO_DETAILS };
      return {
        score: r.score,
        details: {
          answers,
          predictions,
          common: r.common,
          answer_set_size: r.answerSetSize,
          prediction_set_size: r.predictionSetSize,
          precision: r.precision,
          recall: r.recall,
          rule: r.common.length === 0 ? 'no answer line is a reference' : 'F1 of the distinct answer lines against the distinct references',
          ...setLines(answers, predictions),
        },
      };
    }
    case 'SubEM': {
      const r = subemScore(answers, predictions);
      if (!details) return { score: r.score, details: NO_DETAILS };
      return {
        score: r.score,
        details: {
          answers,
          predictions,
          matched: answers.filter((_, i) => r.found[i]),
          missing: answers.filter((_, i) => !r.found[i]),
          rule: 'share of the references (each occurrence counted) found among the answer lines',
          ...setLines(answers, predictions),
        },
      };
    }
    case 'NDCG': {
      const r = ndcgScore(answers, predictions);
      if (trace) trace.distinctLines = r.distinctLines;
      if (!details) return { score: r.score, details: NO_DETAILS };
      const shown = ndcgLines(answers, predictions, r.ranked, r.gains, r.k);
      return {
        score: r.score,
        details: { answers, predictions, k: r.k, dcg: r.dcg, idcg: r.idcg, top_k_gains: r.gains, ...shown, rule: r.rule ?? 'DCG of the top k answer lines over the ideal DCG' },
      };
    }
    case 'Pairwise_Accuracy': {
      const r = pairwiseScore(answers, predictions);
      if (trace) trace.lastPositions = r.positions;
      if (!details) return { score: r.score, details: NO_DETAILS };
      const rule =
        answers.length <= 1 ? 'fewer than two references: no pair' : predictions.length <= 1 ? 'fewer than two answer lines: no pair' : 'reference pairs in order over all pairs of answer lines';
      return { score: r.score, details: { answers, predictions, correct_pairs: r.correctPairs, total_pairs: r.totalPairs, rule, ...pairwiseLines(answers, predictions) } };
    }
  }
}

/** Which marker opened the answer area (LongBench-Pro reads after the last one), or null for the whole response. */
function answerMarker(response: string): string | null {
  return response.includes('[Answer]') ? '[Answer]' : response.includes('[答案]') ? '[答案]' : null;
}

const NO_DETAILS: Readonly<Record<string, unknown>> = Object.freeze({});

const ROUGE_FAILURE_RULES: Record<RougeFailureReason, string> = {
  hypothesis_empty: 'the response has no sentence (py-rouge raises; the reference scores 0)',
  reference_empty: 'a reference has no sentence (py-rouge raises; the reference scores 0)',
  reference_recursion_limit: `a sentence pair needs an LCS walk longer than Python's recursion limit allows (${RECURSION_WALK_LIMIT} steps); py-rouge raises RecursionError and the reference scores 0`,
};

/** Segmented reference summaries: the 16 rollouts of a prompt share one. */
const referenceSegmentations = new LruCache<string>(256, 20_000);
const segmentedReference = (text: string): string => referenceSegmentations.get(text, pyJiebaJoin);

function summaryMetric(answers: string[], response: string, chinese: boolean, ctx: ScoreContext): Outcome {
  // English: ROUGE-L folds each sentence itself (summaryForRouge); the folded text is only shown.
  const normalized = chinese || ctx.details ? normalizeSummary(response) : summaryForRouge(response);
  if (normalized === '') return { score: 0, details: { prediction: normalized, rule: 'empty prediction' } };
  let references = answers;
  let hypothesis: string | SpacedTokens = normalized;
  let segmented: Segmented | undefined;
  if (chinese) {
    ctx.deadline += loadJiebaDictionaries();
    // The reference re-joins jieba's tokens with spaces; ROUGE-L reads the tokens without the
    // joined string being built. The references first: segmenting reuses the token buffers.
    references = answers.map(segmentedReference);
    segmented = pyJiebaSegment(normalized);
    hypothesis = { text: segmented.text, ends: segmented.ends, count: segmented.count, keys: segmented.nodes, keyLimit: segmented.nodeLimit, codes: segmented.codes };
  }
  const r = rougeLMax(hypothesis, references, ctx);
  if (ctx.audit) ctx.audit.bestReference = r.best; // summary_length_outlier compares with it (details may be off)
  if (!ctx.details) return { score: r.score, details: NO_DETAILS };
  const details: Record<string, unknown> = {
    language: chinese ? 'Chinese' : 'English',
    answers: references,
    prediction: segmented ? joinSegmented(segmented) : normalized,
    // precision and recall as py-rouge computes them (llcs / n, llcs / m) before F.
    references: r.references.map((pair, i) => ({ ...pair, precision: pair.llcs / pair.n, recall: pair.llcs / pair.m, ...(r.explanation && { lcs_words: r.explanation.lcsWords[i] }) })),
    best_reference: r.best,
  };
  if (r.explanation) {
    details.hypothesis_sentences = r.explanation.hypothesisSentences;
    details.reference_sentences = r.explanation.referenceSentences;
  }
  if (r.failure) {
    details.reason = r.failure.reason;
    details.failed_reference = r.failure.reference;
    if (r.failure.pair) {
      const p = r.failure.pair;
      details.failed_pair = {
        reference_sentence: p.referenceSentence,
        hypothesis_sentence: p.hypothesisSentence,
        reference_words: p.referenceWords,
        hypothesis_words: p.hypothesisWords,
        walk_limit: RECURSION_WALK_LIMIT,
      };
    }
    details.rule = ROUGE_FAILURE_RULES[r.failure.reason];
  } else details.rule = 'ROUGE-L F of the best reference (union LCS over sentence pairs)';
  return { score: r.score, details };
}

/**
 * LongBench-Pro's compute_score for a known metric. `answers` is the ground truth's doc_ids as
 * given (any JSON value); `chinese` switches on jieba segmentation for Summary.
 */
export function scoreLongBenchPro(response: string, answers: unknown, metric: LbpMetric, chinese: boolean, ctx: ScoreContext): ScorerOutput {
  const warnings: string[] = [];
  const finish = (score: number, details: Record<string, unknown>): ScorerOutput => ({
    score,
    ...(ctx.details && { details: { metric, ...details } }),
    ...(warnings.length > 0 && { warnings }),
  });
  if (pyStrip(response) === '') return finish(0, { rule: 'empty response' });
  const items = iterateAnswers(answers, warnings);
  if (items === undefined) return finish(0, { rule: 'no answers' });
  if (!items.every((a): a is string => typeof a === 'string')) {
    return finish(0, { rule: 'a non-string answer (the reference raises inside its try and scores 0)' });
  }
  const normalized = normalizeAnswers(items);
  let out: Outcome;
  if (metric === 'Summary') {
    out = summaryMetric(normalized, response, chinese, ctx);
    if (ctx.audit) {
      ctx.audit.answers = normalized;
    }
  } else {
    const predictions = normalizePrediction(response);
    if (ctx.audit) {
      ctx.audit.answers = normalized;
      ctx.audit.predictions = predictions;
      ctx.audit.answerAreaLength = lastAnswerAreaLength();
    }
    out = lineMetric(metric, normalized, predictions, ctx.details, ctx.audit);
  }
  if (ctx.details && metric !== 'Summary') {
    const marker = answerMarker(response);
    out.details = { answer_marker: marker, answer_area: answerArea(response), ...out.details };
    if (marker === null && out.score === 0) out.details.rule = `no [Answer] or [答案] marker: the whole response was read as the answer (${String(out.details.rule)})`;
  }
  if (!(out.score >= 0 && out.score <= 1)) {
    return finish(0, { ...out.details, raw_score: out.score, rule: 'score outside [0, 1] (the reference asserts the range and scores 0)' });
  }
  return finish(out.score, out.details);
}
