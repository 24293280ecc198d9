// The Python client as verl runs it: the machine's python3 imports
// clients/python/golong_reward_client.py and calls compute_score / compute_score_batch against
// the real built service; stub HTTP servers in this process play a busy service (503), a
// non-retryable rejection and two replicas.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemResult } from '../rewards/index.js';
import { AUDIT_CASES, expectation } from './helpers/auditCases.js';
import { familyOf, loadScoreCases, verlItem, type ScoreCase } from './helpers/parity.js';
import { startService, type Service } from './helpers/service.js';
import { tempDirs } from './helpers/tempDir.js';

const CLIENT_DIR = fileURLToPath(new URL('../clients/python/', import.meta.url));

/** Runs a Python snippet with the client importable; resolves with its exit code and output. */
function python(code: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'python3',
      ['-c', code],
      { env: { ...process.env, PYTHONPATH: CLIENT_DIR, PYTHONDONTWRITEBYTECODE: '1', GOLONG_REWARD_TOKEN: '', GOLONG_REWARD_ON_ERROR: '', GOLONG_REWARD_RETURN_DICT: '', GOLONG_REWARD_AUDIT: '', GOLONG_REWARD_AUDIT_PENALTY: '', GOLONG_REWARD_GZIP: '', ...env }, maxBuffer: 1 << 26, timeout: 120_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const PRELUDE = `
import json, sys
import golong_reward_client as g
`;

const tmp = tempDirs('golong-py-');
let dir: string;
let service: Service;

beforeAll(async () => {
  dir = tmp();
  service = await startService({ env: { GOLONG_REWARD_WORKERS: '2', GOLONG_REWARD_TOKEN: 'py-token' } });
  await service.waitReady();
}, 30_000);
afterAll(() => service?.stop());

/** Every 6th public case with a reference number (the math family has its own parity suite). */
function sampleCases(): ScoreCase[] {
  return loadScoreCases().filter(
    (c, i) => i % 6 === 0 && c.expected !== undefined && !c.tags.includes('spec-divergence') && !c.tags.some((t) => t.startsWith('unknown-ds')) && familyOf(c) !== 'math',
  );
}

describe('python3 + golong_reward_client against the real service', () => {
  it('compute_score_batch (chunked, concurrent) and compute_score reproduce the reference numbers', async () => {
    const cases = sampleCases();
    expect(cases.length).toBeGreaterThanOrEqual(90);
    const file = join(dir, 'cases.json');
    writeFileSync(file, JSON.stringify(cases.map(verlItem)));
    const { code, stdout, stderr } = await python(
      PRELUDE +
        `
rows = json.load(open(${JSON.stringify(file)}))
client = g.GolongRewardClient(chunk_size=16, concurrency=4)
g._default_client = client  # the module-level entry points use this client
batch = g.compute_score_batch(
    data_sources=[r["data_source"] for r in rows],
    solution_strs=[r["solution_str"] for r in rows],
    ground_truths=[r["ground_truth"] for r in rows],
    extra_infos=[r["extra_info"] for r in rows],
)
single = [g.compute_score(data_source=r["data_source"], solution_str=r["solution_str"],
                          ground_truth=r["ground_truth"], extra_info=r["extra_info"]) for r in rows[:12]]
print(json.dumps({"batch": batch, "single": single, "types": sorted({type(x).__name__ for x in batch + single})}))
`,
      { GOLONG_REWARD_URL: service.url, GOLONG_REWARD_TOKEN: 'py-token' },
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { batch: number[]; single: number[]; types: string[] };
    expect(out.types).toEqual(['float']);
    const wrong = cases.filter((c, i) => !(Math.abs(out.batch[i]! - c.expected!) <= 1e-9)).map((c) => c.id);
    expect(wrong).toEqual([]);
    expect(out.single).toEqual(out.batch.slice(0, 12));
  }, 120_000);

  it('raises a clear GolongRewardItemError on item errors, unless on_error (argument or env) maps them', async () => {
    const errorCases = loadScoreCases().filter((c) => c.expected_error !== undefined).slice(0, 3);
    const good = sampleCases().slice(0, 2);
    const rows = [good[0]!, ...errorCases, good[1]!].map(verlItem);
    const file = join(dir, 'errors.json');
    writeFileSync(file, JSON.stringify(rows));
    const script =
      PRELUDE +
      `
rows = json.load(open(${JSON.stringify(file)}))
args = ([r["data_source"] for r in rows], [r["solution_str"] for r in rows],
        [r["ground_truth"] for r in rows], [r["extra_info"] for r in rows])
out = {}
try:
    g.compute_score_batch(*args)
    out["raised"] = None
except g.GolongRewardItemError as e:
    out["raised"] = {"message": str(e), "indices": [x["index"] for x in e.errors], "codes": [x["code"] for x in e.errors]}
out["mapped"] = g.compute_score_batch(*args, on_error=0.0)
print(json.dumps(out))
`;
    const env = { GOLONG_REWARD_URL: service.url, GOLONG_REWARD_TOKEN: 'py-token' };
    const { code, stdout, stderr } = await python(script, env);
    // The mapped call logs its failed items: one warning for the batch, with the codes and counts.
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^golong-reward: 3 of 5 item\(s\) could not be scored and were given on_error=0\.0: \w+ \d(, \w+ \d)*; first: item 1: .+\n$/);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.raised.indices).toEqual([1, 2, 3]);
    expect(out.raised.codes.every((c: string) => typeof c === 'string' && c.length > 0)).toBe(true);
    expect(out.raised.message).toMatch(/^3 item\(s\) could not be scored: item 1: \w+ \(.+\).*Pass on_error=<float>/);
    expect(out.mapped).toHaveLength(5);
    expect(out.mapped.slice(1, 4)).toEqual([0, 0, 0]);
    expect(out.mapped[0]).toBeCloseTo(good[0]!.expected!, 9);
    expect(out.mapped[4]).toBeCloseTo(good[1]!.expected!, 9);

    const viaEnv = await python(PRELUDE + `print(json.dumps(g.compute_score("gsm8k", "<think></think>42", "42")))`, {
      ...env,
      GOLONG_REWARD_ON_ERROR: '-1',
    });
    expect(viaEnv.stderr).toMatch(/^golong-reward: 1 of 1 item\(s\) could not be scored and were given on_error=-1\.0: unknown_data_source 1; first: item 0: unknown data_source "gsm8k"/);
    expect(JSON.parse(viaEnv.stdout)).toBe(-1);
  }, 60_000);

  it('fails with the service message on a wrong token (no retries for a 401)', async () => {
    const { code, stderr } = await python(PRELUDE + `g.compute_score("EM", "<think></think>x", {"golden_label": "x"})`, {
      GOLONG_REWARD_URL: service.url,
      GOLONG_REWARD_TOKEN: 'wrong',
    });
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/GolongRewardError: .* answered HTTP 401: .*bearer token is not valid/);
  });
});

