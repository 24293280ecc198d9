// Faults through the real built server (2 workers, test hooks on): clients that disconnect while
// uploading or while their batch is scored, and worker crashes batch after batch, concurrently.
// The SIGTERM drain and single hung/crashing items are covered by httpLifecycle / httpScoring.
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startService, type Service } from './helpers/service.js';

let svc: Service;
beforeAll(async () => {
  svc = await startService({
    env: { GOLONG_REWARD_TEST_HOOKS: '1', GOLONG_REWARD_WORKERS: '2', GOLONG_REWARD_TIMEOUT_GRACE_MS: '200', GOLONG_REWARD_MAX_CONCURRENT_BATCHES: '2', GOLONG_REWARD_MAX_QUEUED_BATCHES: '4' },
  });
  await svc.waitReady();
});
afterAll(() => svc?.stop());

const f1 = (k: number) => ({ id: `f${k}`, task: 'f1', response: `[Answer]\nfoo${k % 2 ? '' : '\nbar'}`, reference: ['foo'] });
const f1Score = (k: number) => (k % 2 ? 1 : 2 / 3);

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${svc.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(name))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

/** Waits until no batch is active or queued (tickets released), or fails after `ms`. */
async function expectIdle(ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const busy = (await metric('golong_reward_batches_active')) + (await metric('golong_reward_batches_queued'));
    if (busy === 0) return;
    if (Date.now() > until) throw new Error(`still ${busy} batches in progress ${ms} ms after the clients left`);
    await sleep(50);
  }
}

async function expectServing(): Promise<void> {
  expect((await fetch(`${svc.url}/healthz`)).status).toBe(200);
  expect((await fetch(`${svc.url}/readyz`)).status).toBe(200);
  const res = await post(`${svc.url}/score`, { items: [f1(0), f1(1)] });
  expect(res.status).toBe(200);
  expect(res.json.results.map((r: { score: number }) => r.score)).toEqual([2 / 3, 1]);
}

describe('clients that disconnect', () => {
  it('mid-upload: the server drops the request, releases its slot and keeps serving', async () => {
    for (let round = 0; round < 8; round++) {
      const client = new Client(svc.url);
      const controller = new AbortController();
      const head = Buffer.from('{"items":[' + Array.from({ length: 200 }, (_, k) => JSON.stringify(f1(k))).join(','));
      // Promises a large body, sends the start, then vanishes.
      const body = Readable.from(
        (async function* () {
          yield head;
          await sleep(150);
          controller.abort();
          yield Buffer.from(',');
        })(),
      );
      const req = client.request({
        path: '/score',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(head.length + 1_000_000) },
        body,
        signal: controller.signal,
      });
      await expect(req).rejects.toThrow();
      await client.destroy();
    }
    await expectIdle();
    await expectServing();
  });

  it('mid-scoring: the batch is abandoned (no further chunks), the pool and admission recover', async () => {
    const before = await metric('golong_reward_items_scored_total');
    const aborts: Promise<unknown>[] = [];
    for (let round = 0; round < 4; round++) {
      const controller = new AbortController();
      // 40 slow items on 2 workers: ~2 s of work if it ran to the end.
      const items = Array.from({ length: 40 }, () => ({ task: '__test_hang__', ms: 100 }));
      aborts.push(
        fetch(`${svc.url}/score`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items, timeout_ms: 5000 }), signal: controller.signal }).then(
          () => 'answered',
          (err: Error) => err.name,
        ),
      );
      setTimeout(() => controller.abort(), 250);
    }
    expect(await Promise.all(aborts)).toEqual(['AbortError', 'AbortError', 'AbortError', 'AbortError']);
    await expectIdle(5_000);
    await expectServing();
    // Abandoned batches stop taking chunks: far fewer than the 160 items were run.
    const after = await metric('golong_reward_items_scored_total');
    expect(after - before).toBeLessThan(160);
    await sleep(200);
    expect(svc.logs.filter((l) => l.msg === 'client disconnected; batch abandoned').length).toBeGreaterThan(0);
  });

  it('while queued: a client that leaves before its turn frees its queue place', async () => {
    const busy = [0, 1].map(() => post(`${svc.url}/score`, { items: [{ task: '__test_hang__', ms: 800 }], timeout_ms: 5000 }));
    await sleep(150);
    const controllers = [0, 1, 2, 3].map(() => new AbortController());
    const queued = controllers.map((c) =>
      fetch(`${svc.url}/score`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: [f1(1)] }), signal: c.signal }).catch((e: Error) => e.name),
    );
    await sleep(150);
    controllers.forEach((c) => c.abort());
    expect(await Promise.all(queued)).toEqual(['AbortError', 'AbortError', 'AbortError', 'AbortError']);
    for (const b of await Promise.all(busy)) expect(b.status).toBe(200);
    await expectIdle();
    await expectServing();
  });
});

describe('worker crashes, again and again', () => {
  it('replaces the thread every time; results stay complete and ordered across many batches', async () => {
    const replacedBefore = await metric('golong_reward_workers_replaced_total');
    const batches = 8;
    const hangs = Math.ceil(batches / 4);
    const runs = Array.from({ length: batches }, async (_, b) => {
      const items: unknown[] = Array.from({ length: 30 }, (_, k) => f1(k));
      items.splice(b % 30, 0, { id: `crash-${b}`, task: '__test_crash__', mode: b % 2 ? 'exit' : 'uncaught' });
      if (b % 4 === 0) items.splice(20, 0, { id: `hang-${b}`, task: '__test_hang__', ms: 30_000 });
      for (let attempt = 0; ; attempt++) {
        const res = await post(`${svc.url}/score`, { items, timeout_ms: 300 });
        if (res.status === 503 && attempt < 50) {
          await sleep(200);
          continue;
        }
        return { items, res };
      }
    });
    for (const { items, res } of await Promise.all(runs)) {
      expect(res.status).toBe(200);
      const results = res.json.results as { id: string; score: number | null; error?: { code: string } }[];
      expect(results.map((r) => r.id)).toEqual(items.map((it) => (it as { id: string }).id));
      for (const r of results) {
        if (r.id.startsWith('crash-')) expect(r.error?.code).toBe('worker_crashed');
        else if (r.id.startsWith('hang-')) expect(r.error?.code).toBe('timeout');
        else expect(r.score).toBe(f1Score(Number(r.id.slice(1))));
      }
    }
    expect((await metric('golong_reward_workers_replaced_total')) - replacedBefore).toBeGreaterThanOrEqual(batches + hangs);
    await expectServing();
    // Still exactly the configured number of threads.
    expect(await metric('golong_reward_pool_threads')).toBe(2);
  });
});
