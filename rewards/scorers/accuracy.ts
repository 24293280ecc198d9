// LongBench-Pro Accuracy: exact match of the first answer line with the first reference.

export interface AccuracyResult {
  score: number;
  firstAnswer: string | undefined;
  firstPrediction: string | undefined;
}

/** Inputs are normalised (lbpNormalize.ts). */
export function accuracyScore(answers: readonly string[], predictions: readonly string[]): AccuracyResult {
  const firstAnswer = answers[0];
  const firstPrediction = predictions[0];
  const score = answers.length > 0 && predictions.length > 0 && firstAnswer === firstPrediction ? 1 : 0;
  return { score, firstAnswer, firstPrediction };
}
