// Security through the real built server: the bearer token on every route the OpenAPI document
// lists (health excepted), wrong tokens of every shape, oversized headers and bodies, no rollout
// text in info-level logs even for failing items and rejected requests, and the constant-time
// token comparison.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenMatches } from '../src/server.js';
import { post, startService, type Service } from './helpers/service.js';

const TOKEN = 'sec-token-4d1c9a7e';
const MARKER = 'Zq7ROLLOUTx9MARKERk3';
let svc: Service;

beforeAll(async () => {
  svc = await startService({
    env: { GOLONG_REWARD_TOKEN: TOKEN, GOLONG_REWARD_TEST_HOOKS: '1', GOLONG_REWARD_WORKERS: '1', GOLONG_REWARD_MAX_RESPONSE_CHARS: '5000', GOLONG_REWARD_TIMEOUT_GRACE_MS: '100' },
    args: ['--body-limit', '256KiB'],
  });
  await svc.waitReady();
});
afterAll(() => svc?.stop());

// GET / only redirects to the reward debugger's static page (/ui/), which asks for the token itself.
const OPEN = ['/healthz', '/readyz', '/openapi.json', '/docs', '/docs/json', '/'];

async function routes(): Promise<[string, string][]> {
  const res = await fetch(`${svc.url}/openapi.json`);
  const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
  const out: [string, string][] = [['/openapi.json', 'GET'], ['/docs', 'GET'], ['/docs/json', 'GET'], ['/no-such-route', 'GET'], ['/no-such-route', 'POST']];
  for (const [path, ops] of Object.entries(doc.paths)) for (const method of Object.keys(ops)) out.push([path, method.toUpperCase()]);
  return out;
}

function send(path: string, method: string, authorization?: string) {
  const headers: Record<string, string> = {};
  if (authorization !== undefined) headers.authorization = authorization;
  const body = method === 'POST' ? '{}' : undefined;
  if (body) headers['content-type'] = 'application/json';
  return fetch(`${svc.url}${path}`, { method, headers, body });
}

describe('auth', () => {
  it('every route the OpenAPI document lists needs the token, except /healthz, /readyz, the documentation and the page redirect /', async () => {
    const all = await routes();
    const paths = all.map(([p]) => p);
    expect(paths).toEqual(expect.arrayContaining(['/score', '/advantages', '/openrlhf/reward', '/tasks', '/metrics', '/healthz', '/readyz']));
    const sameLength = TOKEN.slice(0, -1) + (TOKEN.endsWith('e') ? 'f' : 'e');
    expect(sameLength).toHaveLength(TOKEN.length);
    const wrong = [undefined, '', 'Bearer', 'Bearer ', `Bearer ${TOKEN.slice(0, 4)}`, `Bearer ${TOKEN}${TOKEN}`, `Bearer ${sameLength}`, `Bearer ${TOKEN.toUpperCase()}`, `Basic ${TOKEN}`, TOKEN, `Bearer ${TOKEN} extra`, `Bearer\t${TOKEN}x`];
    for (const [path, method] of all) {
      if (OPEN.includes(path)) {
        expect((await send(path, method)).status, `${method} ${path}`).toBe(200);
        continue;
      }
      for (const authorization of wrong) {
        const res = await send(path, method, authorization);
        expect(res.status, `${method} ${path} with ${JSON.stringify(authorization)}`).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
        await res.text();
      }
      const ok = await send(path, method, `Bearer ${TOKEN}`);
      expect(ok.status, `${method} ${path} with the token`).not.toBe(401);
      expect(ok.status).toBeLessThan(500);
      await ok.text();
    }
  });

  it('a query string or trailing slash does not open a protected route', async () => {
    for (const path of ['/tasks?x=1', '/tasks/', '/metrics?', '/TASKS', '//tasks', '/healthz/../tasks', '/%74asks']) {
      const res = await fetch(`${svc.url}${path}`);
      expect(res.status === 401 || res.status === 404, `${path}: ${res.status}`).toBe(true);
    }
  });

  it('compares digests in constant time: timingSafeEqual over SHA-256, any lengths', () => {
    const source = readFileSync(new URL('../src/server.ts', import.meta.url), 'utf8');
    expect(source).toMatch(/timingSafeEqual\(sha256\(given\), sha256\(expected\)\)/);
    expect(source).toMatch(/createHash\('sha256'\)/);
    // No direct comparison of the configured token anywhere.
    const comparisons = [...source.matchAll(/config\.token\s*[!=]==?\s*([\w.]+)/g)].map((c) => c[1]);
    expect(comparisons.every((rhs) => rhs === 'undefined')).toBe(true);
    expect(source).not.toMatch(/[!=]==?\s*config\.token/);
    // timingSafeEqual throws on buffers of different lengths; digests make every length safe.
    expect(tokenMatches('a', TOKEN)).toBe(false);
    expect(tokenMatches('x'.repeat(10_000), TOKEN)).toBe(false);
    expect(tokenMatches('', TOKEN)).toBe(false);
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
  });
});

