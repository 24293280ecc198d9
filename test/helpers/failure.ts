import { ScoreFailure } from '../../rewards/types.js';

/** Runs fn and returns the ScoreFailure it throws; anything else fails the test. */
export function failure(fn: () => unknown): ScoreFailure {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScoreFailure) return e;
    throw e;
  }
  throw new Error('expected a ScoreFailure');
}
