// The files in examples/ run as the README tells a newcomer to run them, so they stay true:
// the CLI on the two JSONL files, and the curl scripts against the real built service.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type Service } from './helpers/service.js';

const CLI = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
const example = (name: string) => fileURLToPath(new URL(`../examples/${name}`, import.meta.url));

function scoreExample(name: string): Map<string, { score: number | null; reward_type?: string; error?: { code: string } }> {
  const out = execFileSync(process.execPath, [CLI, 'score', example(name), '--quiet'], { encoding: 'utf8' });
  return new Map(
    out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .map((r) => [r.id, r]),
  );
}

// Expected scores, worked out by hand from the scorer rules in shared/spec/scorers.md.
const LOG3 = Math.log2(3);
const VERL_EXPECTED: Record<string, [score: number, rewardType: string]> = {
  'lbp-ndcg': [1, 'NDCG'], // predictions in the ideal order
  'lbp-f1': [2 / 3, 'F1_Score'], // {[2],[5],[11]} vs {[2],[5],[9]}: p = r = 2/3
  'lbp-accuracy': [1, 'Accuracy'],
  'lbp-pairwise': [2 / 3, 'Pairwise_Accuracy'], // of the pairs (charter,founding) (charter,merger) (founding,merger) two are in order, over C(3,2)
  'lbp-summary': [(8 / 15) / (16 / 15 + 1e-8), 'Summary'], // think part included: LCS {cat, sat}, m = 5, n = 3
  selection: [1, 'selection'],
  'em-right': [1, 'EM'], // stripped
  'em-wrong': [0, 'EM'],
  'em-no-think': [0, 'EM'], // the think gate: no </think>
  math: [1, 'math_longcot_math_verify'],
  multitable: [1 / 3, 'multitableqa_pretraining'], // one shared row of 2 + 2 - 1
};
const NATIVE_EXPECTED: Record<string, [score: number, rewardType: string]> = {
  em: [1, 'EM'],
  choice: [1, 'selection'], // asterisks removed before matching
  f1: [0.5, 'F1_Score'],
  ndcg: [(1 + 2 / LOG3) / (2 + 1 / LOG3), 'NDCG'], // ranked doc 2 (rel 1), doc 1 (rel 2)
  'subtask-by-name': [1, 'Pairwise_Accuracy'],
  'rouge-en': [2 / (2 + 1e-8), 'Summary'],
  math: [1, 'math_verify'],
  iou: [0.5, 'multitableqa_pretraining'],
  'think-strip': [1, 'EM'],
};

describe('examples/*.jsonl through the CLI', () => {
  it('verl-rows.jsonl scores as worked out by hand, with one unknown data_source error', () => {
    const results = scoreExample('verl-rows.jsonl');
    for (const [id, [score, rewardType]] of Object.entries(VERL_EXPECTED)) {
      expect({ id, score: results.get(id)?.score }).toEqual({ id, score: expect.closeTo(score, 9) });
      expect(results.get(id)?.reward_type).toBe(rewardType);
    }
    expect(results.get('unknown-source')).toMatchObject({ score: null, error: { code: 'unknown_data_source' } });
    expect(results.size).toBe(Object.keys(VERL_EXPECTED).length + 1);
  });

  it('native.jsonl scores as worked out by hand', () => {
    const results = scoreExample('native.jsonl');
    for (const [id, [score, rewardType]] of Object.entries(NATIVE_EXPECTED)) {
      expect({ id, score: results.get(id)?.score }).toEqual({ id, score: expect.closeTo(score, 9) });
      expect(results.get(id)?.reward_type).toBe(rewardType);
    }
    // Chinese ROUGE-L depends on jieba's segmentation: a partial overlap, strictly between 0 and 1.
    const zh = results.get('rouge-zh')!;
    expect(zh.reward_type).toBe('Summary');
    expect(zh.score).toBeGreaterThan(0.3);
    expect(zh.score).toBeLessThan(1);
    expect(results.size).toBe(Object.keys(NATIVE_EXPECTED).length + 1);
  });
});

describe('examples/*.sh against the real service', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startService({ env: { GOLONG_REWARD_WORKERS: '1', GOLONG_REWARD_TOKEN: 'example-token' } });
    await service.waitReady();
  }, 30_000);
  afterAll(() => service?.stop());

  const runScript = (name: string, env: Record<string, string>) =>
    spawnSync('sh', [example(name)], { encoding: 'utf8', env: { ...process.env, GOLONG_REWARD_URL: service.url, ...env } });

  it('score-curl.sh posts a verl row and a native item to /score', () => {
    const run = runScript('score-curl.sh', { GOLONG_REWARD_TOKEN: 'example-token' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const body = JSON.parse(run.stdout);
    expect(body.results.map((r: { id: string; score: number }) => [r.id, r.score])).toEqual([
      ['row-0', expect.closeTo(2 / 3, 12)],
      ['native-0', 1],
    ]);
    expect(body.results[0].details).toBeDefined();
    // Without the token the service refuses, and the script fails loudly.
    const refused = runScript('score-curl.sh', { GOLONG_REWARD_TOKEN: '' });
    expect(refused.status).not.toBe(0);
    expect(refused.stdout).toMatch(/missing Authorization: Bearer/);
  });

  it('openrlhf-curl.sh gets one reward per sample from /openrlhf/reward', () => {
    const run = runScript('openrlhf-curl.sh', { GOLONG_REWARD_TOKEN: 'example-token' });
    expect(run.stdout).not.toMatch(/not found/i);
    expect(run.status).toBe(0);
    const body = JSON.parse(run.stdout);
    expect(body.rewards).toEqual([1, 1]);
    expect(body.scores).toEqual([1, 1]);
    expect(body.extra_logs).toEqual({ golong_item_error: [0, 0], golong_prompt_not_prefix: [0, 0] });
  });
});

describe('golong-reward serve', () => {
  it('starts the service with flags, answers /healthz and drains on SIGTERM', async () => {
    const proc = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--host', '127.0.0.1', '--workers', '1', '--log-level', 'info'], {
      env: { ...process.env, GOLONG_REWARD_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const address = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 20_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const m = /"address":"(http:\/\/[^"]+)".*"msg":"golong-reward listening"/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', onData);
      proc.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
    });
    const health = await fetch(`${address}/healthz`);
    expect(health.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30_000);

  it('rejects a bad flag value with a sentence naming it', () => {
    const run = spawnSync(process.execPath, [CLI, 'serve', '--port', 'eighty'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--port \/ PORT must be an integer \(got "eighty"\)/);
    const help = spawnSync(process.execPath, [CLI, 'serve', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--max-items .*GOLONG_REWARD_MAX_ITEMS/);
  });
});
