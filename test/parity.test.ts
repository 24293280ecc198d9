// Every public reference case through the real verl routing: 100% for every data source but
// math, at least 98% for math (the bar), each mismatch listed.
import { describe, expect, it } from 'vitest';
import { scoreItem } from '../rewards/index.js';
import { agrees, describeMismatch, familyOf, loadScoreCases, verlItem } from './helpers/parity.js';

const cases = loadScoreCases();

describe('parity with the GoLongRL reference (scores.public.jsonl)', () => {
  const byFamily = new Map<string, { total: number; mismatches: string[] }>();
  for (const c of cases) {
    const r = scoreItem(verlItem(c));
    const family = byFamily.get(familyOf(c)) ?? { total: 0, mismatches: [] };
    family.total++;
    if (!agrees(c, r)) family.mismatches.push(describeMismatch(c, r));
    byFamily.set(familyOf(c), family);
  }

  it('covers the whole file', () => {
    expect(cases.length).toBeGreaterThan(1000);
  });

  for (const [family, { total, mismatches }] of byFamily) {
    if (family === 'math') {
      it(`math: at least 98% of ${total} cases agree`, () => {
        expect(1 - mismatches.length / total, mismatches.join('\n')).toBeGreaterThanOrEqual(0.98);
      });
    } else {
      it(`${family}: all ${total} cases agree`, () => {
        expect(mismatches, mismatches.join('\n')).toEqual([]);
      });
    }
  }

  it('returns the reward type the reference groups by', () => {
    const lbp = cases.find((c) => c.data_source === 'longbench_pro' && c.expected !== undefined && (c.extra_info as { reward_mode?: string }).reward_mode?.startsWith('T4.1'));
    expect(lbp).toBeDefined();
    expect(scoreItem(verlItem(lbp!)).reward_type).toBe('Summary');
    const em = cases.find((c) => c.data_source === 'EM' && c.expected !== undefined)!;
    expect(scoreItem(verlItem(em))).toMatchObject({ reward_type: 'EM', scorer: 'em' });
  });
});
