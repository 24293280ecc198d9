// LongBench-Pro metrics: unit cases computed by hand from the reference's definitions, and
// parity with every public longbench_pro row (minimal verl routing here; the lead's parity test
// goes through the real dispatcher).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LBP_METRIC_SCORER, LBP_SUBTASK_METRIC, scoreLongBenchPro, type LbpMetric } from '../rewards/longbenchPro.js';
import { accuracyScore } from '../rewards/scorers/accuracy.js';
import { f1Score } from '../rewards/scorers/f1.js';
import { normalizeAnswers, normalizePrediction, normalizeSummary } from '../rewards/scorers/lbpNormalize.js';
import { ndcgScore } from '../rewards/scorers/ndcg.js';
import { pairwiseScore } from '../rewards/scorers/pairwise.js';
import { subemScore } from '../rewards/scorers/subem.js';
import { pyCount } from '../rewards/text.js';
import { ScoreFailure, type ScoreContext } from '../rewards/types.js';

const ctx: ScoreContext = { details: true, deadline: Number.POSITIVE_INFINITY };
const score = (response: string, answers: unknown, metric: LbpMetric, chinese = false) =>
  scoreLongBenchPro(response, answers, metric, chinese, ctx).score;

describe('sub-task table', () => {
  it('has the 25 sub-tasks of the reference', () => {
    expect(Object.keys(LBP_SUBTASK_METRIC)).toHaveLength(25);
    const counts: Record<string, number> = {};
    for (const m of Object.values(LBP_SUBTASK_METRIC)) counts[m] = (counts[m] ?? 0) + 1;
    expect(counts).toEqual({ NDCG: 2, Pairwise_Accuracy: 3, Accuracy: 4, Summary: 2, F1_Score: 8, SubEM: 6 });
    expect(LBP_SUBTASK_METRIC['T6.3 Global Frequency Analysis']).toBe('Pairwise_Accuracy');
    expect(LBP_SUBTASK_METRIC['T6.2 Targeted Subset Cluster Identification']).toBe('F1_Score');
    expect(LBP_METRIC_SCORER.Summary).toBe('rouge_l');
  });
});

describe('normalisation', () => {
  it('cuts at the last [Answer], lowercases, splits on \\n only and folds each line', () => {
    expect(normalizePrediction('x [Answer] no\n[Answer]\n  Foo   Bar \r\n\nBaz\u00a0 Q ')).toEqual(['foo bar', '', 'baz q']);
    expect(normalizePrediction('think [答案] A\nB')).toEqual(['a', 'b']);
    expect(normalizePrediction('[答案] A [Answer] B')).toEqual(['b']);
    expect(normalizePrediction('no marker\nLine')).toEqual(['no marker', 'line']);
  });
  it('folds answers with Python whitespace (U+001F and U+0085 are spaces, U+FEFF is not)', () => {
    expect(normalizeAnswers([' A\u001fB\u0085C ', '\ufeffX'])).toEqual(['a b c', '\ufeffx']);
  });
  it('Summary keeps the whole response', () => {
    expect(normalizeSummary('<think>A</think> [Answer]  B\nC')).toBe('<think>a</think> [answer] b c');
  });
});

describe('Accuracy', () => {
  it('compares the first line with the first answer', () => {
    expect(accuracyScore(['a'], ['a', 'b']).score).toBe(1);
    expect(accuracyScore(['a', 'b'], ['b', 'a']).score).toBe(0);
    expect(score('[Answer]\n\nParis', ['Paris'], 'Accuracy')).toBe(1);
    // Nothing after the last marker: the only line is "".
    expect(score('Paris [Answer]', ['Paris'], 'Accuracy')).toBe(0);
    expect(score('Paris [Answer] ', [''], 'Accuracy')).toBe(1);
  });
});

describe('F1_Score', () => {
  it('is the set F1, empty lines included', () => {
    // A = {a, b, c}, P = {a, b, d, ""}: p = 2/4, r = 2/3, F1 = 2*(1/2)*(2/3)/(1/2+2/3) = 4/7
    expect(f1Score(['a', 'b', 'c'], ['a', 'b', '', 'd', 'a']).score).toBeCloseTo(4 / 7, 15);
    expect(f1Score(['a'], ['b']).score).toBe(0);
    expect(f1Score(['a', 'a'], ['a']).score).toBe(1);
  });
});

describe('SubEM', () => {
  it('counts duplicate answers', () => {
    expect(subemScore(['a', 'a', 'b'], ['a']).score).toBeCloseTo(2 / 3, 15);
    expect(subemScore(['a', 'b'], ['b', 'x', 'a']).score).toBe(1);
  });
});

