// LongBench-Pro NDCG: trec_eval's ndcg_cut.k as pytrec_eval computes it (m_ndcg_cut.c,
// form_res_rels.c), with k = number of references.
//
// The reference builds Python dicts: qrels {answer: len(answers) - i} and run
// {line: len(lines) - i}, so a repeated key keeps its last (lowest) value and every value is
// distinct: the run order has no ties and the ideal order is the qrels sorted by relevance.
// pytrec_eval hands docnos to C as NUL-terminated UTF-8, so a docno ends at its first NUL; two
// keys that collide there make trec_eval report duplicate docs and leave the measure at 0.

export interface NdcgResult {
  score: number;
  k: number;
  dcg: number;
  idcg: number;
  /** Relevance of the top-k ranked lines (0 for lines that are not references). */
  gains: number[];
  /** Indices of the prediction lines in ranked order (each line's last occurrence). */
  ranked: number[];
  /** Why the score is 0 without a computation, if so. */
  rule?: string;
  /** Distinct lines ranked (the run's keys; repeats collapse), when the run was computed. */
  distinctLines?: number;
}

/** A plain loop: keys.some(callback) cost 0.1 us per item here. */
function anyNul(keys: readonly string[]): boolean {
  for (let k = 0; k < keys.length; k++) if (keys[k]!.indexOf('\0') !== -1) return true;
  return false;
}

const docno = (s: string): string => {
  const nul = s.indexOf('\0');
  return nul === -1 ? s : s.slice(0, nul);
};

/**
 * The keys as trec_eval sees them (cut at a NUL), or undefined when two different keys collide
 * there (trec_eval's duplicate-docs error). Different keys stay different, so equality of the
 * returned keys is equality of the dict keys.
 */
function docnos(keys: readonly string[]): readonly string[] | undefined {
  if (!anyNul(keys)) return keys;
  const keyOf = new Map<string, string>();
  for (const key of keys) {
    const d = docno(key);
    const seen = keyOf.get(d);
    if (seen === undefined) keyOf.set(d, key);
    else if (seen !== key) return undefined;
  }
  return keys.map(docno);
}

/**
 * Indices of the entries of Python `{key: len - i for i, key in enumerate(keys)}`, in descending
 * value order: a repeated key keeps its last index, so these are the last occurrences, ascending.
 */
export function lastOccurrences(keys: readonly string[]): number[] {
  const out: number[] = [];
  if (keys.length <= 32) {
    // Rankings are a handful of lines: a scan beats hashing.
    next: for (let i = 0; i < keys.length; i++) {
      for (let j = i + 1; j < keys.length; j++) if (keys[j] === keys[i]) continue next;
      out.push(i);
    }
    return out;
  }
  const seen = new Set<string>();
  for (let i = keys.length - 1; i >= 0; i--) {
    if (!seen.has(keys[i]!)) {
      seen.add(keys[i]!);
      out.push(i);
    }
  }
  return out.reverse();
}

/** The qrels value of `key` (`len - last index`), 0 when it is not a reference. */
function relevance(answers: readonly string[], lookup: Map<string, number> | undefined, key: string): number {
  if (lookup !== undefined) return lookup.get(key) ?? 0;
  for (let i = answers.length - 1; i >= 0; i--) if (answers[i] === key) return answers.length - i;
  return 0;
}

const LOG2 = Float64Array.from({ length: 64 }, (_, n) => Math.log2(n));
/** Math.log2, from a table for the ranks rankings have. */
const log2 = (n: number): number => (n < 64 ? LOG2[n]! : Math.log2(n));

/** Inputs are normalised (lbpNormalize.ts). */
export function ndcgScore(answers: readonly string[], predictions: readonly string[]): NdcgResult {
  const k = answers.length;
  if (answers.length === 0 || predictions.length === 0) return { score: 0, k, dcg: 0, idcg: 0, gains: [], ranked: [] };
  const qrels = docnos(answers);
  const run = docnos(predictions);
  if (!qrels || !run) return { score: 0, k, dcg: 0, idcg: 0, gains: [], ranked: [], rule: 'duplicate docno after a NUL character (trec_eval error)' };

  // Run order: descending score; scores are distinct, so this is ascending last index.
  const ranked = lastOccurrences(run);
  let lookup: Map<string, number> | undefined;
  if (qrels.length > 32) {
    lookup = new Map();
    for (let i = 0; i < qrels.length; i++) lookup.set(qrels[i]!, qrels.length - i);
  }
  const gains: number[] = [];
  let dcg = 0;
  for (let i = 0; i < ranked.length && i < k; i++) {
    const gain = relevance(qrels, lookup, run[ranked[i]!]!);
    gains.push(gain);
    if (gain > 0) dcg += gain / log2(i + 2);
  }
  // Ideal order: the qrels values descending, i.e. their last occurrences ascending.
  const ideal = lastOccurrences(qrels);
  let idcg = 0;
  for (let i = 0; i < ideal.length && i < k; i++) idcg += (k - ideal[i]!) / log2(i + 2);
  return { score: idcg > 0 ? dcg / idcg : dcg, k, dcg, idcg, gains, ranked, distinctLines: ranked.length };
}
