// The dataset check in the library (rewards/ideal): a good row per route that is not reported, a
// broken row per problem code that is, the ideal responses README states, and the public parity
// file used as a dataset, judged against the numbers the reference gave its rollouts.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkRow, PROBLEM_CODES, problemLine, ROUGE_L_BEST, type RowCheck } from '../rewards/ideal/index.js';
import { warmUp } from '../rewards/index.js';
import { describeTasks } from '../rewards/registry.js';
import { BROKEN_ROWS, GOOD_ROWS } from './helpers/checkCases.js';
import { EXTRA_ROUTES_FILE, loadScoreCases } from './helpers/parity.js';
import { parseItemJsonPy } from '../rewards/pyjson.js';
import { VERL_DATA_SOURCES, type VerlRoute } from '../rewards/verlRouting.js';

const codesOf = (c: RowCheck) => c.problems.map((p) => p.problem);

// jieba's dictionary loads here, not inside the first Chinese summary's time budget.
beforeAll(() => warmUp());

describe('good rows: nothing to report, the ideal scores the best', () => {
  for (const c of GOOD_ROWS) {
    it(c.name, () => {
      const check = checkRow(c.row);
      expect(check.problems).toEqual([]);
      expect(check.ideal_score).toBe(check.best_score);
      expect(problemLine(check, 0)).toBeUndefined();
    });
  }
});

describe('every route of the routing table', () => {
  it('has a good row among the cases (GET /tasks lists the same table)', () => {
    const sources = GOOD_ROWS.map((c) => (c.row as { data_source: string }).data_source);
    const matches = (route: VerlRoute, ds: string) =>
      route.match === 'exact' ? ds === route.data_source : route.match === 'prefix' ? ds.startsWith(route.data_source) : ds.includes(route.data_source);
    expect(VERL_DATA_SOURCES.filter((route) => !sources.some((ds) => matches(route, ds))).map((route) => route.data_source)).toEqual([]);
  });
});

