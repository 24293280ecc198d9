// POST /openrlhf/reward with the bodies OpenRLHF actually sends: aiohttp `json=` (Python
// json.dumps, ASCII-escaped), `{query, prompts, labels}` where query is the chat-templated prompt
// plus the generated text still carrying its end-of-sequence marker (decoded with
// skip_special_tokens=False), one sample per request (SingleTurnAgentExecutor) or a shard of the
// batch (the older experience maker).
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreItem } from '../rewards/index.js';
import { openrlhfRoutes, responseFromQuery, stripTrailingEos, type ScoreItems } from '../src/routes/openrlhf.js';
import { familyOf, loadScoreCases, type ScoreCase } from './helpers/parity.js';

/** Python's json.dumps(obj) with its defaults: ", "/": " separators and ensure_ascii. */
function pythonJsonDumps(value: unknown): string {
  const compact = JSON.stringify(value);
  // Re-space separators outside strings, then escape non-ASCII code units as \uXXXX.
  let out = '';
  let inString = false;
  for (let i = 0; i < compact.length; i++) {
    const ch = compact[i]!;
    if (inString) {
      if (ch === '\\') {
        out += ch + compact[++i];
        continue;
      }
      if (ch === '"') inString = false;
      const code = ch.charCodeAt(0);
      out += code > 0x7e ? `\\u${code.toString(16).padStart(4, '0')}` : ch;
      continue;
    }
    if (ch === '"') inString = true;
    out += ch === ',' ? ', ' : ch === ':' ? ': ' : ch;
  }
  return out;
}

const chatPrompt = (question: string) =>
  `<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n${question}<|im_end|>\n<|im_start|>assistant\n`;

const labelOf = (c: ScoreCase) => pythonJsonDumps({ data_source: c.data_source, ground_truth: c.ground_truth, extra_info: c.extra_info });

let calls = 0;
const inProcess: ScoreItems = async (items, options) => {
  calls++;
  return items.map((item) => scoreItem(item, options));
};

let app: FastifyInstance;

beforeAll(async () => {
  app = Fastify();
  await app.register(openrlhfRoutes, { scoreItems: inProcess, maxItems: 5000, maxResponseChars: 1_000_000 });
  await app.ready();
});
afterAll(() => app.close());

async function postRaw(payload: string, url = '/openrlhf/reward') {
  const res = await app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json' } });
  return { status: res.statusCode, json: res.json() as any };
}

const cases = loadScoreCases().filter((c) => c.expected !== undefined && !c.tags.includes('spec-divergence') && familyOf(c) !== 'math');