describe('python client options: unknown keywords, on_error warnings, return_dict', () => {
  const env = () => ({ GOLONG_REWARD_URL: service.url, GOLONG_REWARD_TOKEN: 'py-token' });

  /** Rows whose outcome the spec fixes: two scored, and one of each item error a dataset can cause. */
  const ROWS = [
    { data_source: 'EM', solution_str: '<think>x</think> Porto ', ground_truth: { golden_label: 'Porto' }, extra_info: {}, want: { score: 1, reward_type: 'EM', error: '' } },
    { data_source: 'gsm8k', solution_str: '<think>x</think>42', ground_truth: '42', extra_info: {}, want: { score: -1, reward_type: '', error: 'unknown_data_source' } },
    { data_source: 'EM', solution_str: '<think>x</think>Porto', ground_truth: {}, extra_info: {}, want: { score: -1, reward_type: '', error: 'bad_ground_truth' } },
    { data_source: 'selection', solution_str: '<think>x</think>The correct answer is (B).', ground_truth: { golden_label: 'C' }, extra_info: {}, want: { score: 0, reward_type: 'selection', error: '' } },
    {
      data_source: 'longbench_pro',
      solution_str: '<think>x</think>[Answer]\na',
      ground_truth: { doc_ids: ['a'], summary: 'English' },
      extra_info: { reward_mode: 'T99 No Such Task' },
      want: { score: -1, reward_type: '', error: 'unknown_task' },
    },
    {
      data_source: 'longbench_pro',
      solution_str: '<think>x</think>[Answer]\n[2]\n[5]',
      ground_truth: { doc_ids: ['[2]', '[5]', '[9]'], summary: 'English' },
      extra_info: { reward_mode: 'T5.1 Full-Sentence Citation Alignment' },
      // F1 of {[2],[5]} against {[2],[5],[9]}: p = 1, r = 2/3 (scorers.md 3.1).
      want: { score: 0.8, reward_type: 'F1_Score', error: '' },
    },
  ];
  const rowsPython = () => {
    const file = join(dir, 'option-rows.json');
    writeFileSync(file, JSON.stringify(ROWS));
    return `rows = json.load(open(${JSON.stringify(file)}))
args = ([r["data_source"] for r in rows], [r["solution_str"] for r in rows],
        [r["ground_truth"] for r in rows], [r["extra_info"] for r in rows])
`;
  };

  it('refuses an unknown keyword (a typo of an option) with a TypeError naming the likely one', async () => {
    const { code, stdout, stderr } = await python(
      PRELUDE +
        `
out = {}
for fn, call in [("batch", lambda: g.compute_score_batch(["EM"], ["</think>x"], [{"golden_label": "x"}], [{}], on_eror=0.0)),
                 ("single", lambda: g.compute_score("EM", "</think>x", {"golden_label": "x"}, {}, retrun_dict=True)),
                 ("other", lambda: g.compute_score("EM", "</think>x", {"golden_label": "x"}, {}, chunk_size=4))]:
    try:
        call()
        out[fn] = None
    except TypeError as e:
        out[fn] = str(e)
print(json.dumps(out))
`,
      env(),
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.batch).toMatch(/^compute_score_batch\(\) got an unexpected keyword argument 'on_eror' \(did you mean 'on_error'\?\)\. Its options are on_error, return_dict, audit, audit_penalty; verl's own .* are accepted and not used\.$/);
    expect(out.single).toMatch(/^compute_score\(\) got an unexpected keyword argument 'retrun_dict' \(did you mean 'return_dict'\?\)/);
    expect(out.other).toMatch(/^compute_score\(\) got an unexpected keyword argument 'chunk_size'\. Its options/);
  });

  it('accepts the keywords verl itself passes, as verl passes them, and scores as usual', async () => {
    // verl's reward loop adds reward_router_address / reward_model_tokenizer when a reward model
    // router runs; its batch manager forwards reward_model.reward_kwargs (GoLongRL's scripts set the
    // DAPO overlong-buffer options there); custom_reward_function.reward_kwargs are merged into every
    // call by verl's _call_with_kwargs (transcribed here).
    const { code, stdout, stderr } = await python(
      PRELUDE +
        rowsPython() +
        `
from functools import partial
def _call_with_kwargs(raw_fn, extra_kwargs, *args, **kwargs):
    return raw_fn(*args, **{**kwargs, **extra_kwargs})
single = partial(_call_with_kwargs, g.compute_score, {"on_error": 0.0})
batch = partial(_call_with_kwargs, g.compute_score_batch, {"on_error": 0.0})
one = single(data_source="EM", solution_str="<think>x</think>Porto", ground_truth={"golden_label": "Porto"},
             extra_info={"num_turns": None, "rollout_reward_scores": {}},
             reward_router_address="127.0.0.1:1", reward_model_tokenizer=None)
many = batch(data_sources=args[0], solution_strs=args[1], ground_truths=args[2], extra_infos=args[3],
             overlong_buffer_cfg={"enable": True, "len": 4096, "penalty_factor": 1.0, "log": False}, max_resp_len=16384)
print(json.dumps({"one": one, "many": many}))
`,
      env(),
    );
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.one).toBe(1);
    expect(out.many).toEqual(ROWS.map((r) => (r.want.error ? 0 : expect.closeTo(r.want.score, 9))));
    expect(stderr).toMatch(/^golong-reward: 3 of 6 item\(s\) could not be scored and were given on_error=0\.0: /);
  });

  it('with on_error, logs one warning per batch with the error codes and their counts', async () => {
    const { code, stderr } = await python(PRELUDE + rowsPython() + `g.compute_score_batch(*args, on_error=-1)`, env());
    expect(code).toBe(0);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    const codes = ROWS.filter((r) => r.want.error).map((r) => r.want.error);
    expect(lines[0]).toMatch(/^golong-reward: 3 of 6 item\(s\) could not be scored and were given on_error=-1\.0: /);
    const listed = /on_error=-1\.0: (.*); first: item 1: unknown data_source "gsm8k"/.exec(lines[0])![1]!;
    expect(listed.split(', ').sort()).toEqual(codes.map((c) => `${c} 1`).sort());
    // A batch without failed items logs nothing.
    const clean = await python(PRELUDE + `g.compute_score_batch(["EM"], ["</think>x"], [{"golden_label": "x"}], [{}], on_error=0.0)`, env());
    expect(clean.stderr).toBe('');
  });

  it('return_dict=True gives every item the same keys: score, reward_type, error (code or "")', async () => {
    const { code, stdout, stderr } = await python(
      PRELUDE +
        rowsPython() +
        `
batch = g.compute_score_batch(*args, on_error=-1, return_dict=True)
single = g.compute_score(rows[0]["data_source"], rows[0]["solution_str"], rows[0]["ground_truth"], rows[0]["extra_info"], return_dict=True)
plain = g.compute_score_batch(*args, on_error=-1)
print(json.dumps({"batch": batch, "single": single, "plain": plain, "keys": sorted({tuple(sorted(d)) for d in batch})}))
`,
      env(),
    );
    expect(code).toBe(0);
    expect(stderr).toMatch(/could not be scored/);
    const out = JSON.parse(stdout);
    expect(out.keys).toEqual([['error', 'reward_type', 'score']]);
    expect(out.batch).toEqual(ROWS.map((r) => ({ ...r.want, score: expect.closeTo(r.want.score, 9) })));
    expect(out.single).toEqual(ROWS[0]!.want);
    expect(out.plain).toEqual(out.batch.map((d: { score: number }) => d.score));
  });

  it('GOLONG_REWARD_RETURN_DICT=1 turns it on for verl runs; bad environment values are named', async () => {
    const script = PRELUDE + `print(json.dumps(g.compute_score("EM", "<think>x</think>Porto", {"golden_label": "Porto"}, {})))`;
    const on = await python(script, { ...env(), GOLONG_REWARD_RETURN_DICT: '1' });
    expect(on.stderr).toBe('');
    expect(JSON.parse(on.stdout)).toEqual({ score: 1, reward_type: 'EM', error: '' });
    const off = await python(script, { ...env(), GOLONG_REWARD_RETURN_DICT: 'false' });
    expect(JSON.parse(off.stdout)).toBe(1);
    const bad = await python(script, { ...env(), GOLONG_REWARD_RETURN_DICT: 'maybe' });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/ValueError: GOLONG_REWARD_RETURN_DICT must be 1\/true\/yes\/on or 0\/false\/no\/off, not 'maybe'/);
    const badOnError = await python(script, { ...env(), GOLONG_REWARD_ON_ERROR: 'zero' });
    expect(badOnError.stderr).toMatch(/ValueError: GOLONG_REWARD_ON_ERROR must be a number \(the score given to items that could not be scored\), not 'zero'/);
    const badChunk = await python(script, { ...env(), GOLONG_REWARD_CHUNK_SIZE: 'big' });
    expect(badChunk.stderr).toMatch(/ValueError: GOLONG_REWARD_CHUNK_SIZE must be an integer \(items per request\), not 'big'/);
    const badArgument = await python(PRELUDE + `g.compute_score("EM", "</think>x", {"golden_label": "x"}, {}, on_error="fail")`, env());
    expect(badArgument.stderr).toMatch(/ValueError: on_error must be a number .*, not 'fail'/);
  });
});

