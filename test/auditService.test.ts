// The audit through the real built service: every flag's exploit and near miss through POST /score
// and POST /openrlhf/reward (on the worker pool), summary.audit, the Prometheus counter, GET /tasks,
// penalties and their labelling, and the 400s for bad audit options.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_FLAG_NAMES } from '../rewards/index.js';
import { AUDIT_CASES, expectation, type AuditCase } from './helpers/auditCases.js';
import { post, startService, type Service } from './helpers/service.js';

let svc: Service;
beforeAll(async () => {
  svc = await startService({ env: { GOLONG_REWARD_WORKERS: '2' } });
  await svc.waitReady();
});
afterAll(() => svc?.stop());

const score = (body: unknown) => post(`${svc.url}/score`, body);
const rows = AUDIT_CASES.map((c) => c.row);
type Finding = { flag: string; message: string; span?: [number, number]; penalty?: number };
type Result = { id: string | number; score: number | null; reward_type?: string; audit?: Finding[]; reference_score?: number };

function checkCase(c: AuditCase, r: Result): void {
  if (c.score !== undefined) expect(r.score, c.id).toBe(c.score);
  else expect(r.score, c.id).toBeGreaterThanOrEqual(c.minScore!);
  const flags = (r.audit ?? []).map((f) => f.flag);
  const { must, mustNot } = expectation(c);
  for (const f of must) expect(flags, c.id).toContain(f);
  for (const f of mustNot) expect(flags, c.id).not.toContain(f);
}