describe('POST /openrlhf/reward', () => {
  it('scores a shard of samples like the verl rows they came from (parity numbers)', async () => {
    const sample = cases.filter((_, i) => i % 4 === 0);
    expect(sample.length).toBeGreaterThan(100);
    const prompts = sample.map((c) => chatPrompt(`Question ${c.id}: answer from the context.`));
    const body = {
      query: sample.map((c, i) => prompts[i] + c.solution_str + '<|im_end|>'),
      prompts,
      labels: sample.map(labelOf),
    };
    const { status, json } = await postRaw(pythonJsonDumps(body));
    expect(status).toBe(200);
    expect(Object.keys(json).sort()).toEqual(['extra_logs', 'results', 'rewards', 'scores', 'semantics']);
    expect(json.rewards).toHaveLength(sample.length);
    const wrong = sample.filter((c, i) => Math.abs(json.rewards[i] - c.expected!) > 1e-9).map((c) => c.id);
    expect(wrong).toEqual([]);
    expect(json.scores).toEqual(json.rewards);
    // extra_logs: fixed keys, one number per sample (OpenRLHF torch.cat's them by key across shards).
    expect(Object.keys(json.extra_logs).sort()).toEqual(['golong_item_error', 'golong_prompt_not_prefix']);
    expect(json.extra_logs.golong_item_error).toEqual(json.results.map((r: { score: number | null }) => (r.score === null ? 1 : 0)));
    expect(json.extra_logs.golong_prompt_not_prefix).toEqual(sample.map(() => 0));
  });

  it('answers the single-sample request of the newer SingleTurnAgentExecutor', async () => {
    const c = cases.find((x) => x.data_source === 'longbench_pro' && x.expected! > 0 && x.expected! < 1) ?? cases[0]!;
    const prompt = chatPrompt('Read the context and answer.');
    const { status, json } = await postRaw(pythonJsonDumps({ query: [prompt + c.solution_str + '<|im_end|>'], prompts: [prompt], labels: [labelOf(c)] }));
    expect(status).toBe(200);
    expect(json.rewards).toHaveLength(1);
    expect(json.rewards[0]).toBeCloseTo(c.expected!, 9);
    expect(json.extra_logs).toEqual({ golong_item_error: [0], golong_prompt_not_prefix: [0] });
  });

  it('accepts native labels, labels already decoded to objects, whole verl rows and ?task= for plain labels', async () => {
    const prompt = chatPrompt('Where is the Douro?');
    const body = {
      query: [prompt + 'Porto<|im_end|>', prompt + 'Lisbon<|im_end|>', prompt + 'x<|endoftext|>', prompt + '<think>hm</think>\n\nThe correct answer is A.<|im_end|>'],
      prompts: [prompt, prompt, prompt, prompt],
      labels: [
        pythonJsonDumps({ task: 'em', reference: 'Porto' }),
        { task: 'em', reference: 'Porto' },
        pythonJsonDumps({ task: 'em', reference: 'x', options: {} }),
        pythonJsonDumps({ data_source: 'selection', reward_model: { ground_truth: { golden_label: 'A' }, style: 'rule' }, extra_info: {} }),
      ],
    };
    const { status, json } = await postRaw(JSON.stringify(body));
    expect(status).toBe(200);
    // The verl row's ground truth came from reward_model.ground_truth; the trailing marker is gone.
    const selectionScore = scoreItem({ data_source: 'selection', solution_str: '<think>hm</think>\n\nThe correct answer is A.', ground_truth: { golden_label: 'A' }, extra_info: {} }).score;
    expect(selectionScore).toBe(1);
    expect(json.rewards).toEqual([1, 0, 1, selectionScore]);
    expect(json.results[0]).toMatchObject({ id: 0, scorer: 'em', reward_type: 'EM' });

    const plain = await postRaw(JSON.stringify({ query: [prompt + 'Porto<|im_end|>'], prompts: [prompt], labels: ['Porto'] }), '/openrlhf/reward?task=em');
    expect(plain.status).toBe(200);
    expect(plain.json.rewards).toEqual([1]);
  });

  it('gives a sample that cannot be scored the on_error reward, flags it in extra_logs and explains it in results', async () => {
    const prompt = chatPrompt('q');
    const body = pythonJsonDumps({
      query: [prompt + 'Porto<|im_end|>', prompt + 'a<|im_end|>', prompt + 'b<|im_end|>', prompt + 'c<|im_end|>'],
      prompts: [prompt, prompt, prompt, prompt],
      labels: [pythonJsonDumps({ task: 'em', reference: 'Porto' }), 'Porto', pythonJsonDumps({ task: 'no_such_task', reference: 'a' }), null],
    });
    const before = calls;
    const { status, json } = await postRaw(body);
    expect(status).toBe(200);
    expect(calls).toBe(before + 1); // bad labels never reach the scorer; the rest go in one call
    expect(json.rewards).toEqual([1, 0, 0, 0]);
    expect(json.extra_logs.golong_item_error).toEqual([0, 1, 1, 1]);
    expect(json.results[1].error.code).toBe('bad_item');
    expect(json.results[1].error.message).toMatch(/labels\[1\] must be a JSON object string .*\?task=NAME/);
    expect(json.results[2].error.code).toBe('unknown_task');
    expect(json.results[3].error.message).toMatch(/not null/);

    const custom = await postRaw(body, '/openrlhf/reward?on_error=-1.5');
    expect(custom.json.rewards).toEqual([1, -1.5, -1.5, -1.5]);

    const strict = await postRaw(body, '/openrlhf/reward?on_error=fail');
    expect(strict.status).toBe(422);
    expect(strict.json.message).toMatch(/^3 of 4 samples could not be scored: sample 1: bad_item .*sample 2: unknown_task/);
  });

  it('rejects a malformed envelope or query string with a sentence naming the field', async () => {
    const bad = await postRaw(JSON.stringify({ query: ['a', 'b'], prompts: ['a'], labels: ['x', 'y'] }));
    expect(bad.status).toBe(400);
    expect(bad.json.message).toBe('prompts must have one entry per query (2), not 1');
    const missing = await postRaw(JSON.stringify({ query: ['a'], labels: ['x'] }));
    expect(missing.status).toBe(400);
    expect(missing.json.message).toMatch(/prompts is required/);
    const notStrings = await postRaw(JSON.stringify({ query: [1], prompts: ['a'], labels: ['x'] }));
    expect(notStrings.json.message).toBe('query[0] must be a string');
    const onError = await postRaw(JSON.stringify({ query: [], prompts: [], labels: [] }), '/openrlhf/reward?on_error=zero');
    expect(onError.status).toBe(400);
    expect(onError.json.message).toMatch(/on_error must be a number .* or "fail"/);
    const unknown = await postRaw(JSON.stringify({ query: [], prompts: [], labels: [] }), '/openrlhf/reward?onerror=1');
    expect(unknown.status).toBe(400);
    expect(unknown.json.message).toMatch(/unknown field "onerror" \(did you mean "on_error"\? fields: on_error, task, strip_eos, audit, audit_penalty\)/);
    const empty = await postRaw(JSON.stringify({ query: [], prompts: [], labels: [] }));
    expect(empty.json).toMatchObject({ rewards: [], scores: [], extra_logs: { golong_item_error: [], golong_prompt_not_prefix: [] } });
  });
});

