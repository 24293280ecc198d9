// The math corpora beyond the main parity file, against the reference (../shared/parity):
// - scores.extra-routes.public.jsonl: GoLongRL's other math routes: math_dapo / math /
//   math_dapo_reasoning / math_longcot (Minerva matching), math_dapo_math_verify, MATH##* and
//   aime* (math_verify.compute_score);
// - scores.mvsuite.public.jsonl: Math-Verify 0.8.0's own test pairs as math_longcot_math_verify
//   rows (matrices, relations against sets, sums, integrals, limits, derivatives...).
// Every case must agree, through the library, the built CLI (`npm run score`) and POST /score.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scoreItem, type ItemResult } from '../rewards/index.js';
import { agrees, describeMismatch, EXTRA_ROUTES_FILE, loadScoreCases, MVSUITE_FILE, PARITY_DIR, verlItem, type ScoreCase } from './helpers/parity.js';
import { post, serviceForTests } from './helpers/service.js';

const routeOf = (c: ScoreCase) => c.data_source.replace(/^MATH##.*/, 'MATH##*').replace(/^aime.*/, 'aime*');

const CORPORA: { file: string; rows: number; routes: string[] }[] = [
  { file: EXTRA_ROUTES_FILE, rows: 150, routes: ['math_dapo', 'math', 'math_dapo_reasoning', 'math_longcot', 'math_dapo_math_verify', 'MATH##*', 'aime*'] },
  { file: MVSUITE_FILE, rows: 600, routes: ['math_longcot_math_verify'] },
];

for (const { file, rows, routes } of CORPORA) {
  const cases = loadScoreCases(file);

  const mismatches = (results: ReadonlyArray<Pick<ItemResult, 'id' | 'score' | 'error'>>): string[] =>
    cases.flatMap((c, i) => {
      const r = results[i];
      if (!r) return [`${c.id}: no result`];
      if (r.id !== c.id) return [`${c.id}: result ${i} has id ${String(r.id)}`];
      return agrees(c, r) ? [] : [describeMismatch(c, r)];
    });

  describe(`parity with ${file}`, () => {
    it('covers every route and both outcomes', () => {
      expect(cases.length).toBe(rows);
      expect(new Set(cases.map(routeOf))).toEqual(new Set(routes));
      expect(cases.some((c) => c.expected === 1) && cases.some((c) => c.expected === 0)).toBe(true);
    });

    it('every case agrees through the library, with the data_source as reward type', () => {
      const results = cases.map((c) => scoreItem(verlItem(c)));
      expect(mismatches(results)).toEqual([]);
      expect(results.every((r, i) => r.reward_type === cases[i]!.data_source)).toBe(true);
    });

    it('every case agrees through `npm run score` (the built CLI)', () => {
      const cli = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
      const out = execFileSync(process.execPath, [cli, 'score', fileURLToPath(new URL(file, PARITY_DIR)), '--quiet'], { encoding: 'utf8', maxBuffer: 1 << 26 });
      expect(mismatches(out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as ItemResult))).toEqual([]);
    });

    describe('through POST /score', () => {
      const service = serviceForTests();
      it('every case agrees', async () => {
        const res = await post(`${service().url}/score`, { items: cases.map(verlItem) });
        expect(res.status).toBe(200);
        expect(mismatches(res.json.results)).toEqual([]);
      });
    });
  });
}
