// Envelope errors, limits, auth, gzip and load shedding, through the real built server started
// with small limits and a token.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { post, startService, type Service } from './helpers/service.js';

const TOKEN = 'test-token-7f3a';
const MARKER = 'ROLLOUT-TEXT-MUST-NOT-BE-LOGGED';
let svc: Service;

beforeAll(async () => {
  svc = await startService({
    env: {
      GOLONG_REWARD_TOKEN: TOKEN,
      GOLONG_REWARD_TEST_HOOKS: '1',
      GOLONG_REWARD_WORKERS: '1',
      GOLONG_REWARD_MAX_ITEMS: '50',
      GOLONG_REWARD_MAX_RESPONSE_CHARS: '1000',
      GOLONG_REWARD_TIMEOUT_GRACE_MS: '100',
      GOLONG_REWARD_MAX_CONCURRENT_BATCHES: '1',
      GOLONG_REWARD_MAX_QUEUED_BATCHES: '0',
    },
    args: ['--body-limit', '64KiB'],
  });
  await svc.waitReady();
});
afterAll(() => svc?.stop());

const f1 = { task: 'f1', response: '[Answer]\nfoo', reference: ['foo'] };
const score = (body: unknown, options: Parameters<typeof post>[2] = {}) => post(`${svc.url}/score`, body, { token: TOKEN, ...options });
const get = (path: string, token?: string) => fetch(`${svc.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('auth', () => {
  it('requires the bearer token on every route but /healthz, /readyz and the API documentation', async () => {
    for (const path of ['/openapi.json', '/docs', '/docs/json']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      await res.text();
    }
    for (const path of ['/tasks', '/metrics']) {
      const res = await get(path);
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await get(path, 'wrong-token')).status, path).toBe(401);
      expect((await get(path, TOKEN)).status, path).toBe(200);
    }
    for (const route of ['/score', '/advantages']) {
      const res = await post(`${svc.url}${route}`, { items: [] });
      expect(res.status, route).toBe(401);
      expect(res.json.message).toBe('missing Authorization: Bearer <token> header');
      expect((await post(`${svc.url}${route}`, { items: [] }, { token: `${TOKEN}x` })).json.message).toBe('the bearer token is not valid');
    }
    expect((await get('/healthz')).status).toBe(200);
    expect((await get('/readyz')).status).toBe(200);
    expect((await score({ items: [f1] })).json.results[0].score).toBe(1);
  });
});

describe('envelope errors name the field', () => {
  it.each([
    ['items missing', {}, 'items is required'],
    ['items not an array', { items: { a: 1 } }, 'items must be an array of item objects'],
    ['too many items', { items: Array.from({ length: 51 }, () => f1) }, 'items must have at most 50 items, not 51'],
    ['timeout_ms zero', { items: [], timeout_ms: 0 }, 'timeout_ms must be between 1 and 60000'],
    ['timeout_ms fractional', { items: [], timeout_ms: 1.5 }, /^timeout_ms must be an integer/],
    ['details not boolean', { items: [], details: 'yes' }, 'details must be true or false'],
    ['unknown field', { items: [], detail: true }, 'body has unknown field "detail" (did you mean "details"? fields: items, details, timeout_ms, advantages, audit, audit_penalty)'],
    ['unknown field, nothing close', { items: [], verbose: true }, 'body has unknown field "verbose" (fields: items, details, timeout_ms, advantages, audit, audit_penalty)'],
    ['unknown estimator', { items: [], advantages: { estimator: 'ppo' } }, 'advantages.estimator must be one of grpo, drgrpo, qwenlong, tmn_grpo'],
    ['body is an array', [f1], 'body must be a JSON object {items: [...]}'],
  ])('%s', async (_name, body, message) => {
    const res = await score(body);
    expect(res.status).toBe(400);
    expect(res.json.statusCode).toBe(400);
    if (typeof message === 'string') expect(res.json.message).toBe(message);
    else expect(res.json.message).toMatch(message);
  });

  it('400 for a body that is not JSON, or empty', async () => {
    const bad = await score(`{"items": [${MARKER}`);
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/^body is not valid JSON: /);
    const empty = await score('');
    expect(empty.status).toBe(400);
    expect(empty.json.message).toMatch(/^body is empty/);
  });

  it('a malformed item is an item error, never a batch error', async () => {
    const res = await score({ items: [f1, null, 7, [], { task: 'f1' }, { data_source: 'EM' }] });
    expect(res.status).toBe(200);
    expect(res.json.results.map((r: { error?: { code: string } }) => r.error?.code ?? 'ok')).toEqual(['ok', 'bad_item', 'bad_item', 'bad_item', 'bad_item', 'bad_item']);
    expect(res.json.summary).toMatchObject({ items: 6, scored: 1, errors: 5 });
  });

  it('an item that is not valid JSON inside a well-formed body is that item\'s bad_item', async () => {
    const text = `{"items": [${JSON.stringify({ id: 'a', ...f1 })}, {"id": "b", "task": tru}, ${JSON.stringify(f1)}], "details": false}`;
    const res = await score(text);
    expect(res.status).toBe(200);
    expect(res.json.results).toEqual([
      expect.objectContaining({ id: 'a', score: 1 }),
      { id: 1, score: null, error: { code: 'bad_item', message: expect.stringMatching(/^the item is not valid JSON: /) } },
      expect.objectContaining({ id: 2, score: 1 }),
    ]);
  });
});

describe('limits', () => {
  it('413 over the body limit, stating it', async () => {
    const res = await score({ items: [{ ...f1, response: 'x'.repeat(70_000) }] });
    expect(res.status).toBe(413);
    expect(res.json.message).toMatch(/larger than the limit of 64 KiB \(65536 bytes/);
  });

  it('413 for a gzip body that decompresses past the limit (a zip bomb)', async () => {
    const bomb = gzipSync(Buffer.from(JSON.stringify({ items: [{ ...f1, response: ' '.repeat(20_000_000) }] })));
    expect(bomb.length).toBeLessThan(65536);
    const res = await post(`${svc.url}/score`, bomb, { token: TOKEN, headers: { 'content-encoding': 'gzip' } });
    expect(res.status).toBe(413);
  });

  it('a response over the per-string limit is the item error input_too_large', async () => {
    const res = await score({ items: [f1, { ...f1, id: 'big', response: 'y'.repeat(1001) }, f1] });
    expect(res.status).toBe(200);
    expect(res.json.results[1]).toMatchObject({ id: 'big', score: null, error: { code: 'input_too_large' } });
    expect(res.json.results[1].error.message).toMatch(/1001 characters; the limit is 1000/);
    expect([res.json.results[0].score, res.json.results[2].score]).toEqual([1, 1]);
  });

  it('503 with Retry-After when the batch queue is full, then serves again', async () => {
    const busy = score({ items: [{ task: '__test_hang__', ms: 1500 }], timeout_ms: 5000 });
    await new Promise((r) => setTimeout(r, 300));
    const shed = await score({ items: [f1] });
    expect(shed.status).toBe(503);
    expect(shed.headers.get('retry-after')).toBe('2');
    expect(shed.json.message).toMatch(/too many batches/);
    expect((await busy).status).toBe(200);
    expect((await score({ items: [f1] })).status).toBe(200);
  });
});

describe('content types and encodings', () => {
  it('accepts gzip bodies', async () => {
    const res = await score({ items: [f1, { ...f1, id: 'z' }] }, { gzip: true });
    expect(res.status).toBe(200);
    expect(res.json.results.map((r: { id: unknown }) => r.id)).toEqual([0, 'z']);
  });

  it('400 for a corrupt gzip body', async () => {
    const res = await post(`${svc.url}/score`, Buffer.from('definitely not gzip'), { token: TOKEN, headers: { 'content-encoding': 'gzip' } });
    expect(res.status).toBe(400);
    expect(res.json.message).toMatch(/^body is not valid gzip data/);
  });

  it('415 for non-JSON content and unsupported encodings', async () => {
    const text = await score('{"items": []}', { contentType: 'text/plain' });
    expect(text.status).toBe(415);
    expect(text.json.message).toMatch(/content type "text\/plain" is not supported; send application\/json/);
    const br = await post(`${svc.url}/score`, '{"items": []}', { token: TOKEN, headers: { 'content-encoding': 'br' } });
    expect(br.status).toBe(415);
  });
});

describe('operations', () => {
  it('echoes x-request-id and never logs rollout text at info level', async () => {
    const res = await fetch(`${svc.url}/score`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, 'x-request-id': 'trace-123' },
      body: JSON.stringify({ items: [{ ...f1, response: `[Answer]\n${MARKER}`, reference: [MARKER] }] }),
    });
    expect(res.headers.get('x-request-id')).toBe('trace-123');
    await res.text();
    await score(`{"items": ["${MARKER}"`); // a JSON error quoting the body
    await score({ items: [{ ...f1, response: MARKER.repeat(100) }] }); // input_too_large
    // The service's log line travels through a pipe after the response: under load it can arrive later.
    await vi.waitFor(() => expect(svc.logs.some((l) => l.reqId === 'trace-123')).toBe(true), { timeout: 10_000 });
    expect(svc.output()).not.toContain(MARKER);
    expect(svc.output()).not.toContain(TOKEN);
  });

  it('serves /tasks, /metrics and the OpenAPI document', async () => {
    const tasks = (await (await get('/tasks', TOKEN)).json()) as { semantics: string; scorers: { name: string }[] };
    expect(tasks.semantics).toBe('golongrl-reference');
    expect(tasks.scorers.map((s: { name: string }) => s.name)).toContain('rouge_l');
    const metrics = await (await get('/metrics', TOKEN)).text();
    for (const name of [
      'golong_reward_http_requests_total{route="/score",method="POST",status="200"}',
      'golong_reward_items_scored_total{reward_type="F1_Score"}',
      'golong_reward_item_errors_total{code="bad_item"}',
      'golong_reward_http_request_duration_seconds_bucket',
      'golong_reward_batches_queued',
      'golong_reward_pool_utilization',
      'golong_reward_event_loop_delay_seconds{quantile="0.99"}',
    ]) {
      expect(metrics).toContain(name);
    }
    const doc = (await (await get('/openapi.json', TOKEN)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/score', '/advantages', '/tasks', '/healthz', '/readyz', '/metrics']));
    expect(await (await get('/docs', TOKEN)).text()).toMatch(/swagger/i);
  });
});