describe('responseFromQuery', () => {
  const prompt = '<|im_start|>user\nLong question about the context, ending here.<|im_end|>\n<|im_start|>assistant\n';
  it('cuts the prompt off the front', () => {
    expect(responseFromQuery(prompt + 'answer', prompt)).toEqual({ response: 'answer', alignment: 'prefix' });
  });
  it('takes what follows the prompt when the decode put something before it', () => {
    expect(responseFromQuery('<s>' + prompt + 'answer', prompt)).toEqual({ response: 'answer', alignment: 'contained' });
  });
  it('recognises a prompt OpenRLHF truncated from the left', () => {
    expect(responseFromQuery(prompt.slice(30) + 'answer', prompt)).toEqual({ response: 'answer', alignment: 'truncated' });
    // A short coincidental overlap is not a truncated prompt.
    expect(responseFromQuery('\nanswer', prompt)).toEqual({ response: '\nanswer', alignment: 'none' });
  });
});

describe('stripTrailingEos', () => {
  it('drops end-of-sequence markers at the end, keeping whitespace, as skip_special_tokens would', () => {
    expect(stripTrailingEos('answer<|im_end|>')).toBe('answer');
    expect(stripTrailingEos('answer<|im_end|>\n<|endoftext|>')).toBe('answer\n');
    expect(stripTrailingEos('answer</s>')).toBe('answer');
    expect(stripTrailingEos('answer<｜end▁of▁sentence｜>')).toBe('answer');
    expect(stripTrailingEos('a <|eot_id|> b')).toBe('a <|eot_id|> b');
    expect(stripTrailingEos('answer\n')).toBe('answer\n');
    expect(stripTrailingEos('')).toBe('');
  });
  it('is linear on a long run of markers', () => {
    const text = 'x' + '<|im_end|> '.repeat(100_000);
    const t0 = performance.now();
    expect(stripTrailingEos(text)).toBe('x' + ' '.repeat(100_000));
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
