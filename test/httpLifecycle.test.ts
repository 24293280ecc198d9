// Start-up and shutdown of the real built server: readiness after warm-up, auth off by default,
// bad configuration refused, and SIGTERM draining an in-flight batch before exiting 0.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { MAIN_JS, post, startService } from './helpers/service.js';

describe('service lifecycle', () => {
  it('drains an in-flight batch on SIGTERM, refuses new work, and exits 0', async () => {
    const svc = await startService({ env: { GOLONG_REWARD_TEST_HOOKS: '1', GOLONG_REWARD_WORKERS: '1' } });
    try {
      await svc.waitReady();
      // Auth is off without a token: every route answers.
      expect((await fetch(`${svc.url}/tasks`)).status).toBe(200);
      const items = [{ task: 'f1', response: '[Answer]\nfoo', reference: ['foo'] }, { id: 'slow', task: '__test_hang__', ms: 1200 }];
      const batch = post(`${svc.url}/score`, { items, timeout_ms: 5000 });
      await new Promise((r) => setTimeout(r, 300));
      svc.proc.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 100));
      const late = await fetch(`${svc.url}/healthz`).then((r) => r.status, () => 'refused');
      expect(late === 'refused' || late === 503).toBe(true);
      const res = await batch;
      expect(res.status).toBe(200);
      expect(res.json.results).toEqual([
        expect.objectContaining({ id: 0, score: 1 }),
        expect.objectContaining({ id: 'slow', score: 1, scorer: '__test_hang__' }),
      ]);
      expect(await svc.exited).toBe(0);
      expect(svc.logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down: draining in-flight batches', 'drained; bye']));
    } finally {
      await svc.stop();
    }
  });

  it('refuses an invalid configuration with a sentence naming the setting', () => {
    const run = spawnSync(process.execPath, [MAIN_JS, '--workers', 'many'], { encoding: 'utf8', env: { ...process.env, PORT: '0' } });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--workers \/ GOLONG_REWARD_WORKERS must be an integer \(got "many"\)/);
    const flag = spawnSync(process.execPath, [MAIN_JS, '--no-such-flag'], { encoding: 'utf8' });
    expect(flag.status).toBe(2);
    expect(flag.stderr).toMatch(/no-such-flag/);
  });
});
