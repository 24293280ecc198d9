// What the real built service logs and opens at start: the sockets it really bound (0.0.0.0, not
// 127.0.0.1), the effective configuration without the token, a warning when it serves without a
// token on a non-loopback address, probes at debug only; the docs/metrics/auth settings.
import { afterAll, describe, expect, it } from 'vitest';
import { post, startService, type LogLine, type Service } from './helpers/service.js';

const started: Service[] = [];
afterAll(() => Promise.all(started.map((s) => s.stop())));
async function start(env: Record<string, string>): Promise<Service> {
  const svc = await startService({ env: { GOLONG_REWARD_WORKERS: '1', ...env } });
  started.push(svc);
  await svc.waitReady();
  return svc;
}
const line = (svc: Service, msg: string): LogLine | undefined => svc.logs.find((l) => l.msg === msg);
const settle = () => new Promise((r) => setTimeout(r, 300));

describe('start on every interface without a token', () => {
  it('logs the bound socket, the URLs that reach it, the configuration without secrets, and a warning', async () => {
    const svc = await start({ HOST: '0.0.0.0' });
    const port = new URL(svc.url).port;
    const listening = line(svc, 'golong-reward listening')!;
    expect(listening.bound).toEqual([`0.0.0.0:${port}`]);
    expect(listening.urls).toContain(`http://127.0.0.1:${port}`);
    expect(listening.address).toBe(`http://127.0.0.1:${port}`);
    const effective = line(svc, 'effective configuration')!;
    expect(effective.config).toMatchObject({ host: '0.0.0.0', port: 0, workers: 1, token: 'unset', auth: 'auto', protectDocs: false });
    expect(effective.cpus).toMatch(/^(cgroup CPU quota of [\d.]+ CPUs|availableParallelism\(\) = \d+)$/);
    const warning = svc.logs.find((l) => l.level === 40 && /^serving without a token on 0\.0\.0\.0:/.test(l.msg));
    expect(warning?.msg).toMatch(/set GOLONG_REWARD_TOKEN, bind to 127\.0\.0\.1 \(HOST\), or set GOLONG_REWARD_AUTH=none to say it is intended$/);
  });
});

describe('on loopback at info level', () => {
  it('no warning; probes and scrapes write nothing at info, a scoring request does', async () => {
    const svc = await start({});
    expect(svc.logs.some((l) => l.level >= 40)).toBe(false);
    for (let i = 0; i < 3; i++) for (const path of ['/healthz', '/readyz', '/metrics']) await (await fetch(`${svc.url}${path}`)).text();
    await post(`${svc.url}/score`, { items: [] });
    await settle();
    const requestLines = svc.logs.filter((l) => l.msg === 'incoming request' || l.msg === 'request completed');
    const urls = requestLines.map((l) => (l.req as { url?: string } | undefined)?.url).filter(Boolean);
    expect(urls).toEqual(['/score']);
    expect(requestLines.filter((l) => l.msg === 'request completed')).toHaveLength(1);
  });
});

describe('at debug level', () => {
  it('probes are logged, at debug', async () => {
    const svc = await start({ LOG_LEVEL: 'debug' });
    await (await fetch(`${svc.url}/healthz`)).text();
    await settle();
    const probe = svc.logs.filter((l) => l.msg === 'incoming request' && (l.req as { url: string }).url === '/healthz');
    expect(probe.length).toBeGreaterThan(0);
    expect(probe.every((l) => l.level === 20)).toBe(true);
  });
});

describe('with a token, GOLONG_REWARD_PROTECT_DOCS and a metrics port', () => {
  it('the documentation needs the token; /metrics is open on its own port only', async () => {
    const token = 'startup-token-5e1';
    const svc = await start({ GOLONG_REWARD_TOKEN: token, GOLONG_REWARD_PROTECT_DOCS: '1', GOLONG_REWARD_METRICS_PORT: '0', GOLONG_REWARD_AUTH: 'required' });
    for (const path of ['/docs', '/openapi.json', '/metrics']) {
      expect((await fetch(`${svc.url}${path}`)).status, path).toBe(401);
      expect((await fetch(`${svc.url}${path}`, { headers: { authorization: `Bearer ${token}` } })).status, path).toBe(200);
    }
    const metricsUrl = line(svc, 'golong-reward listening')!.metrics as string;
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const scraped = await fetch(metricsUrl);
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toMatch(/^golong_reward_pool_threads\{state="idle"\} /m);
    const other = await fetch(metricsUrl.replace(/\/metrics$/, '/tasks'));
    expect(other.status).toBe(404);
    expect(JSON.stringify(await other.json())).not.toContain('longbench');
    expect(JSON.stringify(svc.logs)).not.toContain(token);
  });
});

describe('GOLONG_REWARD_AUTH=required', () => {
  it('refuses to start without a token, saying how to provide one', async () => {
    await expect(startService({ env: { GOLONG_REWARD_AUTH: 'required' } })).rejects.toThrow(
      /exited with code 2 before listening:[\s\S]*GOLONG_REWARD_AUTH=required but no token is set; set GOLONG_REWARD_TOKEN/,
    );
  });
});
