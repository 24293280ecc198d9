// The reward debugger's service side, through HTTP on the real built service: GET / and /ui/
// (open without a token, cache headers, compressed assets, a CSP that allows nothing from
// elsewhere), and GET /batches/recent (what a batch leaves behind: counts and means, never text).
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchLog, summarizeBatch } from '../src/batchLog.js';
import { UI_DIR } from '../src/routes/ui.js';
import { post, startService, type Service } from './helpers/service.js';

const TOKEN = 'debugger-token';
const auth = { authorization: `Bearer ${TOKEN}` };

describe('BatchLog', () => {
  it('keeps the last N summaries, oldest first, and answers "after" and "limit"', () => {
    const log = new BatchLog(3);
    const batch = (items: number) => ({ route: '/score' as const, origin: 'client' as const, items, scored: items, errors: 0, duration_ms: 1, by_reward_type: {}, error_codes: {} });
    for (let i = 1; i <= 5; i++) log.add(batch(i));
    expect(log.recent().map((b) => [b.seq, b.items])).toEqual([
      [3, 3],
      [4, 4],
      [5, 5],
    ]);
    expect(log.recent(4).map((b) => b.seq)).toEqual([5]);
    expect(log.recent(0, 2).map((b) => b.seq)).toEqual([4, 5]);
    const none = new BatchLog(0);
    none.add(batch(1));
    expect(none.recent()).toEqual([]);
  });

  it('summarizes scores by reward type, leaving errors out of the means', () => {
    expect(summarizeBatch(Float64Array.from([1, 0, Number.NaN, 0.5]), ['EM', 'EM', '', 'F1_Score'])).toEqual({
      items: 4,
      scored: 3,
      errors: 1,
      by_reward_type: { EM: { n: 2, mean: 0.5 }, F1_Score: { n: 1, mean: 0.5 } },
    });
  });
});

describe('the debugger page and GET /batches/recent on a service with a token', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startService({ env: { GOLONG_REWARD_TOKEN: TOKEN, GOLONG_REWARD_WORKERS: '1', GOLONG_REWARD_RECENT_BATCHES: '3' } });
    await service.waitReady(60_000); // workers load jieba; slow on a loaded machine
  });
  afterAll(() => service?.stop());

  it('GET / redirects to /ui/, /ui to /ui/, without a token', async () => {
    const root = await fetch(`${service.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/ui/');
    const ui = await fetch(`${service.url}/ui`, { redirect: 'manual' });
    expect(ui.status).toBe(301);
    expect(ui.headers.get('location')).toBe('/ui/');
  });

  it('serves the page without a token: index revalidated, hashed assets cached for a year, gzip and brotli', async () => {
    const index = await fetch(`${service.url}/ui/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const csp = index.headers.get('content-security-policy')!;
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval'(;|$)/); // WebAssembly (parquet's snappy decoder), never eval
    expect(csp).toMatch(/connect-src 'self'(;|$)/);
    const html = await index.text();
    // Nothing from elsewhere: every src/href is relative to the page.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const scripts = [...html.matchAll(/src="\.\/([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    expect(scripts[0]).toMatch(/^app-[A-Z0-9]{8}\.js$/);
    for (const file of readdirSync(UI_DIR).filter((f) => /\.(js|css)$/.test(f))) {
      for (const encoding of ['br', 'gzip', 'identity']) {
        const res = await fetch(`${service.url}/ui/${file}`, { headers: { 'accept-encoding': encoding } });
        expect(res.status, `${file} ${encoding}`).toBe(200);
        expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
        expect(res.headers.get('content-encoding') ?? 'identity').toBe(encoding);
        await res.arrayBuffer();
      }
    }
    expect((await fetch(`${service.url}/ui/nope.js`)).status).toBe(404);
  });

  it('data routes still need the token', async () => {
    expect((await fetch(`${service.url}/batches/recent`)).status).toBe(401);
    expect((await fetch(`${service.url}/tasks`)).status).toBe(401);
    expect((await fetch(`${service.url}/ui/../tasks`)).status).toBe(401);
  });

  it('records each batch: counts, means and error codes, never text; the debugger\'s own are marked', async () => {
    const secret = 'a-response-text-that-must-not-be-kept';
    const first = await post(
      `${service.url}/score`,
      {
        items: [
          { task: 'em', response: secret, reference: secret },
          { task: 'em', response: 'x', reference: 'y' },
          { task: 'f1', response: '[Answer]\na', reference: ['a', 'b'] },
          { task: 'nope', response: 'x', reference: 'y' },
        ],
      },
      { token: TOKEN },
    );
    expect(first.status).toBe(200);
    const second = await post(`${service.url}/score`, { items: [{ task: 'em', response: 'x', reference: 'x' }] }, { token: TOKEN, headers: { 'x-golong-origin': 'debugger' } });
    expect(second.status).toBe(200);
    const res = await fetch(`${service.url}/batches/recent`, { headers: auth });
    const text = await res.text();
    expect(text).not.toContain(secret);
    const body = JSON.parse(text);
    expect(body.capacity).toBe(3);
    const [a, b] = body.batches.slice(-2);
    expect(a).toMatchObject({ route: '/score', origin: 'client', items: 4, scored: 3, errors: 1, by_reward_type: { EM: { n: 2, mean: 0.5 }, F1_Score: { n: 1, mean: 2 / 3 } }, error_codes: { unknown_task: 1 } });
    expect(Date.parse(a.time)).not.toBeNaN();
    expect(a.duration_ms).toBeGreaterThanOrEqual(0);
    expect(b).toMatchObject({ origin: 'debugger', items: 1, by_reward_type: { EM: { n: 1, mean: 1 } } });
    expect(b.seq).toBe(a.seq + 1);
    const after = (await (await fetch(`${service.url}/batches/recent?after=${a.seq}`, { headers: auth })).json()) as { batches: { seq: number }[] };
    expect(after.batches.map((x: { seq: number }) => x.seq)).toEqual([b.seq]);
  });

  it('records OpenRLHF batches and keeps only the last N', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await post(`${service.url}/openrlhf/reward`, { query: ['p a'], prompts: ['p '], labels: [JSON.stringify({ task: 'em', reference: 'a' })] }, { token: TOKEN });
      expect(r.status).toBe(200);
    }
    const body = (await (await fetch(`${service.url}/batches/recent`, { headers: auth })).json()) as { batches: unknown[] };
    expect(body.batches).toHaveLength(3);
    for (const b of body.batches) expect(b).toMatchObject({ route: '/openrlhf/reward', items: 1, by_reward_type: { EM: { n: 1, mean: 1 } } });
  });

  it('a bad query parameter is a 400 naming it', async () => {
    const res = await fetch(`${service.url}/batches/recent?limit=zero`, { headers: auth });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/^limit /);
    const unknown = await fetch(`${service.url}/batches/recent?since=1`, { headers: auth });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { message: string }).message).toMatch(/since/);
  });
});
