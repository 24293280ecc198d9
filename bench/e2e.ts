// The end-to-end measurement: the real service in a child process (`node dist/src/main.js`), one
// big POST /score over loopback HTTP, /healthz polled on its own connection while it runs, and
// the server's peak RSS from /proc (worker threads share the process, so VmHWM covers them).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'undici';
import { median } from './measure.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface ProcMemory {
  /** Peak resident set size since the process started (KiB). */
  hwmKiB: number;
  rssKiB: number;
  threads: number;
}

/** VmHWM / VmRSS / Threads of a Linux process, or undefined when /proc is unavailable. */
export function procMemory(pid: number): ProcMemory | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { hwmKiB: field('VmHWM'), rssKiB: field('VmRSS'), threads: field('Threads') };
  } catch {
    return undefined;
  }
}

export interface Service {
  pid: number;
  origin: string;
  /** Last lines the server wrote to stderr/stdout (for error messages). */
  logTail(): string;
  /** SIGTERM, then SIGKILL after 10 s; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface ServiceOptions {
  repoRoot: string;
  workers: number;
  /** Extra node flags for the server, e.g. --cpu-prof (from BENCH_SERVER_NODE_ARGS). */
  nodeArgs?: string[];
  readyTimeoutMs?: number;
}

/** Starts `node dist/src/main.js` on a free loopback port and waits until /readyz says ready. */
export async function startService(opts: ServiceOptions): Promise<Service> {
  const port = await freePort();
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), 'dist/src/main.js'], {
    cwd: opts.repoRoot,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', GOLONG_REWARD_WORKERS: String(opts.workers), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve((exitCode = code))));

  const origin = `http://127.0.0.1:${port}`;
  const service: Service = {
    pid: child.pid!,
    origin,
    logTail: () => log,
    stop: async () => {
      if (exitCode !== undefined) return exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };

  const deadline = performance.now() + (opts.readyTimeoutMs ?? 60_000);
  const probe = new Client(origin);
  try {
    while (performance.now() < deadline) {
      if (exitCode !== undefined) throw new Error(`the server exited with code ${exitCode} before it was ready:\n${log}`);
      try {
        const res = await probe.request({ path: '/readyz', method: 'GET' });
        await res.body.text();
        if (res.statusCode === 200) return service;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
  } finally {
    await probe.close();
  }
  await service.stop();
  throw new Error(`the server was not ready within ${opts.readyTimeoutMs ?? 60_000} ms:\n${log}`);
}

export interface BatchRun {
  status: number;
  wallMs: number;
  responseText: string;
  /** /healthz round trips measured while the batch ran (ms). */
  healthzMs: number[];
  /** Highest VmRSS sampled while the batch ran (KiB). */
  sampledRssKiB: number;
}

/**
 * POSTs `body` to /score and measures the wall time until the last response byte. Meanwhile
 * /healthz is requested on a second connection every ~10 ms (a new request as soon as the last
 * one answered, at most one in flight).
 */
export async function postBatch(service: Service, body: string, pollEveryMs = 10): Promise<BatchRun> {
  const scoreClient = new Client(service.origin, { headersTimeout: 600_000, bodyTimeout: 600_000 });
  const healthClient = new Client(service.origin);
  const healthzMs: number[] = [];
  let sampledRssKiB = 0;
  let running = true;
  const poller = (async () => {
    while (running) {
      const t0 = performance.now();
      const res = await healthClient.request({ path: '/healthz', method: 'GET' });
      await res.body.text();
      if (running) healthzMs.push(performance.now() - t0);
      sampledRssKiB = Math.max(sampledRssKiB, procMemory(service.pid)?.rssKiB ?? 0);
      const wait = pollEveryMs - (performance.now() - t0);
      if (wait > 0) await sleep(wait);
    }
  })();
  try {
    const t0 = performance.now();
    const res = await scoreClient.request({ path: '/score', method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const responseText = await res.body.text();
    const wallMs = performance.now() - t0;
    return { status: res.statusCode, wallMs, responseText, healthzMs, sampledRssKiB };
  } finally {
    running = false;
    await poller;
    await Promise.all([scoreClient.close(), healthClient.close()]);
  }
}

export function latencySummary(ms: readonly number[]): { polls: number; worstMs: number; medianMs: number } {
  return { polls: ms.length, worstMs: ms.length ? Math.max(...ms) : NaN, medianMs: ms.length ? median(ms) : NaN };
}
