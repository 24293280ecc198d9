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
import { loadAdvantageCases, type AdvantageCase } from './helpers/parity.js';

const TOL = 1e-9;
const cases = loadAdvantageCases();

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

const EPS = 1e-6;
const adv = (estimator: Estimator, uids: string[], rewardTypes: string[], scores: number[], params?: AdvantageParams) =>
  computeAdvantages({ estimator, uids, rewardTypes, scores, params });
const closeTo = (got: number[], want: number[]) => {
  expect(got).toHaveLength(want.length);
  got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 12));
};

describe('grpo (spec formulas)', () => {
  it('centres a singleton on 0 with std 1', () => {
    closeTo(adv('grpo', ['a'], ['T'], [0.7]).advantages, [0.7 / (1 + EPS)]);
  });
  it('gives 0 to every sample of an all-equal group', () => {
    expect(adv('grpo', ['a', 'a', 'a'], ['T', 'T', 'T'], [1, 1, 1]).advantages).toEqual([0, 0, 0]);
  });
  it('divides by the unbiased group std plus eps', () => {
    // mean 0.25, unbiased std sqrt(0.75 / 3) = 0.5
    const d = 0.5 + EPS;
    closeTo(adv('grpo', ['a', 'a', 'a', 'a'], Array(4).fill('T'), [1, 0, 0, 0]).advantages, [0.75 / d, -0.25 / d, -0.25 / d, -0.25 / d]);
  });
  it('boosts positive advantages of hard prompts by clamp(exp(γ(0.5 − pass rate)), 1, 2)', () => {
    const d = 0.5 + EPS;
    const hard = adv('grpo', ['a', 'a', 'a', 'a'], Array(4).fill('T'), [1, 0, 0, 0], { difficulty_reweight: true });
    closeTo(hard.advantages, [(0.75 / d) * Math.exp(0.25), -0.25 / d, -0.25 / d, -0.25 / d]);
    const capped = adv('grpo', ['a', 'a', 'a', 'a'], Array(4).fill('T'), [1, 0, 0, 0], { difficulty_reweight: true, difficulty_gamma: 4 });
    closeTo(capped.advantages, [(0.75 / d) * 2, -0.25 / d, -0.25 / d, -0.25 / d]);
    // An easy prompt (pass rate 0.75) would get exp(−0.25) < 1: clamped to 1, unchanged.
    const easy = adv('grpo', ['a', 'a', 'a', 'a'], Array(4).fill('T'), [1, 1, 1, 0], { difficulty_reweight: true });
    closeTo(easy.advantages, [0.25 / d, 0.25 / d, 0.25 / d, -0.75 / d]);
    expect(hard.metrics['difficulty/mean_pass_rate']).toBeUndefined();
  });
  it('judges the pass rate on raw scores, not on the overwritten advantages', () => {
    // [10, 8]: raw pass rate 0.5 → weight 1. (On advantages ±0.707 none exceeds the mean 9.)
    const out = adv('grpo', ['a', 'a'], ['T', 'T'], [10, 8], { difficulty_reweight: true, difficulty_gamma: 1 });
    const d = Math.SQRT2 + EPS;
    closeTo(out.advantages, [1 / d, -1 / d]);
  });
  it('leaves a singleton unweighted (pass rate 0.5)', () => {
    closeTo(adv('grpo', ['a'], ['T'], [1], { difficulty_reweight: true, difficulty_gamma: 2 }).advantages, [1 / (1 + EPS)]);
  });
});

describe('drgrpo (spec formulas)', () => {
  it('is s − group mean, singleton centred on 0', () => {
    closeTo(adv('drgrpo', ['a', 'a', 'a', 'a', 'b'], Array(5).fill('T'), [1, 0, 0, 0, 0.7]).advantages, [0.75, -0.25, -0.25, -0.25, 0.7]);
  });
  it('reweights positive advantages like grpo', () => {
    const out = adv('drgrpo', ['a', 'a', 'a', 'a'], Array(4).fill('T'), [1, 0, 0, 0], { difficulty_reweight: true, difficulty_gamma: 2 });
    closeTo(out.advantages, [0.75 * Math.exp(0.5), -0.25, -0.25, -0.25]);
  });
});

