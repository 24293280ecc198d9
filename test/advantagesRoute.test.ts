// POST /advantages through HTTP (inject): both body forms, parity over the wire, every 400.
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeAdvantages } from '../rewards/advantages/index.js';
import { advantagesRoutes } from '../src/routes/advantages.js';
import { loadAdvantageCases } from './helpers/parity.js';


let app: FastifyInstance;
beforeAll(async () => {
  app = Fastify();
  await app.register(swagger, { openapi: { info: { title: 'test', version: '0' } } });
  await app.register(advantagesRoutes);
  await app.ready();
});
afterAll(() => app.close());

const post = (payload: unknown) => app.inject({ method: 'POST', url: '/advantages', payload: payload as object });
const postRaw = (payload: string, contentType = 'application/json') =>
  app.inject({ method: 'POST', url: '/advantages', payload, headers: { 'content-type': contentType } });

describe('POST /advantages', () => {
  const items = [
    { uid: 'p1', reward_type: 'Accuracy', score: 1 },
    { uid: 'p2', reward_type: 'F1_Score', score: 0.62 },
    { uid: 'p1', reward_type: 'Accuracy', score: 0 },
    { uid: 'p2', reward_type: 'F1_Score', score: 0.4 },
    { uid: 'p1', reward_type: 'Accuracy', score: 0 },
  ];
  const params = { difficulty_reweight: true, difficulty_smooth_alpha: 0.8, difficulty_gamma: 1 };
  const expected = computeAdvantages({
    estimator: 'tmn_grpo',
    uids: items.map((i) => i.uid),
    rewardTypes: items.map((i) => i.reward_type),
    scores: items.map((i) => i.score),
    params,
  });

  it('takes items and answers in input order', async () => {
    const res = await post({ estimator: 'tmn_grpo', ...params, items });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(expected);
    expect(res.json().advantages[0]).toBeGreaterThan(0);
    expect(res.json().advantages[2]).toBeLessThan(0);
  });

  it('takes parallel arrays with the same result', async () => {
    const res = await post({
      estimator: 'tmn_grpo',
      ...params,
      uids: items.map((i) => i.uid),
      reward_types: items.map((i) => i.reward_type),
      scores: items.map((i) => i.score),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(expected);
  });

  it('accepts integer uids and an empty batch', async () => {
    const res = await post({ estimator: 'drgrpo', uids: [7, 7], reward_types: ['EM', 'EM'], scores: [1, 0] });
    expect(res.statusCode).toBe(200);
    expect(res.json().advantages).toEqual([0.5, -0.5]);
    const empty = await post({ estimator: 'grpo', items: [] });
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toEqual({ advantages: [], metrics: {} });
  });

  it('matches the reference on every public parity case over HTTP', async () => {
    for (const c of loadAdvantageCases()) {
      const res = await post({ estimator: c.estimator, ...c.params, uids: c.uids, reward_types: c.reward_modes, scores: c.scores });
      expect(res.statusCode, c.id).toBe(200);
      const body = res.json() as { advantages: number[]; metrics: Record<string, number> };
      body.advantages.forEach((a, i) => expect(Math.abs(a - c.expected_advantages![i]!), `${c.id} advantages[${i}]`).toBeLessThanOrEqual(1e-9));
      expect(Object.keys(body.metrics).sort(), c.id).toEqual(Object.keys(c.expected_metrics!).sort());
      for (const [k, v] of Object.entries(c.expected_metrics!)) expect(Math.abs(body.metrics[k]! - v), `${c.id} ${k}`).toBeLessThanOrEqual(1e-9);
    }
  });

  it('is documented in the OpenAPI document', () => {
    const doc = app.swagger() as { paths: Record<string, { post?: { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } } }> };
    const body = doc.paths['/advantages']?.post?.requestBody?.content['application/json']?.schema;
    expect(Object.keys(body!.properties)).toEqual(
      expect.arrayContaining(['estimator', 'difficulty_reweight', 'difficulty_smooth_alpha', 'difficulty_gamma', 'norm_adv_by_task_scale', 'items', 'uids', 'reward_types', 'scores']),
    );
  });
});

describe('POST /advantages: 400 with a sentence naming the field', () => {
  const arrays = { uids: ['a', 'a'], reward_types: ['T', 'T'], scores: [1, 0] };
  const cases: [string, unknown, string | RegExp][] = [
    ['body not an object', [1, 2], 'body must be a JSON object'],
    ['estimator missing', { ...arrays }, 'estimator is required'],
    ['estimator unknown', { estimator: 'ppo', ...arrays }, 'estimator must be one of grpo, drgrpo, qwenlong, tmn_grpo'],
    ['difficulty_reweight not boolean', { estimator: 'grpo', difficulty_reweight: 'yes', ...arrays }, 'difficulty_reweight must be true or false'],
    ['norm_adv_by_task_scale not boolean', { estimator: 'tmn_grpo', norm_adv_by_task_scale: 1, ...arrays }, 'norm_adv_by_task_scale must be true or false'],
    ['alpha above 1', { estimator: 'tmn_grpo', difficulty_smooth_alpha: 1.5, ...arrays }, 'difficulty_smooth_alpha must be between 0 and 1'],
    ['alpha below 0', { estimator: 'tmn_grpo', difficulty_smooth_alpha: -0.1, ...arrays }, 'difficulty_smooth_alpha must be between 0 and 1'],
    ['alpha a string', { estimator: 'tmn_grpo', difficulty_smooth_alpha: '0.8', ...arrays }, 'difficulty_smooth_alpha must be a number between 0 and 1'],
    ['gamma out of range', { estimator: 'tmn_grpo', difficulty_gamma: 1000, ...arrays }, 'difficulty_gamma must be between -100 and 100'],
    ['parameter of another estimator', { estimator: 'grpo', difficulty_smooth_alpha: 0.8, ...arrays }, 'difficulty_smooth_alpha is not a parameter of grpo (only tmn_grpo takes it)'],
    ['reweighting for qwenlong', { estimator: 'qwenlong', difficulty_reweight: true, ...arrays }, /difficulty_reweight is not a parameter of qwenlong/],
    ['score not a number', { estimator: 'grpo', ...arrays, scores: [1, 'x'] }, 'scores[1] must be a finite number'],
    ['score too large', { estimator: 'grpo', ...arrays, scores: [1, 1e101] }, 'scores[1] must be at most 1e100'],
    ['empty uid', { estimator: 'grpo', ...arrays, uids: ['a', ''] }, 'uids[1] must be a non-empty string'],
    ['fractional uid', { estimator: 'grpo', ...arrays, uids: ['a', 1.5] }, 'uids[1] must be a non-empty string or an integer'],
    ['empty reward type', { estimator: 'grpo', ...arrays, reward_types: ['', 'T'] }, 'reward_types[0] must be a non-empty string'],
    ['arrays of different lengths', { estimator: 'grpo', ...arrays, scores: [1] }, 'scores has 1 entries but uids has 2; the arrays must be parallel'],
    ['an array missing', { estimator: 'grpo', uids: ['a'], scores: [1] }, 'reward_types is required together with uids and scores'],
    ['neither form', { estimator: 'grpo' }, 'items is required; give items, or the parallel arrays uids, reward_types and scores'],
    ['both forms', { estimator: 'grpo', ...arrays, items: [] }, /uids cannot be combined with items/],
    ['items not an array', { estimator: 'grpo', items: { uid: 'a' } }, 'items must be an array'],
    ['item not an object', { estimator: 'grpo', items: [3] }, 'items[0] must be an object {uid, reward_type, score}'],
    ['item score missing', { estimator: 'grpo', items: [{ uid: 'a', reward_type: 'T' }] }, 'items[0].score is required'],
    ['item score null', { estimator: 'grpo', items: [{ uid: 'a', reward_type: 'T', score: null }] }, 'items[0].score must be a finite number'],
    ['item uid missing', { estimator: 'grpo', items: [{ reward_type: 'T', score: 1 }] }, 'items[0].uid is required'],
    ['unknown item field', { estimator: 'grpo', items: [{ uid: 'a', reward_type: 'T', score: 1, reward_mode: 'T' }] }, 'items[0] has unknown field "reward_mode" (did you mean "reward_type"? fields: uid, reward_type, score)'],
    ['unknown top-level field', { estimator: 'grpo', ...arrays, alpha: 0.5 }, /^body has unknown field "alpha" \(fields: estimator, /],
    [
      'group mixing reward types',
      { estimator: 'tmn_grpo', items: [{ uid: 'a', reward_type: 'T', score: 1 }, { uid: 'a', reward_type: 'U', score: 0 }] },
      'group "a" mixes reward types "T" and "U" (at index 1); all samples of a prompt must share one reward type',
    ],
  ];
  it.each(cases)('%s', async (_name, body, message) => {
    const res = await post(body);
    expect(res.statusCode).toBe(400);
    const { message: got } = res.json() as { message: string };
    if (typeof message === 'string') expect(got).toBe(message);
    else expect(got).toMatch(message);
  });

  it('rejects a score that JSON turns into Infinity', async () => {
    const res = await postRaw('{"estimator":"grpo","uids":["a"],"reward_types":["T"],"scores":[1e400]}');
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe('scores[0] must be a finite number');
  });

  it('names at most three problems and counts the rest', async () => {
    const res = await post({ estimator: 'grpo', uids: ['a', 'a', 'a', 'a', 'a'], reward_types: Array(5).fill('T'), scores: Array(5).fill('x') });
    expect(res.json().message).toBe('scores[0] must be a finite number; scores[1] must be a finite number; scores[2] must be a finite number (and 2 more problems)');
  });

  it('answers 400 on malformed JSON or a text body, 415 on a content type without a parser', async () => {
    expect((await postRaw('{"estimator":')).statusCode).toBe(400);
    const text = await postRaw('estimator=grpo', 'text/plain');
    expect(text.statusCode).toBe(400);
    expect(text.json().message).toBe('body must be a JSON object');
    expect((await postRaw('<estimator/>', 'application/xml')).statusCode).toBe(415);
  });

  it('never answers 5xx to any JSON body', async () => {
    const shaped = fc.record(
      {
        estimator: fc.oneof(fc.constantFrom('grpo', 'drgrpo', 'qwenlong', 'tmn_grpo'), fc.jsonValue()),
        difficulty_reweight: fc.oneof(fc.boolean(), fc.jsonValue()),
        difficulty_smooth_alpha: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.jsonValue()),
        items: fc.array(
          fc.record(
            { uid: fc.oneof(fc.constantFrom('a', 'b'), fc.jsonValue()), reward_type: fc.oneof(fc.constantFrom('T', 'U'), fc.jsonValue()), score: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.jsonValue()) },
            { requiredKeys: [] },
          ),
        ),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(shaped, fc.jsonValue()), async (body) => {
        const res = await postRaw(JSON.stringify(body));
        expect([200, 400]).toContain(res.statusCode);
      }),
      { numRuns: 300 },
    );
  });
});
