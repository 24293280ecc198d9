// Hostile inputs through HTTP against one real server (2 workers): every request gets a 200 with a
// score in [0, 1] or a typed item error for each item, or a 4xx naming the problem — never a 500,
// never a hang — and afterwards the pool still scores a normal item.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startService, type Service } from './helpers/service.js';

let svc: Service;
beforeAll(async () => {
  svc = await startService({ env: { GOLONG_REWARD_WORKERS: '2' } });
  await svc.waitReady();
});
afterAll(() => svc?.stop());

/** Generous: a loaded 2-core box running other test files in parallel. */
const BUDGET_MS = 10_000;
/** Codes a client may see for a hostile item; `internal_error` means a bug in the service. */
const CLIENT_CODES = ['unknown_data_source', 'unknown_task', 'bad_ground_truth', 'bad_item', 'judge_required', 'timeout', 'input_too_large'];

interface Result {
  id: unknown;
  score: number | null;
  error?: { code: string; message: string };
}

/** POSTs to /score (a value or raw JSON text) and checks the wall time. */
async function timed(body: unknown, path = '/score') {
  const started = performance.now();
  const res = await post(`${svc.url}${path}`, body);
  const ms = performance.now() - started;
  expect(res.status, `${res.status}: ${res.text.slice(0, 300)}`).not.toBe(500);
  expect(ms).toBeLessThan(BUDGET_MS);
  return res;
}

/** Each result is a score in [0, 1] or a client-facing item error; ids keep the request order. */
function expectTotal(results: Result[], n: number): void {
  expect(results).toHaveLength(n);
  results.forEach((r, i) => {
    if (r.score === null) expect(CLIENT_CODES, `item ${i}: ${r.error?.code} ${r.error?.message}`).toContain(r.error?.code);
    else expect(r.score >= 0 && r.score <= 1, `item ${i} scored ${r.score}`).toBe(true);
  });
}

async function scoresAll(items: unknown[], extra: Record<string, unknown> = {}): Promise<Result[]> {
  const res = await timed({ items, ...extra });
  expect(res.status, res.text.slice(0, 300)).toBe(200);
  expectTotal(res.json.results, items.length);
  return res.json.results;
}

const TASKS = ['em', 'choice', 'accuracy', 'f1', 'subem', 'ndcg', 'pairwise', 'rouge_l', 'iou', 'math_verify', 'retrieval_calculate'];
const REFERENCE: Record<string, unknown> = {
  em: 'x',
  choice: 'A',
  accuracy: ['x'],
  f1: ['x'],
  subem: ['x'],
  ndcg: ['x'],
  pairwise: ['x', 'y'],
  rouge_l: ['lorem ipsum dolor'],
  iou: '[{"a": 1}]',
  math_verify: '1',
  retrieval_calculate: 'x',
};
const nativeItems = (response: string) => TASKS.map((task) => ({ task, response, reference: REFERENCE[task] }));
/** One verl row per routed data source, with a plausible ground truth. */
const verlRows = (solution: string) => [
  { data_source: 'longbench_pro', solution_str: solution, ground_truth: { doc_ids: ['x'] }, extra_info: { reward_mode: 'T1.1 Global Cohesive Retrieval' } },
  { data_source: 'longbench_pro', solution_str: solution, ground_truth: { summary: ['lorem ipsum'] }, extra_info: { reward_mode: 'T4.1 Global-Coverage Summary' } },
  { data_source: 'multitableqa_pretraining', solution_str: solution, ground_truth: '[{"a": 1}]' },
  { data_source: 'retrieval_calculate', solution_str: solution, ground_truth: 'x' },
  { data_source: 'selection', solution_str: solution, ground_truth: 'A' },
  { data_source: 'EM', solution_str: solution, ground_truth: { golden_label: 'x' } },
  { data_source: 'math_longcot_math_verify', solution_str: solution, ground_truth: '1' },
  { data_source: 'model_verify', solution_str: solution, ground_truth: '1', extra_info: { reward_mode: 'math_verify' } },
];
const math = (boxed: string, ground_truth: unknown = '1') => ({ data_source: 'math_longcot_math_verify', solution_str: `</think>\\boxed{${boxed}}`, ground_truth });

/** About 1 MB of English words. */
const ONE_MB = 'lorem ipsum dolor sit amet '.repeat(38_836);

