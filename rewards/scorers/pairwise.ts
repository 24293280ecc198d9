// LongBench-Pro Pairwise_Accuracy: reference pairs predicted in the right order, over all
// prediction pairs.

export interface PairwiseResult {
  score: number;
  correctPairs: number;
  totalPairs: number;
  /** For each reference, the index of its last occurrence among the predictions (-1: none); absent when there is no pair to count. */
  positions?: readonly number[];
}

/**
 * Inputs are normalised (lbpNormalize.ts). A line's position is its last occurrence (the
 * reference builds a dict). The result can exceed 1 with duplicate references; the caller's
 * range rule turns that into 0 as the reference's assert does.
 */
export function pairwiseScore(answers: readonly string[], predictions: readonly string[]): PairwiseResult {
  if (answers.length <= 1 || predictions.length <= 1) return { score: 0, correctPairs: 0, totalPairs: 0 };
  const totalPairs = (predictions.length * (predictions.length - 1)) / 2;
  // Positions of the references in list order (-1 when not predicted).
  const pos = lastPositions(answers, predictions);
  let correctPairs = 0;
  for (let i = 0; i < pos.length; i++) {
    const pi = pos[i]!;
    if (pi < 0) continue;
    for (let j = i + 1; j < pos.length; j++) if (pos[j]! > pi) correctPairs++;
  }
  return { score: correctPairs / totalPairs, correctPairs, totalPairs, positions: pos };
}

/** For each answer, the index of its last occurrence among the predictions, or -1. */
function lastPositions(answers: readonly string[], predictions: readonly string[]): number[] {
  if (predictions.length > 32) {
    const position = new Map<string, number>();
    predictions.forEach((p, i) => position.set(p, i));
    return answers.map((a) => position.get(a) ?? -1);
  }
  // A few lines: scanning beats building a Map.
  const pos = new Array<number>(answers.length);
  for (let i = 0; i < answers.length; i++) {
    let j = predictions.length - 1;
    while (j >= 0 && predictions[j] !== answers[i]) j--;
    pos[i] = j;
  }
  return pos;
}
