// What a user who makes an ordinary mistake gets back from the real built server: a request-wide
// parameter that names nothing is a 400 naming the known values (never 200 with zeros), near
// misses get "did you mean", and messages say how to fix the request.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startService, type Service } from './helpers/service.js';

let svc: Service;

beforeAll(async () => {
  svc = await startService({ env: { GOLONG_REWARD_WORKERS: '1' } });
  await svc.waitReady();
});
afterAll(() => svc?.stop());

const openrlhf = { query: ['Q: 1+1? A: 2', 'Q: 2+2? A: 5'], prompts: ['Q: 1+1? A: ', 'Q: 2+2? A: '], labels: ['2', '4'] };

describe('a request-wide parameter that names nothing is a 400, not rewards of 0', () => {
  it.each([
    ['bogus', /^task must name a scorer, a reward type or a LongBench-Pro sub-task, not "bogus"; known: em, choice, .*math_verify/],
    ['math', /^task must name .* not "math" \(did you mean "math_verify", "math_verify_metric" or "math_dapo"\?\); known: em, /],
    ['longbench-pro', /not "longbench-pro"; known: /],
    ['t7.1 global conflict & inconsistency localization', /\(did you mean "T7\.1 Global Conflict & Inconsistency Localization"\?\)/],
  ])('POST /openrlhf/reward?task=%s', async (task, message) => {
    const res = await post(`${svc.url}/openrlhf/reward?task=${encodeURIComponent(task)}`, openrlhf);
    expect(res.status).toBe(400);
    expect(res.json.message).toMatch(message);
    expect(res.json.rewards).toBeUndefined();
  });

  it('a known task still scores plain labels', async () => {
    const res = await post(`${svc.url}/openrlhf/reward?task=math_verify`, openrlhf);
    expect(res.status).toBe(200);
    expect(res.json.rewards).toEqual([1, 0]);
  });

  it('query parameters on routes that take none (/score?details=true would silently score without details)', async () => {
    const score = await post(`${svc.url}/score?details=true`, { items: [] });
    expect(score.status).toBe(400);
    expect(score.json.message).toBe('/score takes no query parameters (got "details"); put "details" in the JSON body; its body fields: items, details, timeout_ms, advantages, audit, audit_penalty');
    const typo = await post(`${svc.url}/score?detials=1&x=2`, { items: [] });
    expect(typo.json.message).toBe('/score takes no query parameters (got "detials", "x") (did you mean "details"?); its body fields: items, details, timeout_ms, advantages, audit, audit_penalty');
    const adv = await post(`${svc.url}/advantages?estimator=grpo`, { estimator: 'grpo', items: [] });
    expect(adv.status).toBe(400);
    expect(adv.json.message).toMatch(/^\/advantages takes no query parameters \(got "estimator"\); put "estimator" in the JSON body/);
    expect((await post(`${svc.url}/score?`, { items: [] })).status).toBe(200);
  });

  it('an enumerated body value or field with a near miss', async () => {
    const estimator = await post(`${svc.url}/score`, { items: [], advantages: { estimator: 'GRPO' } });
    expect(estimator.json.message).toBe('advantages.estimator must be one of grpo, drgrpo, qwenlong, tmn_grpo (did you mean "grpo"?)');
    const direct = await post(`${svc.url}/advantages`, { estimator: 'tmn-grpo', items: [] });
    expect(direct.json.message).toBe('estimator must be one of grpo, drgrpo, qwenlong, tmn_grpo (did you mean "tmn_grpo"?)');
    const field = await post(`${svc.url}/score`, { items: [], timeout: 5 });
    expect(field.json.message).toBe('body has unknown field "timeout" (did you mean "timeout_ms"? fields: items, details, timeout_ms, advantages, audit, audit_penalty)');
  });

  it('an unknown path or method names the route it probably meant', async () => {
    const plural = await post(`${svc.url}/scores`, { items: [] });
    expect(plural.status).toBe(404);
    expect(plural.json.message).toMatch(/^no route POST \/scores \(did you mean "\/score"\?\); routes: .*POST \/score, POST \/advantages, POST \/openrlhf\/reward, GET \/tasks/);
    const short = await post(`${svc.url}/openrlhf`, openrlhf);
    expect(short.json.message).toMatch(/^no route POST \/openrlhf \(did you mean "\/openrlhf\/reward"\?\)/);
    const get = await fetch(`${svc.url}/score`);
    expect(get.status).toBe(404);
    expect(((await get.json()) as { message: string }).message).toMatch(/^no route GET \/score; \/score takes POST; routes: /);
  });
});

