// LongBench-Pro SubEM: share of references (duplicates counted) that appear among the answer lines.

export interface SubEmResult {
  score: number;
  /** Whether each reference, in order, was found among the predictions. */
  found: boolean[];
}

/** Inputs are normalised (lbpNormalize.ts). */
export function subemScore(answers: readonly string[], predictions: readonly string[]): SubEmResult {
  if (answers.length === 0 || predictions.length === 0) return { score: 0, found: [] };
  const predicted = new Set(predictions);
  const found = answers.map((a) => predicted.has(a));
  let hits = 0;
  for (const f of found) if (f) hits += 1;
  return { score: hits / answers.length, found };
}
