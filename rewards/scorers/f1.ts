// LongBench-Pro F1_Score: F1 between the set of answer lines and the set of references.

export interface F1Result {
  score: number;
  common: string[];
  answerSetSize: number;
  predictionSetSize: number;
  precision: number;
  recall: number;
}

/** Inputs are normalised (lbpNormalize.ts); an empty line is a prediction like any other. */
export function f1Score(answers: readonly string[], predictions: readonly string[]): F1Result {
  const answerSet = new Set(answers);
  const predictionSet = new Set(predictions);
  const common = [...answerSet].filter((a) => predictionSet.has(a));
  if (common.length === 0 || predictionSet.size === 0 || answerSet.size === 0) {
    return { score: 0, common, answerSetSize: answerSet.size, predictionSetSize: predictionSet.size, precision: 0, recall: 0 };
  }
  const precision = common.length / predictionSet.size;
  const recall = common.length / answerSet.size;
  // Same operation order as the reference, so the float is bit-identical.
  const score = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { score, common, answerSetSize: answerSet.size, predictionSetSize: predictionSet.size, precision, recall };
}
