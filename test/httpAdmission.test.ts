// Load shedding through the real built server: /score and /openrlhf/reward share one admission
// control, so a trainer on either route gets 503 + Retry-After when the service is full, and the
// batch in progress is unaffected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startService, type Service } from './helpers/service.js';

let svc: Service;

beforeAll(async () => {
  svc = await startService({
    env: { GOLONG_REWARD_TEST_HOOKS: '1', GOLONG_REWARD_WORKERS: '1', GOLONG_REWARD_MAX_CONCURRENT_BATCHES: '1', GOLONG_REWARD_MAX_QUEUED_BATCHES: '1', GOLONG_REWARD_RETRY_AFTER_S: '3' },
  });
  await svc.waitReady();
});
afterAll(() => svc?.stop());

const em = { task: 'em', response: 'x', reference: 'x' };
const openrlhfBody = (n: number) => ({ query: Array.from({ length: n }, () => 'p x'), prompts: Array.from({ length: n }, () => 'p '), labels: Array.from({ length: n }, () => JSON.stringify({ task: 'em', reference: 'x' })) });
/** An OpenRLHF sample whose scoring holds the only scoring turn for `ms`. */
const hangingOpenrlhf = (ms: number) => ({ query: ['p x'], prompts: ['p '], labels: [JSON.stringify({ task: '__test_hang__', ms, reference: '' })] });

async function expectShed(path: string, body: unknown): Promise<void> {
  const res = await post(`${svc.url}${path}`, body);
  expect(res.status, path).toBe(503);
  expect(res.headers.get('retry-after')).toBe('3');
  expect(res.json.message).toBe('too many batches in progress (1 scoring, 1 queued); retry after 3 s');
}

describe('admission control is shared by /score and /openrlhf/reward', () => {
  it('batches on /score fill the service: both routes shed with 503 + Retry-After, then serve again', async () => {
    const busy = post(`${svc.url}/score`, { items: [{ task: '__test_hang__', ms: 1500 }], timeout_ms: 5000 });
    await new Promise((r) => setTimeout(r, 300));
    const queued = post(`${svc.url}/openrlhf/reward`, openrlhfBody(2)); // waits for the turn
    await new Promise((r) => setTimeout(r, 300));
    await expectShed('/score', { items: [em] });
    await expectShed('/openrlhf/reward', openrlhfBody(1));
    expect((await busy).status).toBe(200);
    const late = await queued;
    expect(late.status).toBe(200);
    expect(late.json.rewards).toEqual([1, 1]);
    expect((await post(`${svc.url}/openrlhf/reward`, openrlhfBody(1))).status).toBe(200);
    expect((await post(`${svc.url}/score`, { items: [em] })).status).toBe(200);
  });

  it('a batch on /openrlhf/reward holds a scoring turn like one on /score', async () => {
    const busy = post(`${svc.url}/openrlhf/reward?on_error=fail`, hangingOpenrlhf(1500));
    await new Promise((r) => setTimeout(r, 300));
    const queued = post(`${svc.url}/score`, { items: [em] });
    await new Promise((r) => setTimeout(r, 300));
    await expectShed('/openrlhf/reward', openrlhfBody(1));
    await expectShed('/score', { items: [em] });
    const first = await busy;
    expect(first.status).toBe(200);
    expect(first.json.rewards).toEqual([1]);
    expect((await queued).json.results[0].score).toBe(1);
  });

  it('/metrics counts the shed requests of both routes', async () => {
    const text = await (await fetch(`${svc.url}/metrics`)).text();
    expect(text).toMatch(/golong_reward_http_requests_total\{route="\/score",method="POST",status="503"\} 2/);
    expect(text).toMatch(/golong_reward_http_requests_total\{route="\/openrlhf\/reward",method="POST",status="503"\} 2/);
  });
});
