// POST /check through the real built service: the OpenAPI example answered as documented, the
// public parity file checked over HTTP giving exactly the CLI's lines, envelope errors, rows that
// are not objects (or not JSON) as those rows' problems, load shedding shared with /score, metrics.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_EXAMPLE_BODY, CHECK_EXAMPLE_RESPONSE } from '../src/schemas/check.js';
import { BROKEN_ROWS, GOOD_ROWS } from './helpers/checkCases.js';
import { PARITY_DIR } from './helpers/parity.js';
import { post, startService, type Service } from './helpers/service.js';

const CLI = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
const PARITY_FILE = fileURLToPath(new URL('scores.public.jsonl', PARITY_DIR));
let svc: Service;

beforeAll(async () => {
  svc = await startService({
    env: { GOLONG_REWARD_TEST_HOOKS: '1', GOLONG_REWARD_WORKERS: '2', GOLONG_REWARD_MAX_ITEMS: '2000', GOLONG_REWARD_MAX_CONCURRENT_BATCHES: '1', GOLONG_REWARD_MAX_QUEUED_BATCHES: '0' },
  });
  await svc.waitReady();
});
afterAll(() => svc?.stop());

const check = (body: unknown) => post(`${svc.url}/check`, body);

describe('POST /check', () => {
  it('answers the OpenAPI example as documented', async () => {
    const res = await check(CHECK_EXAMPLE_BODY);
    expect(res.status).toBe(200);
    expect(res.json).toEqual(CHECK_EXAMPLE_RESPONSE);
  });

  it('agrees with golong-reward check line for line on the public parity file', async () => {
    const text = readFileSync(PARITY_FILE, 'utf8');
    const rows = text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
    // A generous budget per row: the lines are compared, not the speed of a busy machine.
    const res = await check({ rows, timeout_ms: 30_000 });
    expect(res.status).toBe(200);
    const cli = spawnSync(process.execPath, [CLI, 'check', PARITY_FILE, '--quiet', '--timeout-ms', '30000'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const cliLines = cli.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(res.json.problems.length).toBeGreaterThan(50);
    expect(res.json.problems).toEqual(cliLines);
    expect(res.json.summary.rows).toBe(rows.length);
    expect(res.json.summary.with_problems).toBe(cliLines.length);
    expect(res.json.summary.fine + res.json.summary.with_problems).toBe(rows.length);
  });

  it('reports every broken row of a mixed dataset with its reason, and none of the good ones', async () => {
    const rows = [...GOOD_ROWS, ...BROKEN_ROWS].map((c) => c.row);
    const res = await check({ rows, include_ideal: true });
    expect(res.status).toBe(200);
    expect(res.json.problems.map((p: { index: number; problem: string }) => [p.index, p.problem])).toEqual(BROKEN_ROWS.map((c, i) => [GOOD_ROWS.length + i, c.first]));
    const marker = res.json.problems.find((p: { problem: string }) => p.problem === 'answer_contains_marker');
    expect(marker.ideal_response).toBe('[Answer]\nx [Answer] y\nz');
  });

  it('a row that is not an object, or not JSON, is that row\'s problem; the other rows are checked', async () => {
    const good = JSON.stringify(GOOD_ROWS[0]!.row);
    const res = await post(`${svc.url}/check`, `{"rows": [${good}, 17, {"data_source": "EM", "ground_truth": {golden_label: 1}}, ${good}]}`);
    expect(res.status).toBe(200);
    expect(res.json.problems.map((p: { index: number; problem: string }) => [p.index, p.problem])).toEqual([
      [1, 'not_an_object'],
      [2, 'not_json'],
    ]);
    expect(res.json.summary).toMatchObject({ rows: 4, fine: 2, with_problems: 2 });
  });

  it('reads numbers with their Python types: a gold written 42.0 is a float, as the reference names it', async () => {
    const float = '{"id": "f", "data_source": "aime2024", "reward_model": {"ground_truth": 42.0}}';
    const int = '{"id": "i", "data_source": "math_dapo", "reward_model": {"ground_truth": 42}}';
    const res = await post(`${svc.url}/check`, `{"rows": [${float}, ${int}]}`);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const messages = res.json.problems.map((p: { id: string; message: string }) => [p.id, p.message]);
    expect(messages.map((m: string[]) => m[0])).toEqual(['f', 'i']);
    expect(messages[0][1]).toContain('a float (42.0), not a string');
    expect(messages[0][1]).toContain('can only concatenate str (not "float") to str');
    expect(messages[1][1]).toContain("AttributeError: 'int' object has no attribute 'split'");
  });

  it('400 for a wrong envelope, naming the field; query parameters are refused', async () => {
    expect((await check({})).json.message).toBe('rows is required');
    expect((await check({ rows: 'x' })).json.message).toBe('rows must be an array of dataset rows');
    const unknown = await check({ rows: [], details: true });
    expect(unknown.status).toBe(400);
    expect(unknown.json.message).toMatch(/body has unknown field "details" \(fields: rows, timeout_ms, include_ideal\)/);
    const many = await check({ rows: new Array(2001).fill({}) });
    expect(many.json.message).toBe('rows must have at most 2000 rows, not 2001');
    expect((await check({ rows: [], timeout_ms: 0 })).json.message).toMatch(/^timeout_ms must be between 1 and/);
    expect((await post(`${svc.url}/check`, '{"rows": [')).status).toBe(400);
    const query = await post(`${svc.url}/check?include_ideal=true`, { rows: [] });
    expect(query.status).toBe(400);
    expect(query.json.message).toMatch(/takes no query parameters .*put "include_ideal" in the JSON body/);
  });

  it('sheds load with /score: while a batch holds the only slot, /check answers 503 with Retry-After', async () => {
    const busy = post(`${svc.url}/score`, { items: [{ task: '__test_hang__', ms: 1500 }], timeout_ms: 5000 });
    await new Promise((r) => setTimeout(r, 300));
    const shed = await check(CHECK_EXAMPLE_BODY);
    expect(shed.status).toBe(503);
    expect(shed.headers.get('retry-after')).toBe('2');
    expect((await busy).status).toBe(200);
    expect((await check(CHECK_EXAMPLE_BODY)).status).toBe(200);
  });

  it('counts checked rows and reported problems in /metrics', async () => {
    const before = await (await fetch(`${svc.url}/metrics`)).text();
    const count = (text: string, re: RegExp) => Number(re.exec(text)?.[1] ?? 0);
    await check(CHECK_EXAMPLE_BODY);
    const after = await (await fetch(`${svc.url}/metrics`)).text();
    expect(count(after, /^golong_reward_check_rows_total (\d+)/m) - count(before, /^golong_reward_check_rows_total (\d+)/m)).toBe(4);
    const selection = /^golong_reward_check_problems_total\{code="label_not_a_choice"\} (\d+)/m;
    expect(count(after, selection) - count(before, selection)).toBe(1);
  });

  it('is in the OpenAPI document with its example, and GET /tasks states the ideal responses', async () => {
    const doc = (await (await fetch(`${svc.url}/openapi.json`)).json()) as any;
    const op = doc.paths['/check'].post;
    expect(op.requestBody.content['application/json'].examples.dataset.value).toEqual(CHECK_EXAMPLE_BODY);
    expect(op.responses['200'].content['application/json'].examples.dataset.value).toEqual(CHECK_EXAMPLE_RESPONSE);
    const tasks = (await (await fetch(`${svc.url}/tasks`)).json()) as any;
    expect(tasks.scorers.find((s: { name: string }) => s.name === 'choice').ideal_response).toMatch(/The correct answer is \(X\)/);
    expect(tasks.check_problems.find((p: { code: string }) => p.code === 'no_answers')).toMatchObject({ severity: 'fatal' });
  });
});