describe('item messages through HTTP', () => {
  it('near-miss names in items stay item errors, with the likely name', async () => {
    const res = await post(`${svc.url}/score`, {
      items: [
        { data_source: 'longbench-pro', solution_str: 'x', ground_truth: { doc_ids: ['x'] }, extra_info: {} },
        { data_source: 'em', solution_str: '</think>x', ground_truth: { golden_label: 'x' } },
        { task: 'math', response: '\\boxed{2}', reference: '2' },
        { data_source: 'longbench_pro', solution_str: '</think>[Answer]\nx', ground_truth: { doc_ids: ['x'], summary: 'English' }, extra_info: { reward_mode: 't7.1 global conflict & inconsistency localization' } },
        { data_source: 'EM', response: '</think>x', ground_truth: { golden_label: 'x' } },
        { data_source: 'EM', solution_str: '</think>x' },
      ],
    });
    expect(res.status).toBe(200);
    const errors = res.json.results.map((r: { score: number | null; error?: { code: string; message: string } }) => [r.score, r.error?.code, r.error?.message]);
    expect(errors[0]).toEqual([null, 'unknown_data_source', expect.stringContaining('"longbench-pro" (did you mean "longbench_pro"?)')]);
    expect(errors[1]).toEqual([null, 'unknown_data_source', expect.stringContaining('"em" (did you mean "EM"?)')]);
    expect(errors[2]).toEqual([null, 'unknown_task', expect.stringContaining('"math" (did you mean "math_verify", "math_verify_metric" or "math_dapo"?)')]);
    expect(errors[3]).toEqual([null, 'unknown_task', expect.stringContaining('(did you mean "T7.1 Global Conflict & Inconsistency Localization"?)')]);
    expect(errors[4]).toEqual([null, 'bad_item', expect.stringMatching(/^solution_str is missing: verl rows \(with data_source\) carry the rollout text in solution_str; "response" is the native items' field/)]);
    expect(errors[5]).toEqual([null, 'bad_ground_truth', 'ground_truth is missing. "EM" rows need ground_truth {"golden_label": "<answer>"} (a list: its last element is used)']);
    expect(res.json.summary).toMatchObject({ items: 6, scored: 0, errors: 6 });
  });
});

describe('bodies that are not what the headers say', () => {
  const body = { items: [{ task: 'em', response: 'x', reference: 'x' }] };
  const raw = (path: string, payload: Buffer | string, headers: Record<string, string> = {}) =>
    post(`${svc.url}${path}`, payload, { headers });

  it('a gzip body without Content-Encoding: gzip says to add the header, on every POST route', async () => {
    for (const path of ['/score', '/advantages', '/openrlhf/reward']) {
      const res = await raw(path, gzipSync(JSON.stringify(body)));
      expect(res.status, path).toBe(400);
      expect(res.json.message, path).toBe(
        "body is not valid JSON: the body is gzip-compressed (it starts with gzip's magic bytes 1f 8b) but the request has no Content-Encoding: gzip header; add it (curl: -H 'Content-Encoding: gzip')",
      );
    }
  });

  it('plain JSON sent with Content-Encoding: gzip says to drop the header or compress', async () => {
    for (const path of ['/score', '/openrlhf/reward']) {
      const res = await raw(path, JSON.stringify(body), { 'content-encoding': 'gzip' });
      expect(res.status, path).toBe(400);
      expect(res.json.message).toBe('body is not valid gzip data: the body is not gzip-compressed (it looks like plain JSON) although the request says Content-Encoding: gzip; drop that header or compress the body');
    }
  });

  it('other encodings, a byte-order mark and JSON Lines', async () => {
    const bom = await raw('/score', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(body))]));
    expect(bom.json.message).toBe('body is not valid JSON: the body starts with a UTF-8 byte-order mark (EF BB BF); remove it');
    const zstd = await raw('/score', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0]));
    expect(zstd.json.message).toMatch(/zstd-compressed; send it uncompressed or gzip-compressed with Content-Encoding: gzip$/);
    const lines = await raw('/score', '{"task": "em", "response": "x", "reference": "x"}\n{"task": "em", "response": "y", "reference": "y"}\n');
    expect(lines.status).toBe(400);
    expect(lines.json.message).toMatch(/^body is not valid JSON: .*; the body holds several JSON values \(JSON Lines\?\): send one object, with the items in its array$/);
  });

  it("curl's default form content type names the header to add", async () => {
    const res = await post(`${svc.url}/score`, JSON.stringify(body), { contentType: 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
    expect(res.json.message).toMatch(/\(curl -d sends that type unless told otherwise: add -H 'Content-Type: application\/json'\)/);
  });
});