describe('qwenlong (spec formulas)', () => {
  it('normalises by the mean and unbiased std of the whole reward type', () => {
    const out = adv('qwenlong', ['a', 'b', 'c', 'd'], ['T', 'T', 'T', 'U'], [1, 0, 0.5, 0.3]);
    const d = 0.5 + EPS; // mean 0.5, unbiased std sqrt(0.5 / 2) = 0.5
    closeTo(out.advantages, [0.5 / d, -0.5 / d, 0, 0]); // a single-sample type gets 0
  });
  it('ignores prompt groups', () => {
    const grouped = adv('qwenlong', ['a', 'a', 'b', 'b'], Array(4).fill('T'), [1, 0, 1, 1]).advantages;
    const ungrouped = adv('qwenlong', ['w', 'x', 'y', 'z'], Array(4).fill('T'), [1, 0, 1, 1]).advantages;
    expect(grouped).toEqual(ungrouped);
  });
});

describe('tmn_grpo (spec formulas)', () => {
  // Type T: group a = [0.6, 0.2] (mean 0.4, var 0.08), group b = [1, 0.8] (mean 0.9, var 0.02).
  const uids = ['a', 'a', 'b', 'b'];
  const types = ['T', 'T', 'T', 'T'];
  const scores = [0.6, 0.2, 1, 0.8];
  const scale = Math.sqrt(0.05) + EPS;
  const plain = [0.2 / scale, -0.2 / scale, 0.1 / scale, -0.1 / scale];

  it('centres per prompt and divides by the RMS of the task group stds', () => {
    closeTo(adv('tmn_grpo', uids, types, scores).advantages, plain);
  });
  it('with norm_adv_by_task_scale false is s − group mean', () => {
    closeTo(adv('tmn_grpo', uids, types, scores, { norm_adv_by_task_scale: false }).advantages, [0.2, -0.2, 0.1, -0.1]);
  });
  it('α = 1 judges passes against the prompt mean: pass rates 1/2, weights 1', () => {
    const out = adv('tmn_grpo', uids, types, scores, { difficulty_reweight: true, difficulty_smooth_alpha: 1 });
    closeTo(out.advantages, plain);
    expect(out.metrics['difficulty/mean_pass_rate']).toBeCloseTo(0.5, 15);
  });
  it('α = 0 judges passes against the task mean (0.65): a hard, b easy', () => {
    const out = adv('tmn_grpo', uids, types, scores, { difficulty_reweight: true, difficulty_smooth_alpha: 0 });
    // a: pass rate 0 → above-mean sample × e^0.5, other × e^−0.5; b: pass rate 1 → the reverse.
    const w = Math.exp(0.5);
    closeTo(out.advantages, [plain[0]! * w, plain[1]! / w, plain[2]! / w, plain[3]! * w]);
    expect(out.metrics['difficulty/mean_pass_rate']).toBeCloseTo(0.5, 15);
  });
  it('α = 0.5 blends prompt and task means; γ scales the exponent', () => {
    // thresholds: a 0.5·0.4 + 0.5·0.65 = 0.525 (pass 1/2), b 0.775 (pass 1)
    const out = adv('tmn_grpo', uids, types, scores, { difficulty_reweight: true, difficulty_smooth_alpha: 0.5, difficulty_gamma: 2 });
    const w = Math.exp(2 * 0.5);
    closeTo(out.advantages, [plain[0]!, plain[1]!, plain[2]! / w, plain[3]! * w]);
    expect(out.metrics['difficulty/mean_pass_rate']).toBeCloseTo(0.75, 15);
  });
  it('the default α is 0.5 and the default γ is 1', () => {
    const byDefault = adv('tmn_grpo', uids, types, scores, { difficulty_reweight: true }).advantages;
    const w = Math.exp(0.5);
    closeTo(byDefault, [plain[0]!, plain[1]!, plain[2]! / w, plain[3]! * w]);
  });
  it('a singleton has mean 0 and var 1, counts in the task mean and uses it as its threshold', () => {
    // T: group a [1, 0] (mean 0.5, var 0.5) and singleton s [1] (mean 0, var 1): scale sqrt(0.75),
    // task mean 0.25. Singleton: 1 > 0.25 → pass 1, and 1 > 0 → × e^(0.5 − 1).
    const out = adv('tmn_grpo', ['a', 'a', 's'], ['T', 'T', 'T'], [1, 0, 1], { difficulty_reweight: true, difficulty_smooth_alpha: 1 });
    const d = Math.sqrt(0.75) + EPS;
    closeTo(out.advantages, [0.5 / d, -0.5 / d, (1 / d) * Math.exp(-0.5)]);
    expect(out.metrics['difficulty/mean_pass_rate']).toBeCloseTo(0.75, 15);
  });
  it('scales each reward type by its own spread', () => {
    const out = adv('tmn_grpo', ['a', 'a', 'b', 'b'], ['Acc', 'Acc', 'F1', 'F1'], [1, 0, 0.6, 0.4]);
    // Acc: var 0.5 → scale sqrt(0.5); F1: var 0.02 → scale sqrt(0.02). Both become ±1/√2 (up to eps).
    closeTo(out.advantages, [0.5 / (Math.sqrt(0.5) + EPS), -0.5 / (Math.sqrt(0.5) + EPS), 0.1 / (Math.sqrt(0.02) + EPS), -0.1 / (Math.sqrt(0.02) + EPS)]);
  });
  it('an all-equal group gets advantage 0 even with reweighting', () => {
    const out = adv('tmn_grpo', ['a', 'a', 'b', 'b'], Array(4).fill('T'), [1, 1, 1, 0], { difficulty_reweight: true, difficulty_gamma: 2 });
    expect(out.advantages[0]).toBe(0);
    expect(out.advantages[1]).toBe(0);
  });
});

