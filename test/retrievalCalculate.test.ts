// retrieval_calculate (GoLongRL retrieval_calculate.compute_score): unit cases from the reference
// code's rules (first blocks only, set equality of ids, math_verify of the stripped reasoning,
// Python errors in the reference's order) and parity with every public retrieval_calculate row.
import { describe, expect, it } from 'vitest';
import { extractRetrieval, retrievalCalculateScore } from '../rewards/scorers/retrievalCalculate.js';
import { afterLast, pyCount } from '../rewards/text.js';
import { ScoreFailure, type ScoreContext } from '../rewards/types.js';
import { loadScoreCases } from './helpers/parity.js';

const ctx = (): ScoreContext => ({ details: true, deadline: performance.now() + 5000 });
const score = (response: string, gt: unknown): number => retrievalCalculateScore(response, gt, ctx()).score;
const reply = (ids: string, reasoning: string): string =>
  `<relevant_doc_ids>${ids}</relevant_doc_ids>\n<summary>s</summary>\n<continue_reasoning>${reasoning}</continue_reasoning>`;

describe('extraction', () => {
  it('takes the ids of the first id block and the first reasoning block, stripped', () => {
    const text = `${reply('<|doc_1|>, <|doc_ 2|>\n<|doc_3|>', '  x \\boxed{5}\n')}<relevant_doc_ids><|doc_9|></relevant_doc_ids><continue_reasoning>later</continue_reasoning>`;
    expect(extractRetrieval(text)).toEqual({ docIds: ['<|doc_1|>', '<|doc_3|>'], reasoning: 'x \\boxed{5}' });
  });
});

describe('scoring', () => {
  const gt = { doc_ids: ['<|doc_1|>', '<|doc_2|>'], golden_label: '5' };
  it('is 1 when the id sets match (order and duplicates ignored) and the answer verifies', () => {
    expect(score(reply('<|doc_2|> <|doc_1|> <|doc_2|>', '\\boxed{5.0}'), gt)).toBe(1);
  });
  it('is 0 with extra, missing or differently written ids', () => {
    expect(score(reply('<|doc_1|> <|doc_2|> <|doc_3|>', '\\boxed{5}'), gt)).toBe(0);
    expect(score(reply('<|doc_1|>', '\\boxed{5}'), gt)).toBe(0);
    expect(score(reply('<|doc_01|> <|doc_2|>', '\\boxed{5}'), gt)).toBe(0);
  });
  it('is 0 when the answer is wrong', () => {
    expect(score(reply('<|doc_1|> <|doc_2|>', '\\boxed{6}'), gt)).toBe(0);
  });
  it('is 0 without ids or with empty reasoning, before the ground truth is looked at', () => {
    expect(score(reply('', '\\boxed{5}'), 'not a dict')).toBe(0);
    expect(score(reply('<|doc_1|>', '   '), 'not a dict')).toBe(0);
    expect(score('<summary>only</summary>', 'not a dict')).toBe(0);
  });
  it('raises like the reference on a ground truth it cannot index', () => {
    const r = reply('<|doc_1|>', '\\boxed{5}');
    expect(() => retrievalCalculateScore(r, '30', ctx())).toThrow(ScoreFailure);
    expect(() => retrievalCalculateScore(r, { golden_label: '5' }, ctx())).toThrow(/doc_ids/);
    expect(() => retrievalCalculateScore(r, { doc_ids: ['<|doc_1|>'] }, ctx())).toThrow(/golden_label/);
    expect(() => retrievalCalculateScore(r, { doc_ids: 7, golden_label: '5' }, ctx())).toThrow(/not iterable/);
  });
  it('iterates a string of doc ids character by character, with a warning', () => {
    const out = retrievalCalculateScore(reply('<|doc_1|>', '\\boxed{5}'), { doc_ids: '<|doc_1|>', golden_label: '5' }, ctx());
    expect(out.score).toBe(0);
    expect(out.warnings?.[0]).toMatch(/bad_ground_truth/);
  });
});

describe('parity with the reference (public retrieval_calculate rows)', () => {
  const rows = loadScoreCases().filter((c) => c.data_source === 'retrieval_calculate');
  it('agrees on at least 98% of them (to 1e-9), listing every mismatch', () => {
    expect(rows.length).toBeGreaterThan(50);
    const mismatches: string[] = [];
    for (const c of rows) {
      const s = c.solution_str;
      let got: number | undefined;
      let err: ScoreFailure | undefined;
      try {
        if (!s.includes('</think>') || pyCount(s, '<think>') > 1 || pyCount(s, '</think>') > 1) got = 0;
        else {
          const gt = Array.isArray(c.ground_truth) ? c.ground_truth[c.ground_truth.length - 1] : c.ground_truth;
          got = retrievalCalculateScore(afterLast(s, '</think>'), gt, ctx()).score;
        }
      } catch (e) {
        if (!(e instanceof ScoreFailure)) throw e;
        err = e;
      }
      const ok = c.expected_error !== undefined ? err?.code === 'bad_ground_truth' : err === undefined && Math.abs(got! - c.expected!) <= 1e-9;
      if (!ok) mismatches.push(`${c.id} expected ${c.expected ?? c.expected_error}, got ${err ? err.code : got}`);
    }
    expect((rows.length - mismatches.length) / rows.length, mismatches.join('\n')).toBeGreaterThanOrEqual(0.98);
  });
});
