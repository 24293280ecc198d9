// Starts the real built service (`node dist/src/main.js`) as a child process on a free port and
// talks to it over HTTP. `npm test` builds first.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll } from 'vitest';
import { SERVICE_NODE_FLAGS } from '../../src/nodeFlags.js';

export const MAIN_JS = fileURLToPath(new URL('../../dist/src/main.js', import.meta.url));

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface Service {
  url: string;
  proc: ChildProcess;
  /** Every log line so far (pino JSON on stdout). */
  logs: LogLine[];
  /** Raw stdout + stderr so far. */
  output(): string;
  waitReady(timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  args?: string[];
}

/** Starts the service with PORT=0 and resolves once it logged its bound address. */
export async function startService({ env = {}, args = [] }: StartOptions = {}): Promise<Service> {
  if (!existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} is missing: run npm run build (npm test does)`);
  const proc = spawn(process.execPath, [...SERVICE_NODE_FLAGS, MAIN_JS, ...args], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', GOLONG_REWARD_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  let raw = '';
  let pending = '';
  let onLine: ((line: LogLine) => void) | undefined;
  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    raw += chunk;
    pending += chunk;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const text = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      try {
        const line = JSON.parse(text) as LogLine;
        logs.push(line);
        onLine?.(line);
      } catch {
        /* not a log line */
      }
    }
  });
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => (raw += chunk));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start in time:\n${raw}`)), 20_000);
    onLine = (line) => {
      if (line.msg === 'golong-reward listening' && typeof line.address === 'string') {
        clearTimeout(timer);
        resolve(line.address);
      }
    };
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with code ${code} before listening:\n${raw}`));
    });
  });

  return {
    url,
    proc,
    logs,
    output: () => raw,
    exited,
    async waitReady(timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const res = await fetch(`${url}/readyz`).catch(() => undefined);
        if (res?.status === 200) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`service not ready after ${timeoutMs} ms:\n${raw}`);
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}

/** A service started (and readied) before the tests of the enclosing describe and stopped after them. */
export function serviceForTests(options?: StartOptions): () => Service {
  let svc: Service | undefined;
  beforeAll(async () => {
    svc = await startService(options);
    await svc.waitReady();
  });
  afterAll(() => svc?.stop());
  return () => svc!;
}

export interface PostOptions {
  token?: string;
  gzip?: boolean;
  contentType?: string;
  headers?: Record<string, string>;
}

/** POSTs a JSON value (or a raw string/Buffer) and returns status, headers and parsed body. */
export async function post(url: string, body: unknown, { token, gzip, contentType = 'application/json', headers = {} }: PostOptions = {}) {
  let payload: string | Buffer = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const h: Record<string, string> = { 'content-type': contentType, ...headers };
  if (gzip) {
    payload = gzipSync(payload);
    h['content-encoding'] = 'gzip';
  }
  if (token !== undefined) h.authorization = `Bearer ${token}`;
  const res = await fetch(url, { method: 'POST', body: payload, headers: h });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}
