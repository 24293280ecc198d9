// Why a rollout scored exactly 0, read from the service's `details` (never recomputed): a format
// failure (the think gate, no answer marker, nothing extractable), a wrong answer, a ground truth
// the reference cannot use, or a limit of the reference implementation. Shared by the page's file
// view and the static report, so both count zeros the same way.

import type { ItemResult } from '../../rewards/types.js';

/** A result as the service returns it (POST /score, a results file of golong-reward score). */
export type ResultLike = ItemResult;

/** The LongBench-Pro scorers that read answer lines after [Answer]. */
export const LINE_SCORERS: ReadonlySet<string> = new Set(['accuracy', 'f1', 'subem', 'ndcg', 'pairwise']);

export type ZeroKind = 'format' | 'wrong' | 'ground_truth' | 'limit' | 'unknown';

export interface ZeroReason {
  kind: ZeroKind;
  /** A short phrase, the same for every item with this reason (it is a grouping key). */
  reason: string;
}

export const ZERO_KIND_LABEL: Record<ZeroKind, string> = {
  format: 'format failure',
  wrong: 'wrong answer',
  ground_truth: 'ground-truth problem',
  limit: 'reference limit',
  unknown: 'no details',
};

const format = (reason: string): ZeroReason => ({ kind: 'format', reason });
const wrong = (reason: string): ZeroReason => ({ kind: 'wrong', reason });

/** The reason a scored item got exactly 0; undefined when it did not (or has an error instead). */
export function zeroReason(r: ResultLike): ZeroReason | undefined {
  if (r.score !== 0) return undefined;
  const d = r.details;
  if (!d) return { kind: 'unknown', reason: 'scored without details' };
  const rule = typeof d.rule === 'string' ? d.rule : '';
  if (rule === 'think_gate') return format(`think gate: ${String(d.reason)}`);
  if (LINE_SCORERS.has(r.scorer ?? '')) {
    if (rule === 'empty response') return format('empty response');
    if (rule === 'no answers' || rule.startsWith('a non-string answer')) return { kind: 'ground_truth', reason: rule };
    if (d.answer_marker === null) return format('no [Answer] marker');
    if (rule.startsWith('fewer than two')) return { kind: 'ground_truth', reason: rule };
    if (rule.startsWith('score outside')) return { kind: 'limit', reason: 'score outside [0, 1] (duplicate references)' };
    if (rule.startsWith('duplicate docno')) return { kind: 'limit', reason: 'trec_eval duplicate docno' };
    return wrong('no credited answer line');
  }
  switch (r.scorer) {
    case 'rouge_l':
      if (rule === 'empty response' || d.reason === 'hypothesis_empty') return format('empty response');
      if (d.reason === 'reference_empty' || rule === 'no answers') return { kind: 'ground_truth', reason: 'empty reference' };
      if (d.reason === 'reference_recursion_limit') return { kind: 'limit', reason: "py-rouge recursion limit (a sentence too long)" };
      return wrong('no common word');
    case 'math_verify':
      if (rule === 'no_extraction') return format('no answer extracted');
      return wrong('answer differs from the gold');
    case 'retrieval_calculate':
      if (rule === 'missing_ids_or_reasoning') return format('no <relevant_doc_ids> or <continue_reasoning> block');
      if (d.ids_match === false) return wrong('cited doc ids differ from the gold');
      return wrong('answer differs from the gold');
    case 'choice':
      if (d.extracted === null) return format('no "The correct answer is (X)"');
      return wrong('wrong option');
    case 'em':
      return wrong('text differs from the gold');
    case 'iou':
      if (rule.startsWith('golden_label')) return { kind: 'ground_truth', reason: rule };
      if (rule.startsWith('the answer is') || rule.startsWith('predicted "data"')) return format('answer is not a JSON table with "data"');
      return wrong('no matching row');
  }
  return wrong(rule || 'score 0');
}