describe('python client: the reward-hacking audit', () => {
  const env = () => ({ GOLONG_REWARD_URL: service.url, GOLONG_REWARD_TOKEN: 'py-token' });
  const casesFile = () => {
    const file = join(dir, 'audit-cases.json');
    writeFileSync(file, JSON.stringify(AUDIT_CASES.map((c) => c.row)));
    return file;
  };
  const ROWS = (file: string) => `
rows = json.load(open(${JSON.stringify(file)}))
args = ([r["data_source"] for r in rows], [r["solution_str"] for r in rows],
        [r["ground_truth"] for r in rows], [r["extra_info"] for r in rows])
`;

  it('audit=True flags every exploit and no near miss (score_items), and leaves the scores alone', async () => {
    const { code, stdout, stderr } = await python(
      PRELUDE +
        ROWS(casesFile()) +
        `
client = g.GolongRewardClient(chunk_size=5)
results = client.score_items(rows, audit=True)
scores = client.score_rows(*args, audit=True)
last_audit = client.last_audit
plain = client.score_rows(*args)
dicts = client.score_rows(*args, audit=True, return_dict=True)
print(json.dumps({"results": results, "scores": scores, "plain": plain, "last_audit": last_audit, "dicts": dicts}))
`,
      env(),
    );
    expect(code, stderr).toBe(0);
    const out = JSON.parse(stdout) as {
      results: ItemResult[];
      scores: number[];
      plain: number[];
      last_audit: Record<string, Record<string, number>>;
      dicts: { score: number; audit: string; reference_score: number }[];
    };
    AUDIT_CASES.forEach((c, i) => {
      const flags = (out.results[i]!.audit ?? []).map((f) => f.flag);
      const { must, mustNot } = expectation(c);
      for (const f of must) expect(flags, c.id).toContain(f);
      for (const f of mustNot) expect(flags, c.id).not.toContain(f);
      if (c.score !== undefined) expect(out.scores[i], c.id).toBe(c.score);
    });
    expect(out.scores).toEqual(out.plain);
    expect(out.last_audit.Pairwise_Accuracy).toEqual({ pairwise_short_list: 1 });
    // return_dict: the same keys on every item, the flags as one string, the reference's score.
    out.dicts.forEach((d, i) => {
      expect(Object.keys(d).sort()).toEqual(['audit', 'error', 'reference_score', 'reward_type', 'score']);
      expect(d.audit).toBe((out.results[i]!.audit ?? []).map((f) => f.flag).join(','));
      expect(d.reference_score).toBe(d.score);
    });
    // The client logs the counts on the "golong_reward" logger (a warning reaches stderr).
    expect(stderr).toMatch(/golong-reward audit: \d+ of \d+ rollouts flagged \(.*Pairwise_Accuracy: pairwise_short_list 1/);
  }, 60_000);

  it('audit_penalty (argument or GOLONG_REWARD_AUDIT_PENALTY) caps flagged scores in compute_score_batch and compute_score', async () => {
    const file = casesFile();
    const script =
      PRELUDE +
      ROWS(file) +
      `
batch = g.compute_score_batch(*args, audit_penalty={"repetition_loop": 0.0})
i = next(k for k, r in enumerate(rows) if r["id"].startswith("pairwise_short_list:exploit"))
single = g.compute_score(args[0][i], args[1][i], args[2][i], args[3][i], audit_penalty={"pairwise_short_list": 0.25})
print(json.dumps({"batch": batch, "single": single}))
`;
    const { code, stdout, stderr } = await python(script, env());
    expect(code, stderr).toBe(0);
    const out = JSON.parse(stdout) as { batch: number[]; single: number };
    AUDIT_CASES.forEach((c, i) => {
      if (c.flag === 'repetition_loop' && c.kind === 'exploit') expect(out.batch[i], c.id).toBe(0);
      else if (c.score !== undefined) expect(out.batch[i], c.id).toBe(c.score);
    });
    expect(out.single).toBe(0.25);

    const viaEnv = await python(PRELUDE + ROWS(file) + `print(json.dumps(g.compute_score_batch(*args)))`, { ...env(), GOLONG_REWARD_AUDIT_PENALTY: 'repetition_loop:0' });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
    expect(JSON.parse(viaEnv.stdout)).toEqual(out.batch);
    const auditEnv = await python(PRELUDE + ROWS(file) + `g.compute_score_batch(*args); print(json.dumps(g._client().last_audit))`, { ...env(), GOLONG_REWARD_AUDIT: '1' });
    expect(auditEnv.code, auditEnv.stderr).toBe(0);
    expect(JSON.parse(auditEnv.stdout).selection).toEqual({ multiple_final_answers: 1 });
  }, 60_000);

  it('an unknown flag or a value out of range fails with the service message naming it', async () => {
    const bad = await python(PRELUDE + `g.compute_score("EM", "<think></think>x", {"golden_label": "x"}, audit_penalty={"repetition_lop": 0})`, env());
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/GolongRewardError: .* answered HTTP 400: .*audit_penalty has unknown field \\"repetition_lop\\"/);
    const range = await python(PRELUDE + `g.compute_score("EM", "<think></think>x", {"golden_label": "x"}, audit_penalty={"repetition_loop": 2})`, env());
    expect(range.stderr).toMatch(/audit_penalty\.repetition_loop must be between 0 and 1/);
    const badEnv = await python(PRELUDE + `g.compute_score("EM", "<think></think>x", {"golden_label": "x"})`, { ...env(), GOLONG_REWARD_AUDIT_PENALTY: 'repetition_loop' });
    expect(badEnv.stderr).toMatch(/ValueError: GOLONG_REWARD_AUDIT_PENALTY must be flag:value\[,flag:value\], e\.g\. repetition_loop:0; got 'repetition_loop'/);
  }, 60_000);
});

