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
  /** Why the score is 0 without a computation, if so. */
  rule?: string;
}

const docno = (s: string): string => {
  const nul = s.indexOf('\0');
  return nul === -1 ? s : s.slice(0, nul);
};

/** Python `{key: len - i for i, key in enumerate(keys)}` as a Map, or undefined on a NUL collision. */
function lastIndexValues(keys: readonly string[]): Map<string, number> | undefined {
  const values = new Map<string, number>();
  let nul = false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    values.set(key, keys.length - i);
    if (!nul && key.includes('\0')) nul = true;
  }
  if (!nul) return values; // docnos are the keys themselves: no collision possible
  const byDocno = new Map<string, number>();
  for (const [key, value] of values) {
    const d = docno(key);
    if (byDocno.has(d)) return undefined;
    byDocno.set(d, value);
  }
  return byDocno;
}

/** Inputs are normalised (lbpNormalize.ts). */
export function ndcgScore(answers: readonly string[], predictions: readonly string[]): NdcgResult {
  const k = answers.length;
  if (answers.length === 0 || predictions.length === 0) return { score: 0, k, dcg: 0, idcg: 0, gains: [] };
  const qrels = lastIndexValues(answers);
  const run = lastIndexValues(predictions);
  if (!qrels || !run) return { score: 0, k, dcg: 0, idcg: 0, gains: [], rule: 'duplicate docno after a NUL character (trec_eval error)' };

  // Run order: descending score; scores are distinct, so this is ascending last index.
  const rankedKeys = Array.from(run.keys());
  const rankedScores = Array.from(run.values());
  const order = rankedKeys.map((_, i) => i).sort((a, b) => rankedScores[b]! - rankedScores[a]!);
  const gains: number[] = [];
  let dcg = 0;
  for (let i = 0; i < order.length && i < k; i++) {
    const gain = qrels.get(rankedKeys[order[i]!]!) ?? 0;
    gains.push(gain);
    if (gain > 0) dcg += gain / Math.log2(i + 2);
  }
  const ideal = Array.from(qrels.values()).sort((a, b) => b - a);
  let idcg = 0;
  for (let i = 0; i < ideal.length && i < k; i++) if (ideal[i]! > 0) idcg += ideal[i]! / Math.log2(i + 2);
  return { score: idcg > 0 ? dcg / idcg : dcg, k, dcg, idcg, gains };
}
