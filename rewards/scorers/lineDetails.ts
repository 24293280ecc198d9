// What the reward debugger shows for LongBench-Pro's line metrics, built only when details are
// asked for: each answer line and each reference with the status the metric gave it, the NDCG
// ranking with each position's gain and discount, the Pairwise reference pairs. The scores
// themselves come from the metric modules; this file only lays out what they compared.
import { lastOccurrences } from './ndcg.js';

/** How the metric treated an answer line (a prediction) or a reference. */
export type LineStatus = 'matched' | 'unmatched' | 'ignored' | 'beyond_k' | 'found' | 'missing';

export interface LineEntry {
  text: string;
  status: LineStatus;
  /** The same text appeared earlier in its list. */
  duplicate?: boolean;
}

/** Marks each entry that repeats an earlier one. */
function withDuplicates(texts: readonly string[], status: (text: string, index: number) => LineStatus): LineEntry[] {
  const seen = new Set<string>();
  return texts.map((text, i) => {
    const entry: LineEntry = { text, status: status(text, i) };
    if (seen.has(text)) entry.duplicate = true;
    else seen.add(text);
    return entry;
  });
}

/** F1 and SubEM: a line matches when it is a reference; a reference is found when it is a line. */
export function setLines(answers: readonly string[], predictions: readonly string[]): { lines: LineEntry[]; reference_lines: LineEntry[] } {
  const answerSet = new Set(answers);
  const predictionSet = new Set(predictions);
  return {
    lines: withDuplicates(predictions, (t) => (answerSet.has(t) ? 'matched' : 'unmatched')),
    reference_lines: withDuplicates(answers, (t) => (predictionSet.has(t) ? 'found' : 'missing')),
  };
}

/** Accuracy: only the first line and the first reference are compared. */
export function firstLines(answers: readonly string[], predictions: readonly string[], equal: boolean): { lines: LineEntry[]; reference_lines: LineEntry[] } {
  return {
    lines: withDuplicates(predictions, (_t, i) => (i > 0 ? 'ignored' : equal ? 'matched' : 'unmatched')),
    reference_lines: withDuplicates(answers, (_t, i) => (i > 0 ? 'ignored' : equal ? 'found' : 'missing')),
  };
}

export interface RankedLine {
  rank: number;
  text: string;
  gain: number;
  /** log2(rank + 1) */
  discount: number;
}

/**
 * NDCG: the run in trec_eval's order (each line at its last occurrence), the top k with gains;
 * lines: matched (gain > 0), unmatched, beyond_k, or a duplicate whose last occurrence counts.
 */
export function ndcgLines(answers: readonly string[], predictions: readonly string[], ranked: readonly number[], gains: readonly number[], k: number) {
  const ranking: RankedLine[] = gains.map((gain, i) => ({ rank: i + 1, text: predictions[ranked[i]!]!, gain, discount: Math.log2(i + 2) }));
  const rankOf = new Map<number, number>();
  ranked.forEach((index, r) => rankOf.set(index, r));
  const lines: LineEntry[] = predictions.map((text, i) => {
    const r = rankOf.get(i);
    if (r === undefined) return { text, status: 'ignored', duplicate: true };
    if (r >= k) return { text, status: 'beyond_k' };
    return { text, status: gains[r]! > 0 ? 'matched' : 'unmatched' };
  });
  const ideal = lastOccurrences(answers);
  const idealGains = ideal.slice(0, k).map((index) => answers.length - index);
  return { ranking, lines, ideal_gains: idealGains };
}

export interface ReferencePair {
  first: string;
  second: string;
  /** Positions (0-based line numbers, last occurrence) in the prediction; -1 when not predicted. */
  first_at: number;
  second_at: number;
  in_order: boolean;
}

/** Most pairs listed in details; the counts always cover all of them. */
export const MAX_LISTED_PAIRS = 2000;

/** Pairwise: every reference pair (i < j) and whether the prediction has it in the same order. */
export function pairwiseLines(answers: readonly string[], predictions: readonly string[]) {
  const last = new Map<string, number>();
  predictions.forEach((p, i) => last.set(p, i));
  const at = answers.map((a) => last.get(a) ?? -1);
  const pairs: ReferencePair[] = [];
  let total = 0;
  for (let i = 0; i < answers.length; i++) {
    for (let j = i + 1; j < answers.length; j++) {
      total++;
      if (pairs.length < MAX_LISTED_PAIRS) pairs.push({ first: answers[i]!, second: answers[j]!, first_at: at[i]!, second_at: at[j]!, in_order: at[i]! >= 0 && at[j]! > at[i]! });
    }
  }
  const answerSet = new Set(answers);
  const lastIndex = new Set(last.values());
  const lines: LineEntry[] = predictions.map((text, i) => ({
    text,
    status: answerSet.has(text) ? 'matched' : 'unmatched',
    ...(!lastIndex.has(i) && { duplicate: true }),
  }));
  return { pairs, reference_pairs: total, pairs_listed: pairs.length, lines };
}
