// The end-to-end measurement: the real service in a child process (`node dist/src/main.js`), one
// big POST /score over loopback HTTP, /healthz polled from a worker thread on its own connection
// while it runs, the server's own event-loop delay from /metrics, and its peak RSS from /proc.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { Client } from 'undici';
import { SERVICE_NODE_FLAGS } from '../src/nodeFlags.js';
import type { PollerInput, PollerOutput } from './healthzPoller.js';
import { median } from './measure.js';

export { procMemory } from './procMemory.js';

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
  /** Extra environment for the server. */
  env?: Record<string, string>;
  /** How much of the server's output logTail() keeps (default 4,000 characters). */
  keepLogChars?: number;
  readyTimeoutMs?: number;
}

/** Starts `node dist/src/main.js` on a free loopback port and waits until /readyz says ready. */
export async function startService(opts: ServiceOptions): Promise<Service> {
  const port = await freePort();
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, ...(opts.nodeArgs ?? []), 'dist/src/main.js'], {
    cwd: opts.repoRoot,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', GOLONG_REWARD_WORKERS: String(opts.workers), LOG_LEVEL: 'warn', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-(opts.keepLogChars ?? 4000));
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
  /** The server's worst event-loop delay during the batch, from its /metrics (ms), if exposed. */
  serverLoopDelayMs?: number;
  /** Highest VmRSS sampled while the batch ran (KiB). */
  sampledRssKiB: number;
}

const LOOP_DELAY_MAX = /^golong_reward_event_loop_delay_seconds\{quantile="1"\}\s+(\S+)/m;

/** The max event-loop delay since the previous scrape, as the service reports it (ms). */
async function scrapeLoopDelayMs(client: Client): Promise<number | undefined> {
  const res = await client.request({ path: '/metrics', method: 'GET' });
  const text = await res.body.text();
  const m = res.statusCode === 200 ? LOOP_DELAY_MAX.exec(text) : null;
  return m ? Number(m[1]) * 1000 : undefined;
}

/**
 * POSTs `body` to /score and measures the wall time until the last response byte. Meanwhile a
 * worker thread requests /healthz on a second connection every ~10 ms (a new request as soon as
 * the last one answered, at most one in flight).
 */
export async function postBatch(service: Service, body: Buffer, pollEveryMs = 10): Promise<BatchRun> {
  const run = await postConcurrent(service, [{ body }], pollEveryMs);
  return { ...run, status: run.statuses[0]!, responseText: run.responseTexts[0]! };
}

export interface ConcurrentRun extends Omit<BatchRun, 'status' | 'responseText'> {
  statuses: number[];
  responseTexts: string[];
  /** Each request's own wall time (ms), from the common start. */
  requestMs: number[];
}

/** One /score request: its body and extra headers (e.g. content-encoding). */
export interface ScoreRequest {
  body: Buffer;
  headers?: Record<string, string>;
}

/**
 * POSTs every request at once, each on its own connection (as a client's thread pool does), and
 * measures the wall time until the last response byte, with /healthz polled as in postBatch.
 */
export async function postConcurrent(service: Service, requests: readonly ScoreRequest[], pollEveryMs = 10): Promise<ConcurrentRun> {
  const clients = requests.map(() => new Client(service.origin, { headersTimeout: 600_000, bodyTimeout: 600_000 }));
  const metricsClient = new Client(service.origin);
  await scrapeLoopDelayMs(metricsClient); // resets the server's since-last-scrape window
  const poller = new Worker(new URL('./healthzPoller.js', import.meta.url), {
    workerData: { origin: service.origin, pid: service.pid, everyMs: pollEveryMs } satisfies PollerInput,
  });
  const polled = once(poller, 'message') as Promise<[PollerOutput]>;
  const exited = once(poller, 'exit');
  await once(poller, 'online');
  try {
    const t0 = performance.now();
    const answers = await Promise.all(
      requests.map(async (req, i) => {
        const res = await clients[i]!.request({ path: '/score', method: 'POST', headers: { 'content-type': 'application/json', ...req.headers }, body: req.body });
        const text = await res.body.text();
        return { status: res.statusCode, text, ms: performance.now() - t0 };
      }),
    );
    const wallMs = performance.now() - t0;
    poller.postMessage('stop');
    const [{ latenciesMs, sampledRssKiB }] = await polled;
    const serverLoopDelayMs = await scrapeLoopDelayMs(metricsClient);
    return {
      statuses: answers.map((a) => a.status),
      responseTexts: answers.map((a) => a.text),
      requestMs: answers.map((a) => a.ms),
      wallMs,
      healthzMs: latenciesMs,
      sampledRssKiB,
      ...(serverLoopDelayMs !== undefined && { serverLoopDelayMs }),
    };
  } finally {
    poller.postMessage('stop');
    await Promise.all([...clients.map((c) => c.close()), metricsClient.close(), exited]);
  }
}

export function latencySummary(ms: readonly number[]): { polls: number; worstMs: number; medianMs: number } {
  return { polls: ms.length, worstMs: ms.length ? Math.max(...ms) : NaN, medianMs: ms.length ? median(ms) : NaN };
}