describe('batch metrics', () => {
  it('follow the trainer formulas per reward type', () => {
    // T: groups [1, 0] and [1, 1, 1, 0]; U: singleton [0.3].
    const out = adv('grpo', ['a', 'a', 'b', 'b', 'b', 'b', 'c'], ['T', 'T', 'T', 'T', 'T', 'T', 'U'], [1, 0, 1, 1, 1, 0, 0.3]);
    const m = out.metrics;
    const stdA = 0.5;
    const stdB = Math.sqrt(0.1875);
    expect(m['reward_mode/T/mean_reward']).toBeCloseTo(4 / 6, 15);
    expect(m['reward_mode/T/std_reward']).toBeCloseTo(Math.sqrt(2 / 9), 15);
    expect(m['reward_mode/T/mean_std_reward']).toBeCloseTo((stdA + stdB) / 2, 15);
    expect(m['reward_mode/T/sqrt_mean_var']).toBeCloseTo(Math.sqrt(0.375), 15);
    expect(m['reward_mode/T/rate_adv']).toBe(1);
    expect(m['reward_mode/T/rate_num']).toBeCloseTo(2 / 3, 15);
    expect(m['reward_mode/U/mean_reward']).toBeCloseTo(0.3, 15);
    expect(m['reward_mode/U/std_reward']).toBe(0);
    expect(m['reward_mode/U/mean_std_reward']).toBe(0);
    expect(m['reward_mode/U/sqrt_mean_var']).toBe(1);
    expect(m['reward_mode/U/rate_adv']).toBe(0);
    expect(m['reward_mode/U/rate_num']).toBeCloseTo(1 / 3, 15);
    expect(Object.keys(m)).toHaveLength(12);
  });
  it('are 0 rather than NaN when nothing varies', () => {
    const m = adv('drgrpo', ['a', 'a'], ['T', 'T'], [0, 0]).metrics;
    expect(m['reward_mode/T/sqrt_mean_var']).toBe(0);
    expect(m['reward_mode/T/rate_adv']).toBe(0);
  });
  it('escape spaces to _ and dots to - in the key', () => {
    const m = adv('qwenlong', ['a'], ['T5.2 Key-Statement Citation Alignment'], [1]).metrics;
    expect(Object.keys(m)).toContain('reward_mode/T5-2_Key-Statement_Citation_Alignment/mean_reward');
  });
  it('include difficulty/mean_pass_rate only for tmn_grpo with reweighting', () => {
    const base = { uids: ['a', 'a'], rewardTypes: ['T', 'T'], scores: [1, 0] };
    expect(computeAdvantages({ ...base, estimator: 'tmn_grpo', params: { difficulty_reweight: true } }).metrics).toHaveProperty(['difficulty/mean_pass_rate']);
    expect(computeAdvantages({ ...base, estimator: 'tmn_grpo' }).metrics).not.toHaveProperty(['difficulty/mean_pass_rate']);
    expect(computeAdvantages({ ...base, estimator: 'grpo', params: { difficulty_reweight: true } }).metrics).not.toHaveProperty(['difficulty/mean_pass_rate']);
  });
});