describe('POST /score with "audit": true', () => {
  it('flags every exploit and no near miss, with the scores the reference gives', async () => {
    const res = await score({ items: rows, audit: true });
    expect(res.status).toBe(200);
    expect(res.json.semantics).toBe('golongrl-reference');
    const results = res.json.results as Result[];
    AUDIT_CASES.forEach((c, i) => {
      expect(results[i]!.id).toBe(c.id);
      checkCase(c, results[i]!);
    });
    // Without the audit: the same scores, no flags.
    const plain = await score({ items: rows });
    expect((plain.json.results as Result[]).map((r) => r.score)).toEqual(results.map((r) => r.score));
    expect((plain.json.results as Result[]).some((r) => r.audit)).toBe(false);
    expect(plain.json.summary.audit).toBeUndefined();
  });

  it('summary.audit counts each flag per reward type (0 for flags that apply but did not fire), and /metrics adds them up', async () => {
    const before = await fetch(`${svc.url}/metrics`).then((r) => r.text());
    const res = await score({ items: rows, audit: true });
    const results = res.json.results as Result[];
    const expected: Record<string, Record<string, number>> = {};
    for (const r of results) for (const f of r.audit ?? []) {
      const t = (expected[r.reward_type!] ??= {});
      t[f.flag] = (t[f.flag] ?? 0) + 1;
    }
    const summary = res.json.summary.audit as Record<string, Record<string, number>>;
    expect(Object.keys(summary).sort()).toEqual([...new Set(results.map((r) => r.reward_type!))].sort());
    for (const [type, flags] of Object.entries(summary)) {
      for (const [flag, n] of Object.entries(flags)) expect(n, `${type} ${flag}`).toBe(expected[type]?.[flag] ?? 0);
      for (const flag of Object.keys(expected[type] ?? {})) expect(flags).toHaveProperty(flag);
    }
    expect(summary.Pairwise_Accuracy).toMatchObject({ pairwise_short_list: 1, duplicate_answers: 0, repetition_loop: 0 });
    expect(summary.Summary).toMatchObject({ summary_fragmented: 1, repetition_loop: 1 });

    const after = await fetch(`${svc.url}/metrics`).then((r) => r.text());
    const value = (text: string, type: string, flag: string) => {
      const m = new RegExp(`^golong_reward_audit_flags_total\\{reward_type="${type}",flag="${flag}"\\} (\\d+)$`, 'm').exec(text);
      return m ? Number(m[1]) : 0;
    };
    expect(after).toMatch(/# TYPE golong_reward_audit_flags_total counter/);
    for (const [type, flags] of Object.entries(expected)) {
      for (const [flag, n] of Object.entries(flags)) expect(value(after, type, flag) - value(before, type, flag), `${type} ${flag}`).toBe(n);
    }
  });

  it('audit_penalty replaces flagged scores, keeps reference_score and labels the semantics', async () => {
    const res = await score({ items: rows, audit_penalty: { repetition_loop: 0, pairwise_short_list: 0.5 } });
    expect(res.status).toBe(200);
    expect(res.json.semantics).toBe('golongrl-reference+audit_penalty');
    const results = res.json.results as Result[];
    const plain = (await score({ items: rows })).json.results as Result[];
    results.forEach((r, i) => {
      const flags = (r.audit ?? []).map((f) => f.flag);
      const cap = Math.min(flags.includes('repetition_loop') ? 0 : 1, flags.includes('pairwise_short_list') ? 0.5 : 1);
      if (cap < 1) {
        expect(r.reference_score, String(r.id)).toBe(plain[i]!.score);
        expect(r.score).toBe(Math.min(cap, plain[i]!.score!));
        expect(r.audit!.some((f) => f.penalty !== undefined)).toBe(true);
      } else {
        expect(r.reference_score).toBeUndefined();
        expect(r.score).toBe(plain[i]!.score);
      }
    });
    const penalised = AUDIT_CASES.filter((c) => c.kind === 'exploit' && ['repetition_loop', 'pairwise_short_list'].includes(c.flag));
    expect(results.filter((r) => r.reference_score !== undefined).map((r) => r.id)).toEqual(penalised.map((c) => c.id));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const pairwise = results.filter((r) => r.reward_type === 'Pairwise_Accuracy').map((r) => r.score!);
    expect(res.json.summary.by_reward_type.Pairwise_Accuracy.mean).toBeCloseTo(mean(pairwise), 12);
  });

  it('advantages are computed from the penalised scores', async () => {
    // The two Pairwise_Accuracy cases both score 1.0; penalising the two-line exploit to 0.5 makes it the worse rollout.
    const pair = AUDIT_CASES.filter((c) => c.flag === 'pairwise_short_list').map((c) => ({ ...c.row, uid: 'q' }));
    const plain = await score({ items: pair, advantages: { estimator: 'grpo' } });
    expect(plain.json.results.map((r: { advantage: number }) => r.advantage)).toEqual([0, 0]);
    const res = await score({ items: pair, audit_penalty: { pairwise_short_list: 0.5 }, advantages: { estimator: 'grpo' } });
    const [exploit, nearMiss] = res.json.results as (Result & { advantage: number })[];
    expect(exploit).toMatchObject({ score: 0.5, reference_score: 1 });
    expect(exploit!.advantage).toBeLessThan(0);
    expect(nearMiss!.advantage).toBeGreaterThan(0);
  });

  it('rejects bad audit options with a 400 naming the field', async () => {
    const item = rows[0];
    const cases: [unknown, RegExp][] = [
      [{ items: [item], audit: 'yes' }, /^audit must be true or false/],
      [{ items: [item], audit_penalty: { nope: 0 } }, /^audit_penalty has unknown field "nope" \(fields: pairwise_short_list, .*repetition_loop\)/],
      [{ items: [item], audit_penalty: { repetition_loop: 2 } }, /^audit_penalty\.repetition_loop must be between 0 and 1/],
      [{ items: [item], audit_penalty: { repetition_loop: -0.1 } }, /^audit_penalty\.repetition_loop must be between 0 and 1/],
      [{ items: [item], audit_penalty: { repetition_loop: '0' } }, /^audit_penalty\.repetition_loop must be a number between 0 and 1/],
      [{ items: [item], audit_penalty: [0] }, /^audit_penalty must be an object/],
      [{ items: [item], audit: false, audit_penalty: { repetition_loop: 0 } }, /^audit_penalty needs the audit, but audit is false/],
    ];
    for (const [body, message] of cases) {
      const res = await score(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.message).toMatch(message);
    }
  });
});

describe('GET /tasks', () => {
  it('lists every flag with the scorers it concerns, its rule and the exploit', async () => {
    const tasks = (await fetch(`${svc.url}/tasks`).then((r) => r.json())) as { audit_flags: { flag: string; scorers: string[]; rule: string }[] };
    expect(tasks.audit_flags.map((f) => f.flag)).toEqual([...AUDIT_FLAG_NAMES]);
    const pairwise = tasks.audit_flags.find((f) => f.flag === 'pairwise_short_list')!;
    expect(pairwise.scorers).toEqual(['pairwise']);
    expect(pairwise.rule).toMatch(/at most half as many as references/);
    expect(tasks.audit_flags.find((f) => f.flag === 'repetition_loop')!.scorers).toEqual(['*']);
  });
});

// ---- OpenRLHF ----

const PROMPT = '<|im_start|>user\nQuestion?<|im_end|>\n<|im_start|>assistant\n';
const openrlhfBody = (cs: readonly AuditCase[]) => ({
  query: cs.map((c) => `${PROMPT}${c.row.solution_str}<|im_end|>`),
  prompts: cs.map(() => PROMPT),
  labels: cs.map((c) => JSON.stringify({ data_source: c.row.data_source, ground_truth: c.row.ground_truth, extra_info: c.row.extra_info })),
});
const reward = (query: string, body: unknown) => post(`${svc.url}/openrlhf/reward${query}`, body);

describe('POST /openrlhf/reward?audit=true', () => {
  it('flags every exploit and no near miss; extra_logs has golong_audit_<flag> as 0/1 per sample', async () => {
    const res = await reward('?audit=true', openrlhfBody(AUDIT_CASES));
    expect(res.status).toBe(200);
    const { rewards, extra_logs: logs, results } = res.json as { rewards: number[]; extra_logs: Record<string, number[]>; results: Result[] };
    AUDIT_CASES.forEach((c, i) => {
      checkCase(c, results[i]!);
      expect(rewards[i]).toBe(results[i]!.score);
      for (const flag of AUDIT_FLAG_NAMES) {
        const raised = (results[i]!.audit ?? []).some((f) => f.flag === flag);
        expect(logs[`golong_audit_${flag}`]![i], `${c.id} ${flag}`).toBe(raised ? 1 : 0);
      }
    });
  });

  it('has the same extra_logs keys on every request, flagged or not, and none without the audit', async () => {
    const nearMisses = AUDIT_CASES.filter((c) => c.kind === 'near_miss').slice(0, 2);
    const quiet = await reward('?audit=1', openrlhfBody(nearMisses));
    const loud = await reward('?audit=true', openrlhfBody(AUDIT_CASES.filter((c) => c.kind === 'exploit').slice(0, 3)));
    const keys = (r: { json: { extra_logs: object } }) => Object.keys(r.json.extra_logs).sort();
    expect(keys(quiet)).toEqual(keys(loud));
    expect(keys(quiet)).toEqual(['golong_item_error', 'golong_prompt_not_prefix', ...AUDIT_FLAG_NAMES.map((f) => `golong_audit_${f}`)].sort());
    for (const flag of AUDIT_FLAG_NAMES) expect(quiet.json.extra_logs[`golong_audit_${flag}`]).toEqual([0, 0]);
    const off = await reward('', openrlhfBody(nearMisses));
    expect(keys(off)).toEqual(['golong_item_error', 'golong_prompt_not_prefix']);
  });

  it('audit_penalty=flag:value caps the rewards of flagged samples and labels the semantics', async () => {
    const loops = AUDIT_CASES.filter((c) => c.flag === 'repetition_loop');
    const res = await reward('?audit_penalty=repetition_loop:0', openrlhfBody(loops));
    expect(res.status).toBe(200);
    expect(res.json.semantics).toBe('golongrl-reference+audit_penalty');
    loops.forEach((c, i) => {
      const r = res.json.results[i] as Result;
      if (c.kind === 'exploit') {
        expect(res.json.rewards[i]).toBe(0);
        expect(r.reference_score).toBeGreaterThan(0.8);
      } else expect(res.json.rewards[i]).toBe(c.score);
    });
    expect(res.json.extra_logs.golong_audit_repetition_loop).toEqual(loops.map((c) => (c.kind === 'exploit' ? 1 : 0)));
  });

  it('rejects bad audit query parameters with a 400 naming them', async () => {
    const body = openrlhfBody(AUDIT_CASES.slice(0, 1));
    const bad: [string, RegExp][] = [
      ['?audit=yes', /audit must be true or false/],
      ['?audit_penalty=nope:0', /audit_penalty has unknown field "nope"/],
      ['?audit_penalty=repetition_loop:1.5', /audit_penalty\.repetition_loop must be between 0 and 1/],
      ['?audit_penalty=repetition_loop', /audit_penalty\.repetition_loop must be a number between 0 and 1/],
      ['?audit=false&audit_penalty=repetition_loop:0', /audit_penalty needs the audit/],
    ];
    for (const [query, message] of bad) {
      const res = await reward(query, body);
      expect(res.status, query).toBe(400);
      expect(res.json.message, query).toMatch(message);
    }
  });
});