describe('hostile inputs through HTTP', () => {
  it('1 MB responses for every scorer and every routed data source', async () => {
    await scoresAll(nativeItems(ONE_MB));
    await scoresAll(nativeItems(`<think>${ONE_MB}</think>[Answer]\n${ONE_MB.slice(0, 500_000)}`));
    await scoresAll(verlRows(`<think>${ONE_MB.slice(0, 300_000)}</think>${ONE_MB.slice(0, 600_000)}`));
  });

  it('a 1 MB summary against a 1 MB reference (ROUGE-L) is a score or a typed limit error, not internal_error', async () => {
    const words = 'a '.repeat(500_000);
    await scoresAll([{ task: 'rouge_l', response: words, reference: [words], options: { language: 'en' } }]);
  });

  it('100,000 tiny items in one request, in order', async () => {
    const items = Array.from({ length: 100_000 }, (_, i) => (i % 2 ? { task: 'f1', response: '[Answer]\nx', reference: ['x'] } : { task: 'em', response: 'y', reference: 'x' }));
    const started = performance.now();
    const res = await post(`${svc.url}/score`, { items });
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(res.status).toBe(200);
    expect(res.json.summary).toMatchObject({ items: 100_000, errors: 0 });
    expect(res.json.results[99_999]).toMatchObject({ id: 99_999, score: 1 });
    expect(res.json.results[99_998]).toMatchObject({ id: 99_998, score: 0 });
  });

  // JSON.parse accepts any depth; whatever the service does next (re-serialising items for the
  // workers, walking the ground truth) must not turn deep nesting into a 500.
  it.each([5_000, 20_000, 200_000])('ground truths nested %i deep (arrays and objects) are item errors or scores', async (depth) => {
    const arrays = '['.repeat(depth) + '"x"' + ']'.repeat(depth);
    const objects = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    for (const deep of [arrays, objects]) {
      const rows = [
        `{"data_source":"EM","solution_str":"</think>x","ground_truth":${deep}}`,
        `{"data_source":"multitableqa_pretraining","solution_str":"x","ground_truth":${deep}}`,
        `{"data_source":"longbench_pro","solution_str":"[Answer]\\nx","ground_truth":{"doc_ids":${deep}},"extra_info":{"reward_mode":"T1.1 Global Cohesive Retrieval"}}`,
        `{"data_source":"math_longcot_math_verify","solution_str":"\\\\boxed{1}","ground_truth":${deep}}`,
        `{"task":"f1","response":"[Answer]\\nx","reference":${deep}}`,
        `{"task":"f1","response":"[Answer]\\nx","reference":["x"],"options":${deep}}`,
      ];
      const res = await timed(`{"items":[${rows.join(',')},{"task":"f1","response":"[Answer]\\nx","reference":["x"]}]}`);
      expect(res.status === 200 || res.status === 400, `${res.status}: ${res.text.slice(0, 200)}`).toBe(true);
      if (res.status === 200) {
        expectTotal(res.json.results, rows.length + 1);
        expect(res.json.results.at(-1).score).toBe(1);
      }
      // The OpenRLHF route re-serialises labels too.
      const rlhf = await timed(`{"query":["x"],"prompts":[""],"labels":[{"data_source":"EM","ground_truth":${deep}}]}`, '/openrlhf/reward');
      expect([200, 400]).toContain(rlhf.status);
    }
  });

  it('\\boxed{ nested 10,000 deep, balanced or not, and brace floods', async () => {
    await scoresAll([
      math('\\boxed{'.repeat(10_000) + '1'),
      math('\\boxed{'.repeat(10_000) + '1' + '}'.repeat(10_000)),
      math('{'.repeat(200_000)),
      math('}'.repeat(200_000)),
      math('\\frac{'.repeat(10_000) + '1'),
      math('('.repeat(50_000) + '1' + ')'.repeat(50_000)),
      { task: 'math_verify', response: '\\boxed{'.repeat(10_000), reference: '\\boxed{'.repeat(10_000) },
    ]);
  });

  it('astronomically large numbers are compared without being computed', async () => {
    const huge = ['9^9^9^9', '100000!', '10^{10^{10}}', '9^{9^{9^{9}}}', '(10^{100})!', '2^{2^{2^{2^{2^{2}}}}}', '10^{10^{10}}-10^{10^{10}}', '\\frac{100000!}{99999!}', '1e308*1e308', '10^{-10^{10}}'];
    const results = await scoresAll([...huge.map((s) => math(s, s)), ...huge.map((s) => math(s, '1'))]);
    // An expression equals itself; none of them equals 1 (only timing out would be excused).
    results.slice(0, huge.length).forEach((r, i) => expect(r.error?.code === 'timeout' || r.score === 1, huge[i]).toBe(true));
    results.slice(huge.length).forEach((r, i) => expect(r.score === 0 || r.error?.code === 'timeout', `${huge[i]} vs 1`).toBe(true));
  });

  it('regex-hostile runs: [Answer], <think>, </think>, "The correct answer is ("', async () => {
    const runs = ['[Answer]'.repeat(120_000), '<think>'.repeat(140_000), '</think>'.repeat(120_000), 'The correct answer is ('.repeat(40_000), '[Answer]\n'.repeat(100_000) + 'x'];
    for (const run of runs) await scoresAll([...nativeItems(run), ...verlRows(run)]);
  });

  it('lone surrogates (raw JSON escapes) in responses, references, ids and ground truths', async () => {
    const res = await timed(
      '{"items":[' +
        '{"id":"\\ud800","task":"f1","response":"[Answer]\\n\\ud800x\\udfff","reference":["\\ud800"]},' +
        '{"task":"rouge_l","response":"\\udc00\\ud800","reference":["\\ud800"],"options":{"language":"zh"}},' +
        '{"task":"rouge_l","response":"\\udc00 \\ud800","reference":["\\ud800 x"],"options":{"language":"en"}},' +
        '{"data_source":"math_longcot_math_verify","solution_str":"\\\\boxed{\\ud800}","ground_truth":"\\ud800"},' +
        '{"data_source":"EM","solution_str":"</think>\\udfff","ground_truth":{"golden_label":"\\udfff"}},' +
        '{"data_source":"multitableqa_pretraining","solution_str":"[{\\"\\ud800\\": 1}]","ground_truth":"[{\\"\\ud800\\": 1}]"},' +
        '{"task":"em","response":"\\ud800","reference":"\\ud800"}' +
        ']}',
    );
    expect(res.status).toBe(200);
    expectTotal(res.json.results, 7);
    expect(res.json.results[0].id).toBe('\ud800');
  });

  it('NUL bytes and every Unicode whitespace', async () => {
    const ws = '\t\n\v\f\r \u001c\u001d\u001e\u001f\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\u180e\u200b\ufeff';
    for (const response of ['\0'.repeat(10_000), ws.repeat(5_000), `[Answer]\n${ws}x${ws}\0`, `<think>\0</think>${ws}\\boxed{${ws}1${ws}}`]) {
      await scoresAll([...nativeItems(response), ...verlRows(response)]);
    }
    await scoresAll([{ task: 'f1', response: '[Answer]\n\0', reference: ['\0'] }, { task: 'em', response: ws, reference: ws }]);
  });
});