describe('input errors', () => {
  const good: AdvantageInput = { estimator: 'tmn_grpo', uids: ['a', 'a'], rewardTypes: ['T', 'T'], scores: [1, 0] };
  const bad: [string, Partial<AdvantageInput> | Record<string, unknown>, RegExp][] = [
    ['unknown estimator', { estimator: 'ppo' as Estimator }, /unknown estimator "ppo"; known: grpo, drgrpo, qwenlong, tmn_grpo/],
    ['mismatched lengths', { scores: [1] }, /same length \(got 2, 2 and 1\)/],
    ['NaN score', { scores: [1, NaN] }, /scores\[1\] must be a finite number/],
    ['infinite score', { scores: [Infinity, 0] }, /scores\[0\] must be a finite number/],
    ['huge score', { scores: [1e101, 0] }, /scores\[0\] must be between/],
    ['mixed reward types in a group', { rewardTypes: ['T', 'U'] }, /group "a" mixes reward types "T" and "U"/],
    ['empty uid', { uids: ['a', ''] }, /uids\[1\] must be a non-empty string/],
    ['non-string uid', { uids: ['a', 7 as unknown as string] }, /uids\[1\] must be a non-empty string/],
    ['empty reward type', { rewardTypes: ['', ''] }, /reward_types\[0\] must be a non-empty string/],
    ['alpha below 0', { params: { difficulty_smooth_alpha: -0.1 } }, /difficulty_smooth_alpha must be a number between 0 and 1/],
    ['alpha above 1', { params: { difficulty_smooth_alpha: 1.1 } }, /difficulty_smooth_alpha must be a number between 0 and 1/],
    ['alpha NaN', { params: { difficulty_smooth_alpha: NaN } }, /difficulty_smooth_alpha/],
    ['gamma infinite', { params: { difficulty_gamma: Infinity } }, /difficulty_gamma must be a finite number/],
    ['non-boolean reweight', { params: { difficulty_reweight: 'yes' as unknown as boolean } }, /difficulty_reweight must be true or false/],
    ['unknown parameter', { params: { difficulty_alpha: 0.5 } as AdvantageParams }, /unknown parameter "difficulty_alpha"/],
    ['parameter of another estimator', { estimator: 'grpo', params: { difficulty_smooth_alpha: 0.8 } }, /difficulty_smooth_alpha is not a parameter of grpo \(only tmn_grpo/],
    ['reweighting for qwenlong', { estimator: 'qwenlong', params: { difficulty_reweight: true } }, /not a parameter of qwenlong/],
  ];
  it.each(bad)('%s', (_name, patch, message) => {
    const input = { ...good, ...patch } as AdvantageInput;
    expect(() => computeAdvantages(input)).toThrow(AdvantageInputError);
    expect(() => computeAdvantages(input)).toThrow(message);
  });
  it('accepts α at both ends and an empty batch', () => {
    expect(() => computeAdvantages({ ...good, params: { difficulty_reweight: true, difficulty_smooth_alpha: 0 } })).not.toThrow();
    expect(() => computeAdvantages({ ...good, params: { difficulty_reweight: true, difficulty_smooth_alpha: 1 } })).not.toThrow();
    expect(computeAdvantages({ ...good, uids: [], rewardTypes: [], scores: [] })).toEqual({ advantages: [], metrics: {} });
  });
});

describe('advantagesForScored', () => {
  it('leaves out errored items and items without a uid, reporting why, keeping input order', () => {
    const out = advantagesForScored(
      [
        { uid: 'p', reward_type: 'T', score: 1 },
        { uid: 'p', reward_type: 'T', score: null },
        { reward_type: 'T', score: 1 },
        { uid: 'p', reward_type: 'T', score: 0 },
        { uid: '', reward_type: 'T', score: 0 },
        { uid: { id: 1 }, reward_type: 'T', score: 0 },
      ],
      { estimator: 'drgrpo' },
    );
    expect(out.advantages).toEqual([0.5, null, null, -0.5, null, null]);
    expect(out.excluded.map((e) => e.index)).toEqual([1, 2, 4, 5]);
    expect(out.excluded[0]!.reason).toMatch(/no score/);
    expect(out.excluded[1]!.reason).toMatch(/no uid/);
    expect(out.metrics['reward_mode/T/mean_reward']).toBe(0.5);
  });
  it('treats integer uids as their decimal strings', () => {
    const out = advantagesForScored(
      [
        { uid: 3, reward_type: 'T', score: 1 },
        { uid: '3', reward_type: 'T', score: 0 },
      ],
      { estimator: 'drgrpo' },
    );
    expect(out.advantages).toEqual([0.5, -0.5]);
  });
  it('leaves out every item of a group that mixes reward types instead of throwing', () => {
    const out = advantagesForScored(
      [
        { uid: 'p', reward_type: 'T', score: 1 },
        { uid: 'q', reward_type: 'T', score: 1 },
        { uid: 'p', reward_type: 'U', score: 0 },
        { uid: 'q', reward_type: 'T', score: 0 },
      ],
      { estimator: 'drgrpo' },
    );
    expect(out.advantages).toEqual([null, 0.5, null, -0.5]);
    expect(out.excluded).toEqual([
      { index: 0, reason: 'group "p" mixes reward types' },
      { index: 2, reason: 'group "p" mixes reward types' },
    ]);
  });
  it('still rejects bad parameters', () => {
    expect(() => advantagesForScored([], { estimator: 'tmn_grpo', difficulty_smooth_alpha: 2 })).toThrow(AdvantageInputError);
  });
  it('matches computeAdvantages on the items it keeps', () => {
    const c = cases.find((x) => x.estimator === 'tmn_grpo' && x.params.difficulty_reweight)!;
    const items = c.uids.map((uid, i) => ({ uid, reward_type: c.reward_modes[i], score: c.scores[i]! }));
    const out = advantagesForScored(items, { estimator: c.estimator, ...c.params });
    expect(out.excluded).toEqual([]);
    expect(out.advantages).toEqual(run(c).advantages);
  });
});

// ── properties ───────────────────────────────────────────────────────────────

interface Group {
  type: string;
  scores: number[];
}

/** A batch of prompt groups, each of one reward type, samples interleaved across groups. */
const batchOf = (score: fc.Arbitrary<number>) =>
  fc
    .array(fc.record({ type: fc.constantFrom('Accuracy', 'F1_Score', 'T5.2 Key', 'Summary'), scores: fc.array(score, { minLength: 1, maxLength: 8 }) }), {
      minLength: 1,
      maxLength: 6,
    })
    .chain((groups: Group[]) => {
      const samples = groups.flatMap((g, gi) => g.scores.map((s) => ({ uid: `u${gi}`, type: g.type, score: s })));
      return fc.shuffledSubarray(samples, { minLength: samples.length, maxLength: samples.length });
    })
    .map((samples) => ({ uids: samples.map((s) => s.uid), rewardTypes: samples.map((s) => s.type), scores: samples.map((s) => s.score) }));

const paramsFor = (estimator: Estimator): fc.Arbitrary<AdvantageParams> => {
  switch (estimator) {
    case 'qwenlong':
      return fc.constant({});
    case 'grpo':
    case 'drgrpo':
      return fc.record({ difficulty_reweight: fc.boolean(), difficulty_gamma: fc.double({ min: -100, max: 100, noNaN: true }) });
    case 'tmn_grpo':
      return fc.record({
        difficulty_reweight: fc.boolean(),
        difficulty_gamma: fc.double({ min: -100, max: 100, noNaN: true }),
        difficulty_smooth_alpha: fc.double({ min: 0, max: 1, noNaN: true }),
        norm_adv_by_task_scale: fc.boolean(),
      });
  }
};

const anyScore = fc.oneof(
  fc.constantFrom(0, 1, -1, 1e100, -1e100, 5e-324),
  fc.double({ min: -1e100, max: 1e100, noNaN: true }),
  fc.double({ min: 0, max: 1, noNaN: true }),
);

describe('properties', () => {
  it('advantages and metrics are always finite', () => {
    const estimators: Estimator[] = ['grpo', 'drgrpo', 'qwenlong', 'tmn_grpo'];
    fc.assert(
      fc.property(
        fc.constantFrom(...estimators).chain((e) => fc.tuple(fc.constant(e), paramsFor(e))),
        batchOf(anyScore),
        ([estimator, params], batch) => {
          const out = computeAdvantages({ estimator, params, ...batch });
          expect(out.advantages).toHaveLength(batch.scores.length);
          for (const a of out.advantages) expect(Number.isFinite(a)).toBe(true);
          for (const v of Object.values(out.metrics)) expect(Number.isFinite(v)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('on a binary task, sign(advantage) = sign(score − group mean) for grpo and tmn_grpo', () => {
    const estimator = fc.constantFrom<Estimator>('grpo', 'tmn_grpo').chain((e) => fc.tuple(fc.constant(e), paramsFor(e)));
    fc.assert(
      fc.property(estimator, batchOf(fc.constantFrom(0, 1)), ([est, params], batch) => {
        const { advantages } = computeAdvantages({ estimator: est, params, ...batch });
        const sum = new Map<string, number>();
        const count = new Map<string, number>();
        batch.uids.forEach((u, i) => {
          sum.set(u, (sum.get(u) ?? 0) + batch.scores[i]!);
          count.set(u, (count.get(u) ?? 0) + 1);
        });
        batch.uids.forEach((u, i) => {
          // Singletons are centred on 0 by the GRPO convention, so only real groups are compared.
          if (count.get(u)! < 2) return;
          const mean = sum.get(u)! / count.get(u)!;
          expect(Math.sign(advantages[i]!)).toBe(Math.sign(batch.scores[i]! - mean));
        });
      }),
      { numRuns: 500 },
    );
  });
});