describe('NDCG (trec_eval ndcg_cut.k)', () => {
  it('perfect and reversed rankings', () => {
    expect(ndcgScore(['a', 'b', 'c'], ['a', 'b', 'c']).score).toBe(1);
    // rel a=3 b=2 c=1; run c, b, a: DCG = 1 + 2/log2 3 + 3/2, IDCG = 3 + 2/log2 3 + 1/2
    const l3 = Math.log2(3);
    expect(ndcgScore(['a', 'b', 'c'], ['c', 'b', 'a']).score).toBeCloseTo((1 + 2 / l3 + 1.5) / (3 + 2 / l3 + 0.5), 14);
  });
  it('cuts at k = number of answers and ignores unknown lines', () => {
    // k = 2; run x, a, b: only ranks 1-2 count: DCG = 0 + 2/log2 3, IDCG = 2 + 1/log2 3
    const l3 = Math.log2(3);
    expect(ndcgScore(['a', 'b'], ['x', 'a', 'b']).score).toBeCloseTo(2 / l3 / (2 + 1 / l3), 14);
  });
  it('repeated keys keep their last (lowest) value', () => {
    // qrels a=1, b=2 (from [a, b, a]); k = 3; run a, b: DCG = 1 + 2/log2 3; IDCG = 2 + 1/log2 3
    const l3 = Math.log2(3);
    expect(ndcgScore(['a', 'b', 'a'], ['a', 'b']).score).toBeCloseTo((1 + 2 / l3) / (2 + 1 / l3), 14);
    // run [b, a, b]: b's last index is 2, so the order is a, b
    expect(ndcgScore(['a', 'b'], ['b', 'a', 'b']).score).toBe(1);
  });
  it('a docno ends at NUL; a collision there is a trec_eval error (0)', () => {
    expect(ndcgScore(['a\0x', 'b'], ['a\0y', 'b']).score).toBe(1);
    expect(ndcgScore(['a', 'b'], ['a\0x', 'a\0y']).score).toBe(0);
  });
  it('agrees with a literal transcription (Python dicts, docnos cut at NUL, sort by score) on random rankings', () => {
    // The reference: qrels = {a: len - i}, run = {p: len - i} as dicts; trec_eval ranks the run by
    // score, looks up each docno's relevance, cuts at k = len(answers) and divides by the ideal DCG.
    const dict = (keys: string[]) => {
      const m = new Map<string, number>();
      keys.forEach((key, i) => m.set(key, keys.length - i));
      const byDocno = new Map<string, number>();
      for (const [key, v] of m) {
        const d = key.split('\0')[0]!;
        if (byDocno.has(d)) return undefined;
        byDocno.set(d, v);
      }
      return byDocno;
    };
    const literal = (answers: string[], predictions: string[]): number => {
      if (answers.length === 0 || predictions.length === 0) return 0;
      const qrels = dict(answers);
      const run = dict(predictions);
      if (!qrels || !run) return 0;
      const k = answers.length;
      const ranked = [...run].sort((x, y) => y[1] - x[1]).slice(0, k);
      const dcg = ranked.reduce((acc, [doc], i) => acc + (qrels.get(doc) ?? 0) / Math.log2(i + 2), 0);
      const idcg = [...qrels.values()].sort((x, y) => y - x).slice(0, k).reduce((acc, rel, i) => acc + rel / Math.log2(i + 2), 0);
      return idcg > 0 ? dcg / idcg : dcg;
    };
    // A small alphabet makes repeats and shared lines common. Long lists (past the 32-line scan
    // limit) leave NULs out, since nearly every long list would then collide and score 0.
    const plain = fc.oneof({ arbitrary: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', ''), weight: 4 }, { arbitrary: fc.string({ maxLength: 2 }), weight: 1 });
    const withNul = fc.oneof(plain, fc.constantFrom('a\0x', 'a\0y', 'b\0'));
    const many = fc.oneof(fc.array(withNul, { maxLength: 8 }), fc.array(plain, { minLength: 30, maxLength: 45 }));
    fc.assert(
      fc.property(many, many, (answers, predictions) => {
        expect(ndcgScore(answers, predictions).score).toBeCloseTo(literal(answers, predictions), 12);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('Pairwise_Accuracy', () => {
  it('divides ordered reference pairs by all prediction pairs', () => {
    // pairs (a,b) ok, (a,c) ok, (b,c) wrong; C(4,2) = 6
    expect(pairwiseScore(['a', 'b', 'c'], ['a', 'c', 'b', 'z']).score).toBeCloseTo(2 / 6, 15);
    // last occurrence wins: positions a=2, b=1
    expect(pairwiseScore(['a', 'b'], ['a', 'b', 'a']).score).toBe(0);
    expect(pairwiseScore(['a'], ['a', 'b']).score).toBe(0);
  });
  it('duplicate answers can push it above 1, which the range rule turns into 0', () => {
    // answers a, a, b, b: pairs (a,b) x4 all ordered, C(2,2) = 1 -> 4
    expect(pairwiseScore(['a', 'a', 'b', 'b'], ['a', 'b']).score).toBe(4);
    const out = scoreLongBenchPro('[Answer] a\nb', ['a', 'a', 'b', 'b'], 'Pairwise_Accuracy', false, ctx);
    expect(out.score).toBe(0);
    expect(out.details?.raw_score).toBe(4);
  });
  it('agrees with a literal transcription of the reference on random lists, short and long', () => {
    // prediction_indices = {p: i ...}; count combinations(answers, 2) in that order; / C(n, 2).
    const literal = (answers: string[], predictions: string[]): number => {
      if (answers.length <= 1 || predictions.length <= 1) return 0;
      const index = new Map<string, number>();
      predictions.forEach((p, i) => index.set(p, i));
      let correct = 0;
      for (let i = 0; i < answers.length; i++) {
        for (let j = i + 1; j < answers.length; j++) {
          const a = index.get(answers[i]!);
          const b = index.get(answers[j]!);
          if (a !== undefined && b !== undefined && a < b) correct++;
        }
      }
      return correct / Math.floor((predictions.length * (predictions.length - 1)) / 2);
    };
    const line = fc.oneof({ arbitrary: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', ''), weight: 4 }, { arbitrary: fc.string({ maxLength: 2 }), weight: 1 });
    const lines = fc.oneof(fc.array(line, { maxLength: 8 }), fc.array(line, { minLength: 30, maxLength: 45 }));
    fc.assert(
      fc.property(lines, lines, (answers, predictions) => {
        expect(pairwiseScore(answers, predictions).score).toBe(literal(answers, predictions));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('compute_score checks around the metric', () => {
  it('empty or whitespace-only response is 0', () => {
    expect(score(' \u001f\n', ['a'], 'Accuracy')).toBe(0);
  });
  it('answers follow Python truthiness and len()', () => {
    expect(score('a', [], 'Accuracy')).toBe(0);
    expect(score('a', null, 'Accuracy')).toBe(0);
    expect(score('a', '', 'Accuracy')).toBe(0);
    expect(score('a', 0, 'Accuracy')).toBe(0);
    expect(score('a', false, 'Accuracy')).toBe(0);
    expect(() => score('a', true, 'Accuracy')).toThrow(ScoreFailure);
    expect(() => score('a', 3, 'Accuracy')).toThrow(ScoreFailure);
  });
  it('a string of answers is its characters, with a warning', () => {
    const out = scoreLongBenchPro('[Answer] F', 'F', 'Accuracy', false, ctx);
    expect(out.score).toBe(1);
    expect(out.warnings?.[0]).toMatch(/^bad_ground_truth: doc_ids is a string/);
    expect(score('[Answer] n\no', 'No', 'SubEM')).toBe(1);
  });
  it('a non-string answer scores 0 (AttributeError inside the try)', () => {
    expect(score('12', [12], 'Accuracy')).toBe(0);
    expect(score('a', ['a', null], 'Summary')).toBe(0);
  });
  it('details only when asked', () => {
    const out = scoreLongBenchPro('[Answer] a', ['A'], 'Accuracy', false, { details: false, deadline: Infinity });
    expect(out).toEqual({ score: 1 });
  });
});

interface Row {
  id: string;
  data_source: string;
  solution_str: string;
  ground_truth: unknown;
  extra_info: { reward_mode?: unknown };
  expected?: number;
  expected_error?: string;
  tags: string[];
}

const rows: Row[] = readFileSync(new URL('../../shared/parity/scores.public.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Row)
  .filter((r) => r.data_source === 'longbench_pro');

/** The verl dispatcher's longbench_pro branch, reduced to what these rows need. */
function routeRow(r: Row): number {
  const s = r.solution_str;
  if (!s.includes('</think>') || pyCount(s, '<think>') > 1 || pyCount(s, '</think>') > 1) return 0;
  const gt = (Array.isArray(r.ground_truth) ? r.ground_truth.at(-1) : r.ground_truth) as { doc_ids: unknown; summary: unknown };
  const metric = LBP_SUBTASK_METRIC[r.extra_info.reward_mode as string]!;
  return scoreLongBenchPro(s, gt.doc_ids, metric, gt.summary === 'Chinese', { details: false, deadline: Infinity }).score;
}

describe('parity with the reference (longbench_pro rows of scores.public.jsonl)', () => {
  const cases = rows.filter(
    (r) => r.expected_error === undefined && typeof r.extra_info.reward_mode === 'string' && Object.hasOwn(LBP_SUBTASK_METRIC, r.extra_info.reward_mode),
  );
  it('covers the public rows', () => {
    expect(cases.length).toBeGreaterThan(650);
  });
  const byMetric = new Map<string, Row[]>();
  for (const r of cases) {
    const m = LBP_SUBTASK_METRIC[r.extra_info.reward_mode as string]!;
    byMetric.set(m, [...(byMetric.get(m) ?? []), r]);
  }
  for (const [metric, group] of byMetric) {
    it(`${metric}: all ${group.length} rows agree to 1e-9`, () => {
      const mismatches: string[] = [];
      for (const r of group) {
        let got: string | number;
        try {
          got = routeRow(r);
        } catch (e) {
          got = `error ${(e as Error).message}`;
        }
        if (typeof got !== 'number' || Math.abs(got - r.expected!) > 1e-9) mismatches.push(`${r.id}: expected ${r.expected}, got ${got}`);
      }
      expect(mismatches, mismatches.join('\n')).toEqual([]);
    });
  }
});