describe('/metrics', () => {
  /** Sample values of golong_reward_item_score for one reward type, by series (`_bucket{le="0"}`, `_sum`, `_count`). */
  async function scoreSeries(rewardType: string): Promise<Record<string, number>> {
    const text = await (await fetch(`${svc.url}/metrics`)).text();
    const out: Record<string, number> = {};
    for (const m of text.matchAll(/^golong_reward_item_score(_bucket|_sum|_count)\{(?:le="([^"]+)",)?reward_type="([^"]+)"\} (\S+)$/gm)) {
      if (m[3] === rewardType) out[`${m[1]}${m[2] ? `{le="${m[2]}"}` : ''}`] = Number(m[4]);
    }
    return out;
  }

  it('has a score histogram per reward type, fed by /score and /openrlhf/reward', async () => {
    const before = await scoreSeries('F1_Score');
    const f1 = (response: string) => ({ task: 'f1', response, reference: ['paris', 'nice'] });
    const res = await post(`${svc.url}/score`, { items: [f1('[Answer]\nparis\nnice'), f1('[Answer]\nparis'), f1('[Answer]\nlyon'), { task: 'f1', response: 1, reference: [] }] });
    expect(res.json.results.map((r: { score: number | null }) => r.score)).toEqual([1, 2 / 3, 0, null]);
    const viaOpenrlhf = await post(`${svc.url}/openrlhf/reward`, { query: ['p [Answer]\nparis\nnice'], prompts: ['p '], labels: [JSON.stringify({ task: 'f1', reference: ['paris', 'nice'] })] });
    expect(viaOpenrlhf.json.rewards).toEqual([1]);
    const after = await scoreSeries('F1_Score');
    const delta = (key: string) => (after[key] ?? 0) - (before[key] ?? 0);
    expect(delta('_count')).toBe(4); // the item error is not a score
    expect(delta('_sum')).toBeCloseTo(1 + 2 / 3 + 0 + 1, 12);
    expect(delta('_bucket{le="0"}')).toBe(1);
    expect(delta('_bucket{le="0.5"}')).toBe(1);
    expect(delta('_bucket{le="0.9"}')).toBe(2);
    expect(delta('_bucket{le="0.99"}')).toBe(2);
    expect(delta('_bucket{le="1"}')).toBe(4);
    expect(delta('_bucket{le="+Inf"}')).toBe(4);
  });
});
