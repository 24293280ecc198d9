// Advantage estimators: parity with the reference on every public case, unit tests from the
// spec's formulas, and properties (finite outputs, sign agreement on binary tasks).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AdvantageInputError,
  advantagesForScored,
  computeAdvantages,
  type AdvantageInput,
  type AdvantageParams,
  type Estimator,
} from '../rewards/advantages/index.js';
import { readJsonl } from './helpers/parity.js';

interface AdvantageCase {
  id: string;
  estimator: Estimator;
  params: AdvantageParams;
  uids: string[];
  reward_modes: string[];
  scores: number[];
  expected_advantages?: number[];
  expected_metrics?: Record<string, number>;
  expected_error?: string;
  tags: string[];
}

const TOL = 1e-9;
const cases = readJsonl<AdvantageCase>('advantages.public.jsonl');

const run = (c: AdvantageCase) =>
  computeAdvantages({ estimator: c.estimator, uids: c.uids, rewardTypes: c.reward_modes, scores: c.scores, params: c.params });

describe('parity with advantages.public.jsonl', () => {
  it('has cases of every estimator', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(new Set(cases.map((c) => c.estimator))).toEqual(new Set(['grpo', 'drgrpo', 'qwenlong', 'tmn_grpo']));
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    if (c.expected_error !== undefined) {
      expect(() => run(c)).toThrow(AdvantageInputError);
      return;
    }
    const out = run(c);
    expect(out.advantages).toHaveLength(c.expected_advantages!.length);
    c.expected_advantages!.forEach((want, i) => {
      if (Math.abs(out.advantages[i]! - want) > TOL) expect.fail(`advantages[${i}] = ${out.advantages[i]}, expected ${want}`);
    });
    expect(Object.keys(out.metrics).sort()).toEqual(Object.keys(c.expected_metrics!).sort());
    for (const [key, want] of Object.entries(c.expected_metrics!)) {
      if (Math.abs(out.metrics[key]! - want) > TOL) expect.fail(`${key} = ${out.metrics[key]}, expected ${want}`);
    }
  });
});
