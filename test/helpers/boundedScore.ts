// Scores one math_verify item under a 1 s item budget and reports how long it took: hostile-input
// tests assert that the result is a score or a typed error and that it came back quickly.
import { expect } from 'vitest';
import { mathVerifyScore } from '../../rewards/scorers/mathVerify.js';
import { ScoreFailure } from '../../rewards/types.js';

export function boundedScore(response: string, gold: string): { result: number | string; ms: number } {
  const start = performance.now();
  let result: number | string;
  try {
    result = mathVerifyScore(response, gold, { details: false, deadline: performance.now() + 1000 }).score;
  } catch (e) {
    expect(e).toBeInstanceOf(ScoreFailure);
    result = (e as ScoreFailure).code;
  }
  return { result, ms: performance.now() - start };
}