/** Writes a raw HTTP request and returns the status line's code (or 'closed'). */
function rawStatus(request: string): Promise<number | 'closed'> {
  const url = new URL(svc.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', () => resolve(data ? Number(data.split(' ')[1]) : 'closed'));
    socket.on('close', () => resolve(data ? Number(data.split(' ')[1]) : 'closed'));
    socket.setTimeout(10_000, () => reject(new Error('no answer to an oversized request')));
    socket.write(request);
  });
}

describe('the open documentation routes open nothing else', () => {
  it('no path through /docs or /openapi.json reaches a protected route', async () => {
    for (const path of ['/docs/../tasks', '/docs/..%2ftasks', '/docs/%2e%2e/tasks', '/openapi.json/../tasks', '/docs/static/../../tasks', '/docs//tasks', '/docsx', '/openapi.jsonx']) {
      const url = new URL(svc.url);
      const text = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(url.port), url.hostname);
        let data = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => (data += chunk));
        socket.on('close', () => resolve(data));
        socket.on('error', reject);
        socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      });
      const status = Number(text.split(' ')[1]);
      expect([400, 401, 403, 404], `${path}: ${text.slice(0, 200)}`).toContain(status);
      expect(text).not.toMatch(/longbench_pro_subtasks|golong_reward_/);
    }
  });
});