describe('wrong types everywhere in the envelope', () => {
  it.each<[string, string]>([
    ['body null', 'null'],
    ['body a number', '42'],
    ['body a string', '"items"'],
    ['body true', 'true'],
    ['items null', '{"items":null}'],
    ['items a string', '{"items":"[]"}'],
    ['items a number', '{"items":3}'],
    ['details null', '{"items":[],"details":null}'],
    ['details a number', '{"items":[],"details":1}'],
    ['details a string', '{"items":[],"details":"true"}'],
    ['timeout_ms negative', '{"items":[],"timeout_ms":-5}'],
    ['timeout_ms huge', '{"items":[],"timeout_ms":1e308}'],
    ['timeout_ms over the max', '{"items":[],"timeout_ms":60001}'],
    ['timeout_ms a string', '{"items":[],"timeout_ms":"100"}'],
    ['timeout_ms null', '{"items":[],"timeout_ms":null}'],
    ['timeout_ms an array', '{"items":[],"timeout_ms":[100]}'],
    ['advantages a string', '{"items":[],"advantages":"grpo"}'],
    ['advantages an array', '{"items":[],"advantages":["grpo"]}'],
    ['advantages null', '{"items":[],"advantages":null}'],
    ['advantages without estimator', '{"items":[],"advantages":{}}'],
    ['advantages alpha a string', '{"items":[],"advantages":{"estimator":"tmn_grpo","difficulty_smooth_alpha":"0.5"}}'],
    ['advantages alpha out of range', '{"items":[],"advantages":{"estimator":"tmn_grpo","difficulty_smooth_alpha":7}}'],
    ['advantages gamma huge', '{"items":[],"advantages":{"estimator":"grpo","difficulty_gamma":1e308}}'],
    ['advantages unknown parameter', '{"items":[],"advantages":{"estimator":"grpo","x":1}}'],
    ['__proto__ at the top', '{"items":[],"__proto__":{"details":true}}'],
  ])('%s → 400 naming the problem', async (_name, body) => {
    const res = await timed(body);
    expect(res.status, res.text).toBe(400);
    expect(res.json).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(res.json.message.length).toBeGreaterThan(5);
  });

  it('item fields of the wrong type are item errors, never batch errors', async () => {
    const items = [
      { task: 7, response: 'x', reference: ['x'] },
      { task: 'f1', response: 7, reference: ['x'] },
      { task: 'f1', response: ['x'], reference: ['x'] },
      { task: 'f1', response: { a: 1 }, reference: ['x'] },
      { task: 'f1', response: null, reference: ['x'] },
      { task: 'f1', response: 'x', reference: 7 },
      { task: 'f1', response: 'x', reference: null },
      { task: 'f1', response: 'x', reference: [1, null, {}] },
      { task: 'f1', response: 'x', reference: ['x'], options: 'en' },
      { task: 'rouge_l', response: 'x', reference: ['x'], options: { language: 7 } },
      { task: 'f1', response: 'x', reference: ['x'], id: { a: 1 } },
      { task: 'f1', response: 'x', reference: ['x'], id: [1] },
      { task: 'f1', response: 'x', reference: ['x'], uid: { a: 1 } },
      { data_source: 7, solution_str: 'x', ground_truth: 'x' },
      { data_source: 'EM', solution_str: 7, ground_truth: 'x' },
      { data_source: 'EM', solution_str: 'x', ground_truth: null },
      { data_source: 'longbench_pro', solution_str: 'x', ground_truth: { doc_ids: ['x'] }, extra_info: 'T1.1' },
      { data_source: 'longbench_pro', solution_str: 'x', ground_truth: { doc_ids: ['x'] }, extra_info: { reward_mode: 7 } },
      { data_source: 'math_longcot_math_verify', solution_str: '\\boxed{1}', ground_truth: { a: 1 } },
      { data_source: 'EM', task: 'f1', solution_str: 'x', response: 'x', ground_truth: 'x', reference: ['x'] },
      true,
      '',
    ];
    const results = await scoresAll(items);
    // Invalid ids (objects, arrays) fall back to the index.
    results.forEach((r, i) => expect(r.id, `item ${i}`).toBe(i));
  });

  it('an item with every advantage-relevant field wrong still returns scores with advantages_error or exclusions', async () => {
    const items = [
      { task: 'f1', response: '[Answer]\nx', reference: ['x'], uid: { a: 1 } },
      { task: 'f1', response: '[Answer]\nx', reference: ['x'], uid: ['q'] },
      { task: 'f1', response: '[Answer]\nx', reference: ['x'], uid: 'q' },
      { task: 'nope', response: 'x', reference: ['x'], uid: 'q' },
    ];
    const res = await timed({ items, advantages: { estimator: 'tmn_grpo' } });
    expect(res.status).toBe(200);
    expectTotal(res.json.results, items.length);
    expect(res.json.advantages_error !== undefined || Array.isArray(res.json.advantages_excluded)).toBe(true);
  });
});

describe('after all that', () => {
  it('the pool still scores a normal item and /readyz is 200', async () => {
    expect((await fetch(`${svc.url}/readyz`)).status).toBe(200);
    const res = await post(`${svc.url}/score`, { items: [{ task: 'f1', response: '[Answer]\nfoo\nbar', reference: ['foo', 'baz'] }] });
    expect(res.json.results[0].score).toBe(0.5);
    const metrics = await (await fetch(`${svc.url}/metrics`)).text();
    const fivehundreds = metrics.split('\n').filter((l) => /^golong_reward_http_requests_total\{.*status="500"/.test(l));
    expect(fivehundreds).toEqual([]);
  });
});
