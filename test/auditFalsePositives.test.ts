// False positives of the audit on realistic rollouts (the "realistic" families of the public parity
// file): no flag may fire on more than 2 % of a reward type's full-score items, except on items
// that are instances of the exploit itself, listed here with the evidence the test re-checks.
import { describe, expect, it } from 'vitest';
import { scoreItem } from '../rewards/index.js';
import { MAX_FULL_SCORE_RATE, measureFlagRates, overLimit, realisticRows } from '../bench/auditFalsePositives.js';

/**
 * Realistic items a flag rightly fires on. longbench_pro.T1.2-12 (NDCG, 1.0): its first line is a
 * distractor, 段落1, repeated near the end, so trec_eval ranks it last and out of the top k; read
 * at first occurrences the list scores lower. duplicate_answers fires only when repeating pays,
 * so a sharper rule would miss the exploit itself.
 */
const EXPLOIT_INSTANCES: Record<string, string[]> = { duplicate_answers: ['longbench_pro.T1.2-12'] };

describe('audit flags on realistic rollouts (README table: npm run audit:fp)', () => {
  const rows = realisticRows();
  const rates = measureFlagRates(rows);

  it('measures every family of the realistic set', () => {
    expect(rows.length).toBeGreaterThan(1000);
    const types = new Set(rates.map((r) => r.rewardType));
    for (const t of ['Accuracy', 'F1_Score', 'SubEM', 'NDCG', 'Pairwise_Accuracy', 'Summary', 'selection', 'EM', 'multitableqa_pretraining', 'retrieval_calculate', 'math_longcot_math_verify']) {
      expect(types, t).toContain(t);
    }
  });

  it(`no flag fires on more than ${MAX_FULL_SCORE_RATE * 100} % of a reward type's full-score items, but on exploit instances`, () => {
    const over = overLimit(rates).map((r) => ({ flag: r.flag, rewardType: r.rewardType, ids: r.fullScoreIds.filter((id) => !(EXPLOIT_INSTANCES[r.flag] ?? []).includes(id)) }));
    const unexplained = over.filter((o) => {
      const rate = rates.find((r) => r.flag === o.flag && r.rewardType === o.rewardType)!;
      return o.ids.length / rate.fullScoreItems > MAX_FULL_SCORE_RATE;
    });
    expect(unexplained).toEqual([]);
  });

  it('the listed exploit instances are flagged, and the repetition is what earns them 1.0', () => {
    for (const [flag, ids] of Object.entries(EXPLOIT_INSTANCES)) {
      for (const id of ids) {
        const row = rows.find((r) => r.id === id)!;
        const r = scoreItem(row, { audit: true });
        expect(r.score).toBe(1);
        expect(r.audit!.map((f) => f.flag)).toContain(flag);
        // The same answer without the later repeats of a line scores lower.
        const s = row.solution_str;
        const marker = Math.max(s.lastIndexOf('[Answer]'), s.lastIndexOf('[答案]'));
        const head = s.slice(0, s.indexOf('\n', marker) + 1);
        const lines = s.slice(head.length).split('\n');
        const seen = new Set<string>();
        const firsts = lines.filter((line) => !seen.has(line.trim()) && seen.add(line.trim()));
        expect(firsts.length).toBeLessThan(lines.length);
        expect(scoreItem({ ...row, solution_str: head + firsts.join('\n') }).score).toBeLessThan(0.9);
      }
    }
  });
});