describe('oversized requests', () => {
  it('431 for oversized headers (one huge header, or very many), never 500', async () => {
    const huge = await rawStatus(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`);
    expect(huge).toBe(431);
    const many = await rawStatus(`GET /tasks HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 3000 }, (_, i) => `X-H${i}: ${'b'.repeat(10)}\r\n`).join('')}\r\n`);
    expect(many).toBe(431);
    const hugeAuth = await rawStatus(`POST /score HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${'t'.repeat(80_000)}\r\nContent-Length: 2\r\n\r\n{}`);
    expect(hugeAuth).toBe(431);
    expect((await fetch(`${svc.url}/healthz`)).status).toBe(200);
  });

  it('413 for bodies over the limit on every POST route, with and without a Content-Length', async () => {
    const big = JSON.stringify({ items: [{ task: 'f1', response: 'x'.repeat(300_000), reference: ['x'] }] });
    for (const path of ['/score', '/advantages', '/openrlhf/reward']) {
      const res = await post(`${svc.url}${path}`, big, { token: TOKEN });
      expect(res.status, path).toBe(413);
      // Chunked: no Content-Length to reject up front.
      const chunked = await rawStatus(
        `POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n` +
          `${(300_000).toString(16)}\r\n${'x'.repeat(300_000)}\r\n0\r\n\r\n`,
      );
      expect(chunked, `${path} chunked`).toBe(413);
    }
  });

  it('a lying Content-Length is a 4xx, not a hang or a 500', async () => {
    const status = await rawStatus(`POST /score HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 5\r\nConnection: close\r\n\r\n{"items":[]}`);
    expect(status === 'closed' || (status >= 400 && status < 500), String(status)).toBe(true);
  });
});

describe('logs at info level', () => {
  it('carry no rollout or ground-truth text: scored, failing, rejected, timed-out and unauthorised requests', async () => {
    const m = MARKER;
    const auth = { token: TOKEN };
    const items = [
      { task: 'f1', response: `[Answer]\n${m}`, reference: [m] },
      { task: 'rouge_l', response: `${m} ${m}`, reference: [m], options: { language: 'en' } },
      { data_source: 'longbench_pro', solution_str: `[Answer]\n${m}`, ground_truth: { doc_ids: [m] }, extra_info: { reward_mode: `T9 ${m}` } }, // unknown_task quoting the mode
      { data_source: `${m}-source`, solution_str: m, ground_truth: m }, // unknown_data_source
      { data_source: 'EM', solution_str: `</think>${m}`, ground_truth: [m] }, // bad_ground_truth
      { task: m, response: m, reference: m }, // unknown_task
      { task: 'f1', response: { [m]: m }, reference: [m] }, // bad_item
      { task: 'f1', response: m.repeat(300), reference: [m] }, // input_too_large
      { id: m, uid: m, task: '__test_hang__', ms: 2000, response: m }, // timeout, thread replaced
      { id: `${m}-crash`, task: '__test_crash__', mode: 'uncaught', response: m }, // worker_crashed
      { data_source: 'math_longcot_math_verify', solution_str: `\\boxed{${m}}`, ground_truth: `\\frac{${m}}{2}` },
    ];
    expect((await post(`${svc.url}/score`, { items, timeout_ms: 200, advantages: { estimator: 'grpo' } }, auth)).status).toBe(200);
    // 400s whose messages quote the body or name fields from it.
    for (const body of [`{"items": [${m}`, `{"items": [], "${m}": 1}`, `{"items": "${m}"}`, `{"items": [], "advantages": {"estimator": "${m}"}}`, `{"items": [], "timeout_ms": "${m}"}`, `"${m}"`]) {
      expect((await post(`${svc.url}/score`, body, auth)).status).toBe(400);
    }
    expect((await post(`${svc.url}/advantages`, { estimator: 'grpo', uids: [m, m], reward_types: [m, m], scores: [1, m] }, auth)).status).toBe(400);
    expect((await post(`${svc.url}/advantages`, { estimator: 'grpo', uids: [m, m], reward_types: [m, m], scores: [1, 0] }, auth)).status).toBe(200);
    await post(`${svc.url}/openrlhf/reward`, { query: [`${m} prompt ${m}`], prompts: [`${m} prompt`], labels: [{ data_source: 'EM', ground_truth: { golden_label: m } }] }, auth);
    await post(`${svc.url}/openrlhf/reward`, { query: [m], prompts: m, labels: [m] }, auth);
    // Unauthorised and malformed requests carrying the marker.
    await post(`${svc.url}/score`, { items: [{ task: 'f1', response: m, reference: [m] }] }, { token: m });
    await post(`${svc.url}/score`, `{"items":[{"task":"f1","response":"${m}"}]}`, { token: TOKEN, contentType: 'text/plain' });
    await post(`${svc.url}/score`, Buffer.from(m), { token: TOKEN, headers: { 'content-encoding': 'gzip' } });
    await new Promise((r) => setTimeout(r, 300)); // let the last log lines arrive
    const output = svc.output();
    expect(output.length).toBeGreaterThan(1000);
    expect(output).not.toContain(m);
    expect(output).not.toContain(TOKEN);
    expect(svc.logs.every((l) => l.level >= 30)).toBe(true);
  });
});