describe('broken rows: reported with the code and the reason', () => {
  for (const c of BROKEN_ROWS) {
    it(`${c.name} → ${c.first}`, () => {
      const check = checkRow(c.row);
      expect(codesOf(check)[0]).toBe(c.first);
      for (const also of c.also ?? []) expect(codesOf(check)).toContain(also);
      if (c.says) expect(check.problems[0]!.message).toMatch(c.says);
      const line = problemLine(check, 7)!;
      expect(line).toMatchObject({ index: 7, problem: c.first, severity: PROBLEM_CODES[c.first as keyof typeof PROBLEM_CODES].severity });
      expect(line.message.length).toBeGreaterThan(20);
    });
  }

  it('the broken rows, with not_json (CLI and HTTP tests) and check_failed (below), cover every problem code', () => {
    const covered = new Set(BROKEN_ROWS.flatMap((c) => [c.first, ...(c.also ?? [])]));
    covered.add('not_json');
    covered.add('check_failed');
    expect([...covered].sort()).toEqual(Object.keys(PROBLEM_CODES).sort());
  });

  it('a row whose budget is spent is check_failed, not a crash', () => {
    const check = checkRow({ data_source: 'math_longcot_math_verify', reward_model: { ground_truth: '\\frac{1}{2}' } }, { timeoutMs: 0 });
    expect(codesOf(check)).toEqual(['check_failed']);
    expect(check.problems[0]!.message).toMatch(/timeout/);
  });

  it('severities: fatal ideal scores are 0 or null, capped ones below the best, warnings at the best', () => {
    for (const c of BROKEN_ROWS) {
      const check = checkRow(c.row);
      const severity = check.problems[0]!.severity;
      if (severity === 'capped') expect(check.ideal_score!, c.name).toBeLessThan(check.best_score!);
      if (severity === 'warning') expect(check.ideal_score, c.name).toBe(check.best_score);
      if (severity === 'fatal' && c.first !== 'judge_required') expect([0, null], c.name).toContain(check.ideal_score);
    }
  });

  it('never throws, whatever the row', () => {
    fc.assert(
      fc.property(fc.anything(), fc.constantFrom('EM', 'selection', 'longbench_pro', 'multitableqa_pretraining', 'retrieval_calculate', 'math_longcot_math_verify', 'model_judge', 'math_dapo', 'math_dapo_math_verify', 'aime24'), (value, ds) => {
        for (const row of [value, { data_source: ds, ground_truth: value, extra_info: value }, { data_source: ds, reward_model: { ground_truth: value }, extra_info: { reward_mode: value } }]) {
          const check = checkRow(row);
          expect(Array.isArray(check.problems)).toBe(true);
          for (const p of check.problems) expect(Object.keys(PROBLEM_CODES)).toContain(p.problem);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('the ideal responses, as README and GET /tasks state them', () => {
  const ideal = (row: unknown) => checkRow(row, { includeIdeal: true }).ideal_response;
  const lbp = (doc_ids: string[], reward_mode: string) => ({ data_source: 'longbench_pro', ground_truth: { doc_ids, summary: 'English' }, extra_info: { reward_mode } });

  it('builds each route\'s answer from the ground truth', () => {
    expect(ideal({ data_source: 'EM', ground_truth: { golden_label: ' Porto ' } })).toBe(' Porto ');
    expect(ideal({ data_source: 'selection', ground_truth: { golden_label: 'B' } })).toBe('The correct answer is (B)');
    expect(ideal({ data_source: 'selection', ground_truth: { golden_label: 'so The correct answer is (D).' } })).toBe('The correct answer is (D)');
    expect(ideal({ data_source: 'multitableqa_pretraining', ground_truth: { golden_label: '{"data": [[1]]}' } })).toBe('<answer>{"data": [[1]]}</answer>');
    expect(ideal({ data_source: 'math_longcot_math_verify', ground_truth: '\\frac{1}{2}' })).toBe('\\boxed{\\frac{1}{2}}');
    expect(ideal({ data_source: 'retrieval_calculate', ground_truth: { doc_ids: ['<|doc_1|>', '<|doc_4|>'], golden_label: '7' } })).toBe(
      '<relevant_doc_ids><|doc_1|>, <|doc_4|></relevant_doc_ids>\n<continue_reasoning>\\boxed{7}</continue_reasoning>',
    );
    expect(ideal({ data_source: 'math_dapo', ground_truth: '\\frac{1}{2}' })).toBe('Answer: \\frac{1}{2}');
    // Too long for the 500-code-point window as written; normalize_final_answer takes the spaces out.
    expect(ideal({ data_source: 'math_dapo', ground_truth: '1 '.repeat(300) })).toBe(`Answer: ${'1'.repeat(300)}`);
    expect(ideal({ data_source: 'math_dapo_math_verify', ground_truth: ['0.5', '1/2'] })).toBe('\\boxed{0.5}');
    expect(ideal({ data_source: 'MATH##algebra', ground_truth: '\\sqrt{2}' })).toBe('\\boxed{\\sqrt{2}}');
    expect(ideal({ data_source: 'model_verify', ground_truth: '3', extra_info: { reward_mode: 'math_verify', ground_truth: '3' } })).toBe('3');
  });

  it('LongBench-Pro: "[Answer]" and the answers one per line, by metric', () => {
    expect(ideal(lbp(['Passage  3', 'Passage 1'], 'T1.1 Global Cohesive Retrieval'))).toBe('[Answer]\nPassage 3\nPassage 1');
    expect(ideal(lbp(['a', 'b', 'A', 'c'], 'T2.1 Global Timeline Reconstruction'))).toBe('[Answer]\na\nb\nc');
    expect(ideal(lbp(['first', 'second'], 'T3.1 Multi-Doc Integration QA'))).toBe('[Answer]\nfirst');
    expect(ideal(lbp(['x\ny', 'z'], 'T5.1 Full-Sentence Citation Alignment'))).toBe('[Answer]\nx y\nz');
    expect(ideal(lbp(['The summary. It is short.'], 'T4.1 Global-Coverage Constrained Summary'))).toBe('The summary. It is short.');
  });

  it("ROUGE-L's best is its F for a response identical to the reference: 2pr/(p+r+1e-8) with p = r = 1", () => {
    expect(ROUGE_L_BEST).toBe((2 * 1 * 1) / (1 + 1 + 1e-8));
    const check = checkRow(lbp(['Roads get nine percent more. Schools get two buildings.'], 'T4.2 Query-Focused Summary'));
    expect(check.best_score).toBe(ROUGE_L_BEST);
    expect(check.ideal_score).toBe(ROUGE_L_BEST);
  });

  it('README\'s Dataset doctor section names every problem code', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Dataset doctor'), readme.indexOf('\n## ', readme.indexOf('## Dataset doctor') + 1));
    expect(Object.keys(PROBLEM_CODES).filter((code) => !section.includes(`\`${code}\``))).toEqual([]);
  });

  it('GET /tasks states the construction for every scorer and data source, and lists the problem codes', () => {
    const tasks = describeTasks();
    for (const s of tasks.scorers) expect(s.ideal_response.length, s.name).toBeGreaterThan(10);
    for (const d of tasks.data_sources) expect(d.ideal_response.length, d.data_source).toBeGreaterThan(10);
    expect(tasks.check_problems.map((p) => p.code).sort()).toEqual(Object.keys(PROBLEM_CODES).sort());
  });
});

describe('Python number types in a ground truth', () => {
  it('a float gold (JSON 42.0, which JavaScript reads as 42) is named a float, as the reference names it', () => {
    const check = checkRow(parseItemJsonPy('{"data_source": "aime2024", "reward_model": {"ground_truth": 42.0}}'));
    expect(codesOf(check)).toEqual(['bad_ground_truth']);
    expect(check.problems[0]!.message).toContain('a float (42.0)');
    expect(check.problems[0]!.message).toContain('can only concatenate str (not "float") to str');
    expect(check.problems[0]!.message).toContain('store it as the string "42.0"');
  });

  it("math_verify_from_sky routes name a float gold's type too, at the top level or in golden_label (TypeError: argument of type 'float' is not iterable)", () => {
    for (const text of [
      '{"data_source": "math_dapo_math_verify", "reward_model": {"ground_truth": 42.0}}',
      '{"data_source": "math_longcot_math_verify", "reward_model": {"ground_truth": {"golden_label": 42.0}}}',
      '{"data_source": "retrieval_calculate", "reward_model": {"ground_truth": {"doc_ids": ["<|doc_1|>"], "golden_label": 42.0}}}',
    ]) {
      const check = checkRow(parseItemJsonPy(text));
      expect(codesOf(check), text).toEqual(['bad_ground_truth']);
      expect(check.problems[0]!.message, text).toContain("argument of type 'float' is not iterable");
      expect(check.problems[0]!.message, text).toContain('a float (42.0)');
    }
    // In a list, the gold is compared as str(42.0): the ideal boxes "42.0", which scores 1.
    const listed = checkRow(parseItemJsonPy('{"data_source": "math_dapo_math_verify", "reward_model": {"ground_truth": [42.0]}}'), { includeIdeal: true });
    expect(listed.ideal_response).toBe('\\boxed{42.0}');
    expect(listed.ideal_score).toBe(1);
  });
});

describe('the extra-routes parity file (math_dapo, Minerva, math_verify.compute_score) used as a dataset', () => {
  const cases = loadScoreCases(EXTRA_ROUTES_FILE);
  let checks: RowCheck[];
  beforeAll(() => {
    checks = cases.map((c) => checkRow({ id: c.id, data_source: c.data_source, ground_truth: c.ground_truth, extra_info: c.extra_info }, { timeoutMs: 30_000 }));
  });

  it('covers every new route', () => {
    expect(new Set(checks.map((c) => c.scorer))).toEqual(new Set(['minerva', 'math_verify', 'math_verify_metric']));
  });

  it('never calls a row fatal or capped when one of its rollouts reached 1 at the reference', () => {
    const wrong = cases
      .map((c, i) => ({ c, check: checks[i]! }))
      .filter(({ c, check }) => c.expected === 1 && check.problems.some((p) => p.severity !== 'warning'))
      .map(({ c, check }) => `${c.id}: ${check.problems[0]!.message}`);
    expect(cases.filter((c) => c.expected === 1).length).toBeGreaterThan(50);
    expect(wrong).toEqual([]);
  });
});

describe('the public parity file used as a dataset', () => {
  const cases = loadScoreCases();
  let checks: RowCheck[];
  beforeAll(() => {
    // A generous budget: what is judged here is the verdict, not the speed (the machine may be busy).
    checks = cases.map((c) => checkRow({ id: c.id, data_source: c.data_source, ground_truth: c.ground_truth, extra_info: c.extra_info }, { timeoutMs: 30_000 }));
  });

  it('finds every row the reference raises on, as fatal', () => {
    const missed = cases.filter((c, i) => c.expected_error !== undefined && checks[i]!.problems[0]?.severity !== 'fatal').map((c) => c.id);
    expect(cases.filter((c) => c.expected_error !== undefined).length).toBeGreaterThan(40);
    expect(missed).toEqual([]);
  });

  it('never calls a row fatal when the reference gave one of its rollouts a positive score (judge rows: exact copies do score)', () => {
    const wrong = cases
      .map((c, i) => ({ c, check: checks[i]! }))
      .filter(({ c, check }) => (c.expected ?? 0) > 0 && check.problems.some((p) => p.severity === 'fatal' && p.problem !== 'judge_required'))
      .map(({ c, check }) => `${c.id}: ${check.problems[0]!.message}`);
    expect(wrong).toEqual([]);
  });

  it('never caps a row below a score one of its rollouts reached', () => {
    const wrong = cases
      .map((c, i) => ({ c, check: checks[i]! }))
      .filter(({ c, check }) => check.problems.some((p) => p.severity === 'capped') && c.expected !== undefined && check.ideal_score !== null && c.expected > check.ideal_score + 1e-9)
      .map(({ c }) => c.id);
    expect(wrong).toEqual([]);
  });
});