// ---- stub services ----

interface Stub {
  url: string;
  requests: { items: { id: number; solution_str: string }[]; encoding?: string; bytes: number }[];
  close(): Promise<void>;
}

/** A /score stub: `respond(n)` decides the reply to the n-th request (0-based); by default scores = len(solution_str) / 100. */
async function stub(respond: (n: number, res: ServerResponse) => boolean = () => false): Promise<Stub> {
  const requests: Stub['requests'] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const n = requests.length;
      const sent = Buffer.concat(chunks);
      const encoding = req.headers['content-encoding'];
      const parsed = JSON.parse((encoding === 'gzip' ? gunzipSync(sent) : sent).toString('utf8')) as Stub['requests'][number];
      requests.push({ ...parsed, bytes: sent.length, ...(encoding !== undefined && { encoding }) });
      if (respond(n, res)) return;
      const results = parsed.items.map((it) => ({ id: it.id, score: it.solution_str.length / 100, reward_type: 'EM', scorer: 'em' }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ results }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const rowsOf = (lengths: number[]) =>
  `data_sources = ["EM"] * ${lengths.length}
solution_strs = [${lengths.map((n) => `"x" * ${n}`).join(', ')}]
ground_truths = [{"golden_label": "x"}] * ${lengths.length}
`;

describe('python client: retries, chunking across replicas, errors', () => {
  it('retries a 503 (honouring Retry-After) and then succeeds', async () => {
    const busy = await stub((n, res) => {
      if (n > 0) return false;
      res.writeHead(503, { 'retry-after': '0', 'content-type': 'application/json' }).end('{"message":"too many batches"}');
      return true;
    });
    try {
      const { code, stdout, stderr } = await python(
        PRELUDE +
          rowsOf([10, 20]) +
          `client = g.GolongRewardClient(url=${JSON.stringify(busy.url)}, backoff=0.01, retries=2)
print(json.dumps(client.score_rows(data_sources, solution_strs, ground_truths)))`,
      );
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toEqual([0.1, 0.2]);
      expect(busy.requests).toHaveLength(2);
    } finally {
      await busy.close();
    }
  });

  it('gives up after the retries with a message naming the URL and the last problem', async () => {
    const alwaysBusy = await stub((_n, res) => {
      res.writeHead(503, { 'retry-after': '0' }).end('busy');
      return true;
    });
    try {
      const { code, stderr } = await python(
        PRELUDE + rowsOf([1]) + `g.GolongRewardClient(url=${JSON.stringify(alwaysBusy.url)}, backoff=0.01, retries=2).score_rows(data_sources, solution_strs, ground_truths)`,
      );
      expect(code).not.toBe(0);
      expect(stderr).toMatch(/could not reach the reward service at http:\/\/127\.0\.0\.1:\d+ after 3 attempts: HTTP 503/);
      expect(alwaysBusy.requests).toHaveLength(3);
    } finally {
      await alwaysBusy.close();
    }
  });

  it('does not retry a 400 and shows the service message', async () => {
    const strict = await stub((_n, res) => {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"message":"items[0] must be an object"}');
      return true;
    });
    try {
      const { code, stderr } = await python(PRELUDE + rowsOf([1]) + `g.GolongRewardClient(url=${JSON.stringify(strict.url)}, backoff=0.01).score_rows(data_sources, solution_strs, ground_truths)`);
      expect(code).not.toBe(0);
      expect(stderr).toMatch(/answered HTTP 400: .*items\[0\] must be an object/);
      expect(strict.requests).toHaveLength(1);
    } finally {
      await strict.close();
    }
  });

  it('sends bodies uncompressed unless gzip_bodies / GOLONG_REWARD_GZIP asks for gzip (bodies over 1 MiB)', async () => {
    const svc = await stub();
    try {
      const call = (args: string, env: Record<string, string> = {}) =>
        python(PRELUDE + rowsOf([600_000, 600_000]) + `print(json.dumps(g.GolongRewardClient(url=${JSON.stringify(svc.url)}${args}).score_rows(data_sources, solution_strs, ground_truths)))`, env);
      for (const [args, env, gzipped] of [
        ['', {}, false],
        ['', { GOLONG_REWARD_GZIP: '1' }, true],
        [', gzip_bodies=True', {}, true],
        [', gzip_bodies=False', { GOLONG_REWARD_GZIP: 'true' }, false],
      ] as const) {
        const before = svc.requests.length;
        const { code, stdout, stderr } = await call(args, env);
        expect(stderr).toBe('');
        expect(code).toBe(0);
        expect(JSON.parse(stdout)).toEqual([6000, 6000]);
        const sent = svc.requests[before]!;
        expect(sent.encoding).toBe(gzipped ? 'gzip' : undefined);
        expect(sent.bytes < 1_000_000).toBe(gzipped); // 1.2 MB of JSON, a few KB gzipped
      }
      const bad = await call('', { GOLONG_REWARD_GZIP: 'maybe' });
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/ValueError: GOLONG_REWARD_GZIP must be 1\/true\/yes\/on or 0\/false\/no\/off, not 'maybe'/);
    } finally {
      await svc.close();
    }
  });

  it('splits a batch into chunks spread over two replicas and keeps the input order', async () => {
    const a = await stub();
    const b = await stub();
    try {
      const lengths = [1, 2, 3, 4, 5, 6, 7];
      const { code, stdout, stderr } = await python(
        PRELUDE +
          rowsOf(lengths) +
          `client = g.GolongRewardClient(url="${a.url},${b.url}", chunk_size=2, concurrency=3)
print(json.dumps(client.score_rows(data_sources, solution_strs, ground_truths)))`,
      );
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toEqual(lengths.map((n) => n / 100));
      expect(a.requests.length + b.requests.length).toBe(4);
      expect(a.requests.length).toBeGreaterThanOrEqual(1);
      expect(b.requests.length).toBeGreaterThanOrEqual(1);
      expect([...a.requests, ...b.requests].every((r) => r.items.length <= 2)).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('retries a refused connection on the next replica', async () => {
    const up = await stub();
    const down = await stub();
    await down.close(); // its port now refuses connections
    try {
      const { code, stdout, stderr } = await python(
        PRELUDE + rowsOf([50]) + `print(json.dumps(g.GolongRewardClient(url="${down.url},${up.url}", backoff=0.01, retries=1).score_rows(data_sources, solution_strs, ground_truths)))`,
      );
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toEqual([0.5]);
    } finally {
      await up.close();
    }
  });
});
